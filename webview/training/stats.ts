/**
 * Per-layer statistics that explain why an initializer wins or fails, after Glorot & Bengio (2010):
 * activation mean/std and saturation on a fixed probe batch (their figure 6), the std of the back-propagated
 * gradient dL/dz per layer (figure 7), and weight histograms at init vs now. Everything is computed in TF.js
 * and read back in one go as small arrays.
 */
import * as tf from '@tensorflow/tfjs';
import type { Histogram, LayerStats } from '../../src/protocol';
import { forward, layerOutputShapes, type Network, type Weights, weightsOf } from './network';

export const HISTOGRAM_BINS = 30;
/** |tanh| above this, or sigmoid within this of 0/1, counts as saturated. */
export const SATURATION_THRESHOLD = 0.99;

/** Counts of `values` in `bins` equal bins over [lo, hi]; values outside land in the end bins. */
function histogram(values: tf.Tensor, lo: tf.Scalar, hi: tf.Scalar, bins: number): tf.Tensor1D {
  const width = tf.maximum(tf.sub(hi, lo), 1e-12);
  const scaled = tf.floor(tf.mul(tf.div(tf.sub(tf.reshape(values, [-1]), lo), width), bins));
  const index = tf.cast(tf.clipByValue(scaled, 0, bins - 1), 'int32') as tf.Tensor1D;
  return tf.bincount(index, tf.tensor1d([], 'float32'), bins);
}

function std(t: tf.Tensor): tf.Scalar {
  return tf.sqrt(tf.moments(t).variance) as tf.Scalar;
}

/** Share of saturated activations (tanh, sigmoid) or of dead units (relu: zero for every probe sample). */
function saturation(a: tf.Tensor, activation: string, units: number): tf.Scalar {
  switch (activation) {
    case 'tanh':
      return tf.mean(tf.cast(tf.greater(tf.abs(a), SATURATION_THRESHOLD), 'float32'));
    case 'sigmoid':
      return tf.mean(tf.cast(tf.logicalOr(tf.less(a, 1 - SATURATION_THRESHOLD), tf.greater(a, SATURATION_THRESHOLD)), 'float32'));
    case 'relu':
    case 'relu6':
      return tf.mean(tf.cast(tf.lessEqual(tf.max(tf.reshape(a, [-1, units]), 0), 0), 'float32'));
    default:
      return tf.scalar(0);
  }
}

function fixedRange(activation: string): [number, number] | undefined {
  if (activation === 'tanh') return [-1, 1];
  if (activation === 'sigmoid' || activation === 'softmax') return [0, 1];
  return undefined;
}

export class LayerStatsProbe {
  private readonly shapes: number[][];

  /** `x`/`y`: a fixed probe batch (kept by the caller); `initialKernels`: copies of the kernels at init. */
  constructor(
    private readonly net: Network,
    private readonly x: tf.Tensor,
    private readonly y: tf.Tensor2D,
    private readonly initialKernels: tf.Tensor[],
  ) {
    this.shapes = layerOutputShapes(net, x.shape[0]);
  }

  /** Statistics of the network with `weights` (default: its variables now; the initial weights for epoch 0). */
  async compute(weights: Weights = weightsOf(this.net)): Promise<LayerStats[]> {
    const { net } = this;
    const count = net.layers.length;
    const parts = tf.tidy(() => {
      const lossOf = (...args: tf.Tensor[]): tf.Scalar => {
        const logits = forward(net, { kernels: args.slice(count), biases: weights.biases }, this.x, { training: false, perturb: args.slice(0, count) });
        return tf.losses.softmaxCrossEntropy(this.y, logits) as tf.Scalar;
      };
      const perturb = this.shapes.map((s) => tf.zeros(s));
      const grads = tf.grads(lossOf)([...perturb, ...weights.kernels]);
      const record: tf.Tensor[] = [];
      forward(net, weights, this.x, { training: false, record });
      return net.layers.map((layer, i) => {
        const isOutput = i === count - 1;
        const activation = isOutput ? 'softmax' : layer.activation;
        const a = isOutput ? tf.softmax(record[i]) : record[i];
        const range = fixedRange(activation);
        const actLo = range ? tf.scalar(range[0]) : tf.min(a);
        const actHi = range ? tf.scalar(range[1]) : tf.max(a);
        const init = this.initialKernels[i];
        const now = weights.kernels[i];
        const wLo = tf.minimum(tf.min(init), tf.min(now));
        const wHi = tf.maximum(tf.max(init), tf.max(now));
        return {
          scalars: tf.stack([tf.mean(a), std(a), saturation(a, activation, layer.units), std(grads[i]), std(grads[count + i]), actLo, actHi, wLo, wHi]),
          actHist: histogram(a, actLo as tf.Scalar, actHi as tf.Scalar, HISTOGRAM_BINS),
          histInit: histogram(init, wLo as tf.Scalar, wHi as tf.Scalar, HISTOGRAM_BINS),
          histNow: histogram(now, wLo as tf.Scalar, wHi as tf.Scalar, HISTOGRAM_BINS),
          activation,
        };
      });
    });
    try {
      return await Promise.all(
        parts.map(async (p, i) => {
          const [s, actCounts, initCounts, nowCounts] = await Promise.all([p.scalars.data(), p.actHist.data(), p.histInit.data(), p.histNow.data()]);
          const layer = net.layers[i];
          return {
            name: layer.name,
            activation: p.activation,
            units: layer.units,
            actMean: s[0],
            actStd: s[1],
            saturated: s[2],
            gradStd: s[3],
            weightGradStd: s[4],
            actHist: toHistogram(s[5], s[6], actCounts),
            weightHistInit: toHistogram(s[7], s[8], initCounts),
            weightHistNow: toHistogram(s[7], s[8], nowCounts),
          };
        }),
      );
    } finally {
      for (const p of parts) tf.dispose([p.scalars, p.actHist, p.histInit, p.histNow]);
    }
  }
}

function toHistogram(lo: number, hi: number, counts: ArrayLike<number>): Histogram {
  const width = Math.max(hi - lo, 1e-12) / counts.length;
  return {
    edges: Array.from({ length: counts.length + 1 }, (_, i) => lo + i * width),
    counts: Array.from(counts),
  };
}
