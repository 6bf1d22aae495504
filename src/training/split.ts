// Seeded, stratified train/val/test split. For each class its row indices are shuffled and cut
// into round(n_c * train), round(n_c * val) and the rest (test), so every part keeps the class
// proportions; then the rows of each part are shuffled. stratifiedSplitIndices gives that split as
// row indices alone (a table is split before its preprocessing is fitted on the train rows);
// splitByIndices gathers a dataset's rows into it. Optional z-score standardisation uses
// the train part's per-feature mean and (population) std only, applied to all three parts.

import { validateRatios } from './config';
import { createRng } from './rng';
import type { Dataset, DatasetSplit, SplitPart, SplitRatios } from './types';

export class SplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitError';
  }
}

export interface SplitOptions {
  standardize?: boolean;
}

/** Per-feature train statistics; x' = (x - mean) / std. A constant feature gets std 1. */
export interface Standardization {
  mean: Float32Array;
  std: Float32Array;
}

/** A DatasetSplit, plus the statistics when it was standardised (to transform new inputs alike). */
export type StandardizedSplit = DatasetSplit & { standardization?: Standardization };

const PARTS = ['train', 'val', 'test'] as const;
const fmt = (v: number): string => String(Number(v.toPrecision(6)));

function indicesByClass(labels: ArrayLike<number>, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row];
    if (!(label >= 0 && label < numClasses)) throw new SplitError(`row ${row} has label ${label}, outside 0..${numClasses - 1}`);
    byClass[label].push(row);
  }
  return byClass;
}

/** Row indices of each part (into the labels' rows): the stratified split's result before any data is gathered. */
export type SplitIndices = Record<(typeof PARTS)[number], number[]>;

/**
 * The stratified split of rows with these labels, as row indices only: class by class, then
 * shuffled within each part. splitDataset uses it, so a table can be split (and its preprocessing
 * fitted on the train rows) before its features are transformed, with the very same result.
 */
export function stratifiedSplitIndices(labels: ArrayLike<number>, classNames: readonly string[], ratios: SplitRatios, seed: number): SplitIndices {
  const problem = Object.values(validateRatios(ratios))[0];
  if (problem) throw new SplitError(problem);
  const rng = createRng(seed);
  const parts: SplitIndices = { train: [], val: [], test: [] };
  indicesByClass(labels, classNames.length).forEach((rows, c) => {
    const n = rows.length;
    const nTrain = Math.round(n * ratios.train);
    const nVal = Math.min(Math.round(n * ratios.val), n - nTrain);
    if (nTrain === 0) {
      throw new SplitError(
        `class "${classNames[c]}" has ${n} sample${n === 1 ? '' : 's'}: too few for one in train at ratio ${fmt(ratios.train)}`,
      );
    }
    rng.shuffle(rows);
    rows.forEach((row, i) => (i < nTrain ? parts.train : i < nTrain + nVal ? parts.val : parts.test).push(row));
  });
  for (const part of PARTS) {
    if (parts[part].length === 0) {
      throw new SplitError(`the ${part} part would be empty (${fmt(ratios[part])} of ${labels.length} samples)`);
    }
    rng.shuffle(parts[part]);
  }
  return parts;
}

/** Samples per class of integer labels in [0, numClasses). */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

function gather(ds: Dataset, rows: number[], d: number): SplitPart {
  const x = new Float32Array(rows.length * d);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    x.set(ds.features.subarray(row * d, (row + 1) * d), i * d);
    y[i] = ds.labels[row];
  });
  return { x, y, n: rows.length, indices: Int32Array.from(rows), classCounts: classCounts(y, ds.classNames.length) };
}

/**
 * Per-column mean and population std of row-major values with `d` columns, in float64; a constant
 * (or empty) column gets std 1. The one place this statistic is computed (split, table preprocessing).
 */
export function columnMeanStd(x: ArrayLike<number>, d: number): { mean: Float64Array; std: Float64Array } {
  const n = x.length / d;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < x.length; i++) mean[i % d] += x[i];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < x.length; i++) sq[i % d] += (x[i] - mean[i % d]) ** 2;
  return { mean, std: sq.map((s) => Math.sqrt(s / n) || 1) };
}

export function computeStandardization(x: Float32Array, d: number): Standardization {
  const { mean, std } = columnMeanStd(x, d);
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

export function applyStandardization(x: Float32Array, s: Standardization): void {
  const d = s.mean.length;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - s.mean[i % d]) / s.std[i % d];
}

/** Values per sample; throws when the dataset's arrays do not match its sample count. */
function featureSize(ds: Dataset): number {
  const d = ds.inputShape.reduce((a, b) => a * b, 1);
  if (ds.features.length !== ds.numSamples * d || ds.labels.length !== ds.numSamples) {
    throw new SplitError(`dataset "${ds.name}" is inconsistent: ${ds.numSamples} samples of ${d} features`);
  }
  return d;
}

/** The DatasetSplit of `ds` whose parts hold the given rows (as stratifiedSplitIndices gave them), in that order. */
export function splitByIndices(ds: Dataset, rows: SplitIndices, ratios: SplitRatios, seed: number): DatasetSplit {
  const d = featureSize(ds);
  const [train, val, test] = PARTS.map((p) => gather(ds, rows[p], d));
  return {
    datasetId: ds.id,
    kind: ds.kind,
    inputShape: [...ds.inputShape],
    classNames: [...ds.classNames],
    seed,
    ratios: { ...ratios },
    train,
    val,
    test,
  };
}

export function splitDataset(ds: Dataset, ratios: SplitRatios, seed: number, opts: SplitOptions = {}): StandardizedSplit {
  const problem = Object.values(validateRatios(ratios))[0];
  if (problem) throw new SplitError(problem);
  const d = featureSize(ds);
  const split: StandardizedSplit = splitByIndices(ds, stratifiedSplitIndices(ds.labels, ds.classNames, ratios, seed), ratios, seed);
  if (opts.standardize) {
    const s = computeStandardization(split.train.x, d);
    for (const part of [split.train, split.val, split.test]) applyStandardization(part.x, s);
    split.standardization = s;
  }
  return split;
}
