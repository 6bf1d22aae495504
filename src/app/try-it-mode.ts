// What Try it can offer for a stored run, decided from its record alone: which weights (the best
// checkpoint, else the latest), and how new input is prepared as the training data was, or why
// Try it is not available. Pure: no DOM, no tfjs, no storage.
import { refOf } from '../recorder/checkpoint-refs';
import type { CheckpointRef, LabRunRecord, RunRecord } from '../recorder/run-record';
import { asLabRecord } from '../recorder/run-record-validate';
import type { FittedPreprocessing } from '../training/datasets/table/preprocess-types';
import type { ImagePrep } from '../training/inference-images';
import { isSyntheticDataset } from '../training/types';
import { browserRunOf } from './evaluate-run';

/**
 * How input becomes the model's input. `digits`: MNIST (draw or upload, made MNIST-like);
 * `images`: a person's image set; `table`: a person's table (its fitted preprocessing);
 * `builtin-table`: Iris or a 2-D set, standardised with the train split's statistics, which are
 * not in the record: recomputed from the split rebuilt from `source` (the run, or the browser run
 * an imported one came from).
 */
export type TryItInput =
  | { kind: 'digits'; prep: ImagePrep }
  | { kind: 'images'; prep: ImagePrep }
  | { kind: 'table'; pre: FittedPreprocessing }
  | { kind: 'builtin-table'; dataset: string; plane: boolean; source: LabRunRecord };

export type TryItPlan = { ok: true; ref: CheckpointRef; input: TryItInput } | { ok: false; reason: string };

const same = (a: readonly number[] | null, b: readonly number[]) => !!a && a.length === b.length && a.every((v, i) => v === b[i]);

function inputOf(record: RunRecord, runs: readonly RunRecord[]): TryItInput | string {
  const d = record.dataset;
  const file = d.data_file;
  if (file?.kind === 'table') return { kind: 'table', pre: file.preprocessing };
  if (file?.kind === 'images') {
    const o = file.images.options;
    return { kind: 'images', prep: { kind: 'images', size: o.size, color: o.color } };
  }
  if (d.id === 'mnist') {
    if (!same(d.input_shape, [28, 28, 1])) return `its MNIST input shape [${d.input_shape ?? ''}] is not 28 × 28 × 1`;
    return { kind: 'digits', prep: { kind: 'digits' } };
  }
  if (d.id === 'iris' || isSyntheticDataset(d.id)) {
    const source = (record.origin.kind === 'lab' ? asLabRecord(record) : null) ?? browserRunOf(record, runs);
    if (!source) return `its inputs were standardised with statistics of a split this page cannot rebuild (no run trained here on the same ${d.name} data and split)`;
    return { kind: 'builtin-table', dataset: d.id, plane: d.id !== 'iris', source };
  }
  return `how its data "${d.name}" was prepared is not known here`;
}

/** What Try it offers for `record` (`runs`: every stored run, to find the browser run of an imported one). */
export function tryItPlan(record: RunRecord, runs: readonly RunRecord[] = []): TryItPlan {
  if (record.status === 'running') return { ok: false, reason: 'Try it opens when the run has ended: it does not take time from a run that is training.' };
  const ref = refOf(record, 'best') ?? refOf(record, 'latest');
  if (!ref) {
    const why = record.origin.kind === 'imported' ? 'it was imported without its weights' : 'no weights of it are stored (none was saved, or they were deleted)';
    return { ok: false, reason: `Try it is not available: ${why}.` };
  }
  const input = inputOf(record, runs);
  if (typeof input === 'string') return { ok: false, reason: `Try it is not available: ${input}.` };
  return { ok: true, ref, input };
}

/** "the best model (epoch 4)" / "the latest weights (epoch 6)". */
export const weightsText = (ref: CheckpointRef): string => `${ref.kind === 'best' ? 'the best model' : 'the latest weights'} (epoch ${ref.epoch})`;

/** The files Predict a file takes for `input`, for a file chooser's `accept`. */
export function acceptedFiles(input: TryItInput): string {
  return input.kind === 'digits' || input.kind === 'images' ? 'image/png,image/jpeg,image/webp,image/gif,image/bmp,.zip,application/zip' : '.csv,.tsv,.txt,text/csv,text/plain';
}

/** Largest-remainder rounding: probabilities → percentages with `decimals` decimals that add up to exactly 100. */
export function percentages(probabilities: ArrayLike<number>, decimals = 1): number[] {
  const unit = 10 ** decimals;
  const p = Array.from(probabilities, (v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const total = p.reduce((a, b) => a + b, 0);
  if (total === 0) return p.map(() => 0);
  const exact = p.map((v) => (v / total) * 100 * unit);
  const floor = exact.map(Math.floor);
  let left = 100 * unit - floor.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => ({ i, r: v - floor[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floor[i]++;
    left--;
  }
  return floor.map((v) => v / unit);
}
