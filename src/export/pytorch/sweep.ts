// Export a sweep as PyTorch: `{sweep_id}_pytorch.zip` with one train.py and one data/ (the runs of a
// sweep share their split: the same data and split seed, checked), a configuration and the initial
// weights of each run (configs/{run_id}.json, initial_models/{run_id}/), sweep.json listing them, and
// run_sweep.py, which runs them one after another or one by index (a cluster array job).
import type { LabRunRecord } from '../../recorder/run-record';
import type { SweepRecord } from '../../recorder/sweep-record';
import type { SavedModel } from '../../training/types';
import { ExportError } from '../types';
import { writeZip, type ZipEntry } from '../zip';
import { checkSplit, dataFiles, SPLIT_PARTS, type ExportData, type ExportSplit } from './data-files';
import { exportConfig, type InitialModelFiles } from './export-config';
import { checkLabRun, initialModelEntries, TRAIN_PY } from './index';
import RUN_SWEEP_PY from './run_sweep.py?raw';
import { sweepReadmeMd, type SweepExportRun } from './sweep-readme';

export { RUN_SWEEP_PY };

/** One run of the sweep: its record and its starting model (as for one run's export). */
export interface SweepRunInput {
  record: LabRunRecord;
  initial: SavedModel | null;
  topology: SavedModel | null;
}

export interface PytorchSweepInput {
  sweep: SweepRecord;
  runs: SweepRunInput[]; // in the sweep's order
  split: ExportSplit; // the split all of them trained on (rebuilt once)
  exportedAt: Date;
}

export const pytorchSweepZipName = (sweep: SweepRecord): string => `${sweep.sweep_id}_pytorch.zip`;
export const pytorchSweepFolder = (sweep: SweepRecord): string => `${sweep.sweep_id}_pytorch`;

const CONFIGS = 'configs';
const INITIAL_MODELS = 'initial_models';

/** Throws an ExportError unless the runs are of this sweep, ended, and share one data set and split seed. */
export function checkSweepRuns(sweep: SweepRecord, runs: readonly SweepRunInput[]): void {
  if (runs.length === 0) throw new ExportError(`${sweep.sweep_id} has no run that ended with its results stored: nothing to export`);
  const first = runs[0].record;
  const key = (r: LabRunRecord) => `data SHA-256 ${r.dataset.sha256.slice(0, 12)}…, split seed ${r.config.split_seed}`;
  for (const { record } of runs) {
    checkLabRun(record);
    if (record.sweep_id !== sweep.sweep_id) throw new ExportError(`${record.run_id} is not a run of ${sweep.sweep_id}`);
    if (record.status === 'running') throw new ExportError(`${record.run_id} is still training: export the sweep once it has ended`);
    if (record.dataset.sha256 !== first.dataset.sha256 || record.config.split_seed !== first.config.split_seed) {
      throw new ExportError(`the runs of ${sweep.sweep_id} do not share one split (${first.run_id}: ${key(first)}; ${record.run_id}: ${key(record)}): export them one by one`);
    }
  }
}

/** The data block as seen from configs/: its paths one folder up. */
function fromConfigs(data: ExportData): ExportData {
  const up = (p: string) => `../${p}`;
  const parts = Object.fromEntries(SPLIT_PARTS.map((p) => [p, { ...data.parts[p], rows: up(data.parts[p].rows), features: data.parts[p].features && up(data.parts[p].features) }]));
  return { ...data, parts: parts as ExportData['parts'], preprocessing: up(data.preprocessing) };
}

const upFiles = (f: InitialModelFiles | null): InitialModelFiles | null => f && { model_json: `../${f.model_json}`, weights: f.weights && `../${f.weights}` };

/** Every file of the sweep's export, its path under the export folder; throws ExportError when the runs cannot share one. */
export function pytorchSweepFiles(input: PytorchSweepInput): ZipEntry[] {
  const { sweep, runs, split, exportedAt } = input;
  checkSweepRuns(sweep, runs);
  for (const { record } of runs) checkSplit(record, split);
  const { files, data } = dataFiles(runs[0].record, split);
  const configData = fromConfigs(data);
  const entries: ZipEntry[] = [];
  const listed: SweepExportRun[] = [];
  for (const { record, initial, topology } of runs) {
    const model = initialModelEntries(`${INITIAL_MODELS}/${record.run_id}`, initial, topology);
    const config = `${CONFIGS}/${record.run_id}.json`;
    entries.push({ path: config, data: JSON.stringify(exportConfig(record, configData, upFiles(model.files), exportedAt), null, 2) + '\n' }, ...model.entries);
    const planned = sweep.runs.find((r) => r.run_id === record.run_id);
    listed.push({ record, config, values: planned?.values ?? {}, seed: planned?.seed ?? record.config.seed, initialWeights: initial !== null });
  }
  const manifest = {
    format: 'trainlab-pytorch-sweep',
    version: 1,
    sweep_id: sweep.sweep_id,
    name: sweep.name,
    swept_keys: sweep.swept_keys,
    definition: sweep.definition,
    runs: listed.map((r) => ({ run_id: r.record.run_id, config: r.config, values: r.values, seed: r.seed })),
  };
  return [
    { path: 'train.py', data: TRAIN_PY },
    { path: 'run_sweep.py', data: RUN_SWEEP_PY },
    { path: 'sweep.json', data: JSON.stringify(manifest, null, 2) + '\n' },
    { path: 'README.md', data: sweepReadmeMd(sweep, listed, data) },
    ...entries,
    ...files,
  ];
}

/** The zip, everything under `{sweep_id}_pytorch/`; abort() on the signal stops it. */
export async function buildPytorchSweepZip(input: PytorchSweepInput, opts: { signal?: AbortSignal; onProgress?: (fraction: number, file: string) => void } = {}): Promise<Blob> {
  const root = pytorchSweepFolder(input.sweep);
  const entries = pytorchSweepFiles(input).map((e) => ({ ...e, path: `${root}/${e.path}` }));
  return writeZip(entries, { date: input.exportedAt, signal: opts.signal, onProgress: opts.onProgress });
}
