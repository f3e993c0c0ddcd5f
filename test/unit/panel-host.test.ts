// The pure parts of the panel host: CSP/HTML, the run log and its exports, the IDX file set assembly,
// and the choice of the file's model for training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'fflate';
import { contentSecurityPolicy, createNonce, renderPanelHtml } from '../../src/panel/html';
import { RunLog } from '../../src/panel/runLog';
import { resultsToCsv, resultsToJson, resultsToMarkdown } from '../../src/panel/exportResults';
import { assembleIdxSplits, idxFilesInFolder } from '../../src/data/mnist-idx-files';
import { fileModelOfferFromReport } from '../../src/panel/fileModel';
import { SEED_MODEL } from '../../src/training-spec';
import type { FileReport, LayerReport, ModelReport } from '../../src/analysis/types';
import type { ComparisonResult, TrainingConfig } from '../../src/protocol';
import { MNIST_DIR } from '../support/paths';


test('the panel HTML allows only nonce scripts, wasm compilation and the extension origin', () => {
  const nonce = createNonce();
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/, 'a 128-bit base64 nonce');
  assert.notEqual(nonce, createNonce());
  const csp = contentSecurityPolicy('https://ext.vscode-cdn.net', nonce);
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], [`'nonce-${nonce}'`, "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives['style-src'], ['https://ext.vscode-cdn.net', `'nonce-${nonce}'`]);
  assert.deepEqual(directives['connect-src'], ['https://ext.vscode-cdn.net']);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);

  const html = renderPanelHtml({ cspSource: 'https://ext.vscode-cdn.net', nonce, scriptUri: 'https://ext/dist/webview.js', styleUri: 'https://ext/dist/webview.css' });
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  assert.ok(html.includes(`<script nonce="${nonce}" src="https://ext/dist/webview.js"></script>`));
  assert.ok(html.includes(`<link rel="stylesheet" nonce="${nonce}" href="https://ext/dist/webview.css">`));
  assert.ok(html.includes(`<meta property="csp-nonce" content="${nonce}">`), 'the toolkit finds the nonce for the <style> it creates');
  // Every <script> carries the nonce and none is inline.
  const scripts = html.match(/<script[^>]*>[^<]*<\/script>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.doesNotMatch(html, /\sstyle="|\son[a-z]+="/, 'no inline styles or handlers');
});

const config: TrainingConfig = { model: SEED_MODEL, initializers: ['zeros', 'xavier_uniform'], activation: 'model', optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 2, seed: 42, backend: 'auto' };

function recordedRun(finish: boolean): RunLog {
  const log = new RunLog();
  log.begin(config, 'bundled subset');
  log.add({ type: 'run-started', backend: { backend: 'wasm', reason: 'software WebGL', simd: true }, initializers: config.initializers, epochs: 2, batchesPerEpoch: 250, trainSize: 8000, valSize: 2000 });
  log.add({ type: 'progress', initializer: 'zeros', epoch: 1, batch: 32, batchesPerEpoch: 250, samplesPerSec: 3000, etaSec: 10 });
  log.add({ type: 'batch-loss', initializer: 'zeros', step: 32, epoch: 1, loss: 2.3, losses: [2.3] });
  log.add({ type: 'epoch-end', initializer: 'zeros', epoch: 1, valAccuracy: 0.11, valLoss: 2.30, trainLoss: 2.30 });
  log.add({ type: 'epoch-end', initializer: 'xavier_uniform', epoch: 1, valAccuracy: 0.9, valLoss: 0.35, trainLoss: 0.5 });
  if (finish) {
    const result: ComparisonResult = {
      backend: { backend: 'wasm', reason: 'software WebGL', simd: true },
      config,
      results: [
        { initializer: 'zeros', finalValAccuracy: 0.1135, finalValLoss: 2.301, finalTrainLoss: 2.302, seconds: 5.2, samplesPerSec: 3076.9, diverged: false },
        { initializer: 'xavier_uniform', finalValAccuracy: 0.9425, finalValLoss: 0.1987, finalTrainLoss: 0.21, seconds: 5.1, samplesPerSec: 3137.3, testAccuracy: 0.9401, testLoss: 0.2 },
      ],
      stopped: false,
      totalSeconds: 11,
      trainSize: 8000,
      valSize: 2000,
      testSize: 10000,
    };
    log.add({ type: 'run-finished', result });
  }
  return log;
}

