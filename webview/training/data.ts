/**
 * Turns byte datasets into the tensors training needs: pixels scaled to [0, 1], one-hot labels, a fixed-seed
 * train/validation split, and each epoch's batches in a fixed-seed order, shared by every initializer so that all
 * of them see exactly the same data.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../../src/data/dataset';
import { deriveSeed, mulberry32, permutation } from './random';
import { NUM_CLASSES } from './network';

/**
 * A dataset kept as JS arrays; tensors are made per batch. (One big tensor plus tf.gather/tf.split per
 * epoch was measured far slower on the WASM backend than copying rows in JS and uploading each batch.)
 */
export interface ArraySet {
  /** count × 784 floats in [0, 1], row-major. */
  pixels: Float32Array;
  /** count class ids. */
  labels: Int32Array;
  count: number;
}

const FEATURES = 784;

/** The rows `indices` of `ds` (pixels / 255). */
export function toArrays(ds: ImageDataset, indices?: Int32Array): ArraySet {
  const perImage = ds.rows * ds.cols;
  if (perImage !== FEATURES) throw new Error(`images are ${ds.rows}×${ds.cols}; the training panel needs 28×28`);
  const count = indices ? indices.length : ds.count;
  const pixels = new Float32Array(count * perImage);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const src = indices ? indices[r] : r;
    const from = src * perImage;
    for (let i = 0; i < perImage; i++) pixels[r * perImage + i] = ds.pixels[from + i] / 255;
    labels[r] = ds.labels[src];
  }
  return { pixels, labels, count };
}

/** Fixed-seed split: a seeded permutation, the first `valFraction` of it for validation. */
export function splitDataset(ds: ImageDataset, seed: number, valFraction: number): { train: ArraySet; val: ArraySet } {
  const order = permutation(ds.count, mulberry32(deriveSeed(seed, 1)));
  const valCount = Math.max(1, Math.round(ds.count * valFraction));
  if (valCount >= ds.count) throw new Error(`dataset of ${ds.count} images is too small to split`);
  return {
    val: toArrays(ds, order.subarray(0, valCount)),
    train: toArrays(ds, order.subarray(valCount)),
  };
}

/** The first `n` rows of `set` (views, no copy). */
export function limitRows(set: ArraySet, n: number): ArraySet {
  const count = Math.max(1, Math.min(set.count, Math.floor(n)));
  return { pixels: set.pixels.subarray(0, count * FEATURES), labels: set.labels.subarray(0, count), count };
}

function oneHot(labels: Int32Array): Float32Array {
  const out = new Float32Array(labels.length * NUM_CLASSES);
  labels.forEach((l, i) => {
    out[i * NUM_CLASSES + l] = 1;
  });
  return out;
}

export interface Batch {
  /** [n, 784] */
  x: tf.Tensor2D;
  /** [n, 10] one-hot */
  y: tf.Tensor2D;
  /** [n] int32 */
  labels: tf.Tensor1D;
}

/** Rows [start, start+size) of `set` as tensors (contiguous: no JS copy). */
export function sliceBatch(set: ArraySet, start: number, size: number): Batch {
  const labels = set.labels.subarray(start, start + size);
  return {
    x: tf.tensor2d(set.pixels.subarray(start * FEATURES, (start + size) * FEATURES), [size, FEATURES]),
    y: tf.tensor2d(oneHot(labels), [size, NUM_CLASSES]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

export function disposeBatch(b: Batch | undefined): void {
  if (b) tf.dispose([b.x, b.y, b.labels]);
}

/**
 * The epoch's shuffled batches (the last one may be smaller). The order is a pure function of (seed, epoch),
 * so every initializer sees the same batches. The rows are shuffled into one buffer up front (one copy, one
 * allocation: a fresh 100 KB array per batch measured ≈20% slower training in Chromium); each batch tensor is
 * made from its slice on first use and kept until the epoch's batches are disposed, so the initializers share
 * it and the first loss point does not wait for the whole epoch's tensors.
 */
export class EpochBatches {
  readonly count: number;
  /** The epoch's rows in shuffled order, copied once: a batch is then a contiguous view of it. */
  private readonly pixels: Float32Array;
  private readonly oneHot: Float32Array;
  private readonly made: ({ x: tf.Tensor2D; y: tf.Tensor2D } | undefined)[];

  constructor(train: ArraySet, private readonly batchSize: number, seed: number, epoch: number) {
    const order = permutation(train.count, mulberry32(deriveSeed(seed, 2, epoch)));
    this.count = Math.ceil(train.count / batchSize);
    this.made = new Array(this.count);
    this.pixels = new Float32Array(train.count * FEATURES);
    this.oneHot = new Float32Array(train.count * NUM_CLASSES);
    for (let r = 0; r < train.count; r++) {
      const src = order[r];
      this.pixels.set(train.pixels.subarray(src * FEATURES, (src + 1) * FEATURES), r * FEATURES);
      this.oneHot[r * NUM_CLASSES + train.labels[src]] = 1;
    }
  }

  /** Batch `index` (0-based) as x [n, 784] and one-hot y [n, 10]. */
  batch(index: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
    if (!(index >= 0 && index < this.count)) throw new Error(`batch ${index} is outside 0..${this.count - 1}`);
    const cached = this.made[index];
    if (cached) return cached;
    const start = index * this.batchSize;
    const end = Math.min(start + this.batchSize, this.pixels.length / FEATURES);
    const made = {
      x: tf.tensor2d(this.pixels.subarray(start * FEATURES, end * FEATURES), [end - start, FEATURES]),
      y: tf.tensor2d(this.oneHot.subarray(start * NUM_CLASSES, end * NUM_CLASSES), [end - start, NUM_CLASSES]),
    };
    this.made[index] = made;
    return made;
  }

  dispose(): void {
    for (const b of this.made) if (b) tf.dispose([b.x, b.y]);
    this.made.fill(undefined);
  }
}

export function epochBatches(train: ArraySet, batchSize: number, seed: number, epoch: number): EpochBatches {
  return new EpochBatches(train, batchSize, seed, epoch);
}

export function disposeBatches(b: EpochBatches | undefined): void {
  b?.dispose();
}
