// Reading a backup back (see backup-format.ts for its layout), pure: every value of its JSON files
// is checked and a new, typed value built from what was checked (nothing cast), and each run's
// manifest is checked against its record before anything is written.
import type { RunRecord } from '../recorder/run-record';
import type { StoredArtifact } from '../recorder/run-store';
import type { ResumeState, SavedModel } from '../training/types';
import {
  BACKUP_FORMAT,
  BACKUP_MANIFEST,
  BACKUP_VERSION,
  BackupFormatError,
  type BackupManifest,
  type BoundaryEntry,
  type PredictionsEntry,
  type RunManifest,
  type SnapshotEntry,
} from './backup-format';

export { decodeBoundary, decodePredictions } from './backup-binary';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BackupFormatError(`${where} is not valid JSON (${(e as Error).message})`);
  }
}

/** Reads one JSON object's fields, each error naming the file and the field. */
class Reader {
  private constructor(private readonly o: Json, readonly where: string, private readonly path: string) {}
  static of(v: unknown, where: string, path = ''): Reader {
    if (!isObject(v)) throw new BackupFormatError(`${where}: ${path || 'the file'} must be an object`);
    return new Reader(v, where, path);
  }
  /** The path of `key` in this object, e.g. `snapshots[2].model.weightSpecs`. */
  field = (key: string): string => (this.path ? `${this.path}.${key}` : key);
  fail(key: string, what: string): never {
    throw new BackupFormatError(`${this.where}: ${this.field(key)} must be ${what}`);
  }
  has = (key: string) => this.o[key] !== undefined;
  raw = (key: string) => this.o[key];
  str = (key: string): string => (typeof this.o[key] === 'string' ? (this.o[key] as string) : this.fail(key, 'a string'));
  int = (key: string): number => {
    const v = this.o[key];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : this.fail(key, 'a non-negative integer');
  };
  num = (key: string): number => (typeof this.o[key] === 'number' && Number.isFinite(this.o[key]) ? (this.o[key] as number) : this.fail(key, 'a finite number'));
  bool = (key: string): boolean => (typeof this.o[key] === 'boolean' ? (this.o[key] as boolean) : this.fail(key, 'true or false'));
  nullableStr = (key: string): string | null => (this.o[key] === null ? null : this.str(key));
  obj = (key: string): Reader => Reader.of(this.o[key], this.where, this.field(key));
  list = (key: string): unknown[] => (Array.isArray(this.o[key]) ? (this.o[key] as unknown[]) : this.fail(key, 'an array'));
  /** Readers of the objects in the array `key`. */
  items = (key: string): Reader[] => this.list(key).map((v, i) => Reader.of(v, this.where, `${this.field(key)}[${i}]`));
  oneOf = <T extends string>(key: string, values: readonly T[]): T => {
    const hit = values.find((x) => x === this.o[key]);
    return hit ?? this.fail(key, `one of ${values.join(', ')}`);
  };
  /** A failure about this object as a whole. */
  problem(what: string): BackupFormatError {
    return new BackupFormatError(`${this.where}: ${this.path ? `${this.path}: ` : ''}${what}`);
  }
}

