/**
 * Reader for the IDX format of the MNIST distribution (also torchvision's MNIST/raw/ and Fashion-MNIST):
 * big-endian int32 magic 0x00000803 (uint8, 3 dims: count, rows, cols) for images and 0x00000801
 * (uint8, 1 dim: count) for labels, then the data. Files may be gzipped (detected by the 1f 8b magic,
 * not by the file name). Pure TypeScript over Uint8Array/DataView; errors name the file and the problem.
 */
import type { ImageDataset } from './dataset';
import { gunzipNamed, isGzip } from './gzip';

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

function unpack(bytes: Uint8Array, what: string): { raw: Uint8Array; view: DataView } {
  const raw = isGzip(bytes) ? gunzipNamed(bytes, what) : bytes;
  return { raw, view: new DataView(raw.buffer, raw.byteOffset, raw.byteLength) };
}

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return 'an IDX image file';
  if (magic === IDX_LABELS_MAGIC) return 'an IDX label file';
  return `magic 0x${magic.toString(16).padStart(8, '0')}`;
}

function checkMagic(view: DataView, raw: Uint8Array, expected: number, headerBytes: number, what: string): void {
  if (raw.length < 4) throw new Error(`${what}: ${raw.length} bytes is too short to be an IDX file`);
  const magic = view.getUint32(0, false);
  if (magic !== expected) {
    const wanted = expected === IDX_IMAGES_MAGIC ? 'an IDX image file (magic 0x00000803)' : 'an IDX label file (magic 0x00000801)';
    throw new Error(`${what}: expected ${wanted}, found ${describeMagic(magic)}`);
  }
  if (raw.length < headerBytes) {
    throw new Error(`${what}: ${raw.length} bytes is shorter than the ${headerBytes}-byte IDX header`);
  }
}

function checkLength(raw: Uint8Array, expected: number, shape: string, what: string): void {
  if (raw.length < expected) {
    throw new Error(`${what}: truncated: the header declares ${shape} (${expected} bytes) but the file has ${raw.length}`);
  }
  if (raw.length > expected) {
    throw new Error(`${what}: ${raw.length - expected} unexpected bytes after the ${shape} the header declares`);
  }
}

/** Parses an IDX3 uint8 image file (gzipped or raw). */
export function parseIdxImages(bytes: Uint8Array, what = 'IDX images'): IdxImages {
  const { raw, view } = unpack(bytes, what);
  checkMagic(view, raw, IDX_IMAGES_MAGIC, 16, what);
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (count === 0 || rows === 0 || cols === 0) throw new Error(`${what}: empty image set (${count} × ${rows}×${cols})`);
  checkLength(raw, 16 + count * rows * cols, `${count} images of ${rows}×${cols}`, what);
  return { count, rows, cols, pixels: raw.subarray(16) };
}

/** Parses an IDX1 uint8 label file (gzipped or raw); labels must be digits 0-9. */
export function parseIdxLabels(bytes: Uint8Array, what = 'IDX labels'): Uint8Array {
  const { raw, view } = unpack(bytes, what);
  checkMagic(view, raw, IDX_LABELS_MAGIC, 8, what);
  const count = view.getUint32(4, false);
  if (count === 0) throw new Error(`${what}: empty label set`);
  checkLength(raw, 8 + count, `${count} labels`, what);
  const labels = raw.subarray(8);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`${what}: label ${labels[bad]} at index ${bad} is not a digit 0-9`);
  return labels;
}

/** Pairs an image file with a label file; the counts must agree. */
export function parseIdxPair(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  names: { images?: string; labels?: string } = {},
): ImageDataset {
  const imagesName = names.images ?? 'IDX images';
  const labelsName = names.labels ?? 'IDX labels';
  const images = parseIdxImages(imageBytes, imagesName);
  const labels = parseIdxLabels(labelBytes, labelsName);
  if (images.count !== labels.length) {
    throw new Error(`${imagesName} has ${images.count} images but ${labelsName} has ${labels.length} labels`);
  }
  return { ...images, labels };
}
