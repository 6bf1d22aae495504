// The export's data/: the run's exact train / validation / test rows as the lab fed them to the model
// (after its preprocessing), with their labels and the row each came from, and the preprocessing that
// was fitted on the train split. Tables are CSV (readable, floats written in full so they read back
// exactly); images are .npy (float32, N × H × W × C) with their labels in CSV. Pure: no DOM.
import type { LabRunRecord } from '../../recorder/run-record';
import type { Standardization } from '../../training/split';
import type { DatasetSplit, SplitPart } from '../../training/types';
import { toCsv, type CsvCell } from '../csv';
import { ExportError } from '../types';
import { npyFloat32 } from './npy';

export const SPLIT_PARTS = ['train', 'val', 'test'] as const;
export type SplitPartName = (typeof SPLIT_PARTS)[number];

/** A rebuilt split, with the standardisation statistics when the lab standardised it (built-in tables). */
export type ExportSplit = DatasetSplit & { standardization?: Standardization };

/** Where one part's rows are: `rows` is a CSV (source_row, features of a table, label); `features` the images' .npy. */
export interface PartFiles {
  rows: string;
  features: string | null;
  n: number;
  class_counts: number[];
}

/** config.json's `data` block: what train.py reads. */
export interface ExportData {
  kind: 'tabular' | 'image';
  layout: string;
  feature_names: string[] | null;
  own_data: boolean;
  parts: Record<SplitPartName, PartFiles>;
  preprocessing: string;
}

export interface DataFile {
  path: string; // under the export folder
  data: string | Uint8Array;
}

export const PREPROCESSING_FILE = 'data/preprocessing.json';

/** The model's input names: a table's prepared columns ("age", "color=red"), else x1…xd. */
export function featureNames(record: LabRunRecord, split: ExportSplit): string[] {
  const f = record.dataset.data_file;
  if (f?.kind === 'table') return [...f.preprocessing.outputNames];
  const d = split.inputShape.reduce((a, b) => a * b, 1);
  return Array.from({ length: d }, (_, i) => `x${i + 1}`);
}

/** Throws an ExportError unless the rebuilt split is the one the run recorded (classes, shape, sizes, class counts). */
export function checkSplit(record: LabRunRecord, split: ExportSplit): void {
  const d = record.dataset;
  const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const problems = [
    !same(split.classNames, d.class_names) && `classes ${JSON.stringify(split.classNames)} ≠ ${JSON.stringify(d.class_names)}`,
    !same(split.inputShape, d.input_shape) && `input shape [${split.inputShape}] ≠ [${d.input_shape}]`,
    ...SPLIT_PARTS.map((p) => {
      const want = { train: d.num_train_samples, val: d.num_val_samples, test: d.num_test_samples }[p];
      return (split[p].n !== want || !same(split[p].classCounts, d.class_distribution[p])) && `${p}: ${split[p].n} rows ≠ ${want} recorded`;
    }),
  ].filter((x): x is string => typeof x === 'string');
  if (problems.length > 0) throw new ExportError(`the rebuilt split of ${record.run_id} is not the one it trained on: ${problems.join('; ')}`);
}

function tableCsv(part: SplitPart, names: string[]): string {
  const d = names.length;
  const rows = function* (): Generator<CsvCell[]> {
    for (let i = 0; i < part.n; i++) yield [part.indices[i], ...part.x.subarray(i * d, (i + 1) * d), part.y[i]];
  };
  return toCsv(['source_row', ...names, 'label'], rows());
}

function labelsCsv(part: SplitPart): string {
  return toCsv(['source_row', 'label'], Array.from(part.y, (y, i) => [part.indices[i], y]));
}

/** What the rows went through before the model, as fitted on the train split; written as data/preprocessing.json. */
export function preprocessingOf(record: LabRunRecord, split: ExportSplit): Record<string, unknown> {
  const f = record.dataset.data_file;
  if (f?.kind === 'table') {
    return { kind: 'table', about: `The rows of ${f.name} as TrainLab read and prepared them; 'fitted' turns a new row of the file into the model's input (fitted on the train split only).`, fitted: f.preprocessing };
  }
  if (f?.kind === 'images') {
    return { kind: 'images', about: `The images of ${f.name}, decoded and resized as TrainLab did (options below), pixel values in [0, 1], N × H × W × C.`, images: f.images };
  }
  const s = split.standardization;
  if (s) {
    return {
      kind: 'standardize',
      about: "Each feature standardised with the train split's statistics: x = (raw − mean) / std (population std; 1 for a constant feature).",
      mean: Array.from(s.mean),
      std: Array.from(s.std),
    };
  }
  return { kind: 'none', about: split.kind === 'image' ? 'Pixel values / 255, in [0, 1], N × H × W × C.' : 'The rows as generated, unscaled.' };
}

/** data/ for the run: its files and the `data` block of config.json. */
export function dataFiles(record: LabRunRecord, split: ExportSplit): { files: DataFile[]; data: ExportData } {
  checkSplit(record, split);
  const image = split.kind === 'image';
  const names = image ? null : featureNames(record, split);
  const files: DataFile[] = [];
  const parts = {} as Record<SplitPartName, PartFiles>;
  for (const p of SPLIT_PARTS) {
    const part = split[p];
    const rows = `data/${p}.csv`;
    const features = image ? `data/${p}_x.npy` : null;
    files.push({ path: rows, data: names ? tableCsv(part, names) : labelsCsv(part) });
    if (features) files.push({ path: features, data: npyFloat32(part.x, [part.n, ...split.inputShape]) });
    parts[p] = { rows, features, n: part.n, class_counts: [...part.classCounts] };
  }
  files.push({ path: PREPROCESSING_FILE, data: JSON.stringify(preprocessingOf(record, split), null, 2) + '\n' });
  const data: ExportData = {
    kind: image ? 'image' : 'tabular',
    layout: image ? 'N × H × W × C (channels last, as the lab)' : 'rows × features',
    feature_names: names,
    own_data: record.dataset.data_file != null,
    parts,
    preprocessing: PREPROCESSING_FILE,
  };
  return { files, data };
}
