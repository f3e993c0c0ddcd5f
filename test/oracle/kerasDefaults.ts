/**
 * What Keras itself does, for the Keras half of the TF.js oracle, written from Keras 3's own source
 * (github.com/keras-team/keras, keras/src/…; Keras 2's tf.keras has the same defaults) and never from the
 * engine: the default initializer of every weight of every layer class the fixtures use, the constant by which
 * Keras' VarianceScaling corrects its truncated normals, and Keras' rank-0/1 fan rule. Each entry names the
 * file it was read from. TF.js then draws what these say (see kerasInitializer), so the numbers come from TF.js.
 */
import * as tf from '@tensorflow/tfjs';
import type { Initializer } from './tfjsOracle';

/**
 * keras/src/initializers/random_initializers.py, VarianceScaling.__call__: for "truncated_normal" (what
 * glorot_normal, he_normal, lecun_normal and distribution="normal" use) the sampler's σ is
 * `sqrt(scale) / 0.87962566103423978`, the std of N(0, 1) cut at ±2, so that the cut draws keep the nominal σ.
 * TF.js 4.22's VarianceScaling draws truncatedNormal(σ) with no such division.
 */
export const KERAS_TRUNCATION_CORRECTION = 0.87962566103423978;

/** A Keras initializer as Python writes it: a string alias (`"he_uniform"`) or a class with keyword arguments. */
export type KerasInitializer = string | [className: string, config: Record<string, number>];

/** Weight slots (TF.js config key of the initializer) → Keras default, per Keras layer class. */
type Defaults = Record<string, KerasInitializer>;

const KERNEL_AND_BIAS: Defaults = { kernelInitializer: 'glorot_uniform', biasInitializer: 'zeros' };
const RECURRENT: Defaults = { kernelInitializer: 'glorot_uniform', recurrentInitializer: 'orthogonal', biasInitializer: 'zeros' };

/** Keras' default initializers, by layer class, with the source file each was read from. */
export const KERAS_DEFAULT_INITIALIZERS: Record<string, { defaults: Defaults; source: string }> = {
  Dense: { defaults: KERNEL_AND_BIAS, source: 'keras/src/layers/core/dense.py: kernel_initializer="glorot_uniform", bias_initializer="zeros"' },
  Conv1D: { defaults: KERNEL_AND_BIAS, source: 'keras/src/layers/convolutional/base_conv.py (BaseConv.__init__): kernel_initializer="glorot_uniform", bias_initializer="zeros"' },
  Conv2D: { defaults: KERNEL_AND_BIAS, source: 'keras/src/layers/convolutional/base_conv.py (BaseConv.__init__)' },
  Conv3D: { defaults: KERNEL_AND_BIAS, source: 'keras/src/layers/convolutional/base_conv.py (BaseConv.__init__)' },
  Conv2DTranspose: { defaults: KERNEL_AND_BIAS, source: 'keras/src/layers/convolutional/base_conv_transpose.py: kernel_initializer="glorot_uniform", bias_initializer="zeros"' },
  Conv3DTranspose: { defaults: KERNEL_AND_BIAS, source: 'keras/src/layers/convolutional/base_conv_transpose.py' },
  DepthwiseConv2D: {
    defaults: { depthwiseInitializer: 'glorot_uniform', biasInitializer: 'zeros' },
    source: 'keras/src/layers/convolutional/base_depthwise_conv.py: depthwise_initializer="glorot_uniform", bias_initializer="zeros"',
  },
  SeparableConv2D: {
    defaults: { depthwiseInitializer: 'glorot_uniform', pointwiseInitializer: 'glorot_uniform', biasInitializer: 'zeros' },
    source: 'keras/src/layers/convolutional/base_separable_conv.py: depthwise_ and pointwise_initializer="glorot_uniform", bias_initializer="zeros"',
  },
  Embedding: {
    defaults: { embeddingsInitializer: 'uniform' },
    source: 'keras/src/layers/core/embedding.py: embeddings_initializer="uniform" (RandomUniform, ±0.05)',
  },
  SimpleRNN: { defaults: RECURRENT, source: 'keras/src/layers/rnn/simple_rnn.py: kernel "glorot_uniform", recurrent "orthogonal", bias "zeros"' },
  LSTM: { defaults: RECURRENT, source: 'keras/src/layers/rnn/lstm.py (LSTMCell.__init__): as SimpleRNN, and unit_forget_bias=True' },
  GRU: { defaults: RECURRENT, source: 'keras/src/layers/rnn/gru.py (GRUCell.__init__): as SimpleRNN, and reset_after=True' },
  BatchNormalization: {
    defaults: { betaInitializer: 'zeros', gammaInitializer: 'ones', movingMeanInitializer: 'zeros', movingVarianceInitializer: 'ones' },
    source: 'keras/src/layers/normalization/batch_normalization.py: beta "zeros", gamma "ones", moving_mean "zeros", moving_variance "ones"',
  },
  LayerNormalization: {
    defaults: { betaInitializer: 'zeros', gammaInitializer: 'ones' },
    source: 'keras/src/layers/normalization/layer_normalization.py: beta_initializer="zeros", gamma_initializer="ones"',
  },
};