test('the run log keeps what a reload and an export need, not the progress ticks', () => {
  const log = recordedRun(true);
  const snapshot = log.snapshot();
  assert.equal(snapshot.config, config);
  assert.equal(snapshot.datasetLabel, 'bundled subset');
  assert.deepEqual(snapshot.events.map((e) => e.type), ['run-started', 'batch-loss', 'epoch-end', 'epoch-end', 'run-finished']);
  assert.equal(log.exportableResults()?.complete, true);
  log.begin(config, 'again');
  assert.deepEqual(log.snapshot().events, [], 'a new run starts a new log');
});

test('a run cut short exports each initializer’s last completed epoch, marked incomplete', () => {
  const partial = recordedRun(false).exportableResults();
  assert.ok(partial);
  assert.equal(partial.complete, false);
  assert.deepEqual(partial.results.map((r) => [r.initializer, r.finalValAccuracy]), [['zeros', 0.11], ['xavier_uniform', 0.9]]);
  assert.equal(new RunLog().exportableResults(), undefined);
});

test('CSV, JSON and Markdown exports of a finished run', () => {
  const log = recordedRun(true);
  const exportable = log.exportableResults()!;
  const input = { ...exportable, config: log.runConfig, datasetLabel: log.runDatasetLabel, epochs: log.epochRows() };

  const csv = resultsToCsv(input).trimEnd().split('\n');
  assert.equal(csv[0], 'initializer,val_accuracy,val_loss,train_loss,test_accuracy,test_loss,seconds,samples_per_sec,diverged');
  assert.equal(csv[1], 'zeros,0.1135,2.301,2.302,,,5.2,3076.9,false');
  assert.equal(csv[2], 'xavier_uniform,0.9425,0.1987,0.21,0.9401,0.2,5.1,3137.3,false');

  const json = JSON.parse(resultsToJson(input));
  assert.equal(json.complete, true);
  assert.equal(json.backend.backend, 'wasm');
  assert.equal(json.config.model.id, 'seed');
  assert.equal(json.results[1].testAccuracy, 0.9401);
  assert.deepEqual(json.epochs.map((e: { initializer: string }) => e.initializer), ['zeros', 'xavier_uniform']);

  const md = resultsToMarkdown(input).split('\n');
  assert.equal(md[0], '| Initializer | Val accuracy | Val loss | Test accuracy | Time (s) | Samples/s |');
  assert.equal(md[1], '| --- | ---: | ---: | ---: | ---: | ---: |');
  assert.equal(md[2], '| zeros | 11.35% | 2.3010 | — | 5.2 | 3,077 |');
  assert.equal(md[3], '| xavier_uniform | 94.25% | 0.1987 | 94.01% | 5.1 | 3,137 |');
  assert.match(md.slice(4).join(' '), /Seed MLP .*Adam lr 0\.001, batch 32, 2 epochs, seed 42; bundled subset; backend wasm/);
});

test('exports of a stopped run say so and leave unmeasured numbers empty', () => {
  const log = recordedRun(false);
  const input = { ...log.exportableResults()!, config: log.runConfig, epochs: log.epochRows() };
  assert.equal(resultsToCsv(input).split('\n')[1], 'zeros,0.11,2.3,2.3,,,,,false');
  assert.equal(JSON.parse(resultsToJson(input)).results[0].seconds, null);
  assert.match(resultsToMarkdown(input), /run stopped early/);
});

