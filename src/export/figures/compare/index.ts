// Comparison figures (the plots of compare_models.py, without its flaws): built from a neutral
// CompareFigureInput, painted by the same renderer as the run figures into a 300-DPI PNG or a
// vector PDF with embedded fonts.
import { ExportError } from '../../types';
import type { Figure } from '../charts';
import { loadFontSet, type FontSet } from '../fonts';
import { renderWith } from '../render';
import { buildFigure, FIGURE_TITLES } from './figures';
import { displayLabels } from './labels';
import type { CompareFigureInput, CompareFigureKind } from './types';

export { COMPARE_FIGURE_KINDS } from './types';
export type { CompareCurve, CompareEntry, CompareFigureInput, CompareFigureKind } from './types';
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
  ];
}

/** `created`: the PDF's /CreationDate (comparison.zip passes its `now`; without one, the clock). */
export async function renderCompareFigure(kind: CompareFigureKind, input: CompareFigureInput, format: 'png' | 'pdf', created?: Date): Promise<Blob> {
  const fonts = await loadFontSet(compareFigureTexts(input));
  return renderWith(buildCompareFigure(kind, input, fonts), fonts, format, input.subtitle ?? 'TrainLab comparison', created);
}
