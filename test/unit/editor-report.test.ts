import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReportHostMessage, isReportWebviewMessage } from '../../src/protocol';
import { reportContentSecurityPolicy, reportHtml } from '../../src/editor/reportHtml';
import { buildReportModels, modelSummaryTitle, reportMarkdown } from '../../src/editor/reportTable';
import { file, seedModel } from './editor-fixtures';

test('report rows of the seed model: one per layer with fans, initializer, scales and params; totals', () => {
  const [m] = buildReportModels(file([seedModel()], 'seed_keras_mlp.py'));
  assert.deepEqual(m.rows.map((r) => r.cells.layer), ['flatten (Flatten)', 'dense (Dense)', 'dense_1 (Dense)', 'dense_2 (Dense)']);
  assert.deepEqual(m.rows[1].cells, {
    layer: 'dense (Dense)',
    line: '6',
    shape: '(None, 784) → (None, 128)',
    fanIn: '784',
    fanOut: '128',
    initializer: 'glorot_uniform (default)',
    xavierUniform: '±0.08111',
    xavierNormal: '0.04683',
    he: '0.05051',
    params: '100,480',
  });
  assert.equal(m.rows[0].cells.fanIn, '—', 'Flatten has no weights');
  assert.equal(m.totals, '4 layers (3 with weights) · 109,386 params');
  assert.equal(m.totalParams, '109,386');
});

test('the markdown copy: a header, one table row per layer, a totals row; no model said plainly', () => {
  const md = reportMarkdown(file([seedModel()], 'seed_keras_mlp.py'), 'seed_keras_mlp.py');
  const lines = md.split('\n');
  assert.equal(lines[0], '# Xavier Lens: layers in seed_keras_mlp.py');
  const header = lines.find((l) => l.startsWith('| Layer'));
  assert.equal(header, '| Layer | Line | In → out | fan_in | fan_out | Initializer | Xavier U limit | Xavier N σ | He σ | Params |');
  assert.ok(lines.includes('| dense (Dense) | 6 | (None, 784) → (None, 128) | 784 | 128 | glorot_uniform (default) | ±0.08111 | 0.04683 | 0.05051 | 100,480 |'));
  const total = lines.find((l) => l.startsWith('| **Total**'))!;
  assert.equal(total.split('|').length, header!.split('|').length, 'the totals row has every column');
  assert.match(total, /\*\*109,386\*\*/);
  assert.match(reportMarkdown(file([], 'util.py'), 'util.py'), /No Keras, PyTorch or TF\.js model found in util\.py\./);
});

test('the CodeLens summary reads "N layers · P params"', () => {
  assert.equal(modelSummaryTitle(seedModel()), '4 layers · 109,386 params');
  assert.equal(modelSummaryTitle({ ...seedModel(), totalParams: null }), '4 layers · ? params');
});

test("the report page's CSP: nonce'd script, no 'unsafe-inline' or 'unsafe-eval', default-src 'none'", () => {
  const html = reportHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'N0nce', scriptUri: 'https://x.vscode-cdn.net/dist/report.js' });
  const csp = reportContentSecurityPolicy({ cspSource: 'https://x.vscode-cdn.net', nonce: 'N0nce' });
  assert.ok(html.includes(`content="${csp}"`));
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scripts, ['<script nonce="N0nce" src="https://x.vscode-cdn.net/dist/report.js">']);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
});

test('report messages are checked: good ones pass, bad ones are refused', () => {
  assert.ok(isReportWebviewMessage({ type: 'reveal', line: 6, column: 4 }));
  assert.ok(isReportWebviewMessage({ type: 'copy-markdown' }));
  assert.ok(!isReportWebviewMessage({ type: 'reveal', line: 0, column: 0 }), 'lines are 1-based');
  assert.ok(!isReportWebviewMessage({ type: 'reveal', line: '6', column: 0 }));
  assert.ok(!isReportWebviewMessage({ type: 'run', code: 'x' }));
  assert.ok(!isReportWebviewMessage(null));
  const models = buildReportModels(file([seedModel()]));
  assert.ok(isReportHostMessage({ type: 'report', fileName: 'a.py', models, notices: [] }));
  assert.ok(!isReportHostMessage({ type: 'report', fileName: 'a.py', models: [{ ...models[0], rows: [{ line: 1, column: 0, cells: { layer: 1 } }] }], notices: [] }));
});
