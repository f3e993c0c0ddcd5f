/**
 * The seed MLP in TensorFlow.js: Flatten(28x28) → Dense(128, relu) → Dense(64, relu) → Dense(10, softmax),
 * every kernel Glorot (Xavier) uniform, Adam, sparse categorical cross-entropy (as integer labels), 10 epochs.
 *
 * Run in Node:  npx tsx examples/tfjs_mlp.ts   (trains on random stand-in data unless you load MNIST yourself)
 */
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 28;
const NUM_CLASSES = 10;

export function buildModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE] }),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'glorotUniform' }),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'glorotUniform' }),
      tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export async function train(model: tf.Sequential, images: tf.Tensor3D, labels: tf.Tensor1D): Promise<tf.History> {
  // sparseCategoricalCrossentropy wants the class index per example, as float32.
  return model.fit(images, labels.cast('float32'), { epochs: 10, batchSize: 32, validationSplit: 0.1 });
}

async function main(): Promise<void> {
  const model = buildModel();
  model.summary();
  const images = tf.randomUniform([256, IMAGE_SIZE, IMAGE_SIZE]) as tf.Tensor3D;
  const labels = tf.randomUniform([256], 0, NUM_CLASSES, 'int32') as tf.Tensor1D;
  const history = await train(model, images, labels);
  console.log('final loss', history.history.loss.at(-1));
}

if (typeof require !== 'undefined' && require.main === module) void main();
