// Training curves: loss and accuracy per epoch (train solid, validation dashed; test as points;
// the best epoch marked), combined side by side or alone. Whole-epoch ticks, units on the axes,
// the legend below the plots.
import type { LabRunRecord } from '../../recorder/run-record';
import { drawText, measure, type Draw, type Point } from './draw-api';
import type { FontSet } from './fonts';
import { drawLegend, layoutLegend, type LegendItem } from './legend';
import { epochTicks, niceTicks, type Ticks } from './ticks';
import { AXIS, FONT, GRID, INK, LINE_WIDTH, PT_PER_IN, SERIES, TICK_LEN, marker, type SeriesStyle } from './theme';
import { headedFigure } from './headed';

export type CurveKind = 'training_curves' | 'loss_curve' | 'accuracy_curve';
type Metric = 'loss' | 'acc';

/** Figure sizes in inches. */
export const CURVE_SIZE_IN: Record<CurveKind, [number, number]> = {
  training_curves: [12, 4.5],
  loss_curve: [6, 4.5],
  accuracy_curve: [6, 4.5],
};

export interface Figure {
  width: number; // pt
  height: number;
  title: string;
  paint(d: Draw): void;
}

interface TestPoint {
  epoch: number;
  value: number;
  final: boolean;
}

interface PanelData {
  metric: Metric;
  epochs: number[];
  train: number[];
  val: number[];
  tests: TestPoint[];
  best: number; // epoch, 0 = none
  x: Ticks;
  y: Ticks & { lo: number; hi: number };
  offScale: boolean; // some values lie above the axis (drawn as ▲ on the top edge)
}

const AXIS_LABEL: Record<Metric, string> = { loss: 'Loss (cross-entropy)', acc: 'Accuracy (%)' };
const PANEL_TITLE: Record<Metric, string> = { loss: 'Loss', acc: 'Accuracy' };

export function curveTitle(record: LabRunRecord): string {
  return `${record.model_name.toUpperCase()} on ${record.dataset.name}`;
}

function subtitle(r: LabRunRecord): string {
  const c = r.config;
  const n = r.training.epochs_completed;
  const parts = [`${n} epoch${n === 1 ? '' : 's'}${n < c.epochs ? ` of ${c.epochs}` : ''}`, `batch ${c.batch_size}`, `${c.optimizer} lr ${c.learning_rate}`];
  if (r.environment.backend) parts.push(r.environment.backend);
  if (r.status === 'stopped') parts.push('stopped');
  else if (r.status !== 'completed') parts.push(r.status + (r.status_reason ? `: ${r.status_reason}` : ''));
  return parts.join(' · ');
}

function panelData(r: LabRunRecord, metric: Metric): PanelData {
  const h = r.history;
  const epochs = h.map((e) => e.epoch);
  const train = h.map((e) => (metric === 'loss' ? e.train_loss : e.train_acc));
  const val = h.map((e) => (metric === 'loss' ? e.val_loss : e.val_acc));
  const tests: TestPoint[] = [];
  if (r.test) tests.push({ epoch: r.test.evaluated_epoch, value: metric === 'loss' ? r.test.test_loss : r.test.test_accuracy, final: false });
  const lastEpoch = epochs[epochs.length - 1] ?? 0;
  const finalValue = metric === 'loss' ? r.training.final_test_loss : r.training.final_test_acc;
  if (finalValue !== null && (!r.test || r.test.evaluated_epoch !== lastEpoch)) tests.push({ epoch: lastEpoch, value: finalValue, final: true });
  const values = [...train, ...val, ...tests.map((t) => t.value)].filter(Number.isFinite);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  // A diverged run's exploding loss would flatten everything else: cap the axis and mark the
  // points above it (offScale) at the top edge.
  const initial = [train[0], val[0]].filter(Number.isFinite);
  const cap = metric === 'loss' && initial.length > 0 ? 3 * Math.max(...initial) : Infinity;
  const offScale = hi > cap;
  if (offScale) hi = Math.max(...values.filter((v) => v <= cap));
  if (!values.length) [lo, hi] = metric === 'acc' ? [0, 100] : [0, 1];
  const pad = Math.max(hi - lo, Math.abs(hi) * 0.02, 1e-6) * 0.06;
  lo -= pad;
  hi += pad;
  if (metric === 'loss' && lo < 0 && values.every((v) => v >= 0)) lo = 0;
  if (metric === 'acc') [lo, hi] = [Math.max(0, lo), Math.min(hi, 101)];
  const y = niceTicks(lo, hi, 7);
  y.values = y.values.filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9 && (metric !== 'acc' || v <= 100));
  return { metric, epochs, train, val, tests, best: r.training.best_epoch, x: epochTicks(lastEpoch, 10), y: { ...y, lo, hi }, offScale };
}