test('IDX file sets: roles from the magic, splits from the names, gz or raw', () => {
  const imagesGz = new Uint8Array(readFileSync(`${MNIST_DIR}/t10k-images-idx3-ubyte.gz`));
  const labelsGz = new Uint8Array(readFileSync(`${MNIST_DIR}/t10k-labels-idx1-ubyte.gz`));
  // torchvision's MNIST/raw holds the same files un-gzipped; the t10k bytes stand in for a training pair.
  const splits = assembleIdxSplits([
    { name: 't10k-labels-idx1-ubyte.gz', bytes: labelsGz },
    { name: 'train-labels-idx1-ubyte', bytes: gunzipSync(labelsGz) },
    { name: 'train-images-idx3-ubyte', bytes: gunzipSync(imagesGz) },
    { name: 't10k-images-idx3-ubyte.gz', bytes: imagesGz },
  ]);
  assert.equal(splits.train.count, 10_000);
  assert.equal(splits.test?.count, 10_000);
  assert.deepEqual([splits.train.rows, splits.train.cols], [28, 28]);
  assert.deepEqual(splits.train.labels, splits.test?.labels);
  assert.deepEqual(splits.train.pixels, splits.test?.pixels);

  const trainOnly = assembleIdxSplits([
    { name: 'images.gz', bytes: imagesGz },
    { name: 'labels.gz', bytes: labelsGz },
  ]);
  assert.equal(trainOnly.test, undefined, 'names without t10k/test are the training split');
});

