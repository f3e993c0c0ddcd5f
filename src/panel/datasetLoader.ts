/**
 * "Load full MNIST…": asks which files (IDX files, Keras' ~/.keras/datasets/mnist.npz, or another .npz),
 * reads them in the extension host and returns the dataset to send to the webview. Every failure becomes
 * a message that names the file and the problem; nothing here throws to the caller.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DatasetPayload, WireDatasetSplit } from '../protocol';
import type { ImageDataset } from '../data/dataset';
import { assembleIdxSplits, idxFilesInFolder, type NamedFile } from '../data/mnist-idx-files';
import { mnistFromNpz } from '../data/mnist-npz';

/** Full MNIST is 55 MB uncompressed; anything far larger is not MNIST and would only exhaust memory. */
export const MAX_DATASET_FILE_BYTES = 256 * 1024 * 1024;

export type DatasetLoadOutcome =
  | { kind: 'loaded'; dataset: DatasetPayload }
  | { kind: 'failed'; file: string; message: string }
  | { kind: 'cancelled' };

export const kerasCachePath = (): string => join(homedir(), '.keras', 'datasets', 'mnist.npz');

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function readLimited(uri: vscode.Uri): Promise<Uint8Array> {
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > MAX_DATASET_FILE_BYTES) {
    throw new Error(`${(size / 2 ** 20).toFixed(0)} MB is over the ${MAX_DATASET_FILE_BYTES / 2 ** 20} MB limit for a dataset file, so it was not read`);
  }
  return vscode.workspace.fs.readFile(uri);
}

const baseName = (uri: vscode.Uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1);

/**
 * Copies a split into ArrayBuffers of exactly its size: postMessage then sends just its bytes, as binary.
 * Not `bytes.slice().buffer`: files read in the host are Node Buffers, whose slice() is a view into a larger
 * pooled buffer, and VS Code only recognises plain typed arrays and ArrayBuffers as binary.
 */
function toWire(split: ImageDataset): WireDatasetSplit {
  const own = (bytes: Uint8Array): ArrayBuffer => {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return copy.buffer;
  };
  return { count: split.count, rows: split.rows, cols: split.cols, pixels: own(split.pixels), labels: own(split.labels) };
}

const describe = (source: string, train: ImageDataset, test?: ImageDataset) =>
  `MNIST from ${source}: ${train.count.toLocaleString('en-US')} training images${test ? ` + ${test.count.toLocaleString('en-US')} test` : ''}`;

export async function loadIdxFiles(uris: readonly vscode.Uri[]): Promise<DatasetLoadOutcome> {
  const files: NamedFile[] = [];
  for (const uri of uris) {
    try {
      files.push({ name: baseName(uri), bytes: await readLimited(uri) });
    } catch (err) {
      return { kind: 'failed', file: uri.fsPath, message: errorText(err) };
    }
  }
  try {
    const { train, test } = assembleIdxSplits(files);
    const folder = uris[0].path.slice(0, uris[0].path.lastIndexOf('/'));
    return { kind: 'loaded', dataset: { label: describe(`IDX files in ${folder}`, train, test), source: 'idx', train: toWire(train), test: test && toWire(test) } };
  } catch (err) {
    // The IDX reader starts its messages with the file name; point at that file when it does.
    const message = errorText(err);
    const named = files.find((f) => message.startsWith(`${f.name}: `));
    if (!named) return { kind: 'failed', file: files.map((f) => f.name).join(', '), message };
    return { kind: 'failed', file: uris[files.indexOf(named)].fsPath, message: message.slice(named.name.length + 2) };
  }
}

/** A folder of IDX files such as torchvision's MNIST/raw/ or the MNIST site's four files. */
export async function loadIdxFolder(folder: vscode.Uri): Promise<DatasetLoadOutcome> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch (err) {
    return { kind: 'failed', file: folder.fsPath, message: errorText(err) };
  }
  const picked = idxFilesInFolder(entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name));
  if (picked.length === 0) {
    return { kind: 'failed', file: folder.fsPath, message: 'the folder has no IDX files (names like train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz])' };
  }
  return loadIdxFiles(picked.map((name) => vscode.Uri.joinPath(folder, name)));
}

export async function loadNpzFile(uri: vscode.Uri): Promise<DatasetLoadOutcome> {
  try {
    const { train, test } = mnistFromNpz(await readLimited(uri));
    return { kind: 'loaded', dataset: { label: describe(uri.fsPath, train, test), source: 'npz', train: toWire(train), test: test && toWire(test) } };
  } catch (err) {
    return { kind: 'failed', file: uri.fsPath, message: errorText(err) };
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Shows the choice of source, then the file dialog, then reads. */
export async function pickAndLoadDataset(): Promise<DatasetLoadOutcome> {
  const keras = vscode.Uri.file(kerasCachePath());
  const hasKeras = await exists(keras);
  type Item = vscode.QuickPickItem & { id: 'idx-folder' | 'idx' | 'keras' | 'npz' };
  const items: Item[] = [
    ...(hasKeras ? [{ id: 'keras' as const, label: '$(package) Keras cache', description: keras.fsPath, detail: 'x_train, y_train, x_test, y_test as downloaded by keras.datasets.mnist.load_data()' }] : []),
    { id: 'idx-folder', label: '$(folder) Folder of IDX files…', detail: 'e.g. torchvision’s MNIST/raw/ or the four files from the MNIST site (.gz or raw); t10k-* files become the test set' },
    { id: 'idx', label: '$(file-binary) IDX files…', detail: 'train-images-idx3-ubyte and train-labels-idx1-ubyte (.gz or raw), optionally the t10k-* test files' },
    { id: 'npz', label: '$(file-zip) An .npz file…', detail: 'a NumPy archive with x_train, y_train (and optionally x_test, y_test) like Keras\' mnist.npz' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Load full MNIST', placeHolder: 'Where is your copy of MNIST?' });
  if (!choice) return { kind: 'cancelled' };
  // Progress only while reading: not while the user is still choosing in a dialog.
  const reading = (load: () => Promise<DatasetLoadOutcome>) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Xavier Lens: reading MNIST…' }, load);
  if (choice.id === 'keras') return reading(() => loadNpzFile(keras));
  if (choice.id === 'idx-folder') {
    const folder = await vscode.window.showOpenDialog({ title: 'Pick the folder with the MNIST IDX files', canSelectFiles: false, canSelectFolders: true, openLabel: 'Load' });
    return folder?.[0] ? reading(() => loadIdxFolder(folder[0])) : { kind: 'cancelled' };
  }
  const picked = await vscode.window.showOpenDialog({
    title: choice.id === 'idx' ? 'Pick the MNIST IDX files (images and labels; train, optionally t10k test)' : 'Pick an .npz file with x_train and y_train',
    canSelectMany: choice.id === 'idx',
    openLabel: 'Load',
    // IDX files usually have no extension (train-images-idx3-ubyte), so only the .npz dialog filters.
    filters: choice.id === 'idx' ? undefined : { 'NumPy archives': ['npz'] },
  });
  if (!picked || picked.length === 0) return { kind: 'cancelled' };
  return reading(() => (choice.id === 'idx' ? loadIdxFiles(picked) : loadNpzFile(picked[0])));
}
