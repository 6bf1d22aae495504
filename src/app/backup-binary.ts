// The binary files of a backup's _restore/ folder (layout in backup-format.ts), pure: the test
// predictions (predictions.bin) and the decision boundary (decision_boundary.bin), written and read
// back with every size and value checked. Typed arrays are written and read in the machine's byte
// order: little-endian on every machine a browser runs TrainLab on.
import type { StoredPredictions } from '../recorder/run-store';
import type { DecisionBoundary } from '../training/decision-boundary';

/** A backup (or one run in it) that does not fit the format: the message says where, for the user. */
export class BackupFormatError extends Error {
  override name = 'BackupFormatError';
}

export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface PredictionsEntry {
  file: string;
  samples: number;
  num_classes: number;
  /** Each test row's index into the dataset follows the probabilities (int32 × samples); false in backups made before it was kept. */
  row_index: boolean;
}

/** decision_boundary.bin's shape: a size × size grid over [x_min, x_max] × [y_min, y_max] and `points` points. */
export interface BoundaryEntry {
  file: string;
  epoch: number;
  size: number;
  x_min: number;
  x_max: number;
  y_min: number;
  y_max: number;
  points: number;
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The arrays one after the other, as bytes. */
function concatBytes(arrays: ArrayBufferView[]): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('backups are written on little-endian machines only');
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(bytesOf(a), at);
    at += a.byteLength;
  }
  return out;
}

/** Reads typed arrays one after the other from `bytes` (each copied into its own buffer, so any offset fits). */
function arrayReader(bytes: Uint8Array) {
  let at = 0;
  const take = (n: number, size: number) => bytes.slice(at, (at += n * size)).buffer;
  return { f32: (n: number) => new Float32Array(take(n, 4)), i32: (n: number) => new Int32Array(take(n, 4)), u8: (n: number) => new Uint8Array(take(n, 1)) };
}

/** Whether the row index is one a backup keeps: one non-negative index per test row. */
export const keepsRowIndex = (p: StoredPredictions): p is StoredPredictions & { rowIndex: Int32Array } =>
  p.rowIndex !== undefined && p.rowIndex.length === p.yTrue.length && p.rowIndex.every((r) => r >= 0);

/** yTrue, yPred (int32), probabilities (float32), then the row index (int32) when kept. */
export function encodePredictions(p: StoredPredictions): Uint8Array {
  return concatBytes([p.yTrue, p.yPred, p.probabilities, ...(keepsRowIndex(p) ? [p.rowIndex] : [])]);
}

/** The predictions from predictions.bin: sizes agree with the manifest, every label is a class id, every row index ≥ 0. */
export function decodePredictions(bytes: Uint8Array, p: PredictionsEntry): StoredPredictions {
  if (!LITTLE_ENDIAN) throw new BackupFormatError('backups are read on little-endian machines only');
  const n = p.samples;
  const k = p.num_classes;
  const expected = n * 8 + n * k * 4 + (p.row_index ? n * 4 : 0);
  if (bytes.byteLength !== expected) {
    const rows = p.row_index ? ' and their row indices' : '';
    throw new BackupFormatError(`${p.file} holds ${bytes.byteLength} bytes; ${n} samples × ${k} classes${rows} need ${expected}`);
  }
  const read = arrayReader(bytes);
  const yTrue = read.i32(n);
  const yPred = read.i32(n);
  const probabilities = read.f32(n * k);
  for (let i = 0; i < n; i++) {
    if (!(yTrue[i] >= 0 && yTrue[i] < k && yPred[i] >= 0 && yPred[i] < k)) {
      throw new BackupFormatError(`${p.file}: label out of range at row ${i} (classes 0..${k - 1})`);
    }
  }
  if (!p.row_index) return { yTrue, yPred, probabilities, numClasses: k };
  const rowIndex = read.i32(n);
  const bad = rowIndex.findIndex((r) => r < 0);
  if (bad >= 0) throw new BackupFormatError(`${p.file}: row index ${rowIndex[bad]} at row ${bad} is negative`);
  return { yTrue, yPred, probabilities, numClasses: k, rowIndex };
}

/** Bytes decision_boundary.bin takes: per cell a confidence (float32) and a class (uint8); per point x, y (float32), label, predicted (int32) and part (uint8). */
export const boundaryFileBytes = (size: number, points: number): number => size * size * 5 + points * 17;

