/**
 * Decoder for media/mnist-subset.bin.gz, the bundled 10,000-image MNIST subset written by
 * scripts/build-dataset.mjs (layout documented there). Pure TypeScript over Uint8Array/DataView so the
 * webview, the extension host and the tests share it. Every check fails with a message that says what is wrong.
 */
import { crc32 } from './crc32';
import type { ImageDataset } from './dataset';
import { gunzipNamed, isGzip } from './gzip';

export const SUBSET_MAGIC = 'XLMN';
export const SUBSET_VERSION = 1;
export const SUBSET_HEADER_BYTES = 20;

/** Decodes the gzipped (or already gunzipped) subset file; `what` names it in error messages. */
export function decodeSubset(bytes: Uint8Array, what = 'mnist-subset.bin.gz'): ImageDataset {
  const raw = isGzip(bytes) ? gunzipNamed(bytes, what) : bytes;
  if (raw.length < SUBSET_HEADER_BYTES) {
    throw new Error(`${what}: ${raw.length} bytes is shorter than the ${SUBSET_HEADER_BYTES}-byte header`);
  }
  const magic = String.fromCharCode(raw[0], raw[1], raw[2], raw[3]);
  if (magic !== SUBSET_MAGIC) {
    throw new Error(`${what}: not an MNIST subset file (magic "${magic}", expected "${SUBSET_MAGIC}")`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const version = view.getUint16(4, true);
  if (version !== SUBSET_VERSION) {
    throw new Error(`${what}: format version ${version} is not supported (expected ${SUBSET_VERSION})`);
  }
  const rows = view.getUint16(6, true);
  const cols = view.getUint16(8, true);
  const count = view.getUint32(12, true);
  const expectedCrc = view.getUint32(16, true);
  if (rows === 0 || cols === 0 || count === 0) {
    throw new Error(`${what}: empty dataset in header (count ${count}, ${rows}×${cols})`);
  }
  const pixelBytes = count * rows * cols;
  const expectedLength = SUBSET_HEADER_BYTES + pixelBytes + count;
  if (raw.length !== expectedLength) {
    throw new Error(
      `${what}: ${raw.length} bytes, but the header (${count} images of ${rows}×${cols}) needs ${expectedLength}`,
    );
  }
  const payload = raw.subarray(SUBSET_HEADER_BYTES);
  const actualCrc = crc32(payload);
  if (actualCrc !== expectedCrc) {
    throw new Error(
      `${what}: checksum mismatch (CRC-32 ${hex(actualCrc)}, header says ${hex(expectedCrc)}): the file is corrupt`,
    );
  }
  const pixels = payload.subarray(0, pixelBytes);
  const labels = payload.subarray(pixelBytes);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`${what}: label ${labels[bad]} at index ${bad} is not a digit 0-9`);
  return { count, rows, cols, pixels, labels };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