/** The backup's manifest, checked; a newer format version is refused with a readable reason. */
export function parseBackupManifest(text: string): BackupManifest {
  const f = Reader.of(parseJson(text, BACKUP_MANIFEST), BACKUP_MANIFEST);
  if (f.raw('format') !== BACKUP_FORMAT) throw f.problem(`not a TrainLab backup (format is ${JSON.stringify(f.raw('format')) ?? 'missing'})`);
  const version = f.int('version');
  if (version > BACKUP_VERSION) throw new BackupFormatError(`written by a newer TrainLab (backup format ${version}); this version reads up to ${BACKUP_VERSION}: update TrainLab to restore it`);
  if (version < 1) throw f.problem(`unknown backup format version ${version}`);
  const runs = f.items('runs').map((x) => ({ run_id: x.str('run_id'), end_time: x.nullableStr('end_time'), status: x.str('status'), folder: x.raw('folder') === true }));
  const notBackedUp = f.has('not_backed_up') ? f.items('not_backed_up').map((x) => ({ run_id: x.str('run_id'), reason: x.str('reason') })) : [];
  return { format: BACKUP_FORMAT, version, app_version: f.str('app_version'), created: f.str('created'), about: f.has('about') ? f.str('about') : '', runs, not_backed_up: notBackedUp };
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** A path inside the run folder: relative, no '..', no backslash. */
const isInsideFolder = (p: string) => p.length > 0 && !p.startsWith('/') && !p.includes('\\') && !p.split('/').some((s) => s === '' || s === '.' || s === '..');

function parseModel(r: Reader): Omit<SavedModel, 'weightData'> {
  const topology = r.raw('modelTopology');
  if (!isObject(topology)) r.fail('modelTopology', 'an object');
  const weightSpecs = r.items('weightSpecs').map((x) => {
    const shape = x.list('shape').map((n) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : x.fail('shape', 'a list of non-negative integers')));
    if (x.has('quantization')) throw x.problem('quantized weights are not supported');
    return { name: x.str('name'), shape, dtype: x.oneOf('dtype', Object.keys(DTYPE_BYTES)), ...(x.has('group') ? { group: x.str('group') } : {}) };
  });
  const model: Omit<SavedModel, 'weightData'> = { modelTopology: topology, weightSpecs };
  if (r.has('format')) model.format = r.str('format');
  if (r.has('generatedBy')) model.generatedBy = r.str('generatedBy');
  if (r.has('convertedBy')) model.convertedBy = r.nullableStr('convertedBy');
  if (r.has('trainingConfig')) model.trainingConfig = r.raw('trainingConfig');
  return model;
}

/** Bytes the weight specs describe (elements × dtype size). */
export function specBytes(specs: SavedModel['weightSpecs']): number {
  return specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.dtype], 0);
}

/** A run manifest as read: `boundaryProblem` says why its decision_boundary entry was set aside (then null), '' when it was not. */
export interface ReadRunManifest extends RunManifest {
  boundaryProblem: string;
}

/** The decision_boundary entry (null when there is none: backups made before boundaries were kept have none). */
function parseBoundaryEntry(f: Reader): BoundaryEntry | null {
  if (!f.has('decision_boundary') || f.raw('decision_boundary') === null) return null;
  const b = f.obj('decision_boundary');
  const file = b.str('file');
  if (!isInsideFolder(file)) throw b.problem(`file ${JSON.stringify(file)} is not a file inside the run folder`);
  const size = b.int('size');
  if (size === 0) b.fail('size', 'at least 1');
  return { file, epoch: b.int('epoch'), size, x_min: b.num('x_min'), x_max: b.num('x_max'), y_min: b.num('y_min'), y_max: b.num('y_max'), points: b.int('points') };
}

/**
 * One run's restore manifest, checked against its record: ids agree, every snapshot belongs to the
 * run (its key under `{run_id}/`) and is referenced by the record, every ref has a snapshot or is
 * listed as missing, weight files lie inside the run folder, sizes agree with the weight specs. A
 * decision_boundary entry that does not read is set aside (`boundaryProblem`), not a failure: the
 * run is restored without its boundary.
 */
