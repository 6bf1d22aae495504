// The parallel-coordinates figure's scales: a swept key's axis (numbers on a linear scale, or a log
// scale when they span more than 2 decades; categories evenly spaced in their given order), its
// ticks (the values themselves when there are few, else nice steps or decades), and the colour of a
// metric value (viridis, perceptually uniform and colour-blind safe, without its palest yellow).
import { niceTicks } from '../ticks';
import { formatCount } from './axes';
import { mix } from './styles';
import type { ParallelAxisInput } from './types';

export interface ParallelScale {
  log: boolean;
  /** A value (as the address writes it) → a fraction of the axis height, 0 at the bottom; null when not on the axis. */
  at(value: string | null): number | null;
  ticks: { at: number; label: string }[];
}

/** Up to this many distinct numbers are each labelled; beyond, nice steps (or decades) are. */
export const MAX_VALUE_TICKS = 8;
const PAD = 0.07;

function categorical(order: readonly string[]): ParallelScale {
  const k = Math.max(1, order.length);
  const at = (v: string | null) => (v === null || !order.includes(v) ? null : (order.indexOf(v) + 0.5) / k);
  return { log: false, at, ticks: order.map((v) => ({ at: at(v)!, label: v })) };
}

/** Numbers: log when all are positive and the largest is more than 100 times the smallest. */
export function numericScale(values: readonly number[], labels?: readonly string[]): ParallelScale {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const log = lo > 0 && hi / lo > 100;
  const f = log ? Math.log10 : (v: number) => v;
  const [a, b] = [f(lo), f(hi)];
  const span = b - a;
  const fraction = (v: number) => (span > 0 ? PAD + ((f(v) - a) / span) * (1 - 2 * PAD) : 0.5);
  const at = (v: string | null) => {
    const n = v === null || v.trim() === '' ? NaN : Number(v);
    return Number.isFinite(n) && (!log || n > 0) ? fraction(n) : null;
  };
  let ticks: ParallelScale['ticks'];
  if (values.length <= MAX_VALUE_TICKS || span === 0) {
    ticks = values.map((v, i) => ({ at: fraction(v), label: labels?.[i] ?? String(v) }));
  } else if (log) {
    ticks = [];
    for (let k = Math.ceil(a - 1e-9); k <= Math.floor(b + 1e-9); k++) ticks.push({ at: fraction(10 ** k), label: formatCount(10 ** k) });
  } else {
    const t = niceTicks(lo, hi, 6);
    ticks = t.values.filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9).map((v) => ({ at: fraction(v), label: v.toFixed(t.decimals) }));
  }
  return { log, at, ticks };
}

/** The scale of one swept key's axis. */
export function axisScale(axis: ParallelAxisInput): ParallelScale {
  if (!axis.numeric || axis.order.length === 0) return categorical(axis.order);
  return numericScale(axis.order.map(Number), axis.order);
}

/**
 * Tick indices to label so that no two labels (each `size` tall) overlap along an axis `height`
 * long: the ends first, then the others in order where they fit.
 */
export function spacedTicks(ticks: readonly { at: number }[], height: number, size: number): number[] {
  const order = ticks.map((t, i) => ({ y: t.at * height, i })).sort((p, q) => p.y - q.y);
  const kept: { y: number; i: number }[] = [];
  const fits = (y: number) => kept.every((k) => Math.abs(k.y - y) >= size * 1.15);
  const ends = order.length > 1 ? [order[0], order[order.length - 1]] : order;
  for (const p of [...ends, ...order.slice(1, -1)]) if (fits(p.y)) kept.push(p);
  return kept.map((k) => k.i).sort((p, q) => p - q);
}

// Viridis at eleven stops (matplotlib's values); the top stop is left out (its yellow is faint on white).
const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'];
const TOP = 0.86;

/** The colour of t in [0, 1] (0: the lowest value, 1: the highest). */
export function metricColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * TOP * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return mix(VIRIDIS[i], VIRIDIS[i + 1], x - i);
}
