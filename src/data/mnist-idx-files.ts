/**
 * Turns the IDX files a user picked ("Load full MNIST…": e.g. torchvision's MNIST/raw/ or the four
 * files from the MNIST site, gzipped or not) into train and optional test splits. Which file is which
 * comes from its IDX magic (images or labels) and its name (t10k/test → test split, else train);
 * the bytes are parsed by the IDX reader in ./idx.
 */
import type { ImageDataset } from './dataset';
import { gunzipNamed, isGzip } from './gzip';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxPair } from './idx';

export interface NamedFile {
  /** Base name, used in every message about this file. */
  name: string;
  bytes: Uint8Array;
}

export interface IdxSplits {
  train: ImageDataset;
  test?: ImageDataset;
}

type Role = 'images' | 'labels';
type Split = 'train' | 'test';

function roleOf(file: NamedFile): Role {
  const raw = isGzip(file.bytes) ? gunzipNamed(file.bytes, file.name) : file.bytes;
  if (raw.length < 4) throw new Error(`${file.name}: ${raw.length} bytes is too short to be an IDX file`);
  const magic = new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getUint32(0, false);
  if (magic === IDX_IMAGES_MAGIC) return 'images';
  if (magic === IDX_LABELS_MAGIC) return 'labels';
  throw new Error(`${file.name}: not an MNIST IDX file (magic 0x${magic.toString(16).padStart(8, '0')}; expected 0x00000803 for images or 0x00000801 for labels)`);
}

/** The MNIST distribution names its test files t10k-*; other sets use "test". */
const splitOf = (name: string): Split => (/t10k|test/i.test(name) ? 'test' : 'train');

export function assembleIdxSplits(files: NamedFile[]): IdxSplits {
  const slots = new Map<string, NamedFile>();
  for (const file of files) {
    const key = `${splitOf(file.name)} ${roleOf(file)}`;
    const clash = slots.get(key);
    if (clash) throw new Error(`${file.name} and ${clash.name} are both ${key} files: pick one of each kind`);
    slots.set(key, file);
  }
  const picked = files.map((f) => f.name).join(', ');
  const pair = (split: Split): ImageDataset | undefined => {
    const images = slots.get(`${split} images`);
    const labels = slots.get(`${split} labels`);
    if (!images && !labels) return undefined;
    if (!images || !labels) {
      const have = (images ?? labels)!;
      throw new Error(`${have.name} has no matching ${split} ${images ? 'label' : 'image'} file among those picked (${picked})`);
    }
    const data = parseIdxPair(images.bytes, labels.bytes, { images: images.name, labels: labels.name });
    if (data.rows !== 28 || data.cols !== 28) throw new Error(`${images.name}: images are ${data.rows}×${data.cols}, the panel trains on 28×28 MNIST`);
    return data;
  };
  const train = pair('train');
  const test = pair('test');
  if (!train) {
    throw new Error(`no training files among those picked (${picked}): pick train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz), optionally the t10k-* test files too`);
  }
  return { train, test };
}

/**
 * Which files of a folder to read as MNIST IDX files: names containing idx1/idx3 (the MNIST naming), and
 * of a pair X / X.gz (torchvision's MNIST/raw/ keeps both) only the extracted X, which needs no gunzip.
 */
export function idxFilesInFolder(names: readonly string[]): string[] {
  const all = new Set(names);
  return names.filter((name) => /idx[13]/i.test(name) && !(name.endsWith('.gz') && all.has(name.slice(0, -3)))).sort();
}
