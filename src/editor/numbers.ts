/**
 * Numbers for reading in hovers, lenses and the report. The engine's formatter (src/analysis/format.ts)
 * gives 4 significant digits, symbols where unknown and framework-style shapes; the editor adds
 * thousands separators for counts.
 */
import { formatNumber, formatShape } from '../analysis/format';

/** A number to 4 significant digits, else its symbolic expression, else "?". */
export { formatShape, formatNumber as formatOrSymbol };

/** 4 significant digits: 0.081111 → "0.08111", 0.1020620 → "0.1021" (the engine's formatter). */
export function formatSignificant(value: number): string {
  return formatNumber(value);
}

/** A count for reading: 100480 → "100,480". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A count with separators, else its symbolic expression, else "?". */
export function formatCountOrSymbol(value: number | null, symbol?: string): string {
  return value === null || !Number.isFinite(value) ? (symbol ?? '?') : formatCount(value);
}
