// The page's run model: training events (live or replayed from the host) become chart columns and table rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunModel } from '../../webview/ui/runModel';
import { SEED_MODEL } from '../../src/training-spec';
import type { LayerStats, TrainingConfig } from '../../src/protocol';

const config: TrainingConfig = { model: SEED_MODEL, initializers: ['zeros', 'xavier_uniform'], activation: 'model', optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 2, seed: 42, backend: 'cpu' };
const hist = { edges: [0, 1], counts: [1] };
const stats = (gradStd: number): LayerStats[] => [{ name: 'dense_1', activation: 'relu', units: 128, actMean: 0, actStd: 0, saturated: 1, gradStd, weightGradStd: 0, weightHistInit: hist, weightHistNow: hist, actHist: hist }];

test('batch losses become smoothed per-batch points on an epoch axis; accuracy one point per epoch', () => {
  const m = new RunModel();
  m.begin(config, 'subset');
  m.apply({ type: 'run-started', backend: { backend: 'cpu', reason: 'requested' }, initializers: ['zeros', 'xavier_uniform'], epochs: 2, batchesPerEpoch: 4, trainSize: 128, valSize: 32 });
  // Chunks of two batches (zeros) and of one batch (xavier): each batch's loss arrives in `losses`.
  m.apply({ type: 'batch-loss', initializer: 'zeros', step: 2, epoch: 1, loss: 2.3, losses: [2.3, 2.3] });
  m.apply({ type: 'batch-loss', initializer: 'xavier_uniform', step: 2, epoch: 1, loss: 1.5, losses: [1.5] });
  m.apply({ type: 'batch-loss', initializer: 'xavier_uniform', step: 4, epoch: 1, loss: NaN, losses: [NaN] });
  const [xs, zeros, xavier] = m.loss.data();
  assert.deepEqual(xs, [0.25, 0.5, 1]);
  assert.deepEqual(zeros.map((v) => (v === null ? null : Number(v.toFixed(6)))), [2.3, 2.3, null]);
  assert.deepEqual(xavier.map((v) => (v === null ? null : Number(v.toFixed(6)))), [null, 1.5, null], 'one point per batch; NaN is a gap');
  assert.ok(m.diverged.has('xavier_uniform'));

  m.apply({ type: 'epoch-end', initializer: 'zeros', epoch: 1, valAccuracy: 0.1, valLoss: 2.3, trainLoss: 2.3 });
  m.apply({ type: 'epoch-end', initializer: 'xavier_uniform', epoch: 1, valAccuracy: 0.9, valLoss: 0.3, trainLoss: 0.4 });
  assert.deepEqual(m.accuracy.data(), [[1], [0.1], [0.9]]);

  m.apply({ type: 'layer-stats', initializer: 'zeros', epoch: 0, layers: stats(0) });
  m.apply({ type: 'layer-stats', initializer: 'zeros', epoch: 1, layers: stats(0) });
  assert.deepEqual(m.statsEpochs('zeros'), [0, 1]);
  assert.deepEqual(m.statsEpochs('xavier_uniform'), []);
});

test('overall progress follows the slowest initializer and combines the rates of runs taking turns', () => {
  const m = new RunModel();
  m.begin(config, 'subset');
  m.apply({ type: 'progress', initializer: 'zeros', epoch: 1, batch: 64, batchesPerEpoch: 250, samplesPerSec: 4000, etaSec: 30 });
  m.apply({ type: 'progress', initializer: 'xavier_uniform', epoch: 1, batch: 32, batchesPerEpoch: 250, samplesPerSec: 2000, etaSec: 25 });
  const p = m.overallProgress()!;
  assert.equal(p.batch, 32);
  // Two runs taking turns at 4000/s and 2000/s: 2 samples every 1/4000 + 1/2000 s = 2666.7 samples/s.
  assert.ok(Math.abs(p.samplesPerSec - 2666.67) < 0.01, String(p.samplesPerSec));
  assert.equal(p.etaSec, 25);
});

test('run-finished and run-error set the status; a new run clears the old curves', () => {
  const m = new RunModel();
  m.begin(config, 'subset');
  m.apply({ type: 'run-error', message: 'out of memory for batch size 65536' });
  assert.equal(m.status, 'error');
  assert.match(m.error ?? '', /out of memory/);
  m.begin({ ...config, initializers: ['he_normal'] }, 'subset');
  assert.equal(m.status, 'running');
  assert.equal(m.error, undefined);
  assert.deepEqual(m.loss.data(), [[], []]);
  m.apply({ type: 'run-finished', result: { backend: { backend: 'cpu', reason: '' }, config, results: [], stopped: true, totalSeconds: 1, trainSize: 1, valSize: 1 } });
  assert.equal(m.status, 'stopped');
});

test('backend-changed (the WebGL context was lost) switches the backend shown and keeps the notice until the next run', () => {
  const m = new RunModel();
  m.begin(config, 'subset');
  m.apply({ type: 'run-started', backend: { backend: 'webgl', reason: 'WebGL backend requested' }, initializers: ['zeros', 'xavier_uniform'], epochs: 2, batchesPerEpoch: 4, trainSize: 128, valSize: 32 });
  assert.equal(m.backendNotice, undefined);
  const wasm = { backend: 'wasm' as const, simd: true, reason: 'the WebGL context was lost during training: using WASM (SIMD, single thread)' };
  m.apply({ type: 'backend-changed', backend: wasm, previous: 'webgl', epoch: 1, step: 2, message: 'The WebGL context was lost in epoch 1 at batch 3 of 4: training continues on WASM (SIMD).' });
  assert.deepEqual(m.backend, wasm);
  assert.match(m.backendNotice ?? '', /WebGL context was lost .* continues on WASM/);
  assert.equal(m.status, 'running', 'the run goes on');
  m.begin(config, 'subset');
  assert.equal(m.backendNotice, undefined);
  assert.equal(m.backend, undefined);
});
