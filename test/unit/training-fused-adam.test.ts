// The fused Adam of webview/training/fusedAdam.ts against TF.js's own tf.train.adam (the oracle), in Node: on the
// WASM backend (the fused kernel, as in the panel without a GPU) and on the CPU backend (the TF.js-ops path that
// WebGL also takes). Same weights, same batches, same learning rate; weights and moments must agree, state must
// move between the two optimizers through getWeights/setWeights, and no step may leave a tensor behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { buildNetwork, forward, weightsOf, type Network } from '../../webview/training/network';
import { FUSED_ADAM_KERNEL, FusedAdamOptimizer } from '../../webview/training/fusedAdam';
import { SEED_MODEL } from '../../src/training-spec';

const wasmDir = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url));

async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm') {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(wasmDir);
  }
  assert.ok(await tf.setBackend(name), `backend ${name} did not initialise`);
}

function batches(count: number): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  return Array.from({ length: count }, (_, i) => ({
    x: tf.randomUniform([32, 784], 0, 1, 'float32', 100 + i) as tf.Tensor2D,
    y: tf.oneHot(tf.randomUniform([32], 0, 10, 'int32', 200 + i) as tf.Tensor1D, 10).toFloat() as tf.Tensor2D,
  }));
}

function train(net: Network, optimizer: tf.Optimizer, data: { x: tf.Tensor2D; y: tf.Tensor2D }[]): void {
  for (const { x, y } of data) {
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(net, weightsOf(net), x, { training: true })) as tf.Scalar, false, net.variables);
    });
  }
}

/** Largest |a − b| over pairs of tensors. */
function worstAbsoluteDifference(ours: tf.Tensor[], oracle: tf.Tensor[]): number {
  return Math.max(...ours.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, oracle[i]))).dataSync()[0])));
}

