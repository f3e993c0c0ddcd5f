// The message guards both sides use on arrival: well-formed messages pass, malformed ones are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import {
  describeMessage,
  isHostToWebviewMessage,
  isTrainingConfig,
  isTrainingEvent,
  isWebviewToHostMessage,
  type ComparisonResult,
  type LayerStats,
  type TrainingConfig,
} from '../../src/protocol';

const config: TrainingConfig = {
  model: { id: 'seed', label: 'Seed MLP', layers: [{ type: 'flatten' }, { type: 'dense', units: 128, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] },
  initializers: ['xavier_uniform', 'zeros'],
  activation: 'model',
  optimizer: 'adam',
  learningRate: 0.001,
  batchSize: 32,
  epochs: 10,
  seed: 42,
  backend: 'auto',
};
const hist = { edges: [-1, 0, 1], counts: [3, 4] };
const layer: LayerStats = { name: 'dense_1', activation: 'relu', units: 128, actMean: 0.2, actStd: 0.3, saturated: 0.1, gradStd: 0.01, weightGradStd: 0.02, weightHistInit: hist, weightHistNow: hist, actHist: hist };
const result: ComparisonResult = {
  backend: { backend: 'wasm', reason: 'WebGL is SwiftShader', simd: true },
  config,
  results: [{ initializer: 'xavier_uniform', finalValAccuracy: 0.95, finalValLoss: 0.2, finalTrainLoss: 0.1, seconds: 12, samplesPerSec: 3000 }],
  stopped: false,
  totalSeconds: 24,
  trainSize: 9000,
  valSize: 1000,
};
const with_ = <T extends object>(base: T, patch: Record<string, unknown>) => ({ ...base, ...patch });

test('well-formed webview → host messages pass', () => {
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'start', config, datasetLabel: 'Bundled subset' },
    { type: 'stop' },
    { type: 'load-dataset-request' },
    { type: 'export-request', format: 'csv' },
    { type: 'export-request', format: 'markdown' },
    { type: 'log', level: 'warn', message: 'WebGL context lost' },
    { type: 'training-event', event: { type: 'batch-loss', initializer: 'zeros', step: 3, epoch: 0, loss: NaN, losses: [NaN, 2.3] } },
    { type: 'training-event', event: { type: 'layer-stats', initializer: 'he_normal', epoch: 0, layers: [layer] } },
    { type: 'training-event', event: { type: 'run-finished', result } },
    { type: 'training-event', event: { type: 'epoch-end', initializer: 'zeros', epoch: 1, valAccuracy: 0.1, valLoss: 2.3, trainLoss: 2.3 } },
    { type: 'training-event', event: { type: 'epoch-end', initializer: 'zeros', epoch: 2, valAccuracy: 0.1, valLoss: 2.3, trainLoss: 2.3, epochSeconds: 1.25 } },
    { type: 'training-event', event: { type: 'run-started', backend: result.backend, initializers: ['zeros'], epochs: 1, batchesPerEpoch: 10, trainSize: 320, valSize: 10 } },
  ];
  for (const m of good) assert.ok(isWebviewToHostMessage(m), JSON.stringify(m));
});

