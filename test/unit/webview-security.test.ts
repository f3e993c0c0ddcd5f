/**
 * The webviews never open a door: a CSP with a per-load nonce and nothing inline or eval'd (only
 * 'wasm-unsafe-eval' for the TF.js WASM backend), scripts only with the nonce, resources only from the
 * extension's own folders, every message from a webview checked against its declared type before use,
 * hover command links limited to our own commands, and no eval / new Function anywhere in our code.
 *
 * The vscode-facing files (panels, hover provider) cannot be imported outside VS Code, so what they pass to
 * VS Code is read from their source with the TypeScript compiler's parser (our own code, not user code).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test } from 'node:test';
import fc from 'fast-check';
import ts from 'typescript';
import { contentSecurityPolicy, createNonce, renderPanelHtml } from '../../src/panel/html';
import { reportContentSecurityPolicy, reportHtml } from '../../src/editor/reportHtml';
import { layerHoverContent } from '../../src/editor/layerHover';
import { isReportWebviewMessage, isWebviewToHostMessage, isHostToWebviewMessage, isReportHostMessage } from '../../src/protocol';
import { file as fileReport, seedModel } from './editor-fixtures';

const root = join(__dirname, '..', '..');
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

/** Attributes of every tag with this name (an HTML page we generate ourselves, so a simple scan is enough). */
function tags(html: string, name: string): string[] {
  const found: string[] = [];
  let at = html.indexOf(`<${name}`);
  while (at >= 0) {
    found.push(html.slice(at, html.indexOf('>', at) + 1));
    at = html.indexOf(`<${name}`, at + 1);
  }
  return found;
}

function checkPage(html: string, csp: string, nonce: string, allowWasm: boolean): void {
  const d = directives(csp);
  assert.deepEqual(d.get('default-src'), ["'none'"], csp);
  const scriptSrc = d.get('script-src') ?? [];
  assert.deepEqual(scriptSrc, allowWasm ? [`'nonce-${nonce}'`, "'wasm-unsafe-eval'"] : [`'nonce-${nonce}'`], csp);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'strict-dynamic'|\*/, csp);
  for (const [name, values] of d) {
    for (const value of values) {
      const allowed = value === "'none'" || value === CSP_SOURCE || value === `'nonce-${nonce}'` || value === 'data:' || (name === 'script-src' && value === "'wasm-unsafe-eval'");
      assert.ok(allowed, `${name} allows ${value}`);
    }
  }
  // The page carries the very policy it was built with.
  assert.ok(html.includes(csp.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')) || html.includes(csp), 'the CSP meta holds the policy');
  const scripts = tags(html, 'script');
  assert.ok(scripts.length >= 1);
  for (const script of scripts) {
    assert.ok(script.includes(`nonce="${nonce}"`), `script without the nonce: ${script}`);
    assert.ok(script.includes(' src="'), `inline script: ${script}`);
  }
  for (const style of tags(html, 'style')) assert.ok(style.includes(`nonce="${nonce}"`), `style without the nonce: ${style}`);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /javascript:/i);
}

test('training panel page: nonce CSP, only wasm-unsafe-eval beyond it, every script with the nonce', () => {
  const nonce = createNonce();
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/, '128 random bits');
  assert.notEqual(createNonce(), nonce, 'a fresh nonce per page');
  const html = renderPanelHtml({ cspSource: CSP_SOURCE, nonce, scriptUri: `${CSP_SOURCE}/dist/webview.js`, styleUri: `${CSP_SOURCE}/dist/webview.css` });
  checkPage(html, contentSecurityPolicy(CSP_SOURCE, nonce), nonce, true);
});

test('Inspect Layers report page: nonce CSP, no eval of any kind, every script and style with the nonce', () => {
  const nonce = createNonce();
  const input = { cspSource: CSP_SOURCE, nonce, scriptUri: `${CSP_SOURCE}/dist/report.js` };
  checkPage(reportHtml(input), reportContentSecurityPolicy(input), nonce, false);
});

// --- what the panels hand to VS Code, read from their source -------------------------------------------

function sourceFile(rel: string): ts.SourceFile {
  return ts.createSourceFile(rel, readFileSync(join(root, rel), 'utf8'), ts.ScriptTarget.Latest, true);
}

function visit(node: ts.Node, fn: (n: ts.Node) => void): void {
  fn(node);
  node.forEachChild((child) => visit(child, fn));
}

/** `const name = <initializer>` anywhere in the file. */
function initializerOf(file: ts.SourceFile, name: string): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  visit(file, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n.initializer;
  });
  return found;
}

