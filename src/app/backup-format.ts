// The backup format, pure (no DOM, no IndexedDB, no tfjs): what a backup zip holds for each run
// (backup-read.ts checks it on the way back).
//
//   backup_manifest.json                 format, version, app version, created, the runs it holds
//   {run_id}/…                           the run folder as run.zip has it (README.txt, SUMMARY.txt,
//                                        results_summary.json, config.json, training_history.*,
//                                        per_class_metrics.csv, test_predictions.csv, best_model/,
//                                        checkpoint_epoch_N/), figures left out (see below)
//   {run_id}/_restore/record.json        the RunRecord exactly as stored
//   {run_id}/_restore/manifest.json      every stored snapshot: key, epoch, bytes, resume state and
//                                        model topology + weight specs, and which file holds its
//                                        weights (+ optimizer state); the predictions' shape
//   {run_id}/_restore/snapshot_N.bin     weights of snapshots the run folder does not already hold
//                                        (the latest one, when it is neither best nor periodic)
//   {run_id}/_restore/predictions.bin    test labels, predictions (int32) and probabilities (float32)
//
// A snapshot that is the best or a periodic checkpoint is not written twice: the manifest points at
// best_model/weights.bin or checkpoint_epoch_N/weights.bin, which hold its exact bytes.
//
// Figures are left out: they are drawn from the record (PNG + PDF of four figures take ~0.75 s and
// ~1.5 MB per MNIST-size run, which would make a 1,000-run backup ~12 minutes and ~1.5 GB longer),
// and a restored run's run.zip draws them again. README.txt and SUMMARY.txt say so.
import { checkPredictions } from '../export/csv-files';
import { BEST_MODEL_FOLDER, checkpointFolder, modelFiles } from '../export/model-files';
import { planRunFiles, type FilePlan } from '../export/run-files';
import { runTextFiles } from '../export/run-text-files';
import { FIGURE_KINDS } from '../export/types';
import type { CheckpointKind } from '../recorder/checkpoint-refs';
import type { RunRecord } from '../recorder/run-record';
import { asLabRecord } from '../recorder/run-record-validate';
import type { StoredArtifact, StoredPredictions } from '../recorder/run-store';
import { pad } from '../training/time';
import type { ResumeState, SavedModel } from '../training/types';

export const BACKUP_FORMAT = 'trainlab-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_MANIFEST = 'backup_manifest.json';
export const RESTORE_DIR = '_restore';
export const RECORD_FILE = `${RESTORE_DIR}/record.json`;
export const RUN_MANIFEST_FILE = `${RESTORE_DIR}/manifest.json`;
export const PREDICTIONS_FILE = `${RESTORE_DIR}/predictions.bin`;
/** Largest JSON file a restore reads (a record of 10,000 epochs is ~5 MB). */
export const MAX_JSON_BYTES = 64 * 2 ** 20;

/** A backup (or one run in it) that does not fit the format: the message says where, for the user. */
export class BackupFormatError extends Error {
  override name = 'BackupFormatError';
}

export interface BackupRunEntry {
  run_id: string;
  end_time: string | null;
  status: string;
  /** Whether the run folder (run.zip's files) is there: runs imported from other layouts have only _restore/. */
  folder: boolean;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  app_version: string;
  created: string;
  about: string;
  runs: BackupRunEntry[];
  /** Stored records that could not be read (damaged): not in the backup. */
  not_backed_up: { run_id: string; reason: string }[];
}

/** A stored snapshot without its weights; `weights` is the file (in the run folder) that holds them. */
export interface SnapshotEntry {
  key: string;
  epoch: number;
  kind?: CheckpointKind;
  bytes: number;
  resume: ResumeState;
  model: Omit<SavedModel, 'weightData'>;
  weights: string;
  weights_bytes: number;
}

export interface PredictionsEntry {
  file: string;
  samples: number;
  num_classes: number;
}

export interface RunManifest {
  run_id: string;
  snapshots: SnapshotEntry[];
  /** Refs of the record whose snapshot was not stored (or unreadable): restored as they were, without it. */
  missing_snapshots: { key: string; reason: string }[];
  predictions: PredictionsEntry | null;
}

/** What the store holds for one run, as a backup reads it. */
export interface StoredRun {
  record: RunRecord;
  /** Each key the record's refs point to: the snapshot, or why there is none. */
  snapshots: { key: string; artifact: StoredArtifact | null; problem: string }[];
  predictions: StoredPredictions | null;
  predictionsProblem: string;
}

