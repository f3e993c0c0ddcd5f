import { gunzipSync } from 'fflate';

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with fflate, turning its terse errors ("unexpected EOF") into a message that names the file. */
export function gunzipNamed(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new Error(`${what}: the gzip stream is corrupt or truncated (${detail})`);
  }
}