/** True for `vscode.Uri.joinPath(<extensionUri>, 'dist' | 'media')`. */
function isExtensionFolder(file: ts.SourceFile, e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) {
    const init = initializerOf(file, e.text);
    return init !== undefined && isExtensionFolder(file, init);
  }
  if (!ts.isCallExpression(e) || e.expression.getText(file) !== 'vscode.Uri.joinPath' || e.arguments.length !== 2) return false;
  const [base, folder] = e.arguments;
  return /extensionUri$/.test(base.getText(file)) && ts.isStringLiteral(folder) && (folder.text === 'dist' || folder.text === 'media');
}

test('localResourceRoots: only the extension\'s own dist/ and media/, never the workspace', () => {
  let roots = 0;
  for (const rel of ['src/panel/TrainingPanel.ts', 'src/editor/reportPanel.ts']) {
    const file = sourceFile(rel);
    visit(file, (n) => {
      if (ts.isPropertyAssignment(n) && n.name.getText(file) === 'localResourceRoots') {
        assert.ok(ts.isArrayLiteralExpression(n.initializer), `${rel}: localResourceRoots is a literal list`);
        for (const element of n.initializer.elements) {
          roots++;
          assert.ok(isExtensionFolder(file, element), `${rel}: root ${element.getText(file)} is not the extension's dist/ or media/`);
        }
      }
    });
  }
  assert.ok(roots >= 2, 'both webviews declare their roots');
});

test('every webview message handler checks the message against the protocol before using it', () => {
  const handlers: Array<[string, string]> = [
    ['src/panel/TrainingPanel.ts', 'isWebviewToHostMessage'],
    ['src/editor/reportPanel.ts', 'isReportWebviewMessage'],
  ];
  for (const [rel, guard] of handlers) {
    const file = sourceFile(rel);
    let checked = 0;
    visit(file, (n) => {
      // onDidReceiveMessage((x) => this.method(x)): that method's first statement is `if (!guard(x)) { …; return; }`.
      if (!ts.isCallExpression(n) || !n.expression.getText(file).endsWith('onDidReceiveMessage')) return;
      const arrow = n.arguments[0];
      assert.ok(arrow && ts.isArrowFunction(arrow), `${rel}: handler is an arrow function`);
      const call = arrow.body;
      assert.ok(ts.isCallExpression(call), `${rel}: handler forwards to a method`);
      const methodName = call.expression.getText(file).replace(/^this\./, '');
      let method: ts.MethodDeclaration | undefined;
      visit(file, (m) => {
        if (ts.isMethodDeclaration(m) && m.name.getText(file) === methodName) method = m;
      });
      const first = method?.body?.statements[0];
      assert.ok(first && ts.isIfStatement(first), `${rel}: ${methodName} starts with a check`);
      assert.match(first.expression.getText(file), new RegExp(`^!${guard}\\(`), `${rel}: ${methodName} checks with ${guard}`);
      assert.ok(first.thenStatement.getText(file).includes('return'), `${rel}: a bad message is dropped`);
      checked++;
    });
    assert.ok(checked >= 1, `${rel} has a message handler`);
  }
});

// --- the validators on malformed input ------------------------------------------------------------------

const MALFORMED: unknown[] = [
  null, undefined, 0, NaN, 'ready', '{"type":"ready"}', true, [], [{ type: 'ready' }], () => ({ type: 'ready' }), Symbol('ready'), 10n,
  {}, { type: 1 }, { type: null }, { type: ['ready'] }, { type: 'READY' }, { type: 'ready ' }, { type: 'eval', code: '1' },
  JSON.parse('{"__proto__": {"type": "ready"}}'), { type: '__proto__' }, { type: 'constructor' }, { type: 'toString' }, { type: 'hasOwnProperty' },
  { type: 'start' }, { type: 'start', config: {}, datasetLabel: 'x' }, { type: 'start', config: null, datasetLabel: 'x' },
  { type: 'export-request' }, { type: 'export-request', format: 'exe' }, { type: 'export-request', format: ['csv'] },
  { type: 'log', level: 'info' }, { type: 'log', level: 'debug', message: 'x' }, { type: 'log', level: 'info', message: { toString: 'x' } },
  { type: 'training-event' }, { type: 'training-event', event: { type: 'batch' } },
  { type: 'reveal' }, { type: 'reveal', line: 0, column: 0 }, { type: 'reveal', line: 1.5, column: 0 }, { type: 'reveal', line: '3', column: 0 },
  { type: 'reveal', line: -1, column: 0 }, { type: 'reveal', line: Infinity, column: 0 }, { type: 'reveal', line: 1e300, column: -1 },
];

