/**
 * MNIST from Keras' cache file `~/.keras/datasets/mnist.npz` (what `keras.datasets.mnist.load_data()`
 * downloads): arrays x_train (60000, 28, 28) uint8, y_train (60000,) uint8, x_test, y_test likewise.
 */
import type { DatasetSplit } from '../protocol';
import { NpyFormatError, integerValues, type NpyArray } from './npy';
import { parseNpz } from './npz';

export interface MnistSplits {
  train: DatasetSplit;
  test?: DatasetSplit;
}

/** Reads the Keras MNIST layout. Throws NpyFormatError naming the missing or mis-shaped array. */
export function mnistFromNpz(data: Uint8Array): MnistSplits {
  const arrays = parseNpz(data, ['x_train', 'y_train', 'x_test', 'y_test']);
  const missing = ['x_train', 'y_train'].filter((k) => !arrays.has(k));
  if (missing.length) throw new NpyFormatError(`the archive has no ${missing.join(' and ')} array (expected Keras' mnist.npz: x_train, y_train, x_test, y_test)`);
  const train = split(arrays.get('x_train')!, arrays.get('y_train')!, 'x_train', 'y_train');
  const x = arrays.get('x_test');
  const y = arrays.get('y_test');
  if ((x === undefined) !== (y === undefined)) throw new NpyFormatError(`the archive has ${x ? 'x_test without y_test' : 'y_test without x_test'}`);
  return { train, test: x && y ? split(x, y, 'x_test', 'y_test') : undefined };
}

function split(images: NpyArray, labels: NpyArray, imagesKey: string, labelsKey: string): DatasetSplit {
  const shape = `(${images.shape.join(', ')})`;
  if (images.dtype !== 'u1') throw new NpyFormatError(`${imagesKey} has dtype ${images.dtype}, expected uint8 pixels`);
  const [count, rows, cols] = images.shape;
  if (images.shape.length !== 3 || rows !== 28 || cols !== 28 || count === 0) {
    throw new NpyFormatError(`${imagesKey} has shape ${shape}, expected (N, 28, 28)`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== count) {
    throw new NpyFormatError(`${labelsKey} has shape (${labels.shape.join(', ')}), expected (${count},) to match ${imagesKey}`);
  }
  const values = integerValues(labels);
  const labelBytes = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 9)) throw new NpyFormatError(`${labelsKey}[${i}] is ${v}, expected a digit 0–9`);
    labelBytes[i] = v;
  }
  // Copy the pixels out of the unzipped entry so the split owns a compact buffer it can transfer.
  return { count, rows: 28, cols: 28, pixels: images.bytes.slice(), labels: labelBytes };
}
