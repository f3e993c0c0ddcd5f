/**
 * Chart data for uPlot, which wants "aligned" columns: one shared, sorted x array and one y array per
 * series (null where a series has no point). The initializers report at the same steps, so most x
 * values are shared and appended in order; a late or out-of-order point is inserted where it belongs.
 */
export class AlignedSeries<K extends string> {
  readonly xs: number[] = [];
  private readonly ys = new Map<K, (number | null)[]>();
  private readonly indexOfX = new Map<number, number>();

  constructor(readonly keys: readonly K[]) {
    for (const k of keys) this.ys.set(k, []);
  }

  add(key: K, x: number, y: number | null): void {
    const column = this.ys.get(key);
    if (!column) return;
    let i = this.indexOfX.get(x);
    if (i === undefined) i = this.insertX(x);
    column[i] = y;
  }

  /** [xs, ...one column per key] in `keys` order: uPlot's AlignedData. */
  data(): [number[], ...(number | null)[][]] {
    return [this.xs, ...this.keys.map((k) => this.ys.get(k)!)];
  }

  get length(): number {
    return this.xs.length;
  }

  private insertX(x: number): number {
    const last = this.xs.length - 1;
    let at = this.xs.length;
    if (last >= 0 && x < this.xs[last]) {
      // Binary search for the first x greater than the new one.
      let lo = 0;
      let hi = this.xs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.xs[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      at = lo;
      for (const [k, i] of this.indexOfX) if (i >= at) this.indexOfX.set(k, i + 1);
    }
    this.xs.splice(at, 0, x);
    for (const column of this.ys.values()) column.splice(at, 0, null);
    this.indexOfX.set(x, at);
    return at;
  }
}

/**
 * Exponential moving average with start-up bias correction (as TensorBoard smooths scalars): with weight
 * w, s_t = w·s_{t−1} + (1−w)·x_t and the shown value is s_t / (1 − w^t), so the first points are not
 * pulled toward zero. Non-finite inputs (a diverged loss) pass through as null and do not poison the average.
 */
export class Smoother {
  private sum = 0;
  private steps = 0;

  constructor(private readonly weight: number) {}

  next(x: number): number | null {
    if (!Number.isFinite(x)) return null;
    this.steps += 1;
    this.sum = this.weight * this.sum + (1 - this.weight) * x;
    return this.sum / (1 - this.weight ** this.steps);
  }
}
