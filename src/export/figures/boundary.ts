// Decision boundary of a 2-feature model: the tested weights' map (predicted class as its colour,
// lighter where less sure) as ONE image, under the dataset's points, axes and legend drawn as
// vectors. Train points filled circles, validation small squares, test hollow triangles; a
// misclassified test point is ringed. The same drawing makes the PNG and the PDF.
import { classColor } from '../../palette';
import type { LabRunRecord } from '../../recorder/run-record';
import { boundaryRgba } from '../../training/decision-boundary-image';
import { misclassified, type DecisionBoundary } from '../../training/decision-boundary';
import { ExportError } from '../types';
import { curveTitle, type Figure } from './charts';
import { drawText, measure, type Draw } from './draw-api';
import { belowHeading } from './heading';
import { headedFigure } from './headed';
import { drawLegend, layoutLegend, type LegendItem } from './legend';
import { niceTicks, type Ticks } from './ticks';
import { AXIS, FONT, INK, MUTED, PT_PER_IN, TICK_LEN, marker, type SeriesStyle } from './theme';

export const BOUNDARY_SIZE_IN: [number, number] = [6, 7];
const PART_INK = '#444444';
const RING = '#000000';

/** The names of the plane's two axes: a table's two feature columns, else x1 and x2. */
export function boundaryAxisNames(record: LabRunRecord): [string, string] {
  const f = record.dataset.data_file;
  const names = f?.kind === 'table' ? f.preprocessing.outputNames : [];
  return names.length === 2 ? [names[0], names[1]] : ['x1', 'x2'];
}

/** What the map shows, in words: whose weights drew it. */
function subtitle(record: LabRunRecord, b: DecisionBoundary): string {
  const t = record.test;
  const which = t ? `${t.evaluated_model === 'final' ? 'final' : 'best'} weights, epoch ${b.grid.epoch}` : `weights of epoch ${b.grid.epoch}`;
  const acc = t ? ` · test accuracy ${t.test_accuracy.toFixed(2)} %` : '';
  return `Predicted class over the plane (${which})${acc}`;
}

const misclassifiedCount = (b: DecisionBoundary) => b.points.part.reduce((n, _, i) => n + (misclassified(b.points, i) ? 1 : 0), 0);

function legendItems(record: LabRunRecord, b: DecisionBoundary): LegendItem[] {
  const classes = record.dataset.class_names.map((label, k): LegendItem => ({ label, style: { color: classColor(k), marker: 'circle' }, line: false }));
  const part = (label: string, style: SeriesStyle): LegendItem => ({ label, style, line: false });
  return [
    ...classes,
    part('Train', { color: PART_INK, marker: 'circle' }),
    part('Validation', { color: PART_INK, marker: 'square' }),
    part('Test', { color: PART_INK, marker: 'triangle', hollow: true }),
    part(`Misclassified test point (${misclassifiedCount(b)}), ringed`, { color: RING, marker: 'ring' }),
  ];
}

const tickLabel = (v: number, t: Ticks) => v.toFixed(t.decimals);
const inside = (t: Ticks, lo: number, hi: number) => t.values.filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9);

/** Draws one point: train filled circle, validation filled square, test hollow triangle. */
function point(d: Draw, part: number, x: number, y: number, color: string): void {
  if (part === 0) d.circle(x, y, 1.9, color, { color: '#ffffff', width: 0.35 });
  else if (part === 1) d.rect(x - 1.6, y - 1.6, 3.2, 3.2, color, { color: '#ffffff', width: 0.35 });
  else marker(d, 'triangle', x, y, 2.6, color, true);
}

export function boundaryFigure(record: LabRunRecord, boundary: DecisionBoundary | null | undefined): Figure {
  if (!boundary) throw new ExportError('this run stored no decision boundary (a model on two features stores one when it is tested)');
  const { grid, points } = boundary;
  const [wi, hi] = BOUNDARY_SIZE_IN;
  const W = wi * PT_PER_IN;
  const H = hi * PT_PER_IN;
  const title = `${curveTitle(record)} — decision boundary`;
  const [xName, yName] = boundaryAxisNames(record);
  const xt = niceTicks(grid.xMin, grid.xMax, 9);
  const yt = niceTicks(grid.yMin, grid.yMax, 9);
  const image = { width: grid.size, height: grid.size, rgba: boundaryRgba(grid, record.dataset.num_classes) };
  return headedFigure(W, H, title, [subtitle(record, boundary)], (d) => {
    const legend = layoutLegend(d.fonts, legendItems(record, boundary), W - 24);
    const note = 'Shading: the class the model predicts, lighter where it is less sure.';
    const noteTop = H - 8 - FONT.legend;
    const legendTop = noteTop - 4 - legend.height;
    const widest = Math.max(...inside(yt, grid.yMin, grid.yMax).map((v) => measure(d.fonts, tickLabel(v, yt), FONT.tick)), 0);
    const left = 8 + FONT.axisLabel * 1.3 + 6 + widest + TICK_LEN + 3;
    const top = belowHeading(1);
    const bottom = legendTop - 10 - FONT.axisLabel - 6 - FONT.tick - TICK_LEN - 3;
    const side = Math.min(W - left - 20, bottom - top);
    const x0 = left + (W - 20 - left - side) / 2;
    const y0 = top;
    const sx = (x: number) => x0 + ((x - grid.xMin) / (grid.xMax - grid.xMin)) * side;
    const sy = (y: number) => y0 + side - ((y - grid.yMin) / (grid.yMax - grid.yMin)) * side;

    d.image?.(image, x0, y0, side, side);
    d.clip(x0, y0, side, side);
    for (let i = 0; i < points.x.length; i++) point(d, points.part[i], sx(points.x[i]), sy(points.y[i]), classColor(points.label[i]));
    for (let i = 0; i < points.x.length; i++) {
      if (misclassified(points, i)) d.circle(sx(points.x[i]), sy(points.y[i]), 4.6, null, { color: RING, width: 0.9 });
    }
    d.unclip();

    d.rect(x0, y0, side, side, null, AXIS);
    for (const v of inside(xt, grid.xMin, grid.xMax)) {
      d.polyline([[sx(v), y0 + side], [sx(v), y0 + side + TICK_LEN]], AXIS);
      drawText(d, tickLabel(v, xt), sx(v), y0 + side + TICK_LEN + 3, { size: FONT.tick, color: INK, align: 'center', baseline: 'top' });
    }
    for (const v of inside(yt, grid.yMin, grid.yMax)) {
      d.polyline([[x0 - TICK_LEN, sy(v)], [x0, sy(v)]], AXIS);
      drawText(d, tickLabel(v, yt), x0 - TICK_LEN - 3, sy(v), { size: FONT.tick, color: INK, align: 'right', baseline: 'middle' });
    }
    drawText(d, xName, x0 + side / 2, y0 + side + TICK_LEN + 3 + FONT.tick + 6, { size: FONT.axisLabel, color: INK, align: 'center', baseline: 'top' });
    drawText(d, yName, x0 - TICK_LEN - 3 - widest - 6, y0 + side / 2, { size: FONT.axisLabel, color: INK, align: 'center', baseline: 'bottom', angle: 90 });
    drawLegend(d, legend, W / 2, legendTop);
    drawText(d, note, W / 2, noteTop, { size: FONT.legend, color: MUTED, align: 'center', baseline: 'top' });
  });
}
