// Try it on a built-in tabular set (Iris, the 2-D sets): the run trained on inputs standardised with
// its train split's mean and std (split.ts), which the record does not keep. They are recomputed
// from the split rebuilt as Resume rebuilds it (rebuildCheckedData: same data by SHA-256, same
// seed and ratios), and expressed as a FittedPreprocessing over the set's column names (Iris: the
// header of iris.csv, read with the own-data table reader; 2-D sets: x1, x2, as the PyTorch export
// names them). For a 2-D set, its points in their own coordinates, for the plane to click on.
import type { LabRunRecord } from '../recorder/run-record';
import { publicBaseUrl } from '../training/datasets/dataset-client';
import { fetchOrExplain } from '../training/datasets/errors';
import { IRIS_PATH } from '../training/datasets/iris';
import { readTable } from '../training/datasets/table/csv-read';
import type { FittedPreprocessing } from '../training/datasets/table/preprocess-types';
import { standardizedPreprocessing } from '../training/inference-rows';
import type { StandardizedSplit } from '../training/split';
import { BOUNDARY_MARGIN } from '../training/decision-boundary';
import { rebuildRunData, type DataAccess } from './run-continuation';

export interface PlanePoints {
  x: number[];
  y: number[];
  label: number[];
  bounds: { x: [number, number]; y: [number, number] };
}

/** Points drawn on the plane at most. */
const MAX_POINTS = 800;

/** Iris's feature columns: iris.csv's header without its label (last) column. */
async function irisColumns(): Promise<string[]> {
  const res = await fetchOrExplain(fetch, `${publicBaseUrl()}${IRIS_PATH}`, 'the Iris data set');
  const table = await readTable(await res.blob());
  return table.header.slice(0, -1);
}

/** The split's train and test points in the data's own coordinates (standardisation undone), and their range with a margin. */
export function planePoints(split: StandardizedSplit): PlanePoints {
  const s = split.standardization;
  const raw = (v: number, j: number) => (s ? v * s.std[j] + s.mean[j] : v);
  const out: PlanePoints = { x: [], y: [], label: [], bounds: { x: [0, 0], y: [0, 0] } };
  const parts = [split.train, split.test];
  const total = parts.reduce((n, p) => n + p.n, 0);
  const step = Math.max(1, Math.ceil(total / MAX_POINTS));
  let i = 0;
  for (const p of parts) {
    for (let r = 0; r < p.n; r++, i++) {
      if (i % step) continue;
      out.x.push(raw(p.x[2 * r], 0));
      out.y.push(raw(p.x[2 * r + 1], 1));
      out.label.push(p.y[r]);
    }
  }
  const range = (v: number[]): [number, number] => {
    const [lo, hi] = [Math.min(...v), Math.max(...v)];
    const pad = (hi - lo || 1) * BOUNDARY_MARGIN;
    return [lo - pad, hi + pad];
  };
  out.bounds = { x: range(out.x), y: range(out.y) };
  return out;
}

/** The preprocessing of `source`'s built-in tabular set, and its plane when it has two features. */
export async function builtinTable(source: LabRunRecord, dataset: string, data: DataAccess): Promise<{ pre: FittedPreprocessing; plane: PlanePoints | null }> {
  const { split } = await rebuildRunData(source, data, 'try');
  const s = (split as StandardizedSplit).standardization;
  const d = split.inputShape[0];
  const stats = s ?? { mean: new Float32Array(d), std: new Float32Array(d).fill(1) };
  const columns = dataset === 'iris' ? await irisColumns() : Array.from({ length: d }, (_, i) => `x${i + 1}`);
  const pre = standardizedPreprocessing(columns, stats, split);
  return { pre, plane: d === 2 && dataset !== 'iris' ? planePoints(split) : null };
}
