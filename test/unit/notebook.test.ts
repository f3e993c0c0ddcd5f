/**
 * Notebooks (issue 16): code cells joined in order into one program, markdown skipped, IPython magics blanked,
 * other languages and leaking syntax errors skipped and named, and every range mapped back to {cell, line, column}.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeNotebook, analyzeNotebookCells, blankMagics, buildNotebookProgram, cellsFromIpynb, toCellPosition, toProgramPosition,
  type CellPosition, type NotebookCell,
} from '../../src/analysis/notebook';
import type { FileReport, Range } from '../../src/analysis/types';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test/fixtures/notebooks/pytorch_mlp_cells.ipynb');

const code = (index: number, text: string, language = 'python'): NotebookCell => ({ index, kind: 'code', language, text });
const markdown = (index: number, text: string): NotebookCell => ({ index, kind: 'markdown', language: 'markdown', text });

/** Every {line, column} object of a report, with the path to it. */
function positions(value: unknown, path = ''): { path: string; at: CellPosition }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => positions(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.line === 'number' && typeof record.column === 'number') return [{ path, at: record as unknown as CellPosition }];
  return Object.entries(record).flatMap(([k, v]) => positions(v, `${path}.${k}`));
}

/** The text a cell position range covers, read from the cell itself. */
function cellText(cells: readonly NotebookCell[], range: Range): string {
  const start = range.start as CellPosition;
  const end = range.end as CellPosition;
  assert.equal(start.cell, end.cell, 'a range stays in one cell');
  const lines = cells.find((c) => c.index === start.cell)!.text.split('\n');
  if (start.line === end.line) return lines[start.line].slice(start.column, end.column);
  return [lines[start.line].slice(start.column), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.column)].join('\n');
}

test('cells are joined in order, markdown skipped, and positions map back to their cell both ways', async () => {
  const cells = [markdown(0, '# title\ntext'), code(1, 'A = 1\nB = 2'), markdown(2, 'more'), code(3, 'C = A\n\nD = 4\n')];
  const program = await buildNotebookProgram(cells);
  assert.equal(program.text, 'A = 1\nB = 2\nC = A\n\nD = 4\n');
  assert.deepEqual(program.cells, [{ index: 1, startLine: 0, lineCount: 2 }, { index: 3, startLine: 2, lineCount: 4 }]);
  assert.deepEqual(toCellPosition(program, { line: 1, column: 4 }), { cell: 1, line: 1, column: 4 });
  assert.deepEqual(toCellPosition(program, { line: 4, column: 0 }), { cell: 3, line: 2, column: 0 });
  assert.equal(toCellPosition(program, { line: 99, column: 0 }), undefined);
  assert.deepEqual(toProgramPosition(program, { cell: 3, line: 2, column: 5 }), { line: 4, column: 5 });
  assert.equal(toProgramPosition(program, { cell: 2, line: 0, column: 0 }), undefined, 'a markdown cell is not in the program');
});

test('IPython magics, shell escapes and help lines are blanked line for line; the same text in a string is kept', async () => {
  const text = ['%matplotlib inline', '!pip install torch', 'files = !ls', 'if True:', '    %time x = 1', 'model?', 'x = 1  # why?', 's = """', '%d items', '!done', '"""'].join('\n');
  const out = blankMagics(text, (line) => line >= 8 && line <= 10);
  assert.ok('text' in out);
  assert.deepEqual(out.text.split('\n'), ['pass', 'pass', 'pass', 'if True:', '    pass', 'pass', 'x = 1  # why?', 's = """', '%d items', '!done', '"""']);
  assert.equal(out.blanked, 5);
  // Through the real reader: the string's lines are found by tree-sitter and kept.
  const program = await buildNotebookProgram([code(0, text)]);
  assert.deepEqual(program.text.split('\n').slice(7), ['s = """', '%d items', '!done', '"""']);
  assert.deepEqual(blankMagics('%%bash\nls -l'), { skip: 'a %%bash cell is not Python' });
  assert.ok('text' in blankMagics('%%time\nx = 1'), '%%time runs its body as Python');
});

test('a layer after a magic cell keeps its position and reads constants from earlier cells', async () => {
  const cells = [code(0, '!pip install torch\nimport torch.nn as nn\nHIDDEN = 64'), markdown(1, 'text'), code(2, '%time\nmodel = nn.Sequential(\n    nn.Linear(10, HIDDEN),\n    nn.ReLU(),\n)')];
  const report = await analyzeNotebookCells(cells, 'nb.ipynb');
  assert.equal(report.models.length, 1);
  const layer = report.models[0].layers[0];
  assert.equal(layer.outputShape?.[1], 64, 'HIDDEN from cell 1 sizes the layer in cell 3');
  assert.equal(layer.cell, 2);
  assert.equal(layer.line, 3, '1-based line inside its cell');
  assert.equal(cellText(cells, layer.range), 'nn.Linear(10, HIDDEN)');
  assert.equal(report.models[0].cell, 2);
});

