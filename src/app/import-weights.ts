// Import run (Runs page): one run folder or zip with its best model in the tfjs LayersModel layout
// (what train.py writes: best_model/model.json + weights.bin). The record comes from Compare's
// importer (src/compare/import-runs.ts), the model from best_model/, checked against its manifest;
// both are stored in one transaction (RunStore.createImportedRunWithModel) or not at all.
import type { SourceFile } from '../compare/import-sources';
import { isRunFile } from '../compare/run-folders';
import type { RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { SavedModel } from '../training/types';

/** The given files hold no run with a usable model: says why. Nothing was stored. */
export class ImportRunError extends Error {
  override name = 'ImportRunError';
}

export type ImportRunResult = { imported: true; record: RunRecord } | { imported: false; already: RunRecord };

/** A file of the model's folder (best_model/…): its path relative to that folder and its bytes. */
export interface ModelFile {
  path: string;
  bytes: Uint8Array;
}

const MODEL_JSON = /(^|\/)best_model\/model\.json$/;
const MODEL_FILE = /(^|\/)best_model\/[^/]+$/;
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const pathOf = (f: SourceFile) => (f.path || f.name).replace(/\\/g, '/').replace(/^(\.?\/)+/, '');

/** model.json and the files it names, as one SavedModel; throws ImportRunError saying what does not match. */
export function savedModelOf(modelJson: Uint8Array, files: readonly ModelFile[]): SavedModel {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(modelJson));
  } catch (e) {
    throw new ImportRunError(`best_model/model.json is not JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw new ImportRunError('best_model/model.json: the file must be an object');
  const topology = json.modelTopology;
  if (!isObject(topology) || typeof topology.class_name !== 'string' || !isObject(topology.config)) {
    throw new ImportRunError('best_model/model.json: modelTopology is not a tfjs LayersModel topology (class_name and config)');
  }
  if (json.format !== undefined && json.format !== 'layers-model') throw new ImportRunError(`best_model/model.json: format "${String(json.format)}" is not a layers-model`);
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ImportRunError('best_model/model.json: weightsManifest is missing');
  const specs: SavedModel['weightSpecs'] = [];
  const chunks: Uint8Array[] = [];
  let described = 0;
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new ImportRunError('best_model/model.json: each weightsManifest group needs paths and weights');
    for (const w of group.weights) {
      const ok = isObject(w) && typeof w.name === 'string' && Array.isArray(w.shape) && w.shape.every((d) => Number.isInteger(d) && d >= 0) && typeof w.dtype === 'string';
      if (!ok) throw new ImportRunError('best_model/model.json: a weight needs a name, a shape and a dtype');
      if (w.quantization !== undefined) throw new ImportRunError(`best_model/model.json: weight ${w.name} is quantized; only plain weights can be imported`);
      const per = DTYPE_BYTES[w.dtype as string];
      if (per === undefined) throw new ImportRunError(`best_model/model.json: weight ${w.name} has dtype ${String(w.dtype)}`);
      described += per * (w.shape as number[]).reduce((a, b) => a * b, 1);
      specs.push({ name: w.name as string, shape: [...(w.shape as number[])], dtype: w.dtype as string });
    }
    for (const p of group.paths) {
      const file = typeof p === 'string' ? files.find((f) => f.path === p.replace(/^\.\//, '')) : undefined;
      if (!file) throw new ImportRunError(`best_model/model.json names the weights file ${JSON.stringify(p)}, which is not in best_model/`);
      chunks.push(file.bytes);
    }
  }
  const total = chunks.reduce((a, c) => a + c.byteLength, 0);
  if (total !== described) throw new ImportRunError(`best_model: the weights files hold ${total} bytes, model.json describes ${described}`);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    weightData.set(c, at);
    at += c.byteLength;
  }
  const text = (k: string) => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
  return { modelTopology: topology, weightSpecs: specs, weightData: weightData.buffer, format: 'layers-model', generatedBy: text('generatedBy'), convertedBy: text('convertedBy') ?? null };
}

/** The best_model folder's files among a folder pick or a zip (model.json first), or throws. */
async function modelFiles(files: readonly SourceFile[], signal?: AbortSignal): Promise<{ json: Uint8Array; files: ModelFile[] }> {
  let found: { path: string; bytes: Uint8Array }[];
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
    const { readZip } = await import('../compare/zip-reader');
    const want = (p: string) => isRunFile(p) || MODEL_FILE.test(p);
    const zip = await readZip(files[0].blob, { want, nested: false, signal });
    if (zip.failures.length > 0) throw new ImportRunError(`${files[0].name}: ${zip.failures[0].error.message}`);
    found = zip.files.filter((f) => MODEL_FILE.test(f.path));
  } else {
    const picked = files.filter((f) => MODEL_FILE.test(pathOf(f)));
    found = await Promise.all(picked.map(async (f) => ({ path: pathOf(f), bytes: new Uint8Array(await f.blob.arrayBuffer()) })));
  }
  const jsons = found.filter((f) => MODEL_JSON.test(f.path));
  if (jsons.length === 0) throw new ImportRunError('no best_model/model.json: Import run needs the run folder with its model (Add runs in Compare takes runs without weights)');
  if (jsons.length > 1) throw new ImportRunError(`${jsons.length} run folders with a best_model: Import run takes one run at a time`);
  const dir = jsons[0].path.slice(0, -'model.json'.length);
  const inDir = found.filter((f) => f.path.startsWith(dir) && f !== jsons[0]).map((f) => ({ path: f.path.slice(dir.length), bytes: f.bytes }));
  return { json: jsons[0].bytes, files: inDir };
}

/**
 * Imports one run folder (a folder pick, paths in `path`) or one zip with its best model: the record
 * through Compare's importer, the model checked, both stored together. A run stored already (same
 * run id and end time) is not stored again. Throws ImportRunError (or the store's error) otherwise.
 */
export async function importRunWithWeights(files: readonly SourceFile[], store: RunStore, opts: { now: Date; signal?: AbortSignal }): Promise<ImportRunResult> {
  if (files.length === 0) throw new ImportRunError('no files given');
  const model = await modelFiles(files, opts.signal);
  const saved = savedModelOf(model.json, model.files);
  const { importFiles } = await import('../compare/import-runs');
  const result = await importFiles([...files], { now: opts.now, signal: opts.signal });
  if (result.records.length === 0) {
    const p = result.problems[0];
    throw new ImportRunError(p ? `${p.path || p.file}: ${p.reason}` : 'no run found');
  }
  if (result.records.length > 1) throw new ImportRunError(`${result.records.length} runs found: Import run takes one run at a time`);
  const record = result.records[0];
  const { runs } = await store.listRuns();
  const already = runs.find((r) => r.run_id === record.run_id && r.end_time === record.end_time && r.checkpoints.some((c) => c.kind === 'best'));
  if (already) return { imported: false, already };
  const epoch = record.test?.evaluated_epoch ?? record.training.best_epoch;
  return { imported: true, record: await store.createImportedRunWithModel(record, saved, epoch) };
}