/**
 * Why `b` is not a boundary a backup keeps for a run of `numClasses` classes ('' when it is): the
 * grid has size × size cells, its extent is finite and not empty, classes are class ids, the points'
 * arrays have the same length, labels are class ids, predictions class ids or −1, parts 0..2.
 */
export function boundaryProblem(b: DecisionBoundary, numClasses: number): string {
  const { grid: g, points: p } = b;
  if (!(Number.isSafeInteger(g.epoch) && g.epoch >= 0)) return `epoch ${g.epoch} is not an epoch`;
  if (!(Number.isSafeInteger(g.size) && g.size > 0)) return `grid size ${g.size} is not a positive integer`;
  const finite = [g.xMin, g.xMax, g.yMin, g.yMax].every(Number.isFinite);
  if (!finite || !(g.xMax > g.xMin && g.yMax > g.yMin)) return `the grid's extent x ${g.xMin}..${g.xMax}, y ${g.yMin}..${g.yMax} is empty or not finite`;
  const cells = g.size * g.size;
  if (g.classes.length !== cells || g.confidence.length !== cells) {
    return `a ${g.size}×${g.size} grid has ${cells} cells, but it holds ${g.classes.length} classes and ${g.confidence.length} confidences`;
  }
  const badCell = g.classes.findIndex((c) => c >= numClasses);
  if (badCell >= 0) return `cell ${badCell} has class ${g.classes[badCell]}, but the run has ${numClasses} classes`;
  const n = p.x.length;
  const lengths = [p.y, p.label, p.part, p.predicted].map((a) => a.length);
  if (lengths.some((l) => l !== n)) return `the points' arrays differ in length (x ${n}; y, label, part, predicted ${lengths.join(', ')})`;
  for (let i = 0; i < n; i++) {
    if (!(p.label[i] >= 0 && p.label[i] < numClasses)) return `point ${i} has label ${p.label[i]}, not a class of the run's ${numClasses}`;
    if (!(p.predicted[i] >= -1 && p.predicted[i] < numClasses)) return `point ${i} has predicted class ${p.predicted[i]}, not a class of the run's ${numClasses} (or −1)`;
    if (p.part[i] > 2) return `point ${i} has part ${p.part[i]} (0 train, 1 validation, 2 test)`;
  }
  return '';
}

/** The manifest entry of `b` stored as `file`. */
export function boundaryEntry(b: DecisionBoundary, file: string): BoundaryEntry {
  const g = b.grid;
  return { file, epoch: g.epoch, size: g.size, x_min: g.xMin, x_max: g.xMax, y_min: g.yMin, y_max: g.yMax, points: b.points.x.length };
}

/** confidence (float32 × cells), x, y (float32 × points), label, predicted (int32 × points), classes (uint8 × cells), part (uint8 × points). */
export function encodeBoundary(b: DecisionBoundary): Uint8Array {
  const { grid: g, points: p } = b;
  return concatBytes([g.confidence, p.x, p.y, p.label, p.predicted, g.classes, p.part]);
}

/** The boundary from decision_boundary.bin: its size agrees with the manifest entry and every value is checked (boundaryProblem). */
export function decodeBoundary(bytes: Uint8Array, e: BoundaryEntry, numClasses: number): DecisionBoundary {
  if (!LITTLE_ENDIAN) throw new BackupFormatError('backups are read on little-endian machines only');
  const cells = e.size * e.size;
  const expected = boundaryFileBytes(e.size, e.points);
  if (bytes.byteLength !== expected) {
    throw new BackupFormatError(`${e.file} holds ${bytes.byteLength} bytes; a ${e.size}×${e.size} grid and ${e.points} points need ${expected}`);
  }
  const read = arrayReader(bytes);
  const confidence = read.f32(cells);
  const [x, y, label, predicted] = [read.f32(e.points), read.f32(e.points), read.i32(e.points), read.i32(e.points)];
  const classes = read.u8(cells);
  const part = read.u8(e.points);
  const b: DecisionBoundary = {
    grid: { epoch: e.epoch, size: e.size, xMin: e.x_min, xMax: e.x_max, yMin: e.y_min, yMax: e.y_max, classes, confidence },
    points: { x, y, label, part, predicted },
  };
  const problem = boundaryProblem(b, numClasses);
  if (problem) throw new BackupFormatError(`${e.file}: ${problem}`);
  return b;
}
