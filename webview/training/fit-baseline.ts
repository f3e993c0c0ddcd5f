/**
 * The reference the hand-written training step is measured against: the same network as a tf.LayersModel
 * trained with `model.fit` (TF.js's stock path, the ≈3,900 samples/s of issue 6). Used only by benchmarks
 * (headless `xavier-lens compare --fit-baseline`), never by the panel.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, TrainingConfig } from '../../src/protocol';
import { toArrays } from './data';
import type { ImageDataset } from '../../src/data/dataset';
import { makeInitializer } from './initializers';
import { selectBackend, type WasmPaths } from './backend';

function buildLayersModel(spec: ModelSpec, config: TrainingConfig): tf.Sequential {
  const model = tf.sequential();
  const initializer = config.initializers[0];
  let first = true;
  let seedIndex = 0;
  for (const layer of spec.layers) {
    const inputShape = first ? { inputShape: [784] } : {};
    if (layer.type === 'flatten') continue;
    if (layer.type !== 'dense') throw new Error('the model.fit baseline covers dense networks only');
    const activation = (config.activation !== 'model' && layer.units !== 10 ? config.activation : layer.activation ?? 'linear') as 'relu';
    model.add(tf.layers.dense({ ...inputShape, units: layer.units!, activation, kernelInitializer: makeInitializer(initializer, config.seed + seedIndex++) as never }));
    first = false;
  }
  return model;
}

export interface FitBaselineResult {
  backend: string;
  /** Over the whole fit, first epoch (warm-up) included. */
  samplesPerSec: number;
  seconds: number;
  samples: number;
  /** Samples per epoch. */
  trainSize: number;
  /** Wall time of each epoch (onEpochBegin → onEpochEnd), as the panel's epoch-end `epochSeconds`. */
  epochSeconds: number[];
}

/** Trains with model.fit for config.epochs on the first (1 − 0.2) of `data`; returns samples/s of the fit. */
export async function fitBaseline(config: TrainingConfig, data: ImageDataset, wasmPaths?: WasmPaths): Promise<FitBaselineResult> {
  const backend = await selectBackend(config.backend, wasmPaths);
  const train = toArrays(data);
  const count = Math.round(train.count * 0.8);
  const model = buildLayersModel(config.model, config);
  const x = tf.tensor2d(train.pixels.subarray(0, count * 784), [count, 784]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels.subarray(0, count), 'int32'), 10).toFloat());
  const optimizer = config.optimizer === 'adam' ? tf.train.adam(config.learningRate) : tf.train.sgd(config.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  try {
    const epochSeconds: number[] = [];
    let epochStarted = 0;
    const t0 = performance.now();
    await model.fit(x, y, {
      batchSize: config.batchSize, epochs: config.epochs, shuffle: true, verbose: 0,
      callbacks: {
        onEpochBegin: async () => {
          epochStarted = performance.now();
        },
        onEpochEnd: async () => {
          epochSeconds.push((performance.now() - epochStarted) / 1000);
        },
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    return { backend: backend.backend, samplesPerSec: (count * config.epochs) / seconds, seconds, samples: count * config.epochs, trainSize: count, epochSeconds };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
}
