/**
 * Notebook cells in the editor, without the editor (issue 16): the notebook is analysed once through the analysis
 * cache (keyed by notebook, one entry per notebook version), and each cell sees it in its own coordinates: the
 * hover in a later cell shows numbers an earlier cell decides, diagnostics sit in the cell that has them, and a
 * quick fix's edit, applied to that cell's text, changes the right spot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/analysis/index';
import { cellsFromIpynb } from '../../src/analysis/notebook';
import type { Range } from '../../src/analysis/types';
import { AnalysisCache, type DocumentSnapshot } from '../../src/editor/analysisCache';
import { layerHoverContent } from '../../src/editor/layerHover';
import { cellView } from '../../src/editor/notebookView';
import { quickFixesForDiagnostics } from '../../src/editor/quickFix';
import { buildReportModels } from '../../src/editor/reportTable';
import { fileModelOfferFromReport } from '../../src/panel/fileModel';

const ROOT = join(__dirname, '..', '..');

function cache() {
  return new AnalysisCache({ loadEngine: async () => ({ analyzeText }), maxFileSizeKB: () => 512, logError: (m) => assert.fail(m) });
}

/** A notebook as the editor hands it to the cache: cells only, no outputs (src/editor/notebookDocuments.ts). */
function snapshot(cells: { kind: 'code' | 'markdown'; text: string }[], version = 1): DocumentSnapshot {
  const text = JSON.stringify({ cells: cells.map((c) => ({ cell_type: c.kind, metadata: { vscode: { languageId: c.kind === 'code' ? 'python' : 'markdown' } }, source: c.text })) });
  return { uri: 'file:///nb.ipynb', version, fileName: 'nb.ipynb', getText: () => text };
}

function fixtureCells(name: string) {
  const read = cellsFromIpynb(readFileSync(join(ROOT, 'test/fixtures/notebooks', name), 'utf8'));
  assert.ok('cells' in read);
  return read.cells.map((c) => ({ kind: c.kind === 'code' ? ('code' as const) : ('markdown' as const), text: c.text }));
}

function apply(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.column;
  let out = text;
  for (const edit of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}

test('a hover in a later cell shows the numbers an earlier cell decides; a quick fix edits that cell', async () => {
  const cells = fixtureCells('keras_deep_relu.ipynb');
  const analyses = cache();
  const whole = await analyses.analysis(snapshot(cells));
  const view = cellView(whole, 3);
  // Cell 4, line 4 (0-based 3): the first Dense(WIDTH, ...); WIDTH = 512 is written in cell 2.
  const hover = layerHoverContent(view, { line: 3, column: 10 }, { uri: 'cell', showFindings: true });
  assert.ok(hover, 'a card for the Dense layer');
  assert.match(hover.markdown, /\(None, 784\) → \(None, 512\)/);
  assert.match(hover.markdown, /\| kernel \| \(784, 512\) \| 784 \| 512 \|/);
  assert.deepEqual(hover.range, { start: { line: 3, column: 4 }, end: { line: 3, column: 79 } });
  assert.equal(layerHoverContent(cellView(whole, 1), { line: 3, column: 4 }, { uri: 'cell', showFindings: true }), undefined, 'nothing to hover in the constants cell');

  assert.deepEqual(cellView(whole, 1).findings(), [], 'the constants cell has no diagnostics');
  const findings = view.findings();
  assert.equal(findings.length, 3);
  assert.deepEqual(findings[0].range, { start: { line: 3, column: 62 }, end: { line: 3, column: 78 } });
  const fixes = quickFixesForDiagnostics(view, findings.map((f) => ({ code: f.code, range: f.range, item: f })), cells[3].text);
  assert.equal(fixes.length, 3);
  const fixed = apply(cells[3].text, fixes[0].fix.edits);
  assert.equal(fixed.split('\n')[3], `    layers.Dense(WIDTH, activation="relu", kernel_initializer="he_normal"),`);
  assert.equal(fixed.split('\n').length, cells[3].text.split('\n').length);

  // The Layers report of the notebook names cells.
  const rows = buildReportModels(whole.report)[0].rows;
  assert.equal(rows[1].cells.line, 'cell 4, line 4');
  assert.match(buildReportModels(whole.report)[0].title, /· cell 4, line 2$/);

  // The lens's "Train on MNIST" in cell 4 passes the model's name and line; the panel builds it from the notebook.
  const lensModel = view.report.models[0];
  const offer = fileModelOfferFromReport(whole.report, 'deep_relu.ipynb', { modelName: lensModel.name, line: lensModel.line });
  assert.ok(offer?.spec, `the training panel can build the notebook's model: ${offer?.problem}`);
});

test('one analysis per notebook version; a changed constant cell changes the later cell\'s hover', async () => {
  const cells = fixtureCells('keras_deep_relu.ipynb');
  const analyses = cache();
  await analyses.analysis(snapshot(cells, 1));
  await analyses.analysis(snapshot(cells, 1));
  assert.equal(analyses.analysesRun, 1);
  cells[1].text = cells[1].text.replace('WIDTH = 512', 'WIDTH = 64');
  const view = cellView(await analyses.analysis(snapshot(cells, 2)), 3);
  assert.equal(analyses.analysesRun, 2);
  assert.match(layerHoverContent(view, { line: 3, column: 10 }, { uri: 'cell', showFindings: false })!.markdown, /\(784, 64\)/);
});

test('a model built across cells: each cell sees its own layers, the others are nowhere it can hover', async () => {
  const cells: { kind: 'code' | 'markdown'; text: string }[] = [
    { kind: 'code', text: 'from tensorflow import keras\nfrom tensorflow.keras import layers\ninputs = keras.Input(shape=(32,))\nx = layers.Dense(16, activation="relu")(inputs)' },
    { kind: 'markdown', text: 'then the head' },
    { kind: 'code', text: 'outputs = layers.Dense(4)(x)\nmodel = keras.Model(inputs, outputs)' },
  ];
  const whole = await cache().analysis(snapshot(cells));
  assert.equal(whole.report.models.length, 1, whole.report.notices.join('\n'));
  const first = cellView(whole, 0);
  const last = cellView(whole, 2);
  assert.equal(first.report.models.length, 1);
  assert.equal(last.report.models.length, 1);
  const head = layerHoverContent(last, { line: 0, column: 12 }, { uri: 'c', showFindings: false });
  assert.ok(head);
  assert.match(head.markdown, /\(None, 16\) → \(None, 4\)/, 'its input size comes from the other cell');
  assert.equal(layerHoverContent(last, { line: 3, column: 8 }, { uri: 'c', showFindings: false }), undefined);
  // Every model a cell shows has its range (where the lens goes) in that cell.
  for (const view of [first, last]) for (const model of view.report.models) assert.ok(model.range.start.line >= 0);
});