test('every position of a notebook report carries its cell and points at the same text in that cell', async () => {
  const json = readFileSync(FIXTURE, 'utf8');
  const read = cellsFromIpynb(json);
  assert.ok('cells' in read);
  const report = await analyzeNotebook(json, 'nb.ipynb');
  const all = positions(report.models);
  assert.ok(all.length >= 18, `${all.length} positions`);
  for (const { path, at } of all) {
    assert.equal(typeof at.cell, 'number', `${path} has no cell`);
    const cell = read.cells.find((c) => c.index === at.cell);
    assert.ok(cell && cell.kind === 'code', `${path} points at cell ${at.cell}, not a code cell`);
    assert.ok(at.line < cell.text.split('\n').length, `${path} is past the end of cell ${at.cell}`);
  }
  for (const layer of report.models[0].layers) assert.match(cellText(read.cells, layer.range), /^nn\.Linear\(/);
});

test('other languages, %%bash cells and unknown cell types are skipped and named; the rest is read', async () => {
  const cells = [code(0, 'import torch.nn as nn\nW = 32'), code(1, 'x <- c(1, 2)', 'r'), code(2, '%%bash\necho hi'), code(3, 'net = nn.Sequential(nn.Linear(W, 8))')];
  const report = await analyzeNotebookCells(cells, 'nb.ipynb');
  assert.equal(report.models[0].layers[0].weights[0].shape.join(','), '8,32');
  assert.ok(report.notices.some((n) => n.startsWith('cell 2 is r, not Python')), report.notices.join('\n'));
  assert.ok(report.notices.some((n) => n.startsWith('cell 3: a %%bash cell is not Python')), report.notices.join('\n'));
});

test('a cell with a syntax error: a local one is read as far as possible, one that runs past the cell is skipped and the later cells still read', async () => {
  const cells = [
    code(0, 'import torch.nn as nn\nW = 16'),
    code(1, 'a = nn.Sequential(nn.Linear(W, 4))\nb = = 3'),
    code(2, 'broken = nn.Sequential(nn.Linear(W, 2)'),
    code(3, 'c = nn.Sequential(nn.Linear(W, 5))'),
  ];
  const report = await analyzeNotebookCells(cells, 'nb.ipynb');
  const names = report.models.map((m) => `${m.name}@${m.cell}`);
  assert.deepEqual(names, ['a@1', 'c@3']);
  assert.ok(report.notices.some((n) => n.startsWith('cell 2 has syntax errors: read as far as possible')), report.notices.join('\n'));
  assert.ok(report.notices.some((n) => n.startsWith('cell 3 has a syntax error that runs past its end')), report.notices.join('\n'));
});

test('bad notebooks: not JSON, no cells, a notebook of another kernel language, and one with no code', async () => {
  assert.match((await analyzeNotebook('{"cells": [', 'bad.ipynb')).notices[0], /^Not analysed: the notebook is not valid JSON/);
  assert.match((await analyzeNotebook('[]', 'bad.ipynb')).notices[0], /not a JSON object/);
  assert.match((await analyzeNotebook('{"nbformat": 4}', 'bad.ipynb')).notices[0], /no "cells" list/);
  const r = await analyzeNotebook(JSON.stringify({ metadata: { kernelspec: { language: 'R' } }, cells: [{ cell_type: 'code', source: 'x <- 1' }] }), 'r.ipynb');
  assert.deepEqual(r.notices, ['cell 1 is R, not Python: skipped.', 'The notebook has no Python code cells to read.']);
  const vscodeCell = cellsFromIpynb(JSON.stringify({ cells: [{ cell_type: 'code', metadata: { vscode: { languageId: 'sql' } }, source: ['SELECT 1'] }] }));
  assert.ok('cells' in vscodeCell && vscodeCell.cells[0].language === 'sql', 'VS Code\'s per-cell language wins');
});

test('a large notebook of outputs: outputs are not read and do not count against the code size limit', async () => {
  const json = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const image = 'A'.repeat(1024 * 1024);
  for (const cell of json.cells) if (cell.cell_type === 'code') cell.outputs = Array.from({ length: 10 }, () => ({ output_type: 'display_data', data: { 'image/png': image }, metadata: {} }));
  const text = JSON.stringify(json);
  assert.ok(text.length > 50 * 1024 * 1024);
  const started = Date.now();
  const report: FileReport = await analyzeNotebook(text, 'big.ipynb');
  assert.equal(report.models[0].totalParams, 335114);
  assert.ok(Date.now() - started < 20_000);
  const limited = await analyzeNotebook(text, 'big.ipynb', { maxFileBytes: 1024 * 1024 });
  assert.match(limited.notices[0], /^Skipped: the notebook is larger than the limit of 1048576 bytes/);
});

test('CLI: inspect notebook.ipynb --json gives cell-relative positions; the table names cells', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'inspect', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const json = cli('test/fixtures/notebooks/pytorch_mlp_cells.ipynb', '--json');
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.models[0].layers[0].range.start, { cell: 5, line: 3, column: 19 });
  const table = cli('test/fixtures/notebooks/pytorch_mlp_cells.ipynb');
  assert.match(table.stdout, /cell 6, line 4 +fc1/);
  const dir = mkdtempSync(join(tmpdir(), 'xl-nb-'));
  writeFileSync(join(dir, 'bad.ipynb'), '{"cells": [');
  const bad = cli(join(dir, 'bad.ipynb'));
  assert.equal(bad.status, 0);
  assert.match(bad.stdout, /note: Not analysed: the notebook is not valid JSON/);
});
