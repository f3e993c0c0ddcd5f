// Types for stats.mjs, so the TypeScript benchmark scripts can import it.
export interface Summary {
  median: number | null;
  min: number | null;
  p95: number | null;
  n: number;
}
export function quantile(values: number[], q: number): number | null;
export function median(values: number[]): number | null;
export function summarize(values: number[]): Summary;
export function timeRepeated(
  fn: () => unknown | Promise<unknown>,
  options?: { warmup?: number; warmupMs?: number; minRuns?: number; maxRuns?: number; minMs?: number },
): Promise<number[]>;
export function timeInBlocks(
  fnA: () => unknown | Promise<unknown>,
  fnB: () => unknown | Promise<unknown>,
  options?: { warmup?: number; warmupMs?: number; minRuns?: number; maxRuns?: number; minMs?: number; blockSize?: number },
): Promise<{ a: number[]; b: number[] }>;
