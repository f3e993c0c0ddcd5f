// One cold activation of dist/extension.js in a fresh Node process, outside VS Code.
//   node bench/activation.cjs --out FILE
// A minimal fake `vscode` module is injected through Module._load (this benchmark only): it records every
// registerCommand call with its time. Also recorded, to show what the activation path pulls in: every module
// the bundle requires, every .wasm file read from disk, every WebAssembly compile/instantiate, and whether
// TF.js's engine global appeared. Plain CommonJS run by bare `node` on purpose: a TypeScript loader would add
// its own hooks and modules to what is measured.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { setImmediate: nextTurn } = require('node:timers');

const root = path.resolve(__dirname, '..');
const outArg = process.argv.indexOf('--out');
const outFile = outArg > 0 ? process.argv[outArg + 1] : null;
const bundle = path.join(root, 'dist', 'extension.js');

const registered = []; // { id, ms } relative to the activate() call
let activateStartedAt = null;
const sinceActivate = () => (activateStartedAt === null ? null : performance.now() - activateStartedAt);

/** A no-op stand-in for any part of the API the activation path may touch: callable, constructible, deep. */
function fake(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // awaiting a fake must not hang
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => `[fake vscode ${name}]`;
      if (prop === 'dispose') return () => {};
      return fake(`${name}.${String(prop)}`);
    },
    apply: () => fake(`${name}()`),
    construct: () => fake(`new ${name}`),
  });
}

function fakeUri(fsPath) {
  return {
    scheme: 'file',
    fsPath,
    path: fsPath,
    toString: () => `file://${fsPath}`,
    with: () => fakeUri(fsPath),
  };
}

function recordCommand(id) {
  registered.push({ id, ms: sinceActivate() });
  return { dispose() {} };
}

const configuration = { get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => {} };
const vscodeFake = new Proxy(
  {
    commands: new Proxy(
      {
        registerCommand: (id) => recordCommand(id),
        registerTextEditorCommand: (id) => recordCommand(id),
        executeCommand: async () => undefined,
        getCommands: async () => registered.map((r) => r.id),
      },
      { get: (t, p) => (p in t ? t[p] : fake(`commands.${String(p)}`)) },
    ),
    workspace: new Proxy(
      { getConfiguration: () => configuration, workspaceFolders: undefined, textDocuments: [], isTrusted: true },
      { get: (t, p) => (p in t ? t[p] : fake(`workspace.${String(p)}`)) },
    ),
    window: new Proxy(
      { visibleTextEditors: [], activeTextEditor: undefined },
      { get: (t, p) => (p in t ? t[p] : fake(`window.${String(p)}`)) },
    ),
    Uri: {
      file: (p) => fakeUri(p),
      parse: (s) => fakeUri(s.replace(/^file:\/\//, '')),
      joinPath: (base, ...segments) => fakeUri(path.join(base.fsPath, ...segments)),
    },
    // The bundle's `import * as vscode` (esbuild's __toESM) copies only the fake's own keys, so the rest of the
    // API that activation touches is listed here, each a deep no-op fake.
    ...Object.fromEntries(
      ['languages', 'env', 'extensions', 'l10n', 'EventEmitter', 'Disposable', 'CodeActionKind', 'DiagnosticSeverity', 'ThemeIcon',
        'MarkdownString', 'Hover', 'Range', 'Position', 'Selection', 'CodeLens', 'CodeAction', 'WorkspaceEdit', 'Diagnostic',
        'ViewColumn', 'TextEditorRevealType', 'StatusBarAlignment', 'ProgressLocation', 'ConfigurationTarget', 'TreeItem',
        'TreeItemCollapsibleState'].map((name) => [name, fake(name)]),
    ),
  },
  { get: (t, p) => (p in t ? t[p] : fake(String(p))) },
);

// What the bundle requires (vscode answered by the fake), and which .wasm files get read.
const required = [];
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscodeFake;
  if (parent && parent.filename && parent.filename.startsWith(path.join(root, 'dist'))) required.push(request);
  return originalLoad.call(this, request, parent, isMain);
};

const wasmReads = [];
const noteRead = (p) => {
  const s = typeof p === 'string' ? p : p instanceof URL ? p.pathname : String(p);
  if (s.endsWith('.wasm')) wasmReads.push(path.relative(root, s));
};
for (const name of ['readFileSync', 'readFile', 'createReadStream', 'openSync', 'open']) {
  const original = fs[name];
  fs[name] = function (p, ...rest) {
    noteRead(p);
    return original.call(this, p, ...rest);
  };
}
const originalPromisesReadFile = fs.promises.readFile;
fs.promises.readFile = function (p, ...rest) {
  noteRead(p);
  return originalPromisesReadFile.call(this, p, ...rest);
};

const wasmCompiles = [];
const WA = globalThis.WebAssembly;
for (const name of ['compile', 'instantiate', 'instantiateStreaming', 'compileStreaming']) {
  const original = WA[name];
  WA[name] = function (...args) {
    wasmCompiles.push(name);
    return original.apply(this, args);
  };
}
const OriginalModule = WA.Module;
WA.Module = new Proxy(OriginalModule, {
  construct(t, args) {
    wasmCompiles.push('new Module');
    return Reflect.construct(t, args);
  },
});

function contributedCommands() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return (manifest.contributes?.commands ?? []).map((c) => c.command);
}

