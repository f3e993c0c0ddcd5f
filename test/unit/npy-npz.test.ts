// The .npy/.npz readers against files written by NumPy itself (Debian's /usr/bin/python3), plus corrupt inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import fc from 'fast-check';
import { NpyFormatError, integerValues, parseNpy } from '../../src/data/npy';
import { parseNpz } from '../../src/data/npz';
import { mnistFromNpz } from '../../src/data/mnist-npz';

/** Runs a NumPy snippet with `out` bound to a fresh folder; returns that folder's files by name. */
function numpyFiles(script: string, names: string[]): Record<string, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'xl-npy-'));
  try {
    execFileSync('/usr/bin/python3', ['-c', `import numpy as np, sys\nout = sys.argv[1]\n${script}`, dir]);
    return Object.fromEntries(names.map((n) => [n, new Uint8Array(readFileSync(join(dir, n)))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('parseNpy reads dtypes and shapes as NumPy wrote them (v1 and v2 headers)', () => {
  const files = numpyFiles(
    `np.save(out + '/u1.npy', np.arange(24, dtype=np.uint8).reshape(2, 3, 4))
np.save(out + '/i8.npy', np.array([0, 7, -3, 9], dtype=np.int64))
np.save(out + '/f4.npy', np.array([[1.5, -2.25]], dtype=np.float32))
np.save(out + '/scalar.npy', np.array(5, dtype=np.int32))
np.lib.format.write_array(open(out + '/v2.npy', 'wb'), np.arange(6, dtype=np.uint16), version=(2, 0))`,
    ['u1.npy', 'i8.npy', 'f4.npy', 'scalar.npy', 'v2.npy'],
  );
  const u1 = parseNpy(files['u1.npy']);
  assert.deepEqual([u1.dtype, u1.shape], ['u1', [2, 3, 4]]);
  assert.deepEqual([...u1.bytes], Array.from({ length: 24 }, (_, i) => i));
  assert.deepEqual([...integerValues(parseNpy(files['i8.npy']))], [0, 7, -3, 9]);
  const f4 = parseNpy(files['f4.npy']);
  assert.deepEqual([f4.dtype, f4.shape], ['f4', [1, 2]]);
  assert.deepEqual([...new Float32Array(f4.bytes.slice().buffer)], [1.5, -2.25]);
  assert.deepEqual(parseNpy(files['scalar.npy']).shape, []);
  assert.deepEqual([...integerValues(parseNpy(files['scalar.npy']))], [5]);
  const v2 = parseNpy(files['v2.npy']);
  assert.equal(files['v2.npy'][6], 2);
  assert.deepEqual([...integerValues(v2)], [0, 1, 2, 3, 4, 5]);
});

test('parseNpy rejects what it cannot read with a NpyFormatError that says why', () => {
  const files = numpyFiles(
    `np.save(out + '/be.npy', np.arange(4, dtype='>i4'))
np.save(out + '/fortran.npy', np.asfortranarray(np.zeros((3, 2), dtype=np.uint8)))
np.save(out + '/obj.npy', np.array([{'a': 1}], dtype=object), allow_pickle=True)
np.save(out + '/ok.npy', np.arange(100, dtype=np.uint8))`,
    ['be.npy', 'fortran.npy', 'obj.npy', 'ok.npy'],
  );
  assert.throws(() => parseNpy(files['be.npy']), { name: 'NpyFormatError', message: /unsupported dtype '>i4'/ });
  assert.throws(() => parseNpy(files['fortran.npy']), { name: 'NpyFormatError', message: /Fortran-ordered/ });
  assert.throws(() => parseNpy(files['obj.npy']), { name: 'NpyFormatError', message: /unsupported dtype '\|O'/ });
  assert.throws(() => parseNpy(files['ok.npy'].subarray(0, files['ok.npy'].length - 1)), { name: 'NpyFormatError', message: /truncated: shape \(100\) of u1 needs 100 bytes, the file has 99/ });
  assert.throws(() => parseNpy(files['ok.npy'].subarray(0, 40)), { name: 'NpyFormatError', message: /header is truncated/ });
  assert.throws(() => parseNpy(new TextEncoder().encode('x_train,y_train\n1,2\n')), { name: 'NpyFormatError', message: /signature is missing/ });
  // A header that is not a dict literal: same magic and length, garbled text.
  const garbled = files['ok.npy'].slice();
  garbled.set(new TextEncoder().encode("{'descr' '|u1'"), 10);
  assert.throws(() => parseNpy(garbled), { name: 'NpyFormatError', message: /not a valid dictionary/ });
});

test('parseNpy never throws anything but NpyFormatError on random or mutated bytes', () => {
  const ok = numpyFiles(`np.save(out + '/ok.npy', np.arange(12, dtype=np.uint8).reshape(3, 4))`, ['ok.npy'])['ok.npy'];
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(ok.length), (noise, at) => {
      for (const candidate of [noise, Uint8Array.from([...ok.subarray(0, at), ...noise])]) {
        try {
          parseNpy(candidate);
        } catch (err) {
          if (!(err instanceof NpyFormatError)) throw err;
        }
      }
    }),
    { seed: 42, numRuns: 2000 },
  );
});

test('mnistFromNpz reads a Keras-layout archive written by numpy.savez and savez_compressed', () => {
  const files = numpyFiles(
    `rng = np.random.default_rng(0)
xtr = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8); ytr = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
xte = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8); yte = np.array([9, 2], dtype=np.uint8)
np.savez(out + '/plain.npz', x_train=xtr, y_train=ytr, x_test=xte, y_test=yte)
np.savez_compressed(out + '/packed.npz', x_train=xtr, y_train=ytr.astype(np.int64), x_test=xte, y_test=yte)
np.savez(out + '/train-only.npz', x_train=xtr, y_train=ytr, extra=np.zeros(3))
open(out + '/xtr.bin', 'wb').write(xtr.tobytes()); open(out + '/xte.bin', 'wb').write(xte.tobytes())`,
    ['plain.npz', 'packed.npz', 'train-only.npz', 'xtr.bin', 'xte.bin'],
  );
  for (const name of ['plain.npz', 'packed.npz']) {
    const { train, test: held } = mnistFromNpz(files[name]);
    assert.equal(train.count, 5, name);
    assert.deepEqual([...train.labels], [3, 1, 4, 1, 5], name);
    assert.deepEqual(train.pixels, files['xtr.bin'], name);
    assert.ok(held, name);
    assert.equal(held.count, 2);
    assert.deepEqual([...held.labels], [9, 2]);
    assert.deepEqual(held.pixels, files['xte.bin']);
  }
  const trainOnly = mnistFromNpz(files['train-only.npz']);
  assert.equal(trainOnly.train.count, 5);
  assert.equal(trainOnly.test, undefined);
});

test('mnistFromNpz names the problem in corrupt or foreign archives', () => {
  const files = numpyFiles(
    `x = np.zeros((4, 28, 28), dtype=np.uint8); y = np.array([0, 1, 2, 3], dtype=np.uint8)
np.savez(out + '/no-labels.npz', x_train=x)
np.savez(out + '/float.npz', x_train=x.astype(np.float32), y_train=y)
np.savez(out + '/flat.npz', x_train=x.reshape(4, 784), y_train=y)
np.savez(out + '/count.npz', x_train=x, y_train=y[:3])
np.savez(out + '/label.npz', x_train=x, y_train=np.array([0, 1, 12, 3], dtype=np.uint8))
np.savez(out + '/half-test.npz', x_train=x, y_train=y, x_test=x)
np.savez(out + '/other.npz', a=np.zeros(3))`,
    ['no-labels.npz', 'float.npz', 'flat.npz', 'count.npz', 'label.npz', 'half-test.npz', 'other.npz'],
  );
  const cases: [string, RegExp][] = [
    ['no-labels.npz', /no y_train array/],
    ['float.npz', /x_train has dtype f4, expected uint8/],
    ['flat.npz', /x_train has shape \(4, 784\), expected \(N, 28, 28\)/],
    ['count.npz', /y_train has shape \(3\), expected \(4,\)/],
    ['label.npz', /y_train\[2\] is 12, expected a digit/],
    ['half-test.npz', /x_test without y_test/],
    ['other.npz', /no x_train and y_train array/],
  ];
  for (const [name, message] of cases) assert.throws(() => mnistFromNpz(files[name]), { name: 'NpyFormatError', message }, name);

  assert.throws(() => mnistFromNpz(new TextEncoder().encode('this is not a zip')), { name: 'NpyFormatError', message: /not a readable \.npz \(zip\) archive/ });
  const truncated = files['float.npz'].subarray(0, 1000);
  assert.throws(() => mnistFromNpz(truncated), { name: 'NpyFormatError', message: /not a readable \.npz/ });
  // A zip whose x_train entry is not an .npy file.
  const fake = zipSync({ 'x_train.npy': new TextEncoder().encode('hello'), 'y_train.npy': new Uint8Array(3) });
  assert.throws(() => mnistFromNpz(fake), { name: 'NpyFormatError', message: /array 'x_train': not an \.npy array/ });
});

test('parseNpz only decompresses the arrays asked for', () => {
  const files = numpyFiles(`np.savez_compressed(out + '/a.npz', keep=np.arange(3, dtype=np.uint8), skip=np.arange(5))`, ['a.npz']);
  const arrays = parseNpz(files['a.npz'], ['keep', 'absent']);
  assert.deepEqual([...arrays.keys()], ['keep']);
  assert.deepEqual([...arrays.get('keep')!.bytes], [0, 1, 2]);
});
