// Convolutional training on TF.js's WASM backend (in Node: the same tfjs-backend-wasm binary the webview loads):
// the filter-gradient kernel of webview/training/wasmKernels.ts, and whole CNN gradients, against TF.js
// autodiff on the CPU backend (the oracle), relative 1e-4; and a failed step frees every tensor and names the
// layer, the phase and the backend.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { buildNetwork, forward, trainingStep, weightsOf } from '../../webview/training/network';
import { filterGradByShiftedMatMuls, filterGradBySwappedConv, registerWasmGradientKernels } from '../../webview/training/wasmKernels';
import type { ModelSpec } from '../../src/protocol';

const TOLERANCE = 1e-4;
/** tfjs-backend-wasm's own MaxPoolGrad, before ours replaces it (for the timing at the end). */
const NATIVE_MAX_POOL_GRAD = tf.getKernel('MaxPoolGrad', 'wasm');

before(async () => {
  registerWasmGradientKernels();
  assert.ok(await tf.setBackend('wasm'), 'the WASM backend did not start in Node');
});

/** max |a − b| / max |b|. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Runs `f` on `backend` with `inputs` (plain arrays) made into tensors there; returns its outputs as arrays. */
async function on(backend: string, inputs: { values: Float32Array; shape: number[] }[], f: (...t: tf.Tensor[]) => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const tensors = inputs.map((i) => tf.tensor(i.values, i.shape));
  const outs = f(...tensors);
  const values = outs.map((o) => o.dataSync() as Float32Array);
  tf.dispose([...tensors, ...outs]);
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors left behind`);
  return values;
}

function random(shape: number[], seed: number): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => ({ values: tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array, shape }));
}

const FILTER_CASES: { h: number; k: number; s: number; pad: 'valid' | 'same'; c: number; f: number }[] = [
  { h: 28, k: 3, s: 1, pad: 'valid', c: 1, f: 8 },
  { h: 13, k: 3, s: 1, pad: 'same', c: 4, f: 6 },
  { h: 28, k: 5, s: 2, pad: 'valid', c: 2, f: 3 },
  { h: 28, k: 3, s: 2, pad: 'same', c: 3, f: 5 },
  { h: 12, k: 4, s: 3, pad: 'same', c: 2, f: 2 },
  { h: 11, k: 2, s: 2, pad: 'valid', c: 3, f: 4 },
];

for (const { h, k, s, pad, c, f } of FILTER_CASES) {
  test(`Conv2DBackpropFilter on wasm equals the CPU kernel: ${h}×${h}×${c}, ${k}×${k}×${f}, stride ${s}, ${pad}`, async () => {
    await tf.setBackend('cpu');
    const dyShape = tf.tidy(() => tf.conv2d(tf.zeros([3, h, h, c]) as tf.Tensor4D, tf.zeros([k, k, c, f]) as tf.Tensor4D, s, pad).shape);
    const inputs = [random([3, h, h, c], 1), random(dyShape, 2)];
    const attrs = { strides: s, pad, dataFormat: 'NHWC', filterShape: [k, k, c, f] };
    const kernel = (x: tf.Tensor, dy: tf.Tensor) => [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
    const [oracle] = await on('cpu', inputs, kernel);
    const [ours] = await on('wasm', inputs, kernel);
    const worst = relativeDifference(ours, oracle);
    assert.ok(worst < TOLERANCE, `relative difference ${worst}`);
    // The alternative kept for the measurement below computes the same.
    const [alt] = await on('wasm', inputs, (x, dy) => [filterGradByShiftedMatMuls(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as never)]);
    assert.ok(relativeDifference(alt, oracle) < TOLERANCE);
  });
}

const POOL_CASES: { k: number; s: number; pad: 'valid' | 'same' }[] = [
  { k: 2, s: 2, pad: 'valid' }, { k: 2, s: 2, pad: 'same' }, { k: 3, s: 2, pad: 'same' }, { k: 3, s: 1, pad: 'same' },
  { k: 3, s: 3, pad: 'valid' }, { k: 2, s: 1, pad: 'valid' }, { k: 4, s: 3, pad: 'same' },
];

for (const { k, s, pad } of POOL_CASES) {
  for (const input of ['signed', 'relu'] as const) {
    test(`MaxPoolGrad on wasm equals the CPU kernel: pool ${k}, stride ${s}, ${pad}, ${input} input (ties at 0, all-negative windows)`, async () => {
      await tf.setBackend('cpu');
      const x = tf.tidy(() => {
        const v = tf.randomNormal([2, 9, 9, 3], -0.3, 1, 'float32', 1);
        return { values: (input === 'relu' ? tf.relu(v) : v).dataSync() as Float32Array, shape: [2, 9, 9, 3] };
      });
      const grad = (xs: tf.Tensor) => {
        const y = tf.maxPool(xs as tf.Tensor4D, k, s, pad);
        const dy = tf.tidy(() => tf.reshape(tf.range(1, y.size + 1), y.shape));
        const g = tf.engine().runKernel('MaxPoolGrad', { dy, input: xs, output: y }, { filterSize: k, strides: s, pad } as unknown as tf.NamedAttrMap) as tf.Tensor;
        tf.dispose([y, dy]);
        return [g];
      };
      const [oracle] = await on('cpu', [x], grad);
      const [ours] = await on('wasm', [x], grad);
      assert.equal(relativeDifference(ours, oracle), 0);
    });
  }
}

const conv = (filters: number, kernelSize: number, extra: Partial<ModelSpec['layers'][number]> = {}): ModelSpec['layers'][number] =>
  ({ type: 'conv2d', filters, kernelSize, activation: 'relu', ...extra });

const NETWORKS: ModelSpec[] = [
  {
    id: 'custom', label: 'keras_cnn (conv valid, max pool, dense)',
    layers: [conv(8, 3), { type: 'maxPooling2d', poolSize: 2 }, conv(16, 3), { type: 'maxPooling2d', poolSize: 2 }, { type: 'flatten' }, { type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
  },
  {
    id: 'custom', label: 'same padding, stride 2, average pool, tanh',
    layers: [conv(6, 5, { padding: 'same', activation: 'tanh' }), { type: 'averagePooling2d', poolSize: 2 }, conv(8, 3, { strides: 2, padding: 'same', activation: 'sigmoid' }), { type: 'flatten' }, { type: 'dense', units: 10 }],
  },
  {
    id: 'custom', label: 'dropout between conv and dense, linear conv, same-padded pool',
    layers: [conv(4, 3, { activation: 'linear' }), { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' }, { type: 'dropout', rate: 0.25 }, { type: 'flatten' }, { type: 'dense', units: 16, activation: 'elu' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10 }],
  },
];

/** Loss and gradients w.r.t. every weight of `spec` on `backend` (same seed, so the same weights everywhere). */
async function networkGradients(backend: string, spec: ModelSpec, x: { values: Float32Array; shape: number[] }, labels: number[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const net = buildNetwork(spec, 'he_normal', 'model', 11, `grad-${backend}`);
  try {
    const xs = tf.tensor(x.values, x.shape);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat()) as tf.Tensor2D;
    // training: true, the training step's path (fused conv2d, the hand-written dense gradient, dropout masks
    // from a fixed seed, which TF.js draws in JS and so the same on both backends).
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, forward(net, weightsOf(net), xs, { training: true, dropoutSeed: 5 })) as tf.Scalar, net.variables);
    const out = [value.dataSync() as Float32Array, ...net.variables.map((v) => grads[v.name].dataSync() as Float32Array)];
    tf.dispose([xs, ys, value, ...Object.values(grads)]);
    return out;
  } finally {
    net.dispose();
    assert.equal(tf.memory().numTensors, before, `${backend}: tensors left behind`);
  }
}

for (const spec of NETWORKS) {
  test(`CNN gradients on wasm equal TF.js autodiff on the CPU backend: ${spec.label}`, async () => {
    const x = tf.tidy(() => ({ values: tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 3).dataSync() as Float32Array, shape: [8, 28, 28, 1] }));
    const labels = [0, 1, 2, 3, 4, 5, 6, 7];
    const oracle = await networkGradients('cpu', spec, x, labels);
    const ours = await networkGradients('wasm', spec, x, labels);
    oracle.forEach((expected, i) => {
      const worst = relativeDifference(ours[i], expected);
      assert.ok(worst < TOLERANCE, `${i === 0 ? 'loss' : `gradient ${i - 1}`}: relative difference ${worst}`);
    });
  });
}

const FAILING_CNN: ModelSpec = {
  id: 'custom', label: 'pytorch_cnn',
  layers: [conv(4, 3, { source: 'conv1: nn.Conv2d, line 14' }), { type: 'maxPooling2d', poolSize: 2 }, { type: 'flatten' }, { type: 'dense', units: 10, source: 'fc: nn.Linear, line 16' }],
};

test('a step that fails in the backward pass (wasm without the filter-gradient kernel) frees every tensor and names layer, phase and backend', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const net = buildNetwork(FAILING_CNN, 'xavier_uniform', 'model', 1, 'fail');
  const optimizer = tf.train.adam(0.001);
  const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10).toFloat()) as tf.Tensor2D;
  const held = tf.memory().numTensors;
  // TF.js 4.22's own state: no Conv2DBackpropFilter for wasm.
  tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  try {
    assert.throws(() => trainingStep(net, optimizer, x, y, 1), (err: Error) => {
      assert.equal(err.message, "training failed in layer conv2d_0 (conv1: nn.Conv2d, line 14), backward pass, on the wasm backend: Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
      return true;
    });
    assert.equal(tf.memory().numTensors, held, `${tf.memory().numTensors - held} tensors left by the failed step`);
  } finally {
    registerWasmGradientKernels();
  }
  // The same objects train afterwards.
  const loss = trainingStep(net, optimizer, x, y, 1);
  assert.ok(Number.isFinite(loss.dataSync()[0]));
  tf.dispose([loss, x, y]);
  optimizer.dispose();
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('a step that fails in the forward pass frees every tensor and names the layer', async () => {
  await tf.setBackend('wasm');
  const net = buildNetwork(FAILING_CNN, 'xavier_uniform', 'model', 1, 'fail-forward');
  const optimizer = tf.train.sgd(0.1);
  // 27×27 images: the dense layer's kernel expects the 13×13×4 of 28×28 inputs, so its matMul refuses the shape.
  const x = tf.zeros([2, 27, 27, 1]);
  const y = tf.zeros([2, 10]) as tf.Tensor2D;
  const held = tf.memory().numTensors;
  assert.throws(() => trainingStep(net, optimizer, x, y, 1), /^Error: training failed in layer dense_3 \(fc: nn\.Linear, line 16\), forward pass, on the wasm backend: /);
  assert.equal(tf.memory().numTensors, held);
  tf.dispose([x, y]);
  optimizer.dispose();
  net.dispose();
});

test('filter gradient on wasm: the swapped-batch convolution (registered) against shifted-window matMuls (timing, keras_cnn shapes)', async (t) => {
  await tf.setBackend('wasm');
  for (const [n, h, c, f] of [[128, 28, 1, 32], [128, 13, 32, 64]]) {
    const x = tf.randomNormal([n, h, h, c]) as tf.Tensor4D;
    const dy = tf.randomNormal([n, h - 2, h - 2, f]) as tf.Tensor4D;
    const attrs = { strides: 1, pad: 'valid' as const, filterShape: [3, 3, c, f] as [number, number, number, number] };
    const ms: Record<string, number> = {};
    for (const [name, grad] of [['swapped conv', filterGradBySwappedConv], ['shifted matMuls', filterGradByShiftedMatMuls]] as const) {
      grad(x, dy, attrs).dispose();
      const t0 = performance.now();
      for (let i = 0; i < 3; i++) {
        const r = grad(x, dy, attrs);
        r.dataSync();
        r.dispose();
      }
      ms[name] = (performance.now() - t0) / 3;
    }
    t.diagnostic(`x [${n},${h},${h},${c}], dy [${n},${h - 2},${h - 2},${f}]: ${Object.entries(ms).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
    tf.dispose([x, dy]);
  }
});

