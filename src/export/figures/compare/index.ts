// Comparison figures (the plots of compare_models.py, without its flaws): built from a neutral
// CompareFigureInput, painted by the same renderer as the run figures into a 300-DPI PNG or a
// vector PDF with embedded fonts.
import { ExportError } from '../../types';
import { createCanvasFigure, pixels } from '../canvas-backend';
import type { Figure } from '../charts';
import { loadFontSet, type FontSet } from '../fonts';
import { DPI, renderWith } from '../render';
import { buildFigure, FIGURE_TITLES } from './figures';
import { displayLabels } from './labels';
import { parallelTexts } from './parallel';
import type { CompareFigureInput, CompareFigureKind } from './types';

export { COMPARE_FIGURE_KINDS, figureKinds, SWEEP_FIGURE_KINDS } from './types';
export type { CompareCurve, CompareEntry, CompareFigureInput, CompareFigureKind, ParallelAxisInput, ParallelLineInput, SweepFigureInput } from './types';
export { axisScale, metricColor, numericScale, spacedTicks } from './parallel-scale';
export { runStyle, RUN_MARKERS, type RunMarker, type RunStyle } from './styles';
export { placeLabels, type Anchor, type PlacedLabel, type Rect } from './placement';
export { f1Form, MAX_F1_BARS } from './f1';
export { displayLabels, fitLabel, fitLabels, middleEllipsis } from './labels';
export { ema, lastEpochOf } from './curves';
export { epochAxis, formatCount } from './axes';
export { sizeAxis } from './scatter';

/** Bad input stops here with a readable message (the compare view shows it). */
function checkInput(input: CompareFigureInput): void {
  if (input.entries.length === 0) throw new ExportError('no runs to compare: a comparison figure needs at least one run');
  if (!(input.smoothing >= 0 && input.smoothing <= 0.95)) throw new ExportError(`invalid smoothing: ${input.smoothing} (EMA weight in [0, 0.95])`);
  for (const e of input.entries) {
    if (e.f1 && e.f1.length !== input.classNames.length) {
      throw new ExportError(`per-class F1 of ${e.label} has ${e.f1.length} values for ${input.classNames.length} classes`);
    }
  }
  const sweep = input.sweep;
  if (sweep) {
    if (sweep.axes.length === 0) throw new ExportError(`sweep ${sweep.name} has no swept key: no parallel-coordinates figure`);
    if (sweep.lines.length === 0) throw new ExportError(`sweep ${sweep.name} has no configuration with runs to plot`);
    const bad = sweep.lines.find((l) => l.values.length !== sweep.axes.length);
    if (bad) throw new ExportError(`configuration ${bad.label} has ${bad.values.length} values for ${sweep.axes.length} swept keys`);
  }
}

export function buildCompareFigure(kind: CompareFigureKind, input: CompareFigureInput, fonts: FontSet): Figure {
  checkInput(input);
  return buildFigure(kind, input, fonts);
}

/** Every string a comparison figure may print, so that the fonts it needs load once. */
export function compareFigureTexts(input: CompareFigureInput): string[] {
  return [
    ...Object.values(FIGURE_TITLES),
    ...displayLabels(input.entries, input.grouped),
    ...input.classNames,
    input.subtitle ?? '',
    '± … · n/a no test',
    ...(input.sweep ? parallelTexts(input.sweep) : []),
  ];
}

/** Chromium's largest canvas: 32,767 px a side, 268,435,456 px in all (a larger one draws nothing). */
export const MAX_CANVAS_SIDE = 32_767;
export const MAX_CANVAS_AREA = 268_435_456;
/** The widest plot preview (px): sharp at the size the page shows it, even on a high-density screen. */
export const PREVIEW_WIDTH_PX = 2000;

/** The highest whole DPI, at most `wanted`, at which a figure of w × h pt fits in a canvas. */
export function fittingDpi(widthPt: number, heightPt: number, wanted: number): number {
  const fits = (dpi: number) => {
    const [w, h] = [pixels(widthPt, dpi), pixels(heightPt, dpi)];
    return Math.max(w, h) <= MAX_CANVAS_SIDE && w * h <= MAX_CANVAS_AREA;
  };
  let dpi = Math.max(1, Math.min(wanted, Math.floor(Math.sqrt(MAX_CANVAS_AREA / ((widthPt / 72) * (heightPt / 72))))));
  while (dpi > 1 && !fits(dpi)) dpi--;
  return dpi;
}

async function png(figure: Figure, fonts: FontSet, dpi: number): Promise<Blob> {
  const c = await createCanvasFigure(figure.width, figure.height, fonts, dpi);
  figure.paint(c.draw);
  return c.toPng();
}

async function build(kind: CompareFigureKind, input: CompareFigureInput): Promise<{ figure: Figure; fonts: FontSet }> {
  const fonts = await loadFontSet(compareFigureTexts(input));
  return { figure: buildCompareFigure(kind, input, fonts), fonts };
}

/**
 * `created`: the PDF's /CreationDate (comparison.zip passes its `now`; without one, the clock). The
 * PNG is 300 DPI, or, for a figure too large for a canvas at 300 DPI (the 2 × 2 overview of some 150
 * runs or more), the highest DPI that fits: its pHYs chunk says which, the size in inches stays.
 */
export async function renderCompareFigure(kind: CompareFigureKind, input: CompareFigureInput, format: 'png' | 'pdf', created?: Date): Promise<Blob> {
  const { figure, fonts } = await build(kind, input);
  if (format === 'png') return png(figure, fonts, fittingDpi(figure.width, figure.height, DPI));
  return renderWith(figure, fonts, format, input.subtitle ?? 'TrainLab comparison', created);
}

/** The page's preview of a figure: a PNG at most PREVIEW_WIDTH_PX wide (and at most 300 DPI). */
export async function renderComparePreview(kind: CompareFigureKind, input: CompareFigureInput): Promise<Blob> {
  const { figure, fonts } = await build(kind, input);
  const dpi = Math.min(fittingDpi(figure.width, figure.height, DPI), Math.max(1, Math.floor((PREVIEW_WIDTH_PX * 72) / figure.width)));
  return png(figure, fonts, dpi);
}