test('malformed webview → host messages are refused', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [{ type: 'ready' }],
    {},
    { type: 'eval', code: 'process.exit()' },
    { type: '__proto__' },
    { type: 'toString' },
    { type: 'export-request', format: 'exe' },
    { type: 'export-request' },
    { type: 'log', level: 'debug', message: 'x' },
    { type: 'log', level: 'info', message: 42 },
    { type: 'start', config },
    { type: 'start', config: with_(config, { initializers: [] }), datasetLabel: '' },
    { type: 'start', config: with_(config, { initializers: ['xavier_uniform', 'xavier_uniform'] }), datasetLabel: '' },
    { type: 'start', config: with_(config, { initializers: ['glorot_magic'] }), datasetLabel: '' },
    { type: 'start', config: with_(config, { batchSize: 0 }), datasetLabel: '' },
    { type: 'start', config: with_(config, { batchSize: 2.5 }), datasetLabel: '' },
    { type: 'start', config: with_(config, { learningRate: Infinity }), datasetLabel: '' },
    { type: 'start', config: with_(config, { learningRate: -0.1 }), datasetLabel: '' },
    { type: 'start', config: with_(config, { epochs: '10' }), datasetLabel: '' },
    { type: 'start', config: with_(config, { backend: 'webgpu' }), datasetLabel: '' },
    { type: 'start', config: with_(config, { model: with_(config.model, { layers: [] }) }), datasetLabel: '' },
    { type: 'start', config: with_(config, { model: with_(config.model, { layers: [{ type: 'lstm', units: 3 }] }) }), datasetLabel: '' },
    { type: 'start', config: with_(config, { model: with_(config.model, { layers: [{ type: 'dense', units: -3 }] }) }), datasetLabel: '' },
    { type: 'training-event', event: { type: 'batch-loss', initializer: 'zeros', step: 3, epoch: 0, loss: '0.1', losses: [0.1] } },
    { type: 'training-event', event: { type: 'batch-loss', initializer: 'zeros', step: 3, epoch: 0, loss: 0.1 } },
    { type: 'training-event', event: { type: 'batch-loss', initializer: 'zeros', step: 3, epoch: 0, loss: 0.1, losses: ['0.1'] } },
    { type: 'training-event', event: { type: 'batch-loss', initializer: 'nope', step: 3, epoch: 0, loss: 0.1, losses: [0.1] } },
    { type: 'training-event', event: { type: 'epoch-end', initializer: 'zeros', epoch: -1, valAccuracy: 0.1, valLoss: 2, trainLoss: 2 } },
    { type: 'training-event', event: { type: 'epoch-end', initializer: 'zeros', epoch: 1, valAccuracy: 0.1, valLoss: 2, trainLoss: 2, epochSeconds: -1 } },
    { type: 'training-event', event: { type: 'epoch-end', initializer: 'zeros', epoch: 1, valAccuracy: 0.1, valLoss: 2, trainLoss: 2, epochSeconds: NaN } },
    { type: 'training-event', event: { type: 'epoch-end', initializer: 'zeros', epoch: 1, valAccuracy: 0.1, valLoss: 2, trainLoss: 2, epochSeconds: '1.2' } },
    { type: 'training-event', event: { type: 'layer-stats', initializer: 'zeros', epoch: 0, layers: [with_(layer, { weightHistNow: { edges: [0, 1], counts: [1, 2] } })] } },
    { type: 'training-event', event: { type: 'run-finished', result: with_(result, { stopped: 'no' }) } },
    { type: 'training-event', event: { type: 'unknown-event' } },
    { type: 'training-event' },
  ];
  for (const m of bad) assert.equal(isWebviewToHostMessage(m), false, JSON.stringify(m) ?? String(m));
});

test('host → webview messages: datasets must carry bytes that match their count', () => {
  const split = (count: number) => ({ pixels: new Uint8Array(count * 784), labels: new Uint8Array(count), count, rows: 28, cols: 28 });
  const good: unknown[] = [
    { type: 'init', subsetUrl: 'https://x/media/mnist-subset.bin.gz', wasmBaseUrl: 'https://x/dist/tfjs-wasm/' },
    { type: 'init', subsetUrl: 'u', wasmBaseUrl: 'w', fileModel: { label: 'm.py', problem: 'LSTM at line 4 cannot be built' }, snapshot: { events: [], config } },
    { type: 'file-model', fileModel: { label: 'm.py', spec: config.model } },
    { type: 'dataset', dataset: { label: 'MNIST', source: 'idx', train: split(3), test: split(2) } },
    { type: 'dataset', dataset: { label: 'MNIST', source: 'npz', train: { pixels: new ArrayBuffer(784), labels: new ArrayBuffer(1), count: 1, rows: 28, cols: 28 } } },
    { type: 'dataset-error', file: '/tmp/x.gz', message: 'bad magic' },
    { type: 'start' },
    { type: 'start', config },
    { type: 'stop' },
    { type: 'notice', level: 'info', message: 'Saved results.csv' },
  ];
  for (const m of good) assert.ok(isHostToWebviewMessage(m), describeMessage(m));
  const bad: unknown[] = [
    { type: 'dataset', dataset: { label: 'MNIST', source: 'idx', train: { pixels: new Uint8Array(780), labels: new Uint8Array(1), count: 1, rows: 28, cols: 28 } } },
    { type: 'dataset', dataset: { label: 'MNIST', source: 'idx', train: { pixels: [0, 1], labels: new Uint8Array(1), count: 1, rows: 28, cols: 28 } } },
    { type: 'dataset', dataset: { label: 'MNIST', source: 'csv', train: split(1) } },
    { type: 'dataset', dataset: { label: 'MNIST', source: 'idx', train: split(0) } },
    { type: 'file-model', fileModel: { label: 'm.py' } },
    { type: 'init', subsetUrl: 'u' },
    { type: 'notice', level: 'fatal', message: 'x' },
    { type: 'ready' },
  ];
  for (const m of bad) assert.equal(isHostToWebviewMessage(m), false, describeMessage(m));
});

