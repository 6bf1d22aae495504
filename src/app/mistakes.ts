// The model's mistakes on the test split (issue 12, point 2): which test rows it misclassified, with
// their true and predicted class, its confidence and the row's index into the dataset; sorted by
// confidence, filtered by a confusion-matrix cell. Pure: the gallery (tl-mistakes) shows what this lists.
import type { MisclassifiedImages } from '../export/types';
import type { Dataset, DatasetKind, DatasetSplit, SplitPart } from '../training/types';

/** What the test split's predictions hold (a StoredPredictions or a TestResult will do). */
export interface PredictionsInput {
  yTrue: Int32Array;
  yPred: Int32Array;
  probabilities: Float32Array; // n × numClasses, row-major
  /** Each test row's index into the dataset; absent for runs stored before it was kept. */
  rowIndex?: Int32Array;
}

export interface Mistake {
  position: number; // the row's place in the test split (test_predictions.csv's index)
  rowIndex: number | null; // its index into the dataset, when recorded
  trueClass: number;
  predicted: number;
  confidence: number; // the predicted class's probability, 0–1
}

/** A confusion-matrix cell: rows are the true class, columns the predicted one. */
export interface ConfusionCell {
  trueClass: number;
  predicted: number;
}

export type ConfidenceOrder = 'most-confident' | 'least-confident';

/** Predictions that do not fit together (lengths, class ids). */
export class MistakesError extends Error {
  override name = 'MistakesError';
}

/** Every misclassified test row, in test order; throws MistakesError when the predictions do not fit `numClasses`. */
export function listMistakes(p: PredictionsInput, numClasses: number): Mistake[] {
  const n = p.yTrue.length;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new MistakesError(`mistakes: invalid number of classes: ${numClasses}`);
  if (p.yPred.length !== n) throw new MistakesError(`mistakes: ${n} true classes but ${p.yPred.length} predictions`);
  if (p.probabilities.length !== n * numClasses) throw new MistakesError(`mistakes: ${p.probabilities.length} probabilities for ${n} rows × ${numClasses} classes`);
  if (p.rowIndex && p.rowIndex.length !== n) throw new MistakesError(`mistakes: ${p.rowIndex.length} row indices for ${n} test rows`);
  const out: Mistake[] = [];
  for (let i = 0; i < n; i++) {
    const [t, y] = [p.yTrue[i], p.yPred[i]];
    if (!(t >= 0 && t < numClasses && y >= 0 && y < numClasses)) throw new MistakesError(`mistakes: class out of range at test row ${i} (classes 0..${numClasses - 1})`);
    if (t === y) continue;
    out.push({ position: i, rowIndex: p.rowIndex ? p.rowIndex[i] : null, trueClass: t, predicted: y, confidence: p.probabilities[i * numClasses + y] });
  }
  return out;
}

/** A sorted copy: by confidence (ties in test order). */
export function sortMistakes(list: readonly Mistake[], order: ConfidenceOrder): Mistake[] {
  const sign = order === 'most-confident' ? -1 : 1;
  return [...list].sort((a, b) => sign * (a.confidence - b.confidence) || a.position - b.position);
}

/** The mistakes of one confusion-matrix cell; all of them for null. */
export function mistakesOfCell(list: readonly Mistake[], cell: ConfusionCell | null): Mistake[] {
  return cell ? list.filter((m) => m.trueClass === cell.trueClass && m.predicted === cell.predicted) : [...list];
}

/** "cat → dog (87.5 %)" */
export function mistakeCaption(m: Mistake, classNames: readonly string[]): string {
  return `${classNames[m.trueClass] ?? m.trueClass} → ${classNames[m.predicted] ?? m.predicted} (${(m.confidence * 100).toFixed(1)} %)`;
}

/**
 * Where the gallery finds each mistake's features: the dataset's rows, indexed by rowIndex (images
 * and tables alike, a table's values as read), or the test split's own rows, indexed by position
 * (when only the split is at hand: a table's values then as the model saw them, standardised).
 */
export interface MistakeSamples {
  kind: DatasetKind;
  inputShape: number[];
  features: Float32Array; // row-major
  by: 'rowIndex' | 'position';
  featureNames?: string[];
  /** Draw 1 as black (MNIST's ink on white), as the dataset's own thumbnails do. */
  invert?: boolean;
}

