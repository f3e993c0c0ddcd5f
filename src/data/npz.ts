/**
 * Reader for NumPy's .npz archives (`numpy.savez` / `savez_compressed`): a zip file holding one
 * .npy file per array, named `<key>.npy`. Unzipping is fflate's; each entry is read by parseNpy.
 */
import { unzipSync } from 'fflate';
import { NpyFormatError, parseNpy, type NpyArray } from './npy';

/**
 * Returns the arrays named in `keys` (without `.npy`) that the archive holds; entries not asked for are
 * not decompressed. Throws NpyFormatError when the bytes are not a zip archive or an entry is not .npy.
 */
export function parseNpz(data: Uint8Array, keys: readonly string[]): Map<string, NpyArray> {
  const wanted = new Set(keys.map((k) => `${k}.npy`));
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(data, { filter: (file) => wanted.has(file.name) });
  } catch (err) {
    throw new NpyFormatError(`not a readable .npz (zip) archive: ${err instanceof Error ? err.message : String(err)}`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, bytes] of Object.entries(entries)) {
    const key = name.slice(0, -'.npy'.length);
    try {
      arrays.set(key, parseNpy(bytes));
    } catch (err) {
      if (err instanceof NpyFormatError) throw new NpyFormatError(`array '${key}': ${err.message}`);
      throw err;
    }
  }
  return arrays;
}