test('dataset bytes made in another realm (another frame) are accepted: checked by tag, not instanceof', () => {
  const foreign = runInNewContext('({ pixels: new ArrayBuffer(784 * 2), labels: new Uint8Array(2) })') as { pixels: unknown; labels: unknown };
  assert.equal(foreign.pixels instanceof ArrayBuffer, false, 'the premise: instanceof fails across realms');
  const message = { type: 'dataset', dataset: { label: 'MNIST', source: 'idx', train: { ...foreign, count: 2, rows: 28, cols: 28 } } };
  assert.ok(isHostToWebviewMessage(message));
  assert.match(describeMessage({ type: 'dataset', dataset: { train: { pixels: { 0: 1 } } } }), /pixels \[object Object\] of undefined bytes/);
});

test('isTrainingConfig and isTrainingEvent are usable on their own', () => {
  assert.ok(isTrainingConfig(config));
  assert.equal(isTrainingConfig(with_(config, { seed: 1.5 })), false);
  assert.ok(isTrainingEvent({ type: 'run-error', message: 'Out of memory for batch size 65536' }));
  assert.equal(isTrainingEvent({ type: 'run-error' }), false);
});

test('describeMessage summarises without dumping payloads', () => {
  assert.equal(describeMessage(null), 'a null value');
  assert.equal(describeMessage(7), 'a number value');
  assert.equal(describeMessage(undefined), 'an undefined value', 'a/an follows the sound of the next word');
  const d = describeMessage({ type: 'dataset', dataset: { images: new Uint8Array(1e6) } });
  assert.match(d, /type: 'dataset'/);
  assert.ok(d.length < 100);
});

test('backend-changed (WebGL context lost → WASM): the notice event passes; malformed ones are refused', () => {
  const change = {
    type: 'backend-changed',
    backend: { backend: 'wasm', simd: true, reason: 'the WebGL context was lost during training: using WASM (SIMD, single thread)' },
    previous: 'webgl',
    epoch: 1,
    step: 2,
    message: 'The WebGL context was lost (a GPU reset or a driver problem) in epoch 1 at batch 3 of 8: training continues on WASM (SIMD) from the last completed batch.',
  };
  assert.ok(isTrainingEvent(change));
  assert.ok(isWebviewToHostMessage({ type: 'training-event', event: change }));
  const bad: unknown[] = [
    with_(change, { backend: undefined }),
    with_(change, { backend: { backend: 'webgpu', reason: 'x' } }),
    with_(change, { backend: { backend: 'wasm' } }),
    with_(change, { previous: 'metal' }),
    with_(change, { previous: undefined }),
    with_(change, { epoch: -1 }),
    with_(change, { step: 2.5 }),
    with_(change, { step: '2' }),
    with_(change, { message: undefined }),
    with_(change, { message: 42 }),
  ];
  for (const event of bad) {
    assert.equal(isTrainingEvent(event), false, JSON.stringify(event));
    assert.equal(isWebviewToHostMessage({ type: 'training-event', event }), false, JSON.stringify(event));
  }
});
