// Per-epoch curves of every entry overlaid: validation thick in the run's style, training (when
// shown) thin and lighter in the same dash, a group's ± std as a translucent band, optional EMA
// smoothing over faint raw values. Markers every few epochs (staggered between entries) and at
// each curve's last epoch, where early stopping ended it.
import type { Draw, Point } from '../draw-api';
import type { FontSet } from '../fonts';
import { drawXAxis, drawYAxis, epochAxis, linearAxis, scaleOf, X_AXIS_H, yAxisWidth } from './axes';
import { clipPolygon, clipPolyline } from './clip';
import { drawRunMarker, lighten, runStyle } from './styles';
import type { Box, CompareCurve, CompareEntry, CompareFigureInput, Panel } from './types';

export type CurveMetric = 'acc' | 'loss';

/** Exponential moving average with weight `w` on the past; non-finite values stay gaps. */
export function ema(values: readonly number[], w: number): number[] {
  if (!(w > 0)) return [...values];
  let s = NaN;
  return values.map((v) => {
    if (!Number.isFinite(v)) return NaN;
    s = Number.isFinite(s) ? w * s + (1 - w) * v : v;
    return s;
  });
}

interface Series {
  entry: number;
  train: boolean;
  epochs: number[];
  raw: number[];
  mean: number[];
  lo: number[] | null; // band, for a group
  hi: number[] | null;
}

function series(e: CompareEntry, index: number, curve: CompareCurve[], train: boolean, smoothing: number): Series {
  const sorted = [...curve].sort((a, b) => a.epoch - b.epoch);
  const raw = sorted.map((c) => c.mean);
  const mean = ema(raw, smoothing);
  const hasStd = sorted.some((c) => c.std !== null && Number.isFinite(c.std));
  const std = hasStd ? ema(sorted.map((c) => c.std ?? NaN), smoothing) : null;
  return {
    entry: index, train, epochs: sorted.map((c) => c.epoch), raw, mean,
    lo: std && e.n > 1 ? mean.map((m, i) => m - std[i]) : null,
    hi: std && e.n > 1 ? mean.map((m, i) => m + std[i]) : null,
  };
}

/** Runs of consecutive finite points. */
function runsOf(epochs: number[], values: number[], sx: (v: number) => number, sy: (v: number) => number): Point[][] {
  const out: Point[][] = [[]];
  values.forEach((v, i) => {
    if (Number.isFinite(v)) out[out.length - 1].push([sx(epochs[i]), sy(v)]);
    else if (out[out.length - 1].length) out.push([]);
  });
  return out.filter((r) => r.length > 0);
}

export const lastEpochOf = (entries: readonly CompareEntry[], showTrain: boolean): number =>
  Math.max(1, ...entries.flatMap((e) => [...e.curves.valAcc, ...e.curves.valLoss, ...(showTrain ? [...e.curves.trainAcc, ...e.curves.trainLoss] : [])].map((c) => c.epoch)));

