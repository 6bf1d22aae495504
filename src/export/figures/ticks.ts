// Axis ticks: "nice" steps (1, 2, 2.5, 5 × 10^k) for values, whole epochs for the epoch axis.

export interface Ticks {
  min: number; // axis range, expanded to whole steps
  max: number;
  step: number;
  values: number[];
  decimals: number; // digits after the point that label every tick exactly
}

const MANTISSAS = [1, 2, 2.5, 5, 10];

/** The smallest nice step that splits `span` into at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of MANTISSAS) if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

export function decimalsOf(step: number): number {
  for (let d = 0; d < 10; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 10;
}

/** Ticks covering [lo, hi]; a flat range is widened so the axis still has a span. */
export function niceTicks(lo: number, hi: number, maxTicks = 6): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, maxTicks);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const decimals = decimalsOf(step);
  const values: number[] = [];
  for (let i = 0; min + i * step <= max + step * 1e-9; i++) values.push(Number((min + i * step).toFixed(decimals)));
  return { min, max, step, values, decimals };
}

const EPOCH_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];

/**
 * Whole-epoch ticks for epochs 1..n: the smallest step in 1, 2, 5, 10, 20, 25, 50… giving at most
 * `maxTicks` labels; epoch 1 is labelled too when the step leaves room (step ≥ 5). The axis spans
 * [0.5, n + 0.5] so the first and last points are not on the frame.
 */
export function epochTicks(n: number, maxTicks = 10): Ticks {
  const last = Math.max(1, Math.floor(n));
  const step = EPOCH_STEPS.find((s) => Math.floor(last / s) + 1 <= maxTicks) ?? Math.ceil(last / maxTicks);
  const values: number[] = [];
  if (step === 1 || step >= 5) values.push(1);
  for (let e = step; e <= last; e += step) if (e !== 1) values.push(e);
  return { min: 0.5, max: last + 0.5, step, values, decimals: 0 };
}
