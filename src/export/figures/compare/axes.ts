// Axes shared by the comparison panels: linear, log (decades) and whole-epoch axes, their margins
// and drawing, and the panel title.
import { drawText, measure, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { epochTicks, niceTicks } from '../ticks';
import { AXIS, FONT, GRID, INK, TICK_LEN } from '../theme';
import type { Box } from './types';

export interface Axis {
  lo: number;
  hi: number;
  log: boolean;
  ticks: { v: number; label: string }[];
  minor: number[];
  title: string;
}

/** Data → page coordinate along [from, to]. */
export function scaleOf(axis: Axis, from: number, to: number): (v: number) => number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const a = f(axis.lo);
  const b = f(axis.hi);
  return (v) => from + ((f(v) - a) / (b - a)) * (to - from);
}

/** Nice ticks over [lo, hi] padded by `pad` of the span, kept inside `limits`. */
export function linearAxis(lo: number, hi: number, title: string, maxTicks: number, pad = 0.06, limits: [number, number] = [-Infinity, Infinity]): Axis {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  const span = Math.max(hi - lo, Math.abs(hi) * 0.02, 1e-6);
  const a = Math.max(limits[0], lo - span * pad);
  const b = Math.min(limits[1], hi + span * pad);
  const t = niceTicks(a, b, maxTicks);
  const ticks = t.values.filter((v) => v >= a - 1e-9 && v <= b + 1e-9).map((v) => ({ v, label: v.toFixed(t.decimals) }));
  return { lo: a, hi: b, log: false, ticks, minor: [], title };
}

/** 1500 → "1.5k", 2000000 → "2M". */
export function formatCount(v: number): string {
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (Math.abs(v) >= 1e9) return `${trim(v / 1e9)}G`;
  if (Math.abs(v) >= 1e6) return `${trim(v / 1e6)}M`;
  if (Math.abs(v) >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

/** A log axis over [lo, hi] (both > 0) with a label at every decade and minor ticks between. */
export function logAxis(lo: number, hi: number, title: string): Axis {
  const a = lo / 1.5;
  const b = hi * 1.5;
  const ticks: Axis['ticks'] = [];
  const minor: number[] = [];
  // Fewer than three decades in view: 2× and 5× are labelled too, or the axis has one or two labels.
  const labelled = Math.log10(b / a) < 3 ? [1, 2, 5] : [1];
  for (let k = Math.floor(Math.log10(a)); k <= Math.ceil(Math.log10(b)); k++) {
    for (let m = 1; m <= 9; m++) {
      const v = m * 10 ** k;
      if (v < a || v > b) continue;
      if (labelled.includes(m)) ticks.push({ v, label: formatCount(v) });
      else minor.push(v);
    }
  }
  return { lo: a, hi: b, log: true, ticks, minor, title };
}

/** Whole-epoch ticks for epochs 1..lastEpoch, as many as `plotWidth` holds without crowding. */
export function epochAxis(lastEpoch: number, plotWidth: number): Axis {
  const maxTicks = Math.max(3, Math.min(12, Math.floor(plotWidth / 30)));
  const t = epochTicks(lastEpoch, maxTicks);
  return { lo: t.min, hi: t.max, log: false, ticks: t.values.map((v) => ({ v, label: String(v) })), minor: [], title: 'Epoch' };
}

export const PANEL_TITLE_H = FONT.panelTitle + 10;
/** Below the plot: ticks, tick labels, axis title. */
export const X_AXIS_H = TICK_LEN + 3 + FONT.tick + 6 + FONT.axisLabel + 4;

/** Left of the plot: tick labels, rotated axis title. */
export function yAxisWidth(fonts: FontSet, axis: Axis): number {
  const w = Math.max(0, ...axis.ticks.map((t) => measure(fonts, t.label, FONT.tick)));
  return 4 + FONT.axisLabel * 1.25 + 6 + w + TICK_LEN + 3;
}

export function drawPanelTitle(d: Draw, title: string, box: Box): void {
  drawText(d, title, box.x + box.w / 2, box.y + 2, { size: FONT.panelTitle, bold: true, color: INK, align: 'center', baseline: 'top' });
}

export function drawYAxis(d: Draw, axis: Axis, plot: Box, grid = true): void {
  const sy = scaleOf(axis, plot.y + plot.h, plot.y);
  let widest = 0;
  for (const t of axis.ticks) {
    const y = sy(t.v);
    if (grid && y < plot.y + plot.h - 0.5) d.polyline([[plot.x, y], [plot.x + plot.w, y]], GRID); // none over the x axis
    d.polyline([[plot.x - TICK_LEN, y], [plot.x, y]], AXIS);
    widest = Math.max(widest, measure(d.fonts, t.label, FONT.tick));
    drawText(d, t.label, plot.x - TICK_LEN - 3, y, { size: FONT.tick, color: INK, align: 'right', baseline: 'middle' });
  }
  d.polyline([[plot.x, plot.y], [plot.x, plot.y + plot.h]], AXIS);
  drawText(d, axis.title, plot.x - TICK_LEN - 3 - widest - 6, plot.y + plot.h / 2, {
    size: FONT.axisLabel, color: INK, align: 'center', baseline: 'bottom', angle: 90,
  });
}

export function drawXAxis(d: Draw, axis: Axis, plot: Box, grid = false): void {
  const sx = scaleOf(axis, plot.x, plot.x + plot.w);
  const bottom = plot.y + plot.h;
  for (const v of axis.minor) {
    if (grid && sx(v) > plot.x + 0.5) d.polyline([[sx(v), plot.y], [sx(v), bottom]], { ...GRID, color: '#f0f0f0' }); // none over the y axis
    d.polyline([[sx(v), bottom], [sx(v), bottom + TICK_LEN * 0.6]], AXIS);
  }
  for (const t of axis.ticks) {
    const x = sx(t.v);
    if (grid && x > plot.x + 0.5) d.polyline([[x, plot.y], [x, bottom]], GRID);
    d.polyline([[x, bottom], [x, bottom + TICK_LEN]], AXIS);
    drawText(d, t.label, x, bottom + TICK_LEN + 3, { size: FONT.tick, color: INK, align: 'center', baseline: 'top' });
  }
  d.polyline([[plot.x, bottom], [plot.x + plot.w, bottom]], AXIS);
  drawText(d, axis.title, plot.x + plot.w / 2, bottom + TICK_LEN + 3 + FONT.tick + 6, { size: FONT.axisLabel, color: INK, align: 'center', baseline: 'top' });
}
