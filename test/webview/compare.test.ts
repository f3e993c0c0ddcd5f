// The training engine in headless Chromium (the same bundle code as the panel), through the headless runner:
// accuracy on the official MNIST test set, symmetry failure of zeros, vanishing signals of a tiny normal init in
// a deep tanh net, repeatability on CPU, tensor hygiene, Stop, and backend choice. Needs `npm run build`
// (dist/headless.js, media/mnist-subset.bin.gz) and Chromium (/usr/bin/chromium or CHROME_PATH).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { assertEventsPassGuards } from '../support/guarded-events';
import { openHeadlessSession, type HeadlessSession } from '../../src/cli/headless-runner';
import { DEEP_TANH_MODEL, SEED_MODEL } from '../../src/training-spec';
import type { ComparisonResult, InitializerId, InitializerResult, LayerStats, TrainingConfig, TrainingEvent } from '../../src/protocol';
import { MNIST_DIR } from '../support/paths';

const root = resolve(import.meta.dirname, '../..');
const testIdxDir = MNIST_DIR;

let session: HeadlessSession;
let events: TrainingEvent[] = [];
/** Every event the session delivered in this file (`events` is reset per run); checked by the last test. */
const delivered: TrainingEvent[] = [];

before(async () => {
  session = await openHeadlessSession({ root, testIdxDir, verboseEvents: true, onEvent: (e) => (events.push(e), delivered.push(e)) });
});

after(async () => {
  await session?.close();
});

function seedConfig(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    model: SEED_MODEL, initializers: ['xavier_uniform'], activation: 'model', optimizer: 'adam', learningRate: 0.001,
    batchSize: 32, epochs: 10, seed: 1, backend: 'wasm', ...overrides,
  };
}

