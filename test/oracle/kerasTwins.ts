/**
 * The Keras models of the examples and fixtures, written again by hand with TF.js layers (no Python Keras
 * here): one builder per model, keyed by the .py file and the Python name the model is bound to. TF.js builds
 * the same layers as Keras (same weight names, layouts and fans for ranks 2..5), and `k` gives every weight the
 * initializer Keras would use: the one written in the .py, else Keras' default from kerasDefaults.ts (Keras'
 * source, not the engine), translated to a TF.js initializer that draws what Keras draws.
 *
 * These twins are read from the .py files by a person, never from the engine's parse, so a layer the engine
 * misreads cannot agree with itself. Editing a Keras example or fixture means editing its twin here; the oracle
 * fails on a .py that imports Keras and has no twin, and on a model the engine finds that has none.
 */
import * as tf from '@tensorflow/tfjs';
import {
  KERAS_DEFAULT_INITIALIZERS, KERAS_GRU_RESET_AFTER, KERAS_LSTM_UNIT_FORGET_BIAS, type KerasInitializer, kerasInitializer, kerasName,
} from './kerasDefaults';
import type { Initializer } from './tfjsOracle';

export interface KerasWeightInitializer {
  /** Keras' name of the initializer (alias or class), as written or as Keras' default. */
  keras: string;
  source: 'explicit' | 'default';
  init: Initializer;
}

/** What Keras would do for one twin layer that TF.js cannot be told. */
export interface KerasLayerFacts {
  className: string;
  /** By TF.js initializer slot (kernelInitializer, …). */
  initializers: Map<string, KerasWeightInitializer>;
  /** Keras' GRU with reset_after=True (its default) keeps a (2, 3·units) bias; TF.js 4.22 has no reset_after. */
  resetAfter: boolean;
}

export const KERAS_FACTS = new WeakMap<object, KerasLayerFacts>();

/** TF.js factory names that are not the Keras class name with a lower-case first letter and `2D` → `2d`. */
const FACTORY: Record<string, string> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'simpleRNN', Input: 'inputLayer' };

function factoryName(className: string): string {
  return FACTORY[className] ?? className[0].toLowerCase() + className.slice(1).replace(/(\d)D/g, '$1d');
}

type Config = Record<string, unknown>;

/**
 * The TF.js layer for Keras' `className` configured as written in the .py (TF.js's camelCase keys; initializers
 * in Keras' own spelling): Keras' defaults fill every initializer slot the .py leaves out.
 */
export function k(className: string, config: Config = {}): tf.layers.Layer {
  const defaults = KERAS_DEFAULT_INITIALIZERS[className]?.defaults ?? {};
  const options: Config = { ...config };
  const initializers = new Map<string, KerasWeightInitializer>();
  for (const [slot, fallback] of Object.entries(defaults)) {
    const written = config[slot] as KerasInitializer | undefined;
    const chosen = written ?? fallback;
    const init = kerasInitializer(chosen);
    options[slot] = init;
    initializers.set(slot, { keras: kerasName(chosen), source: written === undefined ? 'default' : 'explicit', init });
  }
  for (const key of Object.keys(config)) {
    if (key.endsWith('Initializer') && !(key in defaults)) throw new Error(`${className}: no Keras default is listed for ${key}`);
  }
  let resetAfter = false;
  if (className === 'LSTM') options.unitForgetBias = config.unitForgetBias ?? KERAS_LSTM_UNIT_FORGET_BIAS;
  if (className === 'GRU') {
    resetAfter = (config.resetAfter as boolean | undefined) ?? KERAS_GRU_RESET_AFTER;
    delete options.resetAfter; // TF.js 4.22 throws on resetAfter: true and has only the single-bias form
  }
  const factory = (tf.layers as unknown as Record<string, (c: Config) => tf.layers.Layer>)[factoryName(className)];
  if (!factory) throw new Error(`TF.js has no layer for Keras' ${className}`);
  const layer = factory(options);
  KERAS_FACTS.set(layer, { className, initializers, resetAfter });
  return layer;
}

/** `layer(x)` in Python: TF.js's apply. */
function call(layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(input) as tf.SymbolicTensor;
}

/** A Keras `Input(shape=…)`: in a Sequential, an InputLayer; in a functional model, tf.input. */
const sequentialInput = (shape: (number | null)[]) => tf.layers.inputLayer({ inputShape: shape });

