/**
 * A TF.js functional model with two branches joined by concatenate, in the style of the TF.js layers API
 * guide: tf.input, layer.apply(...) chains and tf.model({inputs, outputs}).
 */
import * as tf from '@tensorflow/tfjs';

const HIDDEN = 64;

export function buildModel(): tf.LayersModel {
  const input = tf.input({ shape: [784] });
  const wide = tf.layers.dense({ units: HIDDEN, activation: 'relu', kernelInitializer: 'heNormal' }).apply(input) as tf.SymbolicTensor;
  const deep1 = tf.layers.dense({ units: HIDDEN * 2, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const deep2 = tf.layers.dense({ units: HIDDEN, activation: 'relu' }).apply(deep1) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate().apply([wide, deep2]) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 42 }) })
    .apply(merged) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

if (typeof require !== 'undefined' && require.main === module) buildModel().summary();
