/**
 * A small convnet for MNIST in the style of the TensorFlow.js MNIST example (tfjs-examples/mnist),
 * built layer by layer with model.add.
 *
 * Run in Node:  npx tsx examples/tfjs_cnn.ts
 */
import * as tf from '@tensorflow/tfjs';

const IMAGE_WIDTH = 28;
const IMAGE_HEIGHT = 28;
const IMAGE_CHANNELS = 1;

export function createConvModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS],
      kernelSize: 3,
      filters: 32,
      activation: 'relu',
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.conv2d({ kernelSize: 3, filters: 64, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

async function main(): Promise<void> {
  const model = createConvModel();
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  model.summary();
  const xs = tf.randomNormal([64, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS]);
  const ys = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32') as tf.Tensor1D, 10);
  await model.fit(xs, ys, { epochs: 1, batchSize: 32 });
}

if (typeof require !== 'undefined' && require.main === module) void main();
