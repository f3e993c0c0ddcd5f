// The .vsix is what users install: it must hold everything the extension loads at run time and nothing else
// (no sources, tests, source maps, node_modules, examples, scripts), and stay small enough to download.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { ensureVsix } from '../support/vsix';

/** Issue 6's download budget for the whole package. */
const VSIX_BUDGET_BYTES = 10 * 1024 * 1024;

/** Every file the installed extension needs (vsce renames LICENSE to LICENSE.txt and lower-cases readme.md). */
const REQUIRED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/webview.js',
  'extension/dist/tree-sitter/web-tree-sitter.wasm',
  'extension/dist/tree-sitter/tree-sitter-python.wasm',
  'extension/dist/tree-sitter/tree-sitter-typescript.wasm',
  'extension/dist/tree-sitter/tree-sitter-tsx.wasm',
  'extension/dist/tree-sitter/tree-sitter-javascript.wasm',
  'extension/dist/tfjs-wasm/tfjs-backend-wasm.wasm',
  'extension/dist/tfjs-wasm/tfjs-backend-wasm-simd.wasm',
  'extension/dist/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm',
  'extension/media/icon.png',
  'extension/media/mnist-subset.bin.gz',
];

/** What else may be there, mirroring .vscodeignore's allowlist: more bundles (.js/.css) and WASM files, a changelog. */
function isAllowed(path: string): boolean {
  if (REQUIRED.includes(path) || path === 'extension/changelog.md') return true;
  const parts = path.split('/');
  if (parts[0] !== 'extension' || parts[1] !== 'dist') return false;
  if (parts.length === 3) return parts[2].endsWith('.js') || parts[2].endsWith('.css');
  if (parts.length === 4 && (parts[2] === 'tree-sitter' || parts[2] === 'tfjs-wasm')) return parts[3].endsWith('.wasm');
  return false;
}

function readVsix(): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(readFileSync(ensureVsix())));
}

test('the vsix holds every file the extension needs and nothing else', () => {
  const vsixFiles = readVsix();
  const paths = Object.keys(vsixFiles).filter((p) => !p.endsWith('/')).sort();
  const size = readFileSync(ensureVsix()).length;
  console.log(`xavier-lens.vsix: ${paths.length} files, ${(size / 1024 / 1024).toFixed(2)} MB`);
  for (const p of paths) console.log(`  ${p}  ${(vsixFiles[p].length / 1024).toFixed(1)} KB`);

  const missing = REQUIRED.filter((p) => !paths.includes(p));
  assert.deepEqual(missing, [], `missing from the vsix: ${missing.join(', ')}`);
  const unexpected = paths.filter((p) => !isAllowed(p));
  assert.deepEqual(unexpected, [], `unexpected in the vsix (sources, maps, tests, node_modules, ...?): ${unexpected.join(', ')}`);
  for (const p of REQUIRED) assert.ok(vsixFiles[p].length > 0, `${p} is empty`);
});

test('the vsix carries none of the test data (the MNIST IDX files stay in test/data)', () => {
  const paths = Object.keys(readVsix());
  const testData = paths.filter((p) => p.startsWith('extension/test/') || /idx\d-ubyte/.test(p));
  assert.deepEqual(testData, [], `test data in the vsix: ${testData.join(', ')}`);
});

test(`the vsix stays within its ${VSIX_BUDGET_BYTES / 1024 / 1024} MB download budget`, () => {
  const size = readFileSync(ensureVsix()).length;
  assert.ok(size <= VSIX_BUDGET_BYTES, `xavier-lens.vsix is ${(size / 1024 / 1024).toFixed(2)} MB`);
});

test('the packaged manifest points at files inside the vsix and follows the VS Code conventions', () => {
  const vsixFiles = readVsix();
  const manifest = JSON.parse(new TextDecoder().decode(vsixFiles['extension/package.json']));
  assert.equal(manifest.name, 'xavier-lens');
  assert.ok(manifest.publisher, 'a publisher id');
  assert.ok(vsixFiles[`extension/${manifest.main.replace(/^\.\//, '')}`], `main ${manifest.main} is packaged`);
  assert.ok(vsixFiles[`extension/${manifest.icon}`], `icon ${manifest.icon} is packaged`);
  const png = vsixFiles[`extension/${manifest.icon}`];
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [128, 128], 'the icon is a 128×128 PNG');
  assert.ok(!manifest.activationEvents.includes('*'), 'never activate on every start-up');
  const commands: { command: string; category?: string }[] = manifest.contributes.commands;
  for (const id of ['xavierLens.inspectLayers', 'xavierLens.openTrainingComparison']) {
    assert.ok(commands.some((c) => c.command === id), `${id} is contributed`);
    assert.ok(manifest.activationEvents.includes(`onCommand:${id}`), `${id} activates the extension`);
  }
  for (const c of commands) assert.equal(c.category, 'Xavier Lens', `${c.command}'s category`);
  for (const key of Object.keys(manifest.contributes.configuration?.properties ?? {})) {
    assert.ok(key.startsWith('xavierLens.'), `setting ${key} lives under xavierLens.*`);
  }
  assert.ok(manifest.engines.vscode.includes('1.100') || manifest.engines.vscode === '*', 'admits VS Code 1.100 (code-server 4.100.3)');
});

test('the packaged extension bundle loads with no node_modules next to it', () => {
  // Only `vscode` (given by the editor) and Node built-ins may stay unbundled: the vsix carries no dependencies.
  const vsixFiles = readVsix();
  const dir = mkdtempSync(join(tmpdir(), 'xl-vsix-'));
  try {
    for (const [p, bytes] of Object.entries(vsixFiles)) {
      if (!p.startsWith('extension/') || p.endsWith('/')) continue;
      const out = join(dir, p);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, bytes);
    }
    // A stand-in `vscode` module: any property (vscode.X.Y...) is another stand-in, a harmless function, enough for
    // module-level code. esbuild's __toESM copies only own properties and otherwise inherits from the module's
    // prototype, so the prototype answers every name too.
    const anyName: object = new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : stub) });
    const stub: object = new Proxy(function vscodeStub() {}, {
      get: (_t, key) => (key === '__esModule' || key === 'then' ? undefined : stub),
      getPrototypeOf: () => anyName,
    });
    writeFileSync(join(dir, 'vscode-stub.cjs'), 'module.exports = globalThis.__xlVscodeStub;');
    (globalThis as { __xlVscodeStub?: object }).__xlVscodeStub = stub;
    const req = createRequire(join(dir, 'extension', 'package.json'));
    const Module = req('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
    const original = Module._resolveFilename;
    Module._resolveFilename = (request: string, ...rest: unknown[]) =>
      request === 'vscode' ? join(dir, 'vscode-stub.cjs') : original(request, ...rest);
    try {
      const ext = req('./dist/extension.js');
      assert.equal(typeof ext.activate, 'function', 'dist/extension.js exports activate()');
    } finally {
      Module._resolveFilename = original;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