/** Largest |a − b| / max|b| over pairs of tensors. */
function worstRelativeDifference(ours: tf.Tensor[], oracle: tf.Tensor[]): number {
  assert.equal(ours.length, oracle.length);
  let worst = 0;
  ours.forEach((t, i) => {
    assert.deepEqual(t.shape, oracle[i].shape);
    const a = t.dataSync();
    const b = oracle[i].dataSync();
    let diff = 0;
    let scale = 1e-12;
    for (let j = 0; j < a.length; j++) {
      diff = Math.max(diff, Math.abs(a[j] - b[j]));
      scale = Math.max(scale, Math.abs(b[j]));
    }
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`fused Adam equals tf.train.adam after 20 steps of the seed MLP (${backend} backend)`, async () => {
    await useBackend(backend);
    const data = batches(20);
    const oracleNet = buildNetwork(SEED_MODEL, 'xavier_uniform', 'model', 3, `oracle-${backend}`);
    const ourNet = buildNetwork(SEED_MODEL, 'xavier_uniform', 'model', 3, `ours-${backend}`);
    const oracle = tf.train.adam(0.001);
    const ours = new FusedAdamOptimizer(0.001);
    try {
      const start = oracleNet.variables.map((v) => v.dataSync().slice());
      const tensorsBefore = tf.memory().numTensors;
      train(oracleNet, oracle, data.slice(0, 1));
      train(ourNet, ours, data.slice(0, 1));
      // The first step creates the moments (2 per variable, as TF.js's Adam); after that a step adds nothing.
      const afterFirst = tf.memory().numTensors;
      train(oracleNet, oracle, data.slice(1));
      train(ourNet, ours, data.slice(1));
      assert.equal(tf.memory().numTensors, afterFirst, 'a training step left tensors behind');
      assert.equal(afterFirst - tensorsBefore, 4 * oracleNet.variables.length, 'moments: 2 per variable per optimizer');

      const moved = oracleNet.variables.some((v, i) => v.dataSync().some((value, j) => Math.abs(value - start[i][j]) > 1e-4));
      assert.ok(moved, 'the oracle did not train: the comparison would prove nothing');
      // Adam moves each weight by about lr per step; float32 rounding (TF.js keeps β^t in float32, we in float64)
      // shows at ~1e-3 of one step. A wrong formula or bias correction shows at the scale of a whole step.
      const weightDiff = worstAbsoluteDifference(ourNet.variables, oracleNet.variables);
      assert.ok(weightDiff < 0.01 * 0.001, `weights differ from tf.train.adam by ${weightDiff}, over 1% of one Adam step`);

      const [oracleState, ourState] = [await oracle.getWeights(), await ours.getWeights()];
      assert.deepEqual(ourState.map((w) => w.name.replace(/^ours/, '')), oracleState.map((w) => w.name.replace(/^oracle/, '')));
      assert.equal(ourState[0].tensor.dataSync()[0], 20, 'iterations');
      const momentDiff = worstRelativeDifference(ourState.map((w) => w.tensor), oracleState.map((w) => w.tensor));
      assert.ok(momentDiff < 1e-4, `moments differ from tf.train.adam by ${momentDiff} (relative)`);
    } finally {
      oracle.dispose();
      ours.dispose();
      oracleNet.dispose();
      ourNet.dispose();
      tf.dispose(data.flatMap((b) => [b.x, b.y]));
    }
  });
}

test('the WASM backend runs the fused kernel, not the TF.js-ops path', async () => {
  await useBackend('wasm');
  const net = buildNetwork(SEED_MODEL, 'xavier_uniform', 'model', 3, 'kernel-check');
  const optimizer = new FusedAdamOptimizer(0.001);
  const data = batches(1);
  try {
    const profile = await tf.profile(() => train(net, optimizer, data));
    const names = profile.kernels.map((k) => k.name);
    assert.equal(names.filter((n) => n === FUSED_ADAM_KERNEL).length, net.variables.length, names.join(', '));
    assert.ok(!names.includes('Sqrt'), 'an element-wise Adam op ran beside the fused kernel');
  } finally {
    optimizer.dispose();
    net.dispose();
    tf.dispose(data.flatMap((b) => [b.x, b.y]));
  }
});

test('Adam state moves both ways between tf.train.adam and the fused Adam (getWeights/setWeights)', async () => {
  await useBackend('wasm');
  const data = batches(12);
  const a = buildNetwork(SEED_MODEL, 'he_normal', 'model', 5, 'handover-a');
  const b = buildNetwork(SEED_MODEL, 'he_normal', 'model', 5, 'handover-b');
  const stock = tf.train.adam(0.002);
  const fused = new FusedAdamOptimizer(0.002);
  try {
    // Both networks train 4 steps with TF.js's Adam (b's optimizer state is then handed to the fused Adam) ...
    const stockB = tf.train.adam(0.002);
    train(a, stock, data.slice(0, 4));
    train(b, stockB, data.slice(0, 4));
    await fused.setWeights(await stockB.getWeights());
    stockB.dispose();
    // ... then a goes on with TF.js's Adam and b with the fused one: the bias correction must continue at t = 5.
    train(a, stock, data.slice(4, 8));
    train(b, fused, data.slice(4, 8));
    let diff = worstAbsoluteDifference(b.variables, a.variables);
    assert.ok(diff < 0.01 * 0.002, `after handing TF.js's Adam state to the fused Adam: ${diff}`);
    // And back: the fused Adam's state into a fresh tf.train.adam.
    const back = tf.train.adam(0.002);
    await back.setWeights(await fused.getWeights());
    train(a, stock, data.slice(8));
    train(b, back, data.slice(8));
    back.dispose();
    diff = worstAbsoluteDifference(b.variables, a.variables);
    assert.ok(diff < 0.01 * 0.002, `after handing the fused Adam's state back to TF.js's Adam: ${diff}`);
  } finally {
    stock.dispose();
    fused.dispose();
    a.dispose();
    b.dispose();
    tf.dispose(data.flatMap((d) => [d.x, d.y]));
  }
});

