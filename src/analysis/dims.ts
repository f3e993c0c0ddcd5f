/**
 * Dimensions while the engine works: a number when known, a string when it is a symbol read from
 * source (`hidden`, `hidden*2`), or null for the batch dimension / a size nobody wrote down.
 * Arithmetic keeps symbols symbolic instead of guessing a value.
 */
export type SDim = number | string | null;
/** A shape while the engine works; null when even the rank is unknown. */
export type SShape = SDim[] | null;

export function isKnown(d: SDim): d is number {
  return typeof d === 'number' && Number.isFinite(d);
}

/** Wraps a symbolic operand in parentheses when it is a compound expression. */
function operand(d: string): string {
  for (const ch of d) {
    const simple = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_' || ch === '.';
    if (!simple) return `(${d})`;
  }
  return d;
}

/** Text of a dimension for a symbolic expression; null becomes `?`. */
export function dimText(d: SDim): string {
  if (d === null) return '?';
  return typeof d === 'number' ? String(d) : d;
}

/** a·b, symbolic when either factor is; 1 is the neutral element, and an unknown factor stays unknown. */
export function mulDim(a: SDim, b: SDim): SDim {
  if (isKnown(a) && isKnown(b)) return a * b;
  if (a === null || b === null) return null;
  if (a === 1) return b;
  if (b === 1) return a;
  return `${operand(dimText(a))}*${operand(dimText(b))}`;
}

/** a+b with the same rules as mulDim. */
export function addDim(a: SDim, b: SDim): SDim {
  if (isKnown(a) && isKnown(b)) return a + b;
  if (a === null || b === null) return null;
  if (a === 0) return b;
  if (b === 0) return a;
  return `${dimText(a)}+${dimText(b)}`;
}

/** Product of dimensions (an empty list gives 1). */
export function productDims(dims: readonly SDim[]): SDim {
  let acc: SDim = 1;
  for (const d of dims) acc = mulDim(acc, d);
  return acc;
}

/** a/b for group sizes (in/groups); symbolic unless both are known. */
export function divDim(a: SDim, b: SDim): SDim {
  if (isKnown(a) && isKnown(b)) return a / b;
  if (a === null || b === null) return null;
  if (b === 1) return a;
  return `${operand(dimText(a))}/${operand(dimText(b))}`;
}
