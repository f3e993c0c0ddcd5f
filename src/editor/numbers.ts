/**
 * Numbers for reading in hovers, lenses and the report: 4 significant digits, integers with
 * thousands separators, shapes as tuples, and a symbol (or "?") where the engine could not compute one.
 */
import type { Dim, Shape } from '../analysis/types';

/** 4 significant digits, without trailing zeros: 0.081111 → "0.08111", 0.1020620 → "0.1021"; exponent form outside [1e-4, 1e6). */
export function formatSignificant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e6) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

/** A count for reading: 100480 → "100,480". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A number, else its symbolic expression from the engine, else "?". */
export function formatOrSymbol(value: number | null, symbol?: string, format: (v: number) => string = formatSignificant): string {
  if (value !== null && Number.isFinite(value)) return format(value);
  return symbol ?? '?';
}

/**
 * A shape as the frameworks print it: (None, 784); a single dim keeps its comma: (128,).
 * `unknownDim` is what a null prints as: "None" for a layer's batch dim, "?" in a weight's shape.
 */
export function formatShape(shape: Shape | null, symbol?: string, unknownDim = 'None'): string {
  if (!shape) return symbol ?? '?';
  if (symbol && shape.some((d) => d === null)) return symbol;
  const dim = (d: Dim) => (d === null ? unknownDim : String(d));
  if (shape.length === 1) return `(${dim(shape[0])},)`;
  return `(${shape.map(dim).join(', ')})`;
}