test('IDX folders: torchvision’s MNIST/raw keeps .gz and extracted copies; the extracted ones are read', () => {
  const torchvisionRaw = [
    't10k-images-idx3-ubyte', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte', 't10k-labels-idx1-ubyte.gz',
    'train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte', 'train-labels-idx1-ubyte.gz',
  ];
  assert.deepEqual(idxFilesInFolder(torchvisionRaw), ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte']);
  assert.deepEqual(idxFilesInFolder(['README.md', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 'processed']), ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
  assert.deepEqual(idxFilesInFolder(['notes.txt']), []);
});

test('IDX file sets: each problem names the file', () => {
  const imagesGz = new Uint8Array(readFileSync(`${MNIST_DIR}/t10k-images-idx3-ubyte.gz`));
  const labelsGz = new Uint8Array(readFileSync(`${MNIST_DIR}/t10k-labels-idx1-ubyte.gz`));
  const trainLabelsGz = new Uint8Array(readFileSync(`${MNIST_DIR}/train-labels-idx1-ubyte.gz`));
  assert.throws(() => assembleIdxSplits([{ name: 't10k-images-idx3-ubyte.gz', bytes: imagesGz }, { name: 't10k-labels-idx1-ubyte.gz', bytes: labelsGz }]), /no training files among those picked \(t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz\)/);
  assert.throws(() => assembleIdxSplits([{ name: 'train-images.gz', bytes: imagesGz }]), /train-images\.gz has no matching train label file/);
  assert.throws(() => assembleIdxSplits([{ name: 'train-images.gz', bytes: imagesGz }, { name: 'train-labels.gz', bytes: trainLabelsGz }]), /train-images\.gz has 10000 images but train-labels\.gz has 60000 labels/);
  assert.throws(() => assembleIdxSplits([{ name: 'a-labels.gz', bytes: labelsGz }, { name: 'b-labels.gz', bytes: labelsGz }]), /b-labels\.gz and a-labels\.gz are both train labels files/);
  assert.throws(() => assembleIdxSplits([{ name: 'train-images.gz', bytes: imagesGz.subarray(0, 5000) }, { name: 'l.gz', bytes: labelsGz }]), /train-images\.gz: the gzip stream is corrupt or truncated/);
  assert.throws(() => assembleIdxSplits([{ name: 'notes.txt', bytes: new TextEncoder().encode('hello world') }]), /notes\.txt: not an MNIST IDX file \(magic 0x68656c6c/);
});

const layer = (line: number, name: string, type: string, config: Record<string, unknown>, activation: string | null, inputShape: (number | null)[] | null = null): LayerReport => ({
  line, name, type, inputShape, outputShape: null, params: null, activation, weights: [], config,
  range: { start: { line: line - 1, column: 4 }, end: { line: line - 1, column: 40 } },
  argsRange: { start: { line: line - 1, column: 10 }, end: { line: line - 1, column: 39 } },
});
const model = (name: string, line: number, endLine: number, layers: LayerReport[]): ModelReport => ({
  name, framework: 'keras', kind: 'sequential', line, layers, totalParams: null,
  range: { start: { line: line - 1, column: 0 }, end: { line: endLine - 1, column: 2 } },
});

test('the file’s model: the one around the cursor, by name, or the reason it cannot be trained', () => {
  const mlp = model('mlp', 3, 7, [layer(4, 'flatten', 'Flatten', {}, null, [null, 28, 28]), layer(5, 'dense', 'Dense', { units: 64 }, 'relu'), layer(6, 'dense_1', 'Dense', { units: 10 }, 'softmax')]);
  const rnn = model('rnn', 10, 13, [layer(11, 'lstm', 'LSTM', { units: 32 }, 'tanh'), layer(12, 'dense_2', 'Dense', { units: 10 }, 'softmax')]);
  const report: FileReport = { file: 'models.py', models: [mlp, rnn], notices: [] };

  const atMlp = fileModelOfferFromReport(report, 'models.py', { line: 5 });
  assert.equal(atMlp?.label, 'models.py: mlp (line 3)');
  assert.deepEqual(atMlp?.spec?.layers.map((l) => [l.type, l.units]), [['flatten', undefined], ['dense', 64], ['dense', 10]]);
  assert.equal(atMlp?.spec?.id, 'custom');

  const atRnn = fileModelOfferFromReport(report, 'models.py', { modelName: 'rnn' });
  assert.equal(atRnn?.spec, undefined);
  assert.match(atRnn?.problem ?? '', /lstm \(LSTM, line 11\)/, 'names the layer that stops it');

  assert.equal(fileModelOfferFromReport(report, 'models.py', { line: 20, quietWhenNone: true }), undefined, 'cursor outside any model: quiet');
  assert.equal(fileModelOfferFromReport({ file: 'x.py', models: [mlp], notices: [] }, 'x.py', { line: 20, quietWhenNone: true })?.spec?.id, 'custom', 'the only model of a file');
  assert.match(fileModelOfferFromReport({ file: 'n.py', models: [], notices: ['syntax error at line 2'] }, 'n.py')?.problem ?? '', /no model definition was found in n\.py: syntax error at line 2/);
});

test('in a notebook the panel picks the model in the cell of the cursor (lines restart in every cell) and names the cell', () => {
  const layer = (line: number, name: string, type: string, config: Record<string, unknown>, activation?: string): LayerReport =>
    ({ name, type, line, range: { start: { line: line - 1, column: 4 }, end: { line: line - 1, column: 30 } }, config, activation, weights: [], params: 0 }) as unknown as LayerReport;
  const inCell = (cell: number, name: string, units: number): ModelReport =>
    ({
      name, framework: 'keras', kind: 'sequential', line: 2, cell, range: { start: { line: 1, column: 0 }, end: { line: 5, column: 2 } },
      layers: [layer(3, 'flatten', 'Flatten', {}), layer(4, 'dense', 'Dense', { units }, 'softmax')], totalParams: 0,
    }) as unknown as ModelReport;
  const report: FileReport = { file: 'nb.ipynb', models: [inCell(2, 'first', 32), inCell(5, 'second', 10)], notices: [] };
  const atSecond = fileModelOfferFromReport(report, 'nb.ipynb', { line: 3, cell: 5, quietWhenNone: true });
  assert.equal(atSecond?.label, 'nb.ipynb: second (cell 6, line 2)');
  assert.deepEqual(atSecond?.spec?.layers.map((l) => l.units), [undefined, 10]);
  const byLens = fileModelOfferFromReport(report, 'nb.ipynb', { modelName: 'first', line: 2, cell: 2 });
  assert.equal(byLens?.label, 'nb.ipynb: first (cell 3, line 2)');
  assert.equal(fileModelOfferFromReport(report, 'nb.ipynb', { line: 3, cell: 4, quietWhenNone: true }), undefined, 'a cell without a model: quiet');
});
