/**
 * The initializers the comparison offers, each one TF.js's own initializer (tf.initializers.*), seeded.
 * Conventions are TF.js/Keras ones: a Dense kernel has shape [fanIn, fanOut]; a Conv2D kernel
 * [kh, kw, inChannels, filters] with fanIn = kh·kw·in and fanOut = kh·kw·filters.
 */
import * as tf from '@tensorflow/tfjs';
import type { InitializerId } from '../../src/protocol';

/** The value of the 'constant' initializer: small and positive, so every unit starts identical (symmetry) yet active. */
export const CONSTANT_INIT_VALUE = 0.05;

export interface InitializerInfo {
  id: InitializerId;
  label: string;
  /** The distribution in formula form, for legends and tooltips. */
  formula: string;
}

export const INITIALIZER_INFO: Record<InitializerId, InitializerInfo> = {
  zeros: { id: 'zeros', label: 'Zeros', formula: 'W = 0' },
  constant: { id: 'constant', label: `Constant ${CONSTANT_INIT_VALUE}`, formula: `W = ${CONSTANT_INIT_VALUE}` },
  'uniform_0.1': { id: 'uniform_0.1', label: 'Uniform ±0.1', formula: 'W ~ U[−0.1, 0.1]' },
  'normal_0.1': { id: 'normal_0.1', label: 'Normal σ 0.1', formula: 'W ~ N(0, 0.1²)' },
  'normal_0.01': { id: 'normal_0.01', label: 'Normal σ 0.01', formula: 'W ~ N(0, 0.01²)' },
  standard_uniform: { id: 'standard_uniform', label: "'Standard' uniform", formula: 'W ~ U[−1/√fan_in, 1/√fan_in]  (Glorot & Bengio eq. 1)' },
  xavier_uniform: { id: 'xavier_uniform', label: 'Xavier uniform', formula: 'W ~ U[−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out))]' },
  xavier_normal: { id: 'xavier_normal', label: 'Xavier normal', formula: 'W ~ TruncNormal(0, 2/(fan_in+fan_out))  (TF.js: truncated at 2σ, σ not corrected)' },
  he_normal: { id: 'he_normal', label: 'He normal', formula: 'W ~ TruncNormal(0, 2/fan_in)  (TF.js convention)' },
  lecun_normal: { id: 'lecun_normal', label: 'LeCun normal', formula: 'W ~ TruncNormal(0, 1/fan_in)  (TF.js convention)' },
};

/** What every tf.initializers.* object offers (tfjs-layers' Initializer base class is not exported by name). */
export interface WeightInitializer {
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
}

/** TF.js's initializer for `id`, drawing from `seed`. */
export function makeInitializer(id: InitializerId, seed: number): WeightInitializer {
  switch (id) {
    case 'zeros':
      return tf.initializers.zeros();
    case 'constant':
      return tf.initializers.constant({ value: CONSTANT_INIT_VALUE });
    case 'uniform_0.1':
      return tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed });
    case 'normal_0.1':
      return tf.initializers.randomNormal({ mean: 0, stddev: 0.1, seed });
    case 'normal_0.01':
      return tf.initializers.randomNormal({ mean: 0, stddev: 0.01, seed });
    case 'standard_uniform':
      // VarianceScaling uniform draws U[−√(3·scale/fan_in), +√(3·scale/fan_in)]; scale 1/3 gives ±1/√fan_in.
      return tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed });
    case 'xavier_uniform':
      return tf.initializers.glorotUniform({ seed });
    case 'xavier_normal':
      return tf.initializers.glorotNormal({ seed });
    case 'he_normal':
      return tf.initializers.heNormal({ seed });
    case 'lecun_normal':
      return tf.initializers.leCunNormal({ seed });
  }
}