/** Keras' other layer-level defaults that change the weights: lstm.py unit_forget_bias=True, gru.py reset_after=True. */
export const KERAS_LSTM_UNIT_FORGET_BIAS = true;
export const KERAS_GRU_RESET_AFTER = true;

/** The initializer's name as Keras spells it: the alias, or the class name. */
export function kerasName(init: KerasInitializer): string {
  return typeof init === 'string' ? init : init[0];
}

/** Lower case, no underscores: `he_normal` and `HeNormal` are one name in Keras (aliases of one class). */
export function squashed(name: string): string {
  return name.toLowerCase().split('_').join('');
}

/** TF.js VarianceScaling drawing what Keras' VarianceScaling(scale, mode, "truncated_normal") draws: σ/0.8796… via scale/0.8796…². */
function correctedVarianceScaling(scale: number, mode: 'fanIn' | 'fanOut' | 'fanAvg'): Initializer {
  return tf.initializers.varianceScaling({ scale: scale / KERAS_TRUNCATION_CORRECTION ** 2, mode, distribution: 'normal' });
}

/**
 * The TF.js initializer that draws exactly what Keras' initializer draws (random_initializers.py,
 * constant_initializers.py; argument defaults from those classes' __init__). Throws for one it cannot match.
 */
export function kerasInitializer(init: KerasInitializer): Initializer {
  const config = typeof init === 'string' ? {} : init[1];
  const arg = (key: string, fallback: number) => config[key] ?? fallback;
  switch (squashed(kerasName(init))) {
    // glorot = (1, fan_avg), he = (2, fan_in), lecun = (1, fan_in): the same in Keras and TF.js; uniforms need no correction.
    case 'glorotuniform': return tf.initializers.glorotUniform({});
    case 'heuniform': return tf.initializers.heUniform({});
    case 'lecununiform': return tf.initializers.leCunUniform({});
    case 'glorotnormal': return correctedVarianceScaling(1, 'fanAvg');
    case 'henormal': return correctedVarianceScaling(2, 'fanIn');
    case 'lecunnormal': return correctedVarianceScaling(1, 'fanIn');
    case 'zeros': return tf.initializers.zeros();
    case 'ones': return tf.initializers.ones();
    case 'constant': return tf.initializers.constant({ value: arg('value', 0) });
    // RandomUniform(minval=-0.05, maxval=0.05); the alias "uniform" is RandomUniform().
    case 'uniform': case 'randomuniform': return tf.initializers.randomUniform({ minval: arg('minval', -0.05), maxval: arg('maxval', 0.05) });
    // RandomNormal(mean=0.0, stddev=0.05), untruncated in both frameworks.
    case 'normal': case 'randomnormal': return tf.initializers.randomNormal({ mean: arg('mean', 0), stddev: arg('stddev', 0.05) });
    // TruncatedNormal(mean=0.0, stddev=0.05): cut at 2σ, not corrected (only VarianceScaling corrects).
    case 'truncatednormal': return tf.initializers.truncatedNormal({ mean: arg('mean', 0), stddev: arg('stddev', 0.05) });
    case 'orthogonal': return tf.initializers.orthogonal({ gain: arg('gain', 1) });
    default: throw new Error(`no TF.js initializer draws what Keras' ${kerasName(init)} draws`);
  }
}

/**
 * Keras' compute_fans (random_initializers.py) for the ranks where TF.js's computeFans differs (TF.js: √size
 * for ranks other than 2..5): rank 0 → (1, 1), rank 1 → (shape[0], shape[0]). Ranks 2..5 are the same in both
 * and are read off TF.js's own VarianceScaling instead.
 */
export function kerasLowRankFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  throw new Error(`rank ${shape.length}: Keras' fans are TF.js's for ranks 2..5, and no fixture has more`);
}
