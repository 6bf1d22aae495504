// The decision boundary of a 2-feature model (issue 12), the pure part: where the grid lies on the
// plane (in the dataset's own feature units, as the scatter plot shows them), the grid's cell
// centres turned into the model's input with the transform the split was made with, the model's
// probabilities turned into a class and a confidence per cell, and the dataset's points as a stored
// figure needs them. No tfjs here: the trainer predicts (decision-boundary-model.ts); views and
// exporters read the result.
import type { BoundaryGrid } from './learned-types';
import { argmaxRow } from './metrics';
import type { Standardization, StandardizedSplit } from './split';
import type { DatasetSplit } from './types';
import type { FittedPreprocessing } from './datasets/table/preprocess-types';

/** Cells per side of the grid. */
export const BOUNDARY_SIZE = 100;
/** Room left around the points, as a share of each axis's span. */
export const BOUNDARY_MARGIN = 0.08;
/** The most classes a grid stores (one byte per cell). */
export const BOUNDARY_MAX_CLASSES = 256;

/** How a point in the dataset's units becomes the model's input: (raw − offset) / scale, per feature. */
export interface PlaneTransform {
  offset: readonly [number, number];
  scale: readonly [number, number];
}

export interface PlaneExtent {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The points of a run's dataset as the stored figure draws them, in the dataset's own units. */
export interface BoundaryPoints {
  x: Float32Array;
  y: Float32Array;
  label: Int32Array;
  /** 0 train, 1 validation, 2 test. */
  part: Uint8Array;
  /** The tested model's class for a test point; −1 for the others. */
  predicted: Int32Array;
}

export const POINT_PARTS = ['train', 'val', 'test'] as const;

/** What a run stores of its decision boundary: the tested weights' map and the points drawn over it. */
export interface DecisionBoundary {
  grid: BoundaryGrid;
  points: BoundaryPoints;
}

/** A split that may carry the statistics it was standardised with. */
export type PlaneSplit = StandardizedSplit;

/** The plane transform of a standardisation (model input = (value − mean) / std; a zero std counts as 1). */
const planeFrom = (s: Standardization): PlaneTransform => ({ offset: [s.mean[0], s.mean[1]], scale: [s.std[0] || 1, s.std[1] || 1] });

/** The transform of a 2-feature tabular split (its standardisation, else none); null for any other split. */
export function planeOf(split: PlaneSplit): PlaneTransform | null {
  if (split.kind !== 'tabular' || split.inputShape.length !== 1 || split.inputShape[0] !== 2) return null;
  if (split.classNames.length > BOUNDARY_MAX_CLASSES) return null;
  const s = split.standardization;
  return s ? planeFrom(s) : { offset: [0, 0], scale: [1, 1] };
}

/**
 * A table's fitted preprocessing as a standardisation (offset and scale per feature) when it makes
 * exactly two numeric inputs; null otherwise (a category's one-hot columns have no plane).
 */
export function tableStandardization(p: FittedPreprocessing): Standardization | null {
  if (p.inputs.length !== 2 || p.outputNames.length !== 2) return null;
  const mean = new Float32Array(2);
  const std = new Float32Array(2);
  for (const [k, input] of p.inputs.entries()) {
    if (input.kind !== 'numeric') return null;
    const s = input.scaler;
    [mean[k], std[k]] = s.scaling === 'standard' ? [s.mean, s.std || 1] : s.scaling === 'minmax' ? [s.min, s.max - s.min || 1] : [0, 1];
  }
  return { mean, std };
}

/** Row-major model inputs (n × 2) back in the dataset's units. */
export function toPlane(x: ArrayLike<number>, plane: PlaneTransform): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * plane.scale[i % 2] + plane.offset[i % 2];
  return out;
}

/**
 * The plane's extent around the points (x[i], y[i]) with a margin. When the two spans are
 * comparable (within 3×) both axes get the same scale, so shapes keep their proportions.
 */