export function parseRunManifest(text: string, record: RunRecord, where: string): ReadRunManifest {
  const f = Reader.of(parseJson(text, where), where);
  const runId = f.str('run_id');
  if (runId !== record.run_id) throw f.problem(`run_id ${JSON.stringify(runId)} is not the record's (${JSON.stringify(record.run_id)})`);
  const seen = new Set<string>();
  const snapshots = f.items('snapshots').map((x): SnapshotEntry => {
    const key = x.str('key');
    if (!key.startsWith(`${runId}/`)) throw x.problem(`key ${JSON.stringify(key)} does not belong to run ${runId}`);
    if (seen.has(key)) throw x.problem(`snapshot ${key} is listed twice`);
    seen.add(key);
    const weights = x.str('weights');
    if (!isInsideFolder(weights)) throw x.problem(`weights ${JSON.stringify(weights)} is not a file inside the run folder`);
    const res = x.obj('resume');
    const resume: ResumeState = { epoch: res.int('epoch'), scheduler: res.raw('scheduler'), stopper: res.raw('stopper'), bestEpoch: res.int('bestEpoch') };
    if (!isObject(resume.scheduler)) res.fail('scheduler', 'an object');
    if (!isObject(resume.stopper)) res.fail('stopper', 'an object');
    const model = parseModel(x.obj('model'));
    const weightsBytes = x.int('weights_bytes');
    const described = specBytes(model.weightSpecs);
    if (described !== weightsBytes) throw x.problem(`the weight specs describe ${described} bytes but weights_bytes is ${weightsBytes}`);
    return {
      key, epoch: x.int('epoch'), ...(x.has('kind') ? { kind: x.oneOf('kind', ['latest', 'best', 'periodic'] as const) } : {}),
      bytes: x.int('bytes'), resume, model, weights, weights_bytes: weightsBytes,
    };
  });
  const missing = f.items('missing_snapshots').map((x) => ({ key: x.str('key'), reason: x.str('reason') }));
  const refKeys = new Set(record.checkpoints.map((c) => c.key));
  for (const s of snapshots) if (!refKeys.has(s.key)) throw f.problem(`snapshot ${s.key} is not referenced by the record`);
  for (const key of refKeys) {
    if (!seen.has(key) && !missing.some((m) => m.key === key)) throw f.problem(`the record refers to snapshot ${key}, which is neither in the backup nor listed as missing`);
  }
  let predictions: PredictionsEntry | null = null;
  if (f.raw('predictions') !== null) {
    const p = f.obj('predictions');
    const file = p.str('file');
    if (!isInsideFolder(file)) throw p.problem(`file ${JSON.stringify(file)} is not a file inside the run folder`);
    predictions = { file, samples: p.int('samples'), num_classes: p.int('num_classes'), row_index: p.has('row_index') && p.bool('row_index') };
    if (predictions.num_classes !== record.dataset.num_classes) {
      throw p.problem(`${predictions.num_classes} classes, but the record has ${record.dataset.num_classes}`);
    }
  }
  let boundary: BoundaryEntry | null = null;
  let boundaryProblem = '';
  try {
    boundary = parseBoundaryEntry(f);
  } catch (e) {
    if (!(e instanceof BackupFormatError)) throw e;
    boundaryProblem = e.message;
  }
  return { run_id: runId, snapshots, missing_snapshots: missing, predictions, decision_boundary: boundary, boundaryProblem };
}

/** The stored snapshot a manifest entry and its weight bytes make (sizes checked). */
export function snapshotArtifact(runId: string, s: SnapshotEntry, weights: Uint8Array): StoredArtifact {
  if (weights.byteLength !== s.weights_bytes) {
    throw new BackupFormatError(`snapshot ${s.key}: ${s.weights} holds ${weights.byteLength} bytes, the manifest says ${s.weights_bytes}`);
  }
  // Its own buffer holding exactly the weights (the zip reader's usually is one already: no copy then).
  const whole = weights.byteOffset === 0 && weights.byteLength === weights.buffer.byteLength && weights.buffer instanceof ArrayBuffer;
  const weightData = whole ? (weights.buffer as ArrayBuffer) : weights.slice().buffer;
  return { runId, ...(s.kind ? { kind: s.kind } : {}), epoch: s.epoch, model: { ...s.model, weightData }, resume: s.resume, bytes: s.bytes };
}
