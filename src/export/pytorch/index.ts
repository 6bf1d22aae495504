// Export as PyTorch: a LabRunRecord, its rebuilt split and its initial weights → `{run_id}_pytorch.zip`
// with train.py (plain PyTorch), config.json, data/, initial_model/ and README.md, all under
// `{run_id}_pytorch/`. train.py is kept as a Python file beside this module and bundled as text.
import type { LabRunRecord } from '../../recorder/run-record';
import type { SavedModel } from '../../training/types';
import { modelFiles, modelJson } from '../model-files';
import { ExportError } from '../types';
import { writeZip, type ZipEntry } from '../zip';
import { dataFiles, type ExportSplit } from './data-files';
import { exportConfig, type InitialModelFiles } from './export-config';
import { readmeMd } from './readme';
import TRAIN_PY from './train.py?raw';

export { TRAIN_PY };

export interface PytorchExportInput {
  record: LabRunRecord;
  split: ExportSplit;
  /** The run's initial snapshot (checkpoint 'initial'; its optimizer state is left out), or null for a run stored before they were kept. */
  initial: SavedModel | null;
  /** Without initial weights: a stored snapshot whose topology the tfjs files use (its weights are not written). */
  topology: SavedModel | null;
  exportedAt: Date;
}

export const pytorchZipName = (record: LabRunRecord): string => `${record.run_id}_pytorch.zip`;
export const pytorchFolder = (record: LabRunRecord): string => `${record.run_id}_pytorch`;

const INITIAL_FOLDER = 'initial_model';

/**
 * A snapshot's model weights alone, as tf.loadLayersModel and train.py want them: tfjs saves the
 * model's weights (float32) first and the optimizer's after them, so they are a prefix of its data.
 */
export function modelWeightsOnly(m: SavedModel): SavedModel {
  const own = m.weightSpecs.filter((w) => w.group !== 'optimizer');
  if (m.weightSpecs.slice(0, own.length).some((w) => w.group === 'optimizer' || w.dtype !== 'float32')) {
    throw new ExportError(`unexpected weights in the snapshot: ${m.weightSpecs.map((w) => `${w.name} (${w.dtype})`).join(', ')}`);
  }
  const bytes = own.reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
  if (bytes > m.weightData.byteLength) throw new ExportError(`the snapshot's weights have ${m.weightData.byteLength} bytes, its specs describe ${bytes}`);
  return { modelTopology: m.modelTopology, weightSpecs: own, weightData: m.weightData.slice(0, bytes), format: m.format, generatedBy: m.generatedBy, convertedBy: m.convertedBy };
}

/** The starting model's files under `folder` (the initial weights, else another snapshot's topology) and where config.json finds them. */
export function initialModelEntries(folder: string, initial: SavedModel | null, topology: SavedModel | null): { entries: ZipEntry[]; files: InitialModelFiles | null } {
  if (initial) {
    const entries = modelFiles(modelWeightsOnly(initial)).map((f) => ({ path: `${folder}/${f.name}`, data: f.data, store: typeof f.data !== 'string' }));
    return { entries, files: { model_json: `${folder}/model.json`, weights: `${folder}/weights.bin` } };
  }
  if (topology) {
    const model = modelWeightsOnly(topology);
    const data = JSON.stringify({ ...modelJson(model), weightsManifest: [{ paths: [], weights: model.weightSpecs }] });
    return { entries: [{ path: `${folder}/model.json`, data }], files: { model_json: `${folder}/model.json`, weights: null } };
  }
  return { entries: [], files: null };
}

/** Throws an ExportError unless the run was trained in this lab. */
export function checkLabRun(record: LabRunRecord): void {
  if (record.origin.kind !== 'lab') throw new ExportError(`${record.run_id} was imported: only runs trained in this lab can be exported to PyTorch`);
}

/** Every file of the export, its path under the export folder; throws ExportError when the split is not the run's. */
export function pytorchFiles(input: PytorchExportInput): ZipEntry[] {
  const { record, split, initial, topology } = input;
  checkLabRun(record);
  const { files, data } = dataFiles(record, split);
  const model = initialModelEntries(INITIAL_FOLDER, initial, topology);
  const config = exportConfig(record, data, model.files, input.exportedAt);
  return [
    { path: 'train.py', data: TRAIN_PY },
    { path: 'config.json', data: JSON.stringify(config, null, 2) + '\n' },
    { path: 'README.md', data: readmeMd(record, data, initial !== null) },
    ...model.entries,
    ...files,
  ];
}

/** The zip, everything under `{run_id}_pytorch/`; abort() on the signal stops it. */
export async function buildPytorchZip(input: PytorchExportInput, opts: { signal?: AbortSignal; onProgress?: (fraction: number, file: string) => void } = {}): Promise<Blob> {
  const root = pytorchFolder(input.record);
  const entries = pytorchFiles(input).map((e) => ({ ...e, path: `${root}/${e.path}` }));
  return writeZip(entries, { date: input.exportedAt, signal: opts.signal, onProgress: opts.onProgress });
}
