/**
 * Reader for NumPy's .npy format (format versions 1.0, 2.0 and 3.0), as written by `numpy.save`:
 *   magic "\x93NUMPY" | major | minor | header length (uint16 LE in v1, uint32 LE in v2/v3) |
 *   header: a Python dict literal {'descr': '<u1', 'fortran_order': False, 'shape': (60000, 28, 28), }
 *   padded with spaces and a newline | raw array data in C (row-major) order.
 * Only what datasets need: little-endian or byte-order-free numeric dtypes, no object/structured arrays.
 */

/** A problem with the bytes of an .npy file; the message says what is wrong in words a user can act on. */
export class NpyFormatError extends Error {
  override name = 'NpyFormatError';
}

/** Numeric dtypes this reader understands, by their NumPy `descr` without the byte-order character. */
const ITEM_SIZES: Record<string, number> = { u1: 1, i1: 1, b1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f4: 4, f8: 8 };

export interface NpyArray {
  /** The dtype without byte order, e.g. 'u1', 'i8', 'f4'. */
  dtype: string;
  shape: number[];
  /** The array's bytes (C order, little-endian), a view into the input without copying. */
  bytes: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Parses one .npy file. Throws NpyFormatError when the bytes are not a readable .npy array. */
export function parseNpy(data: Uint8Array): NpyArray {
  if (data.length < 10 || MAGIC.some((b, i) => data[i] !== b)) throw new NpyFormatError('not an .npy array (the "\\x93NUMPY" signature is missing)');
  const major = data[6];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (data.length < 12) throw new NpyFormatError('the .npy header is truncated');
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw new NpyFormatError(`unsupported .npy format version ${major}.${data[7]}`);
  }
  if (headerStart + headerLength > data.length) throw new NpyFormatError('the .npy header is truncated');
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(data.subarray(headerStart, headerStart + headerLength));
  const header = parseHeaderDict(headerText);

  const descr = header.get('descr');
  const fortranOrder = header.get('fortran_order');
  const shape = header.get('shape');
  if (typeof descr !== 'string') throw new NpyFormatError("the .npy header has no 'descr' (dtype)");
  if (typeof fortranOrder !== 'boolean') throw new NpyFormatError("the .npy header has no 'fortran_order'");
  if (!Array.isArray(shape)) throw new NpyFormatError("the .npy header has no 'shape'");
  if (fortranOrder && shape.length > 1) throw new NpyFormatError('Fortran-ordered arrays are not supported (save with numpy.ascontiguousarray)');

  const { dtype, itemSize } = parseDescr(descr);
  const elements = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const byteLength = elements * itemSize;
  if (data.length - dataStart < byteLength) {
    throw new NpyFormatError(`the array data is truncated: shape (${shape.join(', ')}) of ${dtype} needs ${byteLength} bytes, the file has ${data.length - dataStart}`);
  }
  return { dtype, shape, bytes: data.subarray(dataStart, dataStart + byteLength) };
}

function parseDescr(descr: string): { dtype: string; itemSize: number } {
  const order = descr[0];
  const dtype = descr.slice(1);
  if (!['<', '|', '='].includes(order) || !(dtype in ITEM_SIZES)) {
    throw new NpyFormatError(`unsupported dtype '${descr}' (expected a little-endian integer or float array)`);
  }
  return { dtype, itemSize: ITEM_SIZES[dtype] };
}

type HeaderValue = string | boolean | number[];

/**
 * Reads the header's dict literal with a tiny tokenizer: the format only ever holds string keys whose
 * values are strings, True/False, or tuples of non-negative integers.
 */
function parseHeaderDict(text: string): Map<string, HeaderValue> {
  let pos = 0;
  const fail = (what: string): never => {
    throw new NpyFormatError(`the .npy header is not a valid dictionary (${what} at character ${pos})`);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected '${ch}'`);
    pos++;
  };
  const peek = () => {
    skipSpace();
    return text[pos];
  };
  const readString = (): string => {
    const quote = peek();
    if (quote !== "'" && quote !== '"') fail('expected a string');
    const end = text.indexOf(quote, pos + 1);
    if (end < 0) fail('unterminated string');
    const value = text.slice(pos + 1, end);
    pos = end + 1;
    return value;
  };
  const readInt = (): number => {
    skipSpace();
    const start = pos;
    while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') pos++;
    // NumPy on some platforms writes 60000L; accept and ignore the suffix.
    const digits = text.slice(start, pos);
    if (text[pos] === 'L') pos++;
    if (digits.length === 0) fail('expected an integer');
    const value = Number(digits);
    if (!Number.isSafeInteger(value)) fail('integer too large');
    return value;
  };
  const readValue = (): HeaderValue => {
    const ch = peek();
    if (ch === "'" || ch === '"') return readString();
    if (text.startsWith('True', pos)) return (pos += 4), true;
    if (text.startsWith('False', pos)) return (pos += 5), false;
    if (ch === '(') {
      pos++;
      const items: number[] = [];
      while (peek() !== ')') {
        items.push(readInt());
        if (peek() === ',') pos++;
        else if (peek() !== ')') fail("expected ',' or ')'");
      }
      pos++;
      return items;
    }
    return fail('unexpected value');
  };

  const entries = new Map<string, HeaderValue>();
  expect('{');
  while (peek() !== '}') {
    if (pos >= text.length) fail("missing '}'");
    const key = readString();
    expect(':');
    entries.set(key, readValue());
    if (peek() === ',') pos++;
    else if (peek() !== '}') fail("expected ',' or '}'");
  }
  return entries;
}

/** Reads an integer array's elements as plain numbers (for labels), in C order. */
export function integerValues(array: NpyArray): Float64Array {
  const n = array.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  const { bytes } = array;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read: Record<string, (i: number) => number> = {
    u1: (i) => bytes[i],
    b1: (i) => bytes[i],
    i1: (i) => view.getInt8(i),
    u2: (i) => view.getUint16(i * 2, true),
    i2: (i) => view.getInt16(i * 2, true),
    u4: (i) => view.getUint32(i * 4, true),
    i4: (i) => view.getInt32(i * 4, true),
    u8: (i) => Number(view.getBigUint64(i * 8, true)),
    i8: (i) => Number(view.getBigInt64(i * 8, true)),
  };
  const reader = read[array.dtype];
  if (!reader) throw new NpyFormatError(`expected an integer array, found dtype ${array.dtype}`);
  for (let i = 0; i < n; i++) out[i] = reader(i);
  return out;
}
