// A sweep's parallel-coordinates plot: one vertical axis per swept key (numbers on a linear or log
// scale, categories in order) and a last one for the chosen metric, whose colour strip is also the
// colour bar; one line per configuration (the metric's mean over its seeds) in the colour of its
// metric, better ones drawn over worse ones, the best one thick, outlined, marked and labelled.
// Tick labels sit on a white halo so that lines never make them unreadable.
import { drawText, measure, type Draw, type Point } from '../draw-api';
import type { FontSet } from '../fonts';
import { AXIS, FONT, INK, MUTED, TICK_LEN } from '../theme';
import { linearAxis, scaleOf, type Axis } from './axes';
import { fitLabel, middleEllipsis } from './labels';
import type { LegendEntry } from './legend';
import { axisScale, metricColor, spacedTicks, type ParallelScale } from './parallel-scale';
import type { Box, Panel, ParallelLineInput, SweepFigureInput } from './types';

const TICK = 8; // tick label size (pt)
const TITLE = FONT.legend;
const SUB = 7.5;
const STRIP = 8; // the metric axis's colour strip
const LINE = 1.3;
const BEST = 2.8;
const MISSING = '#9a9a9a';
const MISSING_DASH = [3, 2] as const;
const MAX_TICK_TEXT = 96;

function metricAxis(sweep: SweepFigureInput): Axis {
  const vs = sweep.lines.flatMap((l) => (l.metric === null ? [] : [l.metric]));
  const limits: [number, number] = /%/.test(sweep.metric.title) ? [0, 100] : /f1$/.test(sweep.metric.key) ? [0, 1] : [0, Infinity];
  return linearAxis(vs.length ? Math.min(...vs) : 0, vs.length ? Math.max(...vs) : 1, sweep.metric.title, 6, 0.1, limits);
}

const fmt = (sweep: SweepFigureInput, v: number) => v.toFixed(sweep.metric.digits);
/** "91.25 ± 0.88" (the mean alone for one run). */
export const lineValueText = (sweep: SweepFigureInput, l: ParallelLineInput): string =>
  l.metric === null ? 'no value' : l.std === null ? fmt(sweep, l.metric) : `${fmt(sweep, l.metric)} ± ${fmt(sweep, l.std)}`;

/** The colour of a line: its metric's place between the lowest and the highest mean. */
function colorOf(sweep: SweepFigureInput): (l: ParallelLineInput) => string {
  const vs = sweep.lines.flatMap((l) => (l.metric === null ? [] : [l.metric]));
  const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
  return (l) => (l.metric === null ? MISSING : metricColor(hi > lo ? (l.metric - lo) / (hi - lo) : 0.5));
}

/** The figure's subtitle lines: what it shows and which configuration is best. */
export function parallelSubtitle(sweep: SweepFigureInput): string[] {
  const best = sweep.lines.find((l) => l.best);
  const how = `${sweep.name}: ${sweep.lines.length} configuration${sweep.lines.length === 1 ? '' : 's'}, one line each, at the mean of its runs (seeds)`;
  const which = best
    ? `Best configuration, by the ${sweep.metric.better === 'higher' ? 'highest' : 'lowest'} mean of ${sweep.metric.title}: ${best.label}: ${lineValueText(sweep, best)} over ${best.n} run${best.n === 1 ? '' : 's'}`
    : `No configuration has a value of ${sweep.metric.title}.`;
  return [how, which];
}

/** The legend: the best line, the others (coloured by the metric), those without a value. */
export function parallelLegend(sweep: SweepFigureInput): LegendEntry[] {
  const best = sweep.lines.find((l) => l.best);
  const color = colorOf(sweep);
  return [
    ...(best ? [{ label: 'Best configuration', color: color(best), line: BEST, marker: 'circle' as const }] : []),
    { label: `Other configurations: colour = mean ${sweep.metric.title} (strip on the last axis)`, color: metricColor(0.5), line: LINE, marker: null },
    ...(sweep.lines.some((l) => l.metric === null) ? [{ label: `No ${sweep.metric.title} (no finished run)`, color: MISSING, dash: MISSING_DASH, line: LINE, marker: null }] : []),
  ];
}