test('malformed messages from either webview are refused, never thrown on', () => {
  for (const message of MALFORMED) {
    assert.equal(isWebviewToHostMessage(message), false, `training webview accepted ${inspect(message)}`);
    if (!(typeof message === 'object' && message && (message as { type?: unknown }).type === 'copy-markdown')) {
      assert.equal(isReportWebviewMessage(message), false, `report webview accepted ${inspect(message)}`);
    }
  }
  assert.equal(isReportWebviewMessage({ type: 'reveal', line: 3, column: 0 }), true, 'a good message still passes');
  assert.equal(isWebviewToHostMessage({ type: 'export-request', format: 'csv' }), true, 'a good message still passes');
});

test('huge arrays in a message are refused, and quickly', () => {
  const config = {
    model: { id: 'seed', label: 'seed', layers: Array.from({ length: 100_000 }, () => ({ type: 'dense', units: 8 })) },
    initializers: ['xavier_uniform'], activation: 'model', optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 1, seed: 1, backend: 'auto',
  };
  // The length is checked before the items: an item is never even read (its getter would say so).
  let itemsRead = 0;
  const tripwire = (length: number, item: unknown): unknown[] => {
    const array = new Array<unknown>(length);
    Object.defineProperty(array, 0, { enumerable: true, get: () => (itemsRead++, item) });
    return array;
  };
  const manyInits = { ...config, model: { ...config.model, layers: [{ type: 'dense', units: 10 }] }, initializers: tripwire(1_000_000, 'zeros') };
  assert.equal(isWebviewToHostMessage({ type: 'start', config, datasetLabel: 'x' }), false, '100,000 layers');
  assert.equal(isWebviewToHostMessage({ type: 'start', config: manyInits, datasetLabel: 'x' }), false, 'a million initializers');
  assert.equal(isReportHostMessage({ type: 'report', fileName: 'a.py', models: [], notices: tripwire(2_000_000, 'x') }), false, 'two million notices');
  assert.equal(itemsRead, 0, 'refused by length, without walking the arrays');
});

test('random values never throw in any validator and are never taken for a message (fast-check, seeded)', () => {
  const validators = [isWebviewToHostMessage, isHostToWebviewMessage, isReportWebviewMessage, isReportHostMessage];
  const types = fc.constantFrom('ready', 'start', 'stop', 'training-event', 'load-dataset-request', 'export-request', 'log', 'reveal', 'copy-markdown', 'report', 'dataset', 'init', '__proto__', 'constructor');
  const messageLike = fc.record({ type: types }, { requiredKeys: ['type'] }).chain((base) =>
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'config', 'event', 'line', 'format')), fc.anything({ maxDepth: 3 })).map((extra) => ({ ...extra, ...base })),
  );
  fc.assert(
    fc.property(fc.oneof(fc.anything({ maxDepth: 4, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), messageLike), (value) => {
      for (const validate of validators) validate(value);
      // Only the field-less messages can be valid by chance; anything with required fields needs them right.
      if (isWebviewToHostMessage(value)) assert.ok(['ready', 'stop', 'load-dataset-request'].includes((value as { type: string }).type), JSON.stringify(value));
      if (isReportWebviewMessage(value)) assert.ok(['ready', 'copy-markdown'].includes((value as { type: string }).type), JSON.stringify(value));
    }),
    { seed: 0x5ec, numRuns: 3000 },
  );
});

// --- hover command links ----------------------------------------------------------------------------------