/** By .py path (from the repository root), then by the Python name of the model. */
export const KERAS_TWINS: Record<string, Record<string, () => tf.LayersModel>> = {
  'examples/keras_cnn.py': {
    model: () => tf.sequential({
      layers: [
        sequentialInput([28, 28, 1]),
        k('Conv2D', { filters: 32, kernelSize: [3, 3], activation: 'relu' }),
        k('MaxPooling2D', { poolSize: [2, 2] }),
        k('Conv2D', { filters: 64, kernelSize: [3, 3], activation: 'relu' }),
        k('MaxPooling2D', { poolSize: [2, 2] }),
        k('Flatten'),
        k('Dense', { units: 128, activation: 'relu' }),
        k('Dense', { units: 10, activation: 'softmax' }),
      ],
    }),
  },
  'examples/keras_deep_tanh_poor_init.py': {
    model: () => {
      const model = tf.sequential({ name: 'deep_tanh' });
      model.add(sequentialInput([28 * 28]));
      for (let i = 0; i < 8; i++) model.add(k('Dense', { units: 256, activation: 'tanh', kernelInitializer: ['RandomNormal', { mean: 0, stddev: 0.01 }] }));
      model.add(k('Dense', { units: 10, activation: 'softmax', kernelInitializer: ['RandomNormal', { stddev: 0.01 }] }));
      return model;
    },
  },
  'examples/keras_functional_concat.py': {
    model: () => {
      const title = tf.input({ shape: [null], name: 'title' });
      const features = tf.input({ shape: [32], name: 'features' });
      let x = call(k('Embedding', { inputDim: 10000, outputDim: 64 }), title);
      x = call(k('GlobalAveragePooling1D'), x);
      let y = call(k('Dense', { units: 64, activation: 'relu', kernelInitializer: 'he_normal' }), features);
      y = call(k('Dense', { units: 64, activation: 'relu', kernelInitializer: 'he_normal' }), y);
      const merged = call(k('Concatenate'), [x, y]);
      const hidden = call(k('Dense', { units: 32, activation: 'relu' }), merged);
      const department = call(k('Dense', { units: 4, activation: 'softmax', name: 'department' }), hidden);
      return tf.model({ inputs: [title, features], outputs: department });
    },
  },
  'examples/keras_lstm_text.py': {
    model: () => tf.sequential({
      layers: [
        // Embedding(input_length=maxlen) and model.build(input_shape=(None, maxlen)): a (None, 200) input.
        k('Embedding', { inputDim: 20000, outputDim: 128, inputLength: 200, batchInputShape: [null, 200] }),
        k('LSTM', { units: 64, returnSequences: true }),
        k('Dropout', { rate: 0.2 }),
        k('GRU', { units: 32 }),
        k('Dense', { units: 1, activation: 'sigmoid' }),
      ],
    }),
  },
  'examples/seed_keras_mlp.py': {
    model: () => tf.sequential({
      layers: [
        k('Flatten', { inputShape: [28, 28] }),
        k('Dense', { units: 128, activation: 'relu', kernelInitializer: 'glorot_uniform' }),
        k('Dense', { units: 64, activation: 'relu', kernelInitializer: 'glorot_uniform' }),
        k('Dense', { units: 10, activation: 'softmax', kernelInitializer: 'glorot_uniform' }),
      ],
    }),
  },
  'test/fixtures/models/keras_layers.py': {
    image_model: () => tf.sequential({
      layers: [
        sequentialInput([32, 32, 3]),
        k('ZeroPadding2D', { padding: [[1, 2], [3, 0]] }),
        k('Conv2D', { filters: 16, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: 'he_uniform' }),
        k('BatchNormalization'),
        k('Activation', { activation: 'relu' }),
        k('DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 2, padding: 'valid' }),
        k('SeparableConv2D', { filters: 24, kernelSize: [3, 3], dilationRate: 2, padding: 'same', depthwiseInitializer: 'lecun_uniform' }),
        k('MaxPooling2D', { poolSize: [3, 3], strides: 2 }),
        k('Conv2DTranspose', { filters: 8, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: ['RandomUniform', { minval: -0.1, maxval: 0.1 }] }),
        k('Conv2DTranspose', { filters: 8, kernelSize: 4, strides: [2, 1], padding: 'same', useBias: false }),
        k('AveragePooling2D'),
        k('LayerNormalization'),
        k('GlobalAveragePooling2D'),
        k('Dense', { units: 10, activation: 'softmax', biasInitializer: ['Constant', { value: 0.5 }] }),
      ],
    }),
    volume_model: () => tf.sequential({
      layers: [
        k('Conv3D', { filters: 4, kernelSize: [3, 3, 3], inputShape: [16, 16, 16, 1] }),
        k('MaxPooling3D', { poolSize: 2 }),
        k('Conv3DTranspose', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
        k('AveragePooling3D', { poolSize: 2, padding: 'same' }),
        k('Flatten'),
        k('Dense', { units: 4, kernelInitializer: 'lecun_uniform' }),
      ],
    }),
    sequence_model: () => tf.sequential({
      layers: [
        sequentialInput([40]),
        k('Embedding', { inputDim: 5000, outputDim: 32 }),
        k('Conv1D', { filters: 16, kernelSize: 5, dilationRate: 2, padding: 'same', activation: 'relu' }),
        k('MaxPooling1D', { poolSize: 2 }),
        k('SimpleRNN', { units: 24, returnSequences: true, recurrentInitializer: ['Orthogonal', { gain: 2 }] }),
        k('LSTM', { units: 20, returnSequences: true }),
        k('GRU', { units: 12, resetAfter: false }),
        k('Dropout', { rate: 0.5 }),
        k('Reshape', { targetShape: [3, 4] }),
        k('GlobalMaxPooling1D'),
        k('Dense', { units: 1, activation: 'sigmoid', kernelInitializer: 'glorot_normal' }),
      ],
    }),
    functional_model: () => {
      const inputs = tf.input({ shape: [64] });
      const a = call(k('Dense', { units: 32, activation: 'relu', kernelInitializer: 'he_normal' }), inputs);
      const b = call(k('Dense', { units: 32, activation: 'tanh', kernelInitializer: ['RandomNormal', { stddev: 0.02 }] }), inputs);
      const added = call(k('Add'), [a, b]);
      const merged = call(k('Concatenate'), [added, inputs]);
      const outputs = call(k('Dense', { units: 3, activation: 'softmax', kernelInitializer: 'orthogonal' }), merged);
      return tf.model({ inputs, outputs });
    },
  },
};
