/**
 * Seeded randomness for the data order (shuffles, train/validation split). Weight draws use TF.js's own
 * seeded initializers; this only has to make the data order a pure function of the seed.
 */

/** mulberry32: a 32-bit state PRNG, uniform in [0, 1); same seed → same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates permutation of 0..n-1 driven by `random`. */
export function permutation(n: number, random: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Mixes a run seed with a purpose tag so that streams (split, epoch k's shuffle, layer i's weights) differ. */
export function deriveSeed(seed: number, ...tags: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const t of tags) {
    h = Math.imul(h ^ (t >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