export function curvePanel(input: CompareFigureInput, labels: readonly string[], metric: CurveMetric, fonts: FontSet): Panel {
  const { entries, showTrain, smoothing } = input;
  const all: Series[] = [];
  entries.forEach((e, i) => {
    if (showTrain) all.push(series(e, i, metric === 'acc' ? e.curves.trainAcc : e.curves.trainLoss, true, smoothing));
    all.push(series(e, i, metric === 'acc' ? e.curves.valAcc : e.curves.valLoss, false, smoothing));
  });
  const values = all.flatMap((s) => [...s.raw, ...(s.lo ?? []), ...(s.hi ?? [])]).filter(Number.isFinite);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (metric === 'loss') {
    // A diverged run's exploding loss would flatten every other curve: cap the axis, clip the line.
    const firsts = all.map((s) => s.raw.find(Number.isFinite)).filter((v): v is number => v !== undefined);
    const cap = firsts.length ? 3 * Math.max(...firsts) : Infinity;
    if (hi > cap) hi = Math.max(...values.filter((v) => v <= cap));
  }
  if (!values.length) [lo, hi] = metric === 'acc' ? [0, 100] : [0, 1];
  const y = linearAxis(lo, hi, metric === 'acc' ? (showTrain ? 'Accuracy (%)' : 'Validation accuracy (%)') : (showTrain ? 'Loss (cross-entropy)' : 'Validation loss (cross-entropy)'), 6, 0.05,
    metric === 'acc' ? [0, 100] : [0, Infinity]);
  const title = metric === 'acc' ? (showTrain ? 'Accuracy' : 'Validation accuracy') : (showTrain ? 'Loss' : 'Validation loss');
  const last = lastEpochOf(entries, showTrain);
  const left = yAxisWidth(fonts, y);
  const missing = labels.filter((_, i) => !all.some((s) => s.entry === i && !s.train && s.raw.some(Number.isFinite)));

  return {
    title,
    notes: missing.length ? [`No ${title.toLowerCase()} curve: ${missing.join('; ')}.`] : [],
    minWidth: left + 250,
    minHeight: 210 + X_AXIS_H,
    draw(d: Draw, box: Box) {
      const plot = { x: box.x + left, y: box.y + 4, w: box.w - left - 10, h: box.h - 4 - X_AXIS_H };
      const x = epochAxis(last, plot.w);
      const sx = scaleOf(x, plot.x, plot.x + plot.w);
      const sy = scaleOf(y, plot.y + plot.h, plot.y);
      drawYAxis(d, y, plot);
      const view = { x: plot.x - 4, y: plot.y - 4, w: plot.w + 8, h: plot.h + 8 }; // a little beyond the frame, which clips
      d.clip(plot.x, plot.y, plot.w, plot.h);
      for (const s of all) {
        if (!s.lo || !s.hi) continue;
        const color = runStyle(entries[s.entry].style).color;
        const ok = s.epochs.map((_, i) => Number.isFinite(s.lo![i]) && Number.isFinite(s.hi![i]));
        const idx = s.epochs.map((_, i) => i).filter((i) => ok[i]);
        if (idx.length < 2) continue;
        const top = idx.map((i): Point => [sx(s.epochs[i]), sy(s.hi![i])]);
        const bottom = idx.map((i): Point => [sx(s.epochs[i]), sy(s.lo![i])]).reverse();
        const band = clipPolygon([...top, ...bottom], view);
        if (band.length > 2) d.polygon(band, color, null, s.train ? 0.08 : 0.16);
      }
      if (smoothing > 0) {
        for (const s of all) {
          const color = lighten(runStyle(entries[s.entry].style).color, s.train ? 0.85 : 0.7);
          for (const r of runsOf(s.epochs, s.raw, sx, sy)) for (const c of clipPolyline(r, view)) d.polyline(c, { color, width: 0.6 });
        }
      }
      const ordered = [...all.filter((s) => s.train), ...all.filter((s) => !s.train)];
      for (const s of ordered) {
        const st = runStyle(entries[s.entry].style);
        const stroke = s.train ? { color: lighten(st.color, 0.45), width: 0.9, dash: st.dash } : { color: st.color, width: 1.5, dash: st.dash };
        for (const r of runsOf(s.epochs, s.mean, sx, sy)) for (const c of clipPolyline(r, view)) d.polyline(c, stroke);
      }
      // Fewer, smaller markers when many curves overlap: enough to tell the styles apart.
      const many = entries.length > 12;
      const every = Math.max(1, Math.ceil(last / (many ? 3 : entries.length > 6 ? 4 : 6)));
      for (const s of all) {
        if (s.train) continue;
        const st = runStyle(entries[s.entry].style);
        const offset = (s.entry * 3) % every;
        const finite = s.mean.map((v, i) => (Number.isFinite(v) ? i : -1)).filter((i) => i >= 0);
        const end = finite[finite.length - 1];
        for (const i of finite) {
          const [px, py] = [sx(s.epochs[i]), sy(s.mean[i])];
          if (py < view.y || py > view.y + view.h) continue;
          if (i === end || (s.epochs[i] - 1) % every === offset) drawRunMarker(d, st.marker, px, py, many ? 2.1 : 2.5, st.color);
        }
      }
      d.unclip();
      drawXAxis(d, x, plot);
    },
  };
}