const tickLabel = (v: number, t: Ticks) => v.toFixed(t.decimals);

/** Left margin needed by a panel: y axis label, tick labels, ticks. */
function leftMargin(fonts: FontSet, p: PanelData): number {
  const w = Math.max(...p.y.values.map((v) => measure(fonts, tickLabel(v, p.y), FONT.tick)), 0);
  return 6 + FONT.axisLabel * 1.3 + 6 + w + TICK_LEN + 3;
}

function segments(epochs: number[], values: number[], sx: (e: number) => number, sy: (v: number) => number): Point[][] {
  const out: Point[][] = [];
  let cur: Point[] = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v)) cur.push([sx(epochs[i]), sy(v)]);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  });
  if (cur.length) out.push(cur);
  return out;
}

function drawPanel(d: Draw, p: PanelData, box: { x: number; y: number; w: number; h: number }, title: string | null): void {
  const { x, y, w, h } = box;
  const sx = (e: number) => x + ((e - p.x.min) / (p.x.max - p.x.min)) * w;
  const sy = (v: number) => y + h - ((v - p.y.lo) / (p.y.hi - p.y.lo)) * h;
  if (title) drawText(d, title, x + w / 2, y - 8, { size: FONT.panelTitle, bold: true, color: INK, align: 'center', baseline: 'bottom' });
  for (const v of p.y.values) d.polyline([[x, sy(v)], [x + w, sy(v)]], GRID);
  if (p.best > 0) d.polyline([[sx(p.best), y], [sx(p.best), y + h]], { color: SERIES.best.color, width: 0.9, dash: SERIES.best.dash });

  d.clip(x, y, w, h);
  const showMarkers = p.epochs.length <= 30;
  for (const [key, values] of [['train', p.train], ['val', p.val]] as const) {
    const s: SeriesStyle = SERIES[key];
    for (const seg of segments(p.epochs, values, sx, sy)) {
      d.polyline(seg, { color: s.color, width: LINE_WIDTH, dash: s.dash });
      if (showMarkers || seg.length === 1) for (const [px, py] of seg) marker(d, s.marker, px, py, 2.1, s.color);
    }
  }
  if (p.offScale) {
    for (const [key, values] of [['train', p.train], ['val', p.val]] as const) {
      values.forEach((v, i) => {
        if (!(v > p.y.hi)) return;
        const px = sx(p.epochs[i]) + (key === 'train' ? -3 : 3);
        marker(d, 'triangle', px, y + 4, 3.2, SERIES[key].color);
      });
    }
  }
  const bi = p.epochs.indexOf(p.best);
  if (bi >= 0 && Number.isFinite(p.val[bi])) marker(d, 'ring', sx(p.best), sy(p.val[bi]), 5, SERIES.best.color);
  for (const t of p.tests) if (Number.isFinite(t.value)) {
    const s = t.final ? SERIES.testFinal : SERIES.test;
    marker(d, s.marker, sx(t.epoch), sy(t.value), 3.4, s.color, t.final);
  }
  d.unclip();

  d.polyline([[x, y], [x, y + h], [x + w, y + h]], AXIS);
  for (const e of p.x.values) {
    d.polyline([[sx(e), y + h], [sx(e), y + h + TICK_LEN]], AXIS);
    drawText(d, String(e), sx(e), y + h + TICK_LEN + 3, { size: FONT.tick, color: INK, align: 'center', baseline: 'top' });
  }
  let widest = 0;
  for (const v of p.y.values) {
    d.polyline([[x - TICK_LEN, sy(v)], [x, sy(v)]], AXIS);
    const label = tickLabel(v, p.y);
    widest = Math.max(widest, measure(d.fonts, label, FONT.tick));
    drawText(d, label, x - TICK_LEN - 3, sy(v), { size: FONT.tick, color: INK, align: 'right', baseline: 'middle' });
  }
  drawText(d, 'Epoch', x + w / 2, y + h + TICK_LEN + 3 + FONT.tick + 6, { size: FONT.axisLabel, color: INK, align: 'center', baseline: 'top' });
  drawText(d, AXIS_LABEL[p.metric], x - TICK_LEN - 3 - widest - 6, y + h / 2, {
    size: FONT.axisLabel, color: INK, align: 'center', baseline: 'bottom', angle: 90,
  });
}