function byInit(result: ComparisonResult, id: InitializerId): InitializerResult {
  const r = result.results.find((x) => x.initializer === id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

function statsAt(id: InitializerId, epoch: number): LayerStats[] {
  const e = events.find((x) => x.type === 'layer-stats' && x.initializer === id && x.epoch === epoch);
  assert.ok(e && e.type === 'layer-stats', `no layer-stats for ${id} at epoch ${epoch}`);
  return e.layers;
}

test('seed MLP, 10 epochs on the bundled subset: Xavier uniform ≥ 93.5% on the official MNIST test set, zeros ≤ 20%', async (t) => {
  events = [];
  const { result, tensorsBefore, tensorsAfter } = await session.run(seedConfig({ initializers: ['xavier_uniform', 'zeros'] }));
  assert.equal(result.backend.backend, 'wasm');
  assert.equal(result.trainSize, 8000);
  assert.equal(result.valSize, 2000);
  assert.equal(result.testSize, 10000);
  const xavier = byInit(result, 'xavier_uniform');
  const zeros = byInit(result, 'zeros');
  t.diagnostic(`test accuracy: xavier_uniform ${xavier.testAccuracy}, zeros ${zeros.testAccuracy}; ${Math.round(xavier.samplesPerSec)} samples/s (${result.backend.backend})`);
  assert.ok(xavier.testAccuracy! >= 0.935, `Xavier uniform test accuracy ${xavier.testAccuracy}`);
  assert.ok(zeros.testAccuracy! <= 0.2, `zeros test accuracy ${zeros.testAccuracy}`);
  assert.ok(xavier.finalValAccuracy > 0.93, `Xavier validation accuracy ${xavier.finalValAccuracy}`);
  // All curves grew together: each initializer reported every epoch, and losses interleave chunk by chunk.
  for (const id of ['xavier_uniform', 'zeros'] as const) {
    assert.deepEqual(events.filter((e) => e.type === 'epoch-end' && e.initializer === id).map((e) => e.type === 'epoch-end' && e.epoch), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }
  const lossOrder = events.filter((e) => e.type === 'batch-loss').slice(0, 4).map((e) => e.type === 'batch-loss' && e.initializer);
  assert.deepEqual(lossOrder, ['xavier_uniform', 'zeros', 'xavier_uniform', 'zeros']);
  // Why zeros fails: every hidden relu unit is dead from the start and no gradient reaches the hidden kernels.
  const zeroStats = statsAt('zeros', 10);
  assert.equal(zeroStats[0].saturated, 1);
  assert.equal(zeroStats[0].weightGradStd, 0);
  const xavierStats = statsAt('xavier_uniform', 10);
  assert.ok(xavierStats[0].saturated < 0.5 && xavierStats[0].weightGradStd > 0);
  // Histograms: the init histogram of Xavier uniform is flat within ±√(6/(784+128)) (TF.js's own draw).
  const hist = statsAt('xavier_uniform', 0)[0].weightHistInit;
  const limit = Math.sqrt(6 / (784 + 128));
  assert.ok(Math.abs(hist.edges[0] + limit) < 0.002 && Math.abs(hist.edges[hist.edges.length - 1] - limit) < 0.002, `edges ${hist.edges[0]}..${hist.edges.at(-1)}`);
  assert.equal(hist.counts.reduce((a, b) => a + b, 0), 784 * 128);
  assert.equal(tensorsAfter, tensorsBefore);
});

test('deep tanh (5×256, SGD lr 0.1, batch 32, 5 epochs): normal σ 0.01 ≤ 20%, Xavier uniform ≥ 88% on the test set', async (t) => {
  events = [];
  const { result } = await session.run({
    model: DEEP_TANH_MODEL, initializers: ['normal_0.01', 'xavier_uniform'], activation: 'model', optimizer: 'sgd',
    learningRate: 0.1, batchSize: 32, epochs: 5, seed: 1, backend: 'wasm',
  });
  const tiny = byInit(result, 'normal_0.01');
  const xavier = byInit(result, 'xavier_uniform');
  t.diagnostic(`test accuracy: normal_0.01 ${tiny.testAccuracy}, xavier_uniform ${xavier.testAccuracy}`);
  assert.ok(tiny.testAccuracy! <= 0.2, `normal σ 0.01 test accuracy ${tiny.testAccuracy}`);
  assert.ok(xavier.testAccuracy! >= 0.88, `Xavier uniform test accuracy ${xavier.testAccuracy}`);
  // Glorot & Bengio fig. 7: with σ 0.01 the back-propagated gradient shrinks layer by layer towards the input;
  // Xavier keeps it of similar size across layers.
  const tinyInit = statsAt('normal_0.01', 0);
  const xavierInit = statsAt('xavier_uniform', 0);
  assert.equal(tinyInit.length, 6);
  const ratio = (s: LayerStats[]) => s[0].gradStd / s[4].gradStd;
  assert.ok(ratio(tinyInit) < 1e-3, `σ 0.01: first/fifth hidden gradient std ratio ${ratio(tinyInit)}`);
  assert.ok(ratio(xavierInit) > 0.1, `Xavier: first/fifth hidden gradient std ratio ${ratio(xavierInit)}`);
  // And the activations of the deeper layers collapse towards 0.
  assert.ok(tinyInit[4].actStd < 1e-4, `σ 0.01: layer 5 activation std ${tinyInit[4].actStd}`);
  assert.ok(xavierInit[4].actStd > 0.1, `Xavier: layer 5 activation std ${xavierInit[4].actStd}`);
});

test('a fixed seed on the CPU backend gives the same numbers twice, and another seed different ones', async () => {
  const config = seedConfig({ backend: 'cpu', epochs: 2, batchSize: 64, initializers: ['he_normal', 'uniform_0.1'] });
  const options = { trainLimit: 1024, probeSize: 100 };
  const pick = (r: ComparisonResult) => r.results.map((x) => [x.initializer, x.finalValAccuracy, x.finalValLoss, x.finalTrainLoss]);
  events = [];
  const first = await session.run(config, options);
  const firstStats = statsAt('he_normal', 2);
  events = [];
  const second = await session.run(config, options);
  assert.equal(first.result.backend.backend, 'cpu');
  assert.deepEqual(pick(second.result), pick(first.result));
  assert.deepEqual(statsAt('he_normal', 2), firstStats);
  const other = await session.run({ ...config, seed: 2 }, options);
  assert.notDeepEqual(pick(other.result), pick(first.result));
});

test('no tensor growth over 3 runs', async () => {
  const counts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { tensorsBefore, tensorsAfter } = await session.run(seedConfig({ epochs: 1, initializers: ['xavier_uniform', 'he_normal'] }), { trainLimit: 512, probeSize: 64 });
    assert.equal(tensorsAfter, tensorsBefore, `run ${i}: ${tensorsAfter - tensorsBefore} tensors left over`);
    counts.push(tensorsAfter);
  }
  assert.equal(new Set(counts).size, 1, `tensor counts after runs: ${counts}`);
});

test('Stop ends a run within a second, keeps the results so far and frees every tensor', async (t) => {
  events = [];
  let stopAt = 0;
  const running = session.run(seedConfig({ epochs: 20, initializers: ['xavier_uniform', 'he_normal', 'zeros'] }));
  const deadline = Date.now() + 60_000;
  while (!events.some((e) => e.type === 'progress') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  stopAt = Date.now();
  await session.stop();
  const { result, tensorsBefore, tensorsAfter } = await running;
  const stoppedAfterMs = Date.now() - stopAt;
  t.diagnostic(`stopped ${stoppedAfterMs} ms after Stop`);
  assert.equal(result.stopped, true);
  assert.ok(stoppedAfterMs < 1000, `stopped ${stoppedAfterMs} ms after Stop`);
  assert.equal(tensorsAfter, tensorsBefore);
  assert.ok(events.some((e) => e.type === 'run-finished'));
});

test("'auto' skips software WebGL (SwiftShader in headless Chromium) for WASM and says why", async () => {
  const { result } = await session.run(seedConfig({ backend: 'auto', epochs: 1 }), { trainLimit: 256, probeSize: 0 });
  assert.equal(result.backend.backend, 'wasm');
  assert.match(result.backend.reason, /software-rendered.*SwiftShader|WebGL is not available/i);
  assert.equal(result.backend.simd, true);
});

test('xavier-lens compare --json prints results; a bad initializer is a usage error', () => {
  const cli = resolve(root, 'bin/xavier-lens.js');
  const run = spawnSync(process.execPath, [cli, 'compare', '--json', '--inits', 'he_normal', '--epochs', '1', '--batch', '128', '--backend', 'wasm'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as ComparisonResult;
  assert.equal(json.backend.backend, 'wasm');
  assert.equal(json.results.length, 1);
  assert.equal(json.results[0].initializer, 'he_normal');
  assert.ok(json.results[0].finalValAccuracy > 0.8, `accuracy ${json.results[0].finalValAccuracy}`);
  assert.ok(json.results[0].samplesPerSec > 0);
  assert.match(run.stderr, /he_normal epoch 1: val acc/);
  const bad = spawnSync(process.execPath, [cli, 'compare', '--inits', 'glorot_magic'], { cwd: root, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown initializer 'glorot_magic'/);
});

test('protocol guards over the real events: every event the runs above delivered passes isTrainingEvent', (t) => {
  t.diagnostic(assertEventsPassGuards(delivered, ['run-started', 'progress', 'batch-loss', 'epoch-end', 'layer-stats', 'run-finished']));
});
