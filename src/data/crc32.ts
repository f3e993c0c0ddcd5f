/**
 * CRC-32 with the zlib/PNG polynomial (reflected 0xEDB88320), the checksum the dataset build writes with
 * node:zlib's crc32. Kept here because the webview has no zlib and fflate does not export its CRC.
 */
let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** crc32(bytes) = ~fold(table[(crc ^ byte) & 0xff] ^ (crc >>> 8)) starting from ~0, as zlib computes it. */
export function crc32(bytes: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