export function pointsExtent(xs: ArrayLike<number>, ys: ArrayLike<number>, margin = BOUNDARY_MARGIN): PlaneExtent {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < xs.length; i++) {
    const [x, y] = [xs[i], ys[i]];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
  }
  if (x0 > x1) [x0, x1, y0, y1] = [-1, 1, -1, 1];
  let hx = (x1 - x0) / 2 || 0.5;
  let hy = (y1 - y0) / 2 || 0.5;
  if (Math.max(hx, hy) / Math.min(hx, hy) <= 3) hx = hy = Math.max(hx, hy);
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  return { xMin: cx - hx * (1 + 2 * margin), xMax: cx + hx * (1 + 2 * margin), yMin: cy - hy * (1 + 2 * margin), yMax: cy + hy * (1 + 2 * margin) };
}

/** The extent of every point of the split (train, validation and test), in the dataset's units. */
export function splitExtent(split: DatasetSplit, plane: PlaneTransform): PlaneExtent {
  const p = boundaryPoints(split, plane, null);
  return pointsExtent(p.x, p.y);
}

/**
 * The model's inputs at the centres of a size × size grid over `extent` (row-major, size² × 2):
 * row 0 is yMin (the bottom), column 0 is xMin, as BoundaryGrid lays out its cells.
 */
export function gridInputs(extent: PlaneExtent, size: number, plane: PlaneTransform): Float32Array {
  const out = new Float32Array(size * size * 2);
  const dx = (extent.xMax - extent.xMin) / size;
  const dy = (extent.yMax - extent.yMin) / size;
  for (let r = 0; r < size; r++) {
    const y = (extent.yMin + (r + 0.5) * dy - plane.offset[1]) / plane.scale[1];
    for (let c = 0; c < size; c++) {
      const i = 2 * (r * size + c);
      out[i] = (extent.xMin + (c + 0.5) * dx - plane.offset[0]) / plane.scale[0];
      out[i + 1] = y;
    }
  }
  return out;
}

/** The grid of predicted classes and their probabilities from the model's probabilities (size² × numClasses, row-major). */
export function gridFromProbabilities(probabilities: ArrayLike<number>, numClasses: number, extent: PlaneExtent, size: number, epoch: number): BoundaryGrid {
  const cells = size * size;
  if (probabilities.length !== cells * numClasses) {
    throw new RangeError(`boundary grid: ${probabilities.length} probabilities for ${cells} cells × ${numClasses} classes`);
  }
  if (numClasses > BOUNDARY_MAX_CLASSES) throw new RangeError(`boundary grid: ${numClasses} classes (at most ${BOUNDARY_MAX_CLASSES})`);
  const classes = new Uint8Array(cells);
  const confidence = new Float32Array(cells);
  for (let i = 0; i < cells; i++) {
    const best = argmaxRow(probabilities, numClasses, i);
    classes[i] = best;
    confidence[i] = probabilities[i * numClasses + best];
  }
  return { epoch, size, ...extent, classes, confidence };
}

/** The grid's class at a point of the plane (the cell it falls in, clamped to the grid's edge). */
export function gridClassAt(grid: BoundaryGrid, x: number, y: number): number {
  const clamp = (v: number) => Math.min(grid.size - 1, Math.max(0, Math.floor(v)));
  const c = clamp(((x - grid.xMin) / (grid.xMax - grid.xMin)) * grid.size);
  const r = clamp(((y - grid.yMin) / (grid.yMax - grid.yMin)) * grid.size);
  return grid.classes[r * grid.size + c];
}

/**
 * Every point of the split in the dataset's units, with its part and, for test points, the class
 * the tested model gave it (`testPredicted`, in the test part's row order).
 */
export function boundaryPoints(split: DatasetSplit, plane: PlaneTransform, testPredicted: ArrayLike<number> | null): BoundaryPoints {
  const n = split.train.n + split.val.n + split.test.n;
  const points: BoundaryPoints = { x: new Float32Array(n), y: new Float32Array(n), label: new Int32Array(n), part: new Uint8Array(n), predicted: new Int32Array(n).fill(-1) };
  let at = 0;
  POINT_PARTS.forEach((name, p) => {
    const part = split[name];
    const xy = toPlane(part.x, plane);
    for (let i = 0; i < part.n; i++, at++) {
      points.x[at] = xy[2 * i];
      points.y[at] = xy[2 * i + 1];
      points.label[at] = part.y[i];
      points.part[at] = p;
      if (name === 'test' && testPredicted) points.predicted[at] = testPredicted[i];
    }
  });
  return points;
}

