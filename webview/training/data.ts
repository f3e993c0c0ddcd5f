/**
 * Turns byte datasets into the tensors training needs: pixels scaled to [0, 1], one-hot labels, a fixed-seed
 * train/validation split, and each epoch's batches prepared ahead (one gather + one split per epoch, shared by
 * every initializer so that all of them see exactly the same data order).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../../src/data/dataset';
import { deriveSeed, mulberry32, permutation } from './random';
import { NUM_CLASSES } from './network';

export interface TensorSet {
  /** [n, 784] float32 in [0, 1]. */
  x: tf.Tensor2D;
  /** [n, 10] one-hot float32. */
  y: tf.Tensor2D;
  /** [n] int32 class ids. */
  labels: tf.Tensor1D;
  count: number;
}

export interface SplitData {
  train: TensorSet;
  val: TensorSet;
}

/** The rows `indices` of `ds` as tensors (pixels / 255). */
export function toTensors(ds: ImageDataset, indices?: Int32Array): TensorSet {
  const perImage = ds.rows * ds.cols;
  if (perImage !== 784) throw new Error(`images are ${ds.rows}×${ds.cols}; the training panel needs 28×28`);
  const count = indices ? indices.length : ds.count;
  const pixels = new Float32Array(count * perImage);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const src = indices ? indices[r] : r;
    const from = src * perImage;
    for (let i = 0; i < perImage; i++) pixels[r * perImage + i] = ds.pixels[from + i] / 255;
    labels[r] = ds.labels[src];
  }
  return tf.tidy(() => {
    const labelTensor = tf.tensor1d(labels, 'int32');
    return {
      x: tf.tensor2d(pixels, [count, perImage]),
      y: tf.oneHot(labelTensor, NUM_CLASSES).toFloat() as tf.Tensor2D,
      labels: labelTensor,
      count,
    };
  });
}

/** Fixed-seed split: a seeded permutation, the first `valFraction` of it for validation. */
export function splitDataset(ds: ImageDataset, seed: number, valFraction: number): SplitData {
  const order = permutation(ds.count, mulberry32(deriveSeed(seed, 1)));
  const valCount = Math.max(1, Math.round(ds.count * valFraction));
  if (valCount >= ds.count) throw new Error(`dataset of ${ds.count} images is too small to split`);
  return {
    val: toTensors(ds, order.subarray(0, valCount)),
    train: toTensors(ds, order.subarray(valCount)),
  };
}

export function disposeSet(set: TensorSet | undefined): void {
  if (set) tf.dispose([set.x, set.y, set.labels]);
}

export interface EpochBatches {
  xs: tf.Tensor2D[];
  ys: tf.Tensor2D[];
}

/** The epoch's shuffled batches, as tensors made ahead of the training steps (the last one may be smaller). */
export function epochBatches(train: TensorSet, batchSize: number, seed: number, epoch: number): EpochBatches {
  const order = permutation(train.count, mulberry32(deriveSeed(seed, 2, epoch)));
  const sizes: number[] = [];
  for (let start = 0; start < train.count; start += batchSize) sizes.push(Math.min(batchSize, train.count - start));
  return tf.tidy(() => {
    const index = tf.tensor1d(order, 'int32');
    return {
      xs: tf.split(tf.gather(train.x, index), sizes) as tf.Tensor2D[],
      ys: tf.split(tf.gather(train.y, index), sizes) as tf.Tensor2D[],
    };
  });
}

export function disposeBatches(b: EpochBatches | undefined): void {
  if (b) tf.dispose([...b.xs, ...b.ys]);
}