export interface BackupFile {
  path: string; // relative to the run folder
  data: string | Uint8Array;
  store: boolean;
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
/** Typed arrays are written and read in the machine's byte order: little-endian on every machine a browser runs TrainLab on. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `trainlab-backup_{YYYYMMDD_HHMMSS}.zip` in local time. */
export function backupFileName(now: Date): string {
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  return `trainlab-backup_${date}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}.zip`;
}

/** The date a run's files carry in the zip: its end (or last activity), as run.zip dates them. */
export function runDate(record: RunRecord): Date {
  const d = new Date(record.end_time ?? record.updated_at);
  return Number.isNaN(d.getTime()) ? new Date(record.start_time) : d;
}

/** A run id that is safe as a folder name and a key prefix. */
export function isSafeRunId(id: string): boolean {
  return id.length > 0 && id.length <= 255 && id !== '.' && id !== '..' && !/[/\\\u0000-\u001f]/.test(id);
}

export const FIGURES_LEFT_OUT = 'figures are not kept in a backup: TrainLab draws them from results_summary.json (restore the backup, then download run.zip)';

/** The run folder's plan without its figures, which say why they are missing. */
function withoutFigures(plan: FilePlan): FilePlan {
  const figureFile = new RegExp(`^(${FIGURE_KINDS.join('|')})\\.(png|pdf)$`);
  return {
    ...plan,
    files: plan.files.filter((f) => !figureFile.test(f.path)),
    missing: [...plan.missing, ...plan.figures.map((kind) => ({ path: `${kind}.png/.pdf`, why: FIGURES_LEFT_OUT }))],
    figures: [],
  };
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** yTrue, yPred (int32) and probabilities (float32), one after the other, little-endian. */
export function encodePredictions(p: StoredPredictions): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('backups are written on little-endian machines only');
  const out = new Uint8Array(p.yTrue.byteLength + p.yPred.byteLength + p.probabilities.byteLength);
  out.set(bytesOf(p.yTrue), 0);
  out.set(bytesOf(p.yPred), p.yTrue.byteLength);
  out.set(bytesOf(p.probabilities), p.yTrue.byteLength + p.yPred.byteLength);
  return out;
}

/**
 * Every file of one run in the backup (paths relative to its folder), its restore manifest and the
 * notes worth telling the person (a snapshot that could not be read, predictions that do not fit).
 */
export function planBackupRun(run: StoredRun): { files: BackupFile[]; manifest: RunManifest; notes: string[]; folder: boolean } {
  const { record } = run;
  const notes: string[] = [];
  const files: BackupFile[] = [];
  const add = (path: string, data: string | Uint8Array, store = false) => files.push({ path, data, store });
  const present = run.snapshots.filter((s): s is typeof s & { artifact: StoredArtifact } => s.artifact !== null);
  const missing = run.snapshots.filter((s) => s.artifact === null).map((s) => ({ key: s.key, reason: s.problem }));
  for (const m of missing) if (m.reason !== 'not stored') notes.push(`snapshot ${m.key} left out: ${m.reason}`);
  let predictions = run.predictions;
  if (run.predictionsProblem) notes.push(`test predictions left out: ${run.predictionsProblem}`);

  const lab = asLabRecord(record);
  if (lab && predictions) {
    try {
      checkPredictions(lab, predictions);
    } catch (e) {
      notes.push(`test predictions left out: ${(e as Error).message}`);
      predictions = null;
    }
  }
  const weightsPath = new Map<string, string>();
  if (lab) {
    // The same files as buildRunZip (src/export/index.ts) writes, in the same order, figures left out.
    const artifactOf = (key: string | undefined) => present.find((s) => s.key === key)?.artifact;
    const bestRef = record.checkpoints.find((c) => c.kind === 'best');
    const best = artifactOf(bestRef?.key);
    const periodic = record.checkpoints.filter((c) => c.kind === 'periodic' && artifactOf(c.key));
    const models = { best: best?.model ?? null, checkpoints: periodic.map((c) => ({ epoch: c.epoch, model: artifactOf(c.key)!.model })) };
    const plan = withoutFigures(planRunFiles(lab, models, predictions !== null));
    for (const f of runTextFiles(lab, plan, predictions)) add(f.path, f.text);
    const folders: [string, string, SavedModel][] = [];
    if (best && bestRef) folders.push([BEST_MODEL_FOLDER, bestRef.key, best.model]);
    for (const epoch of plan.checkpointEpochs) {
      const ref = periodic.find((c) => c.epoch === epoch)!;
      folders.push([checkpointFolder(epoch), ref.key, artifactOf(ref.key)!.model]);
    }
    for (const [folder, key, model] of folders) {
      for (const f of modelFiles(model)) add(`${folder}/${f.name}`, typeof f.data === 'string' ? f.data : new Uint8Array(f.data), typeof f.data !== 'string');
      if (!weightsPath.has(key)) weightsPath.set(key, `${folder}/weights.bin`);
    }
  }

  const snapshots: SnapshotEntry[] = present.map((s, i) => {
    const a = s.artifact;
    let weights = weightsPath.get(s.key);
    if (!weights) {
      weights = `${RESTORE_DIR}/snapshot_${i + 1}.bin`;
      add(weights, new Uint8Array(a.model.weightData), true);
    }
    const { weightData, ...model } = a.model;
    return { key: s.key, epoch: a.epoch, ...(a.kind ? { kind: a.kind } : {}), bytes: a.bytes, resume: a.resume, model, weights, weights_bytes: weightData.byteLength };
  });
  let predictionsEntry: PredictionsEntry | null = null;
  if (predictions) {
    add(PREDICTIONS_FILE, encodePredictions(predictions), true);
    predictionsEntry = { file: PREDICTIONS_FILE, samples: predictions.yTrue.length, num_classes: predictions.numClasses };
  }
  const manifest: RunManifest = { run_id: record.run_id, snapshots, missing_snapshots: missing, predictions: predictionsEntry };
  add(RECORD_FILE, json(record));
  add(RUN_MANIFEST_FILE, json(manifest));
  return { files, manifest, notes, folder: lab !== null };
}

export function backupManifest(init: { appVersion: string; created: string; runs: BackupRunEntry[]; notBackedUp: { run_id: string; reason: string }[] }): BackupManifest {
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    app_version: init.appVersion,
    created: init.created,
    about: 'A backup of every run stored in a TrainLab: each folder is the run as run.zip has it (figures left out) plus _restore/, ' +
      'what brings the run back exactly (record, snapshots with optimizer and resume state, test predictions). ' +
      'Restore it in TrainLab: Runs → Restore from backup…',
    runs: init.runs,
    not_backed_up: init.notBackedUp,
  };
}