/**
 * When the next map is due: when the maps drawn so far plus the next one's expected cost (the last
 * map's, or a map timed before training: `expect`) stay within `share` of the training time so far.
 * A slow backend or a small epoch draws fewer maps, later; the run's final map is drawn whatever the
 * budget.
 */
export class BoundaryBudget {
  private spent = 0;
  private trained = 0;
  private lastMap: number | null = null;
  constructor(private readonly share = 0.05) {}

  /** What a map is expected to cost (seconds) until one is drawn while training. */
  expect(seconds: number): void {
    this.lastMap ??= seconds;
  }

  /** Call after each epoch's training with its seconds; says whether a map fits now. */
  due(epochSeconds: number): boolean {
    this.trained += epochSeconds;
    return this.spent + (this.lastMap ?? 0) <= this.share * this.trained;
  }

  /** Call with the seconds a map took. */
  spend(seconds: number): void {
    this.spent += seconds;
    this.lastMap = seconds;
  }

  get overhead(): number {
    return this.trained > 0 ? this.spent / this.trained : 0;
  }
}

/** The split to train on, carrying its table's transform when a person's own 2-feature table made it (so the trainer can map the plane). */
export function withTableStandardization(split: PlaneSplit, preprocessing: FittedPreprocessing | null | undefined): PlaneSplit {
  const s = !split.standardization && preprocessing ? tableStandardization(preprocessing) : null;
  return s ? { ...split, standardization: s } : split;
}

/** Points as a scatter plot draws them: parts and test predictions only when known. */
export type PlotPoints = Pick<BoundaryPoints, 'x' | 'y' | 'label'> & { part?: Uint8Array; predicted?: Int32Array };

/**
 * A dataset's points (interleaved features in its own units) for the scatter plot, with each row's
 * part when the split is known and, after a test, each test row's predicted class (`testPredicted`
 * in the test part's order, matched to rows through split.test.indices).
 */
export function datasetPoints(features: Float32Array, labels: Int32Array, split?: DatasetSplit, testPredicted?: ArrayLike<number> | null): PlotPoints {
  const n = labels.length;
  const points: PlotPoints = { x: new Float32Array(n), y: new Float32Array(n), label: labels };
  for (let i = 0; i < n; i++) [points.x[i], points.y[i]] = [features[2 * i], features[2 * i + 1]];
  if (!split) return points;
  const part = new Uint8Array(n);
  POINT_PARTS.forEach((name, p) => split[name].indices.forEach((row) => (part[row] = p)));
  points.part = part;
  if (testPredicted && testPredicted.length === split.test.n) {
    points.predicted = new Int32Array(n).fill(-1);
    split.test.indices.forEach((row, i) => (points.predicted![row] = testPredicted[i]));
  }
  return points;
}

/** Whether a test point is misclassified: by its predicted class when known, else by the map's class where it lies. */
export function misclassified(points: PlotPoints, i: number, grid?: BoundaryGrid): boolean {
  if (points.part?.[i] !== 2) return false;
  const predicted = points.predicted?.[i] ?? -1;
  if (predicted >= 0) return predicted !== points.label[i];
  return grid ? gridClassAt(grid, points.x[i], points.y[i]) !== points.label[i] : false;
}

const tablePlanes = new WeakMap<FittedPreprocessing, PlaneTransform | null>();

/** A person's own 2-feature table's transform (model input = (value − offset) / scale), the same object for the same preprocessing; null when it has no plane. */
export function tablePlane(p: FittedPreprocessing | null | undefined): PlaneTransform | null {
  if (!p) return null;
  if (!tablePlanes.has(p)) {
    const s = tableStandardization(p);
    tablePlanes.set(p, s && planeFrom(s));
  }
  return tablePlanes.get(p)!;
}
