// The hand-written dense gradient of webview/training/network.ts against TF.js's own autodiff (the oracle), on
// the CPU backend in Node, for every activation it covers; and the networks' shapes and initial weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildNetwork, forward, weightsOf } from '../../webview/training/network';
import { DEEP_TANH_MODEL, SEED_MODEL } from '../../src/training-spec';
import type { ActivationChoice, ModelSpec } from '../../src/protocol';

async function maxGradDifference(spec: ModelSpec, activation: ActivationChoice): Promise<number> {
  await tf.setBackend('cpu');
  const net = buildNetwork(spec, 'xavier_uniform', activation, 7, 'grad-check');
  try {
    const x = tf.randomUniform([16, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10).toFloat() as tf.Tensor2D;
    const w = weightsOf(net);
    // training: true takes the hand-written gradient; training: false TF.js's own ops (no dropout in these models).
    const ours = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(net, w, x, { training: true })) as tf.Scalar, net.variables);
    const oracle = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(net, w, x, { training: false })) as tf.Scalar, net.variables);
    let worst = 0;
    for (const name of Object.keys(oracle.grads)) {
      const diff = tf.max(tf.abs(tf.sub(ours.grads[name], oracle.grads[name]))).dataSync()[0];
      const scale = tf.max(tf.abs(oracle.grads[name])).dataSync()[0];
      worst = Math.max(worst, diff / Math.max(scale, 1e-12));
    }
    assert.ok(Math.abs(ours.value.dataSync()[0] - oracle.value.dataSync()[0]) < 1e-6);
    tf.dispose([x, y, ours.value, oracle.value, ...Object.values(ours.grads), ...Object.values(oracle.grads)]);
    return worst;
  } finally {
    net.dispose();
  }
}

for (const [spec, activation] of [[SEED_MODEL, 'model'], [DEEP_TANH_MODEL, 'model'], [SEED_MODEL, 'sigmoid'], [SEED_MODEL, 'tanh']] as const) {
  test(`hand-written dense gradient equals TF.js autodiff: ${spec.id}, activation ${activation}`, async () => {
    const worst = await maxGradDifference(spec, activation);
    assert.ok(worst < 1e-5, `largest relative gradient difference ${worst}`);
  });
}

test('networks have the spec\'s shapes, TF.js-initialised kernels and zero biases; dispose frees them', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const net = buildNetwork(DEEP_TANH_MODEL, 'xavier_uniform', 'model', 1, 'shape-check');
  assert.deepEqual(net.layers.map((l) => l.kernel.shape), [[784, 256], [256, 256], [256, 256], [256, 256], [256, 256], [256, 10]]);
  assert.deepEqual(net.layers.map((l) => l.activation), ['tanh', 'tanh', 'tanh', 'tanh', 'tanh', 'linear']);
  // Xavier uniform: |W| ≤ √(6/(fan_in+fan_out)), and the draw fills that range (std ≈ limit/√3).
  const limit = Math.sqrt(6 / (784 + 256));
  const k = net.layers[0].kernel;
  const [maxAbs, std, biasMax] = tf.tidy(() => [tf.max(tf.abs(k)), tf.moments(k).variance.sqrt(), tf.max(tf.abs(net.layers[0].bias))].map((t) => t.dataSync()[0]));
  assert.ok(maxAbs <= limit);
  assert.ok(Math.abs(std - limit / Math.sqrt(3)) < 0.002, `std ${std}`);
  assert.equal(biasMax, 0);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});