test('max-pool gradient on wasm: ours against tfjs-backend-wasm\'s own (wrong) kernel (timing, keras_cnn shapes)', async (t) => {
  await tf.setBackend('wasm');
  assert.ok(NATIVE_MAX_POOL_GRAD && NATIVE_MAX_POOL_GRAD.kernelFunc !== tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc);
  const ours = tf.getKernel('MaxPoolGrad', 'wasm')!;
  const use = (config: tf.KernelConfig) => {
    tf.unregisterKernel('MaxPoolGrad', 'wasm');
    tf.registerKernel(config);
    // The backend binds a kernel to its WASM function when it starts; ours was registered before that.
    config.setupFunc?.(tf.backend());
  };
  try {
    for (const shape of [[128, 26, 26, 32], [128, 11, 11, 64]] as [number, number, number, number][]) {
      const x = tf.randomNormal(shape) as tf.Tensor4D;
      const y = tf.maxPool(x, 2, 2, 'valid');
      const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
      const ms: Record<string, number> = {};
      for (const [name, config] of [['tfjs-backend-wasm', NATIVE_MAX_POOL_GRAD], ['ours', ours]] as const) {
        use(config);
        const grad = () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor;
        grad().dispose();
        const t0 = performance.now();
        for (let i = 0; i < 3; i++) {
          const r = grad();
          r.dataSync();
          r.dispose();
        }
        ms[name] = (performance.now() - t0) / 3;
      }
      t.diagnostic(`max pool 2×2 over [${shape}]: ${Object.entries(ms).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
      tf.dispose([x, y, dy]);
    }
  } finally {
    use(ours);
  }
});