function fakeContext() {
  const memento = { get: (_k, fallback) => fallback, update: async () => {}, keys: () => [], setKeysForSync() {} };
  const storage = path.join(require('node:os').tmpdir(), 'xavier-lens-bench-storage');
  return {
    subscriptions: [],
    extensionPath: root,
    extensionUri: fakeUri(root),
    asAbsolutePath: (p) => path.join(root, p),
    globalState: memento,
    workspaceState: memento,
    storageUri: fakeUri(storage),
    globalStorageUri: fakeUri(storage),
    logUri: fakeUri(storage),
    storagePath: storage,
    globalStoragePath: storage,
    logPath: storage,
    extensionMode: 1,
    extension: { id: 'xavier-lens.xavier-lens', extensionPath: root, extensionUri: fakeUri(root), packageJSON: {} },
    secrets: fake('secrets'),
    environmentVariableCollection: fake('environmentVariableCollection'),
  };
}

/**
 * Proves the detectors above can see a load: after the measurement, load the engine bundle (dist/analysis.js,
 * what the extension loads on first analysis) and analyse a line of Python; the .wasm reads and WebAssembly
 * compiles must now show up. When they do not, "nothing loaded on activation" proves nothing.
 */
async function detectorCheck() {
  const engineBundle = path.join(root, 'dist', 'analysis.js');
  if (!fs.existsSync(engineBundle)) return { ran: false, reason: 'dist/analysis.js not built' };
  const readsBefore = wasmReads.length;
  const compilesBefore = wasmCompiles.length;
  try {
    const engine = require(engineBundle);
    if (typeof engine.setGrammarDirectory === 'function') engine.setGrammarDirectory(path.join(root, 'dist', 'tree-sitter'));
    await engine.analyzeText('import torch.nn as nn\nnet = nn.Sequential(nn.Linear(4, 2))\n', 'check.py');
  } catch (error) {
    return { ran: false, reason: `engine failed: ${error && error.message}` };
  }
  const reads = wasmReads.slice(readsBefore);
  const compiles = wasmCompiles.length - compilesBefore;
  return { ran: true, wasmFilesRead: [...new Set(reads)], wasmCompiles: compiles, sawLoad: reads.length > 0 || compiles > 0 };
}

async function main() {
  const result = { bundle: path.relative(root, bundle) };
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run the build first`);
  const expected = contributedCommands();

  const loadStart = performance.now();
  const extension = require(bundle);
  result.loadMs = performance.now() - loadStart;
  if (typeof extension.activate !== 'function') throw new Error('dist/extension.js exports no activate()');

  activateStartedAt = performance.now();
  const returned = extension.activate(fakeContext());
  result.activateReturnMs = sinceActivate();
  await returned;
  result.activateSettledMs = sinceActivate();
  // Commands registered a little later (after an await inside activate) still count, up to 2 s.
  const deadline = performance.now() + 2000;
  while (expected.some((id) => !registered.some((r) => r.id === id)) && performance.now() < deadline) {
    await new Promise((resolve) => nextTurn(resolve));
  }
  const times = expected.map((id) => registered.find((r) => r.id === id)?.ms ?? null);
  result.expectedCommands = expected;
  result.missingCommands = expected.filter((_, i) => times[i] === null);
  result.registeredCommands = registered.map((r) => r.id);
  result.commandsRegisteredMs = result.missingCommands.length ? null : Math.max(...times);
  result.requiredModules = [...new Set(required)].sort();
  result.wasmFilesRead = [...new Set(wasmReads)];
  result.wasmCompiles = wasmCompiles.length;
  result.tfjsEngineCreated = globalThis._tfengine !== undefined;
  // TF.js belongs to the webview bundle; its engine global's name in the host bundle would mean it is bundled.
  result.tfjsInExtensionBundle = fs.readFileSync(bundle, 'utf8').includes('_tfengine');
  result.detectorCheck = await detectorCheck();
  return result;
}

main().then(
  (result) => {
    const text = JSON.stringify(result, null, 2);
    if (outFile) fs.writeFileSync(outFile, text);
    else console.log(text);
    // The extension may have left timers or watchers open; this process only measures.
    process.exit(0);
  },
  (error) => {
    console.error(`activation benchmark: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);