function legendItems(r: LabRunRecord, panels: PanelData[]): LegendItem[] {
  const items: LegendItem[] = [
    { label: 'Train', style: SERIES.train, line: true },
    { label: 'Validation', style: SERIES.val, line: true },
  ];
  const tests = panels[0].tests;
  for (const t of tests) {
    items.push(t.final
      ? { label: `Test, last-epoch weights (${t.epoch})`, style: SERIES.testFinal, line: false }
      : { label: `Test, ${r.test?.evaluated_model === 'final' ? 'final' : 'best'} weights (epoch ${t.epoch})`, style: SERIES.test, line: false });
  }
  if (panels.some((p) => p.offScale)) items.push({ label: 'Above the axis', style: { ...SERIES.train, color: '#555555', marker: 'triangle' }, line: false });
  if (r.training.best_epoch > 0) {
    const by = r.training.model_selection_method === 'validation_loss' ? 'lowest val. loss' : 'highest val. accuracy';
    items.push({ label: `Best epoch: ${r.training.best_epoch} (${by})`, style: SERIES.best, line: true });
  }
  return items;
}

export function curvesFigure(kind: CurveKind, record: LabRunRecord, fonts: FontSet): Figure {
  const [wi, hi] = CURVE_SIZE_IN[kind];
  const W = wi * PT_PER_IN;
  const H = hi * PT_PER_IN;
  const metrics: Metric[] = kind === 'training_curves' ? ['loss', 'acc'] : kind === 'loss_curve' ? ['loss'] : ['acc'];
  const panels = metrics.map((m) => panelData(record, m));
  const title = curveTitle(record) + (kind === 'training_curves' ? '' : ` — ${PANEL_TITLE[metrics[0]].toLowerCase()}`);
  return headedFigure(W, H, title, [subtitle(record)], (d) => {
    const legend = layoutLegend(fonts, legendItems(record, panels), W - 24);
    const legendTop = H - 8 - legend.height;
    const top = 10 + FONT.title + 6 + FONT.subtitle + (panels.length > 1 ? 30 : 14);
    const bottom = legendTop - 8 - FONT.axisLabel - 6 - FONT.tick - TICK_LEN - 3;
    const slot = W / panels.length;
    panels.forEach((p, i) => {
      const left = i * slot + leftMargin(fonts, p);
      const right = (i + 1) * slot - 16;
      drawPanel(d, p, { x: left, y: top, w: right - left, h: bottom - top }, panels.length > 1 ? PANEL_TITLE[p.metric] : null);
    });
    drawLegend(d, legend, W / 2, legendTop);
  });
}