/** Every string the figure may print (the fonts they need load once). */
export function parallelTexts(sweep: SweepFigureInput): string[] {
  return [
    ...parallelSubtitle(sweep), ...parallelLegend(sweep).map((e) => e.label), '(log scale)', '(mean over seeds)', 'best',
    ...sweep.axes.flatMap((a) => [a.title, a.key, ...a.order]), sweep.metric.title,
  ];
}

interface Layout {
  xs: number[];
  top: number;
  bottom: number;
  titles: string[][];
  subs: string[];
  ticks: { i: number; x: number; y: number; text: string }[];
}

function halo(d: Draw, text: string, x: number, y: number, align: 'left' | 'right', size: number) {
  const w = measure(d.fonts, text, size) + 3;
  const left = align === 'right' ? x - w + 1.5 : x - 1.5;
  d.polygon([[left, y - size * 0.62], [left + w, y - size * 0.62], [left + w, y + size * 0.62], [left, y + size * 0.62]], '#ffffff', null, 0.85);
}

export function parallelPanel(sweep: SweepFigureInput, fonts: FontSet): Panel {
  const scales: ParallelScale[] = sweep.axes.map(axisScale);
  const metric = metricAxis(sweep);
  const n = sweep.axes.length + 1;
  const tickText = scales.map((s) => s.ticks.map((t) => middleEllipsis(fonts, t.label, TICK, MAX_TICK_TEXT)));
  const widest = (texts: string[]) => Math.max(0, ...texts.map((t) => measure(fonts, t, TICK)));
  const left = widest(tickText[0] ?? []) + TICK_LEN + 7;
  const right = STRIP / 2 + TICK_LEN + 3 + widest(metric.ticks.map((t) => t.label)) + 4;
  const spacingMin = Math.max(96, ...tickText.slice(1).map((t) => widest(t) + 40));
  const subs = [...scales.map((s) => (s.log ? '(log scale)' : '')), '(mean over seeds)'];
  const titleText = [...sweep.axes.map((a) => a.title), sweep.metric.title];
  const color = colorOf(sweep);

  const fitTitles = (spacing: number) => titleText.map((t) => fitLabel(fonts, t, TITLE, Math.max(60, spacing - 12), 2));
  const half = (lines: string[]) => measure(fonts, lines.join('\n'), TITLE, true) / 2 + 2;
  /** The axes' places in `box` (n ≥ 2: checked on input): the end axes far enough in for their tick labels and centred titles. */
  const place = (box: Box) => {
    const ends = (titles: string[][]) => {
      const x0 = box.x + Math.max(left, half(titles[0]));
      const x1 = box.x + box.w - Math.max(right, half(titles[n - 1]));
      return { x0, spacing: (x1 - x0) / (n - 1) };
    };
    const titles = fitTitles(ends(fitTitles((box.w - left - right) / (n - 1))).spacing);
    const { x0, spacing } = ends(titles);
    return { xs: Array.from({ length: n }, (_, i) => x0 + i * spacing), titles };
  };

  const layout = (box: Box): Layout => {
    const { xs, titles } = place(box);
    const titleH = Math.max(...titles.map((t) => t.length)) * TITLE * 1.2 + SUB * 1.3 + 8;
    const top = box.y + titleH;
    const bottom = box.y + box.h - 6;
    const ticks = scales.flatMap((s, i) =>
      spacedTicks(s.ticks, bottom - top, TICK).map((k) => ({ i, x: xs[i], y: bottom - s.ticks[k].at * (bottom - top), text: tickText[i][k] })));
    return { xs, top, bottom, titles, subs, ticks };
  };

  /** A line's point on each axis (null where it has no value there). */
  const points = (l: ParallelLineInput, L: Layout): (Point | null)[] => {
    const my = scaleOf(metric, L.bottom, L.top);
    const swept = scales.map((s, i) => {
      const f = s.at(l.values[i]);
      return f === null ? null : ([L.xs[i], L.bottom - f * (L.bottom - L.top)] as const);
    });
    return [...swept, l.metric === null ? null : ([L.xs[n - 1], my(l.metric)] as const)];
  };
  /** The line's pieces, broken where it has no value on an axis. */
  const segments = (ps: (Point | null)[]): Point[][] => {
    const out: Point[][] = [[]];
    for (const p of ps) if (p) out[out.length - 1].push(p); else out.push([]);
    return out.filter((s) => s.length > 1);
  };

  return {
    title: 'Parallel coordinates',
    notes: [],
    minWidth: Math.max(left, half(fitTitles(spacingMin)[0])) + (n - 1) * spacingMin + Math.max(right, half(fitTitles(spacingMin)[n - 1])),
    minHeight: 2 * TITLE * 1.2 + SUB * 1.3 + 8 + 230,
    draw(d: Draw, box: Box) {
      const L = layout(box);
      for (const x of L.xs) d.polyline([[x, L.top], [x, L.bottom]], AXIS);
      // Worse lines first, so that better ones lie on top; lines without a value first of all.
      const sign = sweep.metric.better === 'higher' ? 1 : -1;
      const rank = (l: ParallelLineInput) => (l.metric === null ? -Infinity : sign * l.metric);
      for (const l of sweep.lines.filter((x) => !x.best).sort((a, b) => rank(a) - rank(b))) {
        const stroke = l.metric === null ? { color: MISSING, width: LINE, dash: MISSING_DASH } : { color: color(l), width: LINE };
        for (const s of segments(points(l, L))) d.polyline(s, stroke);
      }
      const best = sweep.lines.find((l) => l.best);
      if (best) {
        const ps = points(best, L);
        for (const s of segments(ps)) d.polyline(s, { color: '#000000', width: BEST + 1.8 });
        for (const s of segments(ps)) d.polyline(s, { color: color(best), width: BEST });
        for (const p of ps) if (p) d.circle(p[0], p[1], 3.2, color(best), { color: '#000000', width: 0.9 });
      }
      // The metric axis: its colour strip (the colour bar) over the line ends, ticks and labels on its right.
      const mx = L.xs[n - 1];
      const my = scaleOf(metric, L.bottom, L.top);
      const vs = sweep.lines.flatMap((l) => (l.metric === null ? [] : [l.metric]));
      const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
      const steps = 60;
      for (let k = 0; k < steps; k++) {
        const v = metric.lo + ((k + 0.5) / steps) * (metric.hi - metric.lo);
        const y = my(metric.lo + ((k + 1) / steps) * (metric.hi - metric.lo));
        d.rect(mx - STRIP / 2, y, STRIP, (L.bottom - L.top) / steps + 0.3, metricColor(hi > lo ? (v - lo) / (hi - lo) : 0.5));
      }
      d.rect(mx - STRIP / 2, L.top, STRIP, L.bottom - L.top, null, AXIS);
      for (const t of metric.ticks) {
        const y = my(t.v);
        d.polyline([[mx + STRIP / 2, y], [mx + STRIP / 2 + TICK_LEN, y]], AXIS);
        drawText(d, t.label, mx + STRIP / 2 + TICK_LEN + 3, y, { size: TICK, color: INK, baseline: 'middle' });
      }
      if (best?.metric != null) {
        const y = my(best.metric);
        d.circle(mx, y, 3.6, color(best), { color: '#000000', width: 1.1 });
        const label = `best ${lineValueText(sweep, best)}`;
        const ly = y - 9 < L.top + 4 ? y + 10 : y - 9;
        halo(d, label, mx - STRIP / 2 - 4, ly, 'right', TICK);
        drawText(d, label, mx - STRIP / 2 - 4, ly, { size: TICK, bold: true, color: INK, align: 'right', baseline: 'middle' });
      }
      // Swept axes: ticks and labels over the lines.
      for (const t of L.ticks) {
        d.polyline([[t.x - TICK_LEN, t.y], [t.x, t.y]], AXIS);
        halo(d, t.text, t.x - TICK_LEN - 3, t.y, 'right', TICK);
        drawText(d, t.text, t.x - TICK_LEN - 3, t.y, { size: TICK, color: INK, align: 'right', baseline: 'middle' });
      }
      L.titles.forEach((lines, i) => {
        const bottom = L.top - 6 - (L.subs[i] ? SUB * 1.3 : 0);
        drawText(d, lines.join('\n'), L.xs[i], bottom, { size: TITLE, bold: true, color: INK, align: 'center', baseline: 'bottom' });
        if (L.subs[i]) drawText(d, L.subs[i], L.xs[i], L.top - 6, { size: SUB, color: MUTED, align: 'center', baseline: 'bottom' });
      });
    },
  };
}
