// Small summary statistics shared by the benchmark scripts (plain JS so that both `node` and `tsx` children use it).

/** The q-quantile (0..1) of the values, linear interpolation between closest ranks (numpy's default). */
export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Median, min, p95 and the sample count: what every timing figure in results.json carries. */
export function summarize(values) {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : null,
    p95: quantile(values, 0.95),
    n: values.length,
  };
}

/**
 * Calls `fn` repeatedly (after `warmup` untimed calls) until `minRuns` runs and `minMs` of timed work are done,
 * or `maxRuns` is reached; returns every run's duration in milliseconds.
 */
export async function timeRepeated(fn, { warmup = 1, warmupMs = 0, minRuns = 5, maxRuns = 50, minMs = 500 } = {}) {
  const { performance } = await import('node:perf_hooks');
  // At least `warmup` untimed calls, and more until `warmupMs` have passed (at most 1,000): V8 optimises a
  // function only after many calls, so a count alone leaves fast inputs timed half-compiled.
  const warmupStart = performance.now();
  for (let i = 0; i < warmup || (i < 1000 && performance.now() - warmupStart < warmupMs); i++) await fn();
  const runs = [];
  let total = 0;
  while (runs.length < maxRuns && (runs.length < minRuns || total < minMs)) {
    const t0 = performance.now();
    await fn();
    const dt = performance.now() - t0;
    runs.push(dt);
    total += dt;
  }
  return runs;
}

/**
 * Times two functions in alternating blocks (a × n, b × n, a × n, …) after warming both up, until each has
 * `minRuns` runs and `minMs` of timed work, or `maxRuns`. Both samples then come from the same stretch of time,
 * so a host that slows down or speeds up midway moves both alike. Blocks rather than single calls, and the
 * first call of each block untimed: each function is timed in its own steady state. (Alternating single
 * calls of analysis and bare parse slowed both by up to 2×: each leaves tree-sitter's WASM heap laid out
 * for the other.) Returns each one's durations (ms).
 */
export async function timeInBlocks(fnA, fnB, { warmup = 1, warmupMs = 0, minRuns = 5, maxRuns = 50, minMs = 500, blockSize = 10 } = {}) {
  const { performance } = await import('node:perf_hooks');
  const warmupStart = performance.now();
  for (let i = 0; i < warmup || (i < 1000 && performance.now() - warmupStart < warmupMs); i++) {
    await fnA();
    await fnB();
  }
  const a = [];
  const b = [];
  const total = { a: 0, b: 0 };
  const block = async (fn, runs, key) => {
    if (blockSize > 1) await fn(); // the transition from the other function's state
    for (let i = 0; i < blockSize; i++) {
      const t0 = performance.now();
      await fn();
      const dt = performance.now() - t0;
      runs.push(dt);
      total[key] += dt;
    }
  };
  while (a.length < maxRuns && (a.length < minRuns || total.a < minMs || total.b < minMs)) {
    await block(fnA, a, 'a');
    await block(fnB, b, 'b');
  }
  return { a, b };
}
