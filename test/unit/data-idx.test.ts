// IDX reader over the official MNIST test set (test/data/mnist) and over corrupt variants of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { parseIdxImages, parseIdxLabels, parseIdxPair } from '../../src/data/idx';
import { labelCounts } from '../../src/data/dataset';
import { MNIST_DIR } from '../support/paths';

const imagesGz = new Uint8Array(readFileSync(join(MNIST_DIR, 't10k-images-idx3-ubyte.gz')));
const labelsGz = new Uint8Array(readFileSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz')));

test('reads the official gzipped MNIST test set', () => {
  const ds = parseIdxPair(imagesGz, labelsGz);
  assert.equal(ds.count, 10000);
  assert.equal(ds.rows, 28);
  assert.equal(ds.cols, 28);
  assert.equal(ds.pixels.length, 7840000);
  // Well-known class counts of the MNIST test set.
  assert.deepEqual(labelCounts(ds.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  // First test labels of MNIST: 7 2 1 0 4 1 4 9 5 9.
  assert.deepEqual(Array.from(ds.labels.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
});

test('raw (gunzipped) files give the same data as gzipped ones', () => {
  const a = parseIdxImages(imagesGz);
  const b = parseIdxImages(gunzipSync(imagesGz));
  assert.equal(a.count, b.count);
  assert.deepEqual(a.pixels.subarray(0, 2000), b.pixels.subarray(0, 2000));
  assert.deepEqual(parseIdxLabels(gunzipSync(labelsGz)), parseIdxLabels(labelsGz));
});

test('wrong magic: labels given as images and vice versa, and a non-IDX file', () => {
  assert.throws(() => parseIdxImages(labelsGz, 'l.gz'), /l\.gz: expected an IDX image file \(magic 0x00000803\), found an IDX label file/);
  assert.throws(() => parseIdxLabels(imagesGz, 'i.gz'), /i\.gz: expected an IDX label file \(magic 0x00000801\), found an IDX image file/);
  const text = new TextEncoder().encode('hello, not a dataset');
  assert.throws(() => parseIdxImages(text, 'notes.txt'), /notes\.txt: expected an IDX image file .* found magic 0x68656c6c/);
  assert.throws(() => parseIdxLabels(new Uint8Array(2), 'tiny'), /tiny: 2 bytes is too short/);
});

test('truncated, over-long and truncated-gzip files are rejected', () => {
  const raw = gunzipSync(imagesGz);
  assert.throws(() => parseIdxImages(raw.subarray(0, raw.length - 1), 'cut'), /cut: truncated: the header declares 10000 images of 28×28 \(7840016 bytes\) but the file has 7840015/);
  const longer = new Uint8Array(raw.length + 3);
  longer.set(raw);
  assert.throws(() => parseIdxImages(longer, 'long'), /long: 3 unexpected bytes after/);
  assert.throws(() => parseIdxImages(raw.subarray(0, 10), 'hdr'), /hdr: 10 bytes is shorter than the 16-byte IDX header/);
  assert.throws(() => parseIdxImages(imagesGz.subarray(0, 50000), 'half.gz'), /half\.gz: the gzip stream is corrupt or truncated/);
});

test('label values above 9 and mismatched counts are rejected', () => {
  const raw = Uint8Array.from(gunzipSync(labelsGz));
  raw[8 + 17] = 42;
  assert.throws(() => parseIdxLabels(raw, 'bad-labels'), /bad-labels: label 42 at index 17 is not a digit 0-9/);
  const shortLabels = Uint8Array.from(gunzipSync(labelsGz)).subarray(0, 8 + 500);
  new DataView(shortLabels.buffer, shortLabels.byteOffset).setUint32(4, 500, false);
  assert.throws(
    () => parseIdxPair(imagesGz, shortLabels, { images: 'imgs', labels: 'lbls' }),
    /imgs has 10000 images but lbls has 500 labels/,
  );
});
