// Seeded PRNG: mulberry32 (32-bit state, fast, good enough for shuffles and synthetic data).
// The same seed always gives the same sequence, on every browser and in Node.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, std 1), Box–Muller. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<A extends MutableArrayLike>(arr: A): A;
}

/** Arrays and typed arrays alike. */
export interface MutableArrayLike {
  length: number;
  [i: number]: unknown;
}

export function createRng(seed: number): Rng {
  // Mix the seed once so that nearby seeds (1, 2, 3) start far apart.
  let state = Math.imul((Math.trunc(seed) ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  let spare: number | null = null;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u1 = 1 - next(); // (0, 1]: log is finite
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };

  const int = (n: number): number => Math.floor(next() * n);

  const shuffle = <A extends MutableArrayLike>(arr: A): A => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  };

  return { next, normal, int, shuffle };
}
