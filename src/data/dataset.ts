/** An in-memory MNIST-style dataset: `count` grey images of rows×cols bytes (row-major) and their labels 0-9. */
export interface ImageDataset {
  count: number;
  rows: number;
  cols: number;
  /** count*rows*cols bytes, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  /** count labels, each 0-9. */
  labels: Uint8Array;
}

/** Per-digit counts of a label array (index = digit). */
export function labelCounts(labels: Uint8Array, classes = 10): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}
