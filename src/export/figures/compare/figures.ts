// The five comparison figures: panels laid out on a page that grows with what it must hold, a
// title, the legend below the panels (never over data) and notes on what a panel leaves out.
import type { Figure } from '../charts';
import { drawText, wrapText, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { FONT, MUTED, PT_PER_IN, roundUpInches } from '../theme';
import { drawPanelTitle, PANEL_TITLE_H } from './axes';
import { testAccuracyPanel } from './bars';
import { curvePanel } from './curves';
import { f1ColourClash, f1Form, f1Panel } from './f1';
import { displayLabels } from './labels';
import { drawLegend, layoutLegend, type LegendEntry, type LegendLayout } from './legend';
import { sizeAccuracyPanel } from './scatter';
import { lighten, runStyle } from './styles';
import type { Box, CompareFigureInput, CompareFigureKind, Panel } from './types';
import { ExportError } from '../../types';
import { parallelLegend, parallelPanel, parallelSubtitle } from './parallel';
import { headedFigure } from '../headed';

export const FIGURE_TITLES: Record<CompareFigureKind, string> = {
  validation_curves: 'Validation curves',
  test_accuracy: 'Test accuracy',
  size_vs_accuracy: 'Model size vs test accuracy',
  per_class_f1: 'Per-class F1 score',
  model_comparison: 'Model comparison',
  parallel_coordinates: 'Sweep: parallel coordinates',
};

const MARGIN = 18;
const GAP_X = 28;
const GAP_Y = 20;
const NOTE = 8;
const KEY_GREY = '#666666';

/** The subtitle: the caller's, then how to read the figure. */
function subtitleOf(kind: CompareFigureKind, input: CompareFigureInput): string[] {
  if (kind === 'parallel_coordinates') return input.sweep ? parallelSubtitle(input.sweep) : [];
  const curves = kind === 'validation_curves' || kind === 'model_comparison';
  const how: string[] = [];
  if (input.grouped) {
    const shows = { validation_curves: ' (shaded band)', test_accuracy: ' (error bar)', size_vs_accuracy: ' (error bar)', per_class_f1: '', model_comparison: ' (band, error bar)' }[kind] ?? '';
    how.push(kind === 'per_class_f1' ? 'groups: mean over their runs' : `groups: mean ± 1 std over their runs${shows}`);
  }
  if (curves && input.smoothing > 0) how.push(`curves smoothed (EMA ${input.smoothing}), raw values faint`);
  return [input.subtitle ?? '', how.join(' · ')].filter((s) => s.trim());
}

function entryLegend(input: CompareFigureInput, labels: readonly string[], line: boolean, box = false): LegendEntry[] {
  return input.entries.map((e, i) => {
    const st = runStyle(e.style);
    return { label: labels[i], color: st.color, dash: st.dash, marker: st.marker, line: line ? 1.5 : null, box };
  });
}

const trainKey = (): LegendEntry[] => [
  { label: 'Validation', color: KEY_GREY, marker: null, line: 1.5 },
  { label: 'Training (thin, lighter)', color: lighten(KEY_GREY, 0.45), marker: null, line: 0.9 },
];

interface Slot {
  panel: Panel;
  box: Box;
}

/**
 * A page of panels in rows (each row as tall as its tallest panel, each column as wide as its
 * widest), the title block above, legends and notes below.
 */
function page(kind: CompareFigureKind, input: CompareFigureInput, fonts: FontSet, grid: Panel[][], minW: number, minH: number[], legends: (w: number) => LegendLayout[]): Figure {
  const cols = Math.max(...grid.map((r) => r.length));
  const colW = Array.from({ length: cols }, (_, c) => Math.max(...grid.map((r) => r[c]?.minWidth ?? 0)));
  const content = colW.reduce((a, b) => a + b, 0) + (cols - 1) * GAP_X;
  const W = roundUpInches(Math.max(minW, content + 2 * MARGIN));
  const scale = (W - 2 * MARGIN - (cols - 1) * GAP_X) / (content - (cols - 1) * GAP_X);
  const widths = colW.map((w) => w * scale);
  const title = FIGURE_TITLES[kind];
  const sub = subtitleOf(kind, input).flatMap((s) => wrapText(fonts, s, FONT.subtitle, W - 2 * MARGIN));
  const headH = 10 + FONT.title + (sub.length ? 6 + sub.length * FONT.subtitle * 1.25 : 0) + 14;
  const titled = grid.flat().length > 1; // a single panel's title is the figure's
  const titleH = titled ? PANEL_TITLE_H : 0;
  const rowH = grid.map((r, i) => titleH + Math.max(minH[i] ?? 0, ...r.map((p) => p.minHeight)));
  const legendList = legends(W - 2 * MARGIN);
  const legendH = legendList.reduce((a, l) => a + l.height + 6, 0);
  const notes = [...new Set(grid.flat().flatMap((p) => p.notes))].flatMap((n) => wrapText(fonts, n, NOTE, W - 2 * MARGIN));
  const panelsH = rowH.reduce((a, b) => a + b, 0) + (rowH.length - 1) * GAP_Y;
  const H = roundUpInches(headH + panelsH + (legendH ? 12 + legendH : 0) + (notes.length ? 8 + notes.length * NOTE * 1.25 : 0) + 10);
  const slots: Slot[] = [];
  let y = headH;
  grid.forEach((r, i) => {
    let x = MARGIN;
    r.forEach((panel, c) => {
      slots.push({ panel, box: { x, y: y + titleH, w: widths[c], h: rowH[i] - titleH } });
      x += widths[c] + GAP_X;
    });
    y += rowH[i] + GAP_Y;
  });
  return headedFigure(W, H, title, sub, (d: Draw) => {
    for (const s of slots) {
      if (titled) drawPanelTitle(d, s.panel.title, { ...s.box, y: s.box.y - titleH });
      s.panel.draw(d, s.box);
    }
    let ly = headH + panelsH + 12;
    for (const l of legendList) {
      drawLegend(d, l, W / 2, ly);
      ly += l.height + 6;
    }
    if (notes.length) drawText(d, notes.join('\n'), MARGIN, H - 10, { size: NOTE, color: MUTED, baseline: 'bottom', lineHeight: 1.25 });
  });
}

const IN = PT_PER_IN;

export function buildFigure(kind: CompareFigureKind, input: CompareFigureInput, fonts: FontSet): Figure {
  const labels = displayLabels(input.entries, input.grouped);
  const n = input.entries.length;
  const runLegend = (line: boolean, box = false) => (w: number) => [
    ...(input.showTrain && line ? [layoutLegend(fonts, trainKey(), w)] : []),
    layoutLegend(fonts, entryLegend(input, labels, line, box), w),
  ];
  switch (kind) {
    case 'validation_curves': {
      const panels = [curvePanel(input, labels, 'acc', fonts), curvePanel(input, labels, 'loss', fonts)];
      return page(kind, input, fonts, [panels], 12 * IN, [Math.max(3.4, 3 + 0.055 * n) * IN], runLegend(true));
    }
    case 'test_accuracy':
      return page(kind, input, fonts, [[testAccuracyPanel(input, labels, fonts)]], 5 * IN, [], () => []);
    case 'size_vs_accuracy': {
      const panel = sizeAccuracyPanel(input, labels, fonts);
      const w = Math.max(7.5 * IN, panel.minWidth + 2 * MARGIN, (6 + 0.12 * n) * IN);
      const h = Math.max(4.4 * IN, (3.6 + 0.09 * n) * IN, panel.minHeight);
      // Entries whose label found no free place get a legend line, so every point is still named.
      const box = { x: MARGIN, y: 0, w: roundUpInches(w) - 2 * MARGIN, h };
      const missing = new Set(panel.unlabelled(box));
      const items = entryLegend(input, labels, false).filter((_, i) => missing.has(i));
      const noted = items.length ? { ...panel, notes: [...panel.notes, 'Points whose label found no free place in the plot are named in the legend.'] } : panel;
      return page(kind, input, fonts, [[noted]], w, [h], (lw) => (items.length ? [layoutLegend(fonts, items, lw)] : []));
    }
    case 'per_class_f1': {
      // Bars need a legend (the heatmap names its rows); the marker only where colours repeat.
      const clash = f1ColourClash(input);
      const items = entryLegend(input, labels, false, true)
        .filter((_, i) => input.entries[i].f1 !== null)
        .map((item) => (clash ? item : { ...item, marker: null }));
      const bars = f1Form(input) === 'bars';
      return page(kind, input, fonts, [[f1Panel(input, labels, fonts)]], 7 * IN, [4 * IN], (w) => (bars ? [layoutLegend(fonts, items, w)] : []));
    }
    case 'model_comparison': {
      const grid = [
        [testAccuracyPanel(input, labels, fonts), sizeAccuracyPanel(input, labels, fonts)],
        [curvePanel(input, labels, 'acc', fonts), f1Panel(input, labels, fonts)],
      ];
      return page(kind, input, fonts, grid, 14 * IN, [4.2 * IN, 4.2 * IN], runLegend(true));
    }
    case 'parallel_coordinates': {
      const sweep = input.sweep;
      if (!sweep) throw new ExportError('the parallel-coordinates figure is drawn for a sweep only');
      const panel = parallelPanel(sweep, fonts);
      const w = Math.max(7.5 * IN, panel.minWidth + 2 * MARGIN);
      return page(kind, input, fonts, [[panel]], w, [Math.max(4.2 * IN, panel.minHeight)], (lw) => [layoutLegend(fonts, parallelLegend(sweep), lw)]);
    }
  }
}