test('hover markdown is trusted only for an allow-list of our own contributed commands, never isTrusted: true', () => {
  const file = sourceFile('src/editor/hoverProvider.ts');
  const services = sourceFile('src/editor/services.ts');
  const contributed = new Set((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command));
  let trustSettings = 0;
  visit(file, (n) => {
    const isTrustedWrite =
      (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.left.getText(file).endsWith('.isTrusted')) ||
      (ts.isPropertyAssignment(n) && n.name.getText(file) === 'isTrusted');
    if (!isTrustedWrite) return;
    trustSettings++;
    const value = ts.isBinaryExpression(n) ? n.right : (n as ts.PropertyAssignment).initializer;
    assert.ok(ts.isObjectLiteralExpression(value), `isTrusted is ${value.getText(file)}, not an allow-list`);
    const enabled = value.properties.find((p) => p.name?.getText(file) === 'enabledCommands');
    assert.ok(enabled, 'isTrusted has enabledCommands');
  });
  assert.ok(trustSettings >= 1, 'the hover sets isTrusted');
  // Nowhere in the editor adapters is any MarkdownString trusted wholesale.
  for (const name of readdirSync(join(root, 'src/editor'))) {
    const other = sourceFile(`src/editor/${name}`);
    visit(other, (n) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.left.getText(other).endsWith('.isTrusted')) {
        assert.notEqual(n.right.kind, ts.SyntaxKind.TrueKeyword, `${name}: isTrusted = true`);
      }
      if (ts.isPropertyAssignment(n) && n.name.getText(other) === 'isTrusted') assert.notEqual(n.initializer.kind, ts.SyntaxKind.TrueKeyword, `${name}: isTrusted: true`);
    });
  }
  const list = initializerOf(file, 'HOVER_ENABLED_COMMANDS');
  assert.ok(list && ts.isArrayLiteralExpression(list));
  const commands = list.elements.map((e) => {
    const init = initializerOf(services, e.getText(file));
    assert.ok(init && ts.isStringLiteral(init), `${e.getText(file)} is a string constant in services.ts`);
    return init.text;
  });
  assert.ok(commands.length >= 1);
  for (const command of commands) {
    assert.ok(command.startsWith('xavierLens.'), command);
    assert.ok(contributed.has(command), `${command} is contributed in package.json`);
  }
  // The links the hover card really contains (layerHover.ts builds it for the provider) name only those commands.
  const analysis = { report: fileReport([seedModel()]), findings: () => [], findingsForLayer: () => [], findingAt: () => undefined };
  const md = layerHoverContent(analysis, { line: 0, column: 0 }, { uri: 'file:///a.py', showFindings: true })?.markdown ?? '';
  const links = md.split('command:').slice(1).map((rest) => rest.slice(0, rest.search(/[?)\s]/)));
  assert.ok(links.length >= 1, md);
  for (const link of links) assert.ok(commands.includes(link), `the hover links to ${link}`);
});

// --- no eval of anything ---------------------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|mts|cts)$/.test(name)) out.push(rel);
  }
  return out;
}

test('our code never evaluates strings: no eval, new Function, string timers or vm in src/ and webview/', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('webview')];
  assert.ok(files.length > 30, `${files.length} files`);
  const found: string[] = [];
  for (const rel of files) {
    const file = sourceFile(rel);
    visit(file, (n) => {
      const where = `${rel}:${file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1}`;
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const callee = n.expression.getText(file);
        if (/(^|\.)(eval|Function)$/.test(callee)) found.push(`${where}: ${n.getText(file).slice(0, 60)}`);
        if (/(^|\.)(setTimeout|setInterval)$/.test(callee) && n.arguments?.[0] && ts.isStringLiteralLike(n.arguments[0])) found.push(`${where}: string timer`);
      }
      if (ts.isImportDeclaration(n) && /^(node:)?vm$/.test((n.moduleSpecifier as ts.StringLiteral).text)) found.push(`${where}: imports vm`);
    });
  }
  assert.deepEqual(found, []);
});

/** dist/extension.js, built first when dist/ lacks it (a failed build fails the test; it never skips). */
function builtExtensionBundle(): string {
  const bundle = join(root, 'dist/extension.js');
  if (!existsSync(bundle)) {
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    assert.equal(build.status, 0, `dist/extension.js is missing and \`node scripts/build.mjs\` failed (exit ${build.status ?? build.signal}):\n${build.stderr}${build.stdout}`);
    assert.ok(existsSync(bundle), 'node scripts/build.mjs succeeded but wrote no dist/extension.js');
  }
  return readFileSync(bundle, 'utf8');
}

test('the built extension bundle has no eval or new Function (ours or a dependency\'s)', () => {
  const bundle = builtExtensionBundle();
  assert.ok(bundle.length > 10_000);
  const hits: string[] = [];
  for (const needle of ['eval(', 'new Function(']) {
    let at = bundle.indexOf(needle);
    while (at >= 0) {
      // `.eval(` is a method on some object (e.g. a tensor API), not the global; only bare calls count.
      const before = bundle[at - 1] ?? ' ';
      if (needle !== 'eval(' || !/[\w$.]/.test(before)) hits.push(bundle.slice(Math.max(0, at - 60), at + 40));
      at = bundle.indexOf(needle, at + 1);
    }
  }
  assert.deepEqual(hits, []);
});