/** Which row of the samples' features holds the mistake; -1 when it cannot be found. */
export function sampleRow(s: MistakeSamples, m: Mistake): number {
  const row = s.by === 'position' ? m.position : (m.rowIndex ?? -1);
  const d = s.inputShape.reduce((a, b) => a * b, 1);
  return row >= 0 && (row + 1) * d <= s.features.length ? row : -1;
}

/** The mistake's row of features; null without its row or past the data's end. */
export function sampleOf(s: MistakeSamples, m: Mistake): Float32Array | null {
  const row = sampleRow(s, m);
  const d = s.inputShape.reduce((a, b) => a * b, 1);
  return row < 0 ? null : s.features.subarray(row * d, (row + 1) * d);
}

/** What the samples need of the data: the dataset (its rows), or only the split (its test rows). */
export interface SampleSource {
  split: Pick<DatasetSplit, 'kind' | 'inputShape' | 'datasetId'> & { test: Pick<SplitPart, 'x' | 'indices'> };
  dataset: Pick<Dataset, 'kind' | 'inputShape' | 'features' | 'id'> | null;
  featureNames?: string[];
}

/** The samples of a split's test rows: the dataset's rows when it is at hand, else the split's. */
export function samplesFrom({ split, dataset, featureNames }: SampleSource): MistakeSamples {
  const invert = split.datasetId === 'mnist';
  if (dataset) return { kind: dataset.kind, inputShape: dataset.inputShape, features: dataset.features, by: 'rowIndex', featureNames, invert };
  return { kind: split.kind, inputShape: split.inputShape, features: split.test.x, by: 'position', featureNames, invert };
}

/** '' when the recorded test rows are the split's (same rows, same order); else why not. */
export function sameTestRows(rowIndex: Int32Array, split: { test: Pick<SplitPart, 'indices'> }): string {
  const rows = split.test.indices;
  if (rows.length === rowIndex.length && rows.every((r, i) => r === rowIndex[i])) return '';
  return `The rebuilt split's test rows are not the ones this run recorded: no gallery.`;
}

/** What the gallery shows: the mistakes and where their features are, or why there are none to show. */
export interface MistakesGallery {
  mistakes: Mistake[];
  samples: MistakeSamples | null;
  /** Why there is no gallery ('' when there is one). */
  unavailable: string;
}

export const STORED_BEFORE_ROWS = 'This run was stored before its test rows were recorded: no gallery.';

/** The gallery for predictions and the data they index (null: the data is not at hand, say `why`). */
export function mistakesGallery(p: PredictionsInput, numClasses: number, samples: MistakeSamples | null, why = ''): MistakesGallery {
  const mistakes = listMistakes(p, numClasses);
  if (!p.rowIndex) return { mistakes, samples: null, unavailable: STORED_BEFORE_ROWS };
  return { mistakes, samples, unavailable: samples ? '' : why || 'The data of this run is not at hand here: no gallery.' };
}

/** At most this many images go into misclassified.png. */
export const MISCLASSIFIED_FIGURE_MAX = 64;

/**
 * The export's misclassified images (misclassified.png): the most confident mistakes first, with
 * their pixels copied out of the data; null for a table or a gallery without its data.
 */
export function misclassifiedImages(g: MistakesGallery, max = MISCLASSIFIED_FIGURE_MAX): MisclassifiedImages | null {
  const s = g.samples;
  if (!s || s.kind !== 'image' || g.mistakes.length === 0) return null;
  const d = s.inputShape.reduce((a, b) => a * b, 1);
  const chosen = sortMistakes(g.mistakes, 'most-confident').filter((m) => sampleRow(s, m) >= 0).slice(0, max);
  const pixels = new Float32Array(chosen.length * d);
  chosen.forEach((m, k) => pixels.set(sampleOf(s, m)!, k * d));
  const items = chosen.map(({ trueClass, predicted, confidence, position }) => ({ trueClass, predicted, confidence, position }));
  return { imageShape: [...s.inputShape], pixels, invert: s.invert ?? false, items, total: g.mistakes.length };
}
