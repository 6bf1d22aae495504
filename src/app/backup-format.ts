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
//   {run_id}/_restore/predictions.bin    test labels, predictions (int32) and probabilities (float32),
//                                        then each test row's index into the dataset (int32) when the
//                                        run kept it (the manifest's predictions.row_index says so)
//   {run_id}/_restore/decision_boundary.bin  a 2-feature run's decision boundary (manifest entry
//                                        decision_boundary: epoch, size, extent, points): per cell its
//                                        confidence (float32), per point x, y (float32), label and
//                                        predicted class (int32), then per cell its class (uint8) and
//                                        per point its part (uint8: 0 train, 1 validation, 2 test)
//
// Both additions came after format version 1 and keep it: a backup made before them has no
// row_index (its predictions come back without row indices) and no decision_boundary entry (null);
// an older TrainLab ignores decision_boundary, but refuses a run whose predictions.bin holds row
// indices (its size check fails). A boundary that does not read back (damaged file or entry) is
// left out with a note; the run is restored without it.
//
// A snapshot that is the best or a periodic checkpoint is not written twice: the manifest points at
// best_model/weights.bin or checkpoint_epoch_N/weights.bin, which hold its exact bytes.
//
// Figures are left out: they are drawn from the record and the boundary (PNG + PDF of four figures
// take ~0.75 s and ~1.5 MB per MNIST-size run, which would make a 1,000-run backup ~12 minutes and
// ~1.5 GB longer), and a restored run's run.zip draws them again. README.txt and SUMMARY.txt say so.
import { checkPredictions } from '../export/csv-files';
import { BEST_MODEL_FOLDER, checkpointFolder, modelFiles } from '../export/model-files';
import { planRunFiles, type FilePlan } from '../export/run-files';
import { runTextFiles } from '../export/run-text-files';
import type { CheckpointKind } from '../recorder/checkpoint-refs';
import type { RunRecord } from '../recorder/run-record';
import { asLabRecord } from '../recorder/run-record-validate';
import type { StoredArtifact, StoredPredictions } from '../recorder/run-store';
import { pad } from '../training/time';
import type { DecisionBoundary } from '../training/decision-boundary';
import type { ResumeState, SavedModel } from '../training/types';
import { boundaryEntry, boundaryProblem, encodeBoundary, encodePredictions, keepsRowIndex, type BoundaryEntry, type PredictionsEntry } from './backup-binary';

export const BACKUP_FORMAT = 'trainlab-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_MANIFEST = 'backup_manifest.json';
export const RESTORE_DIR = '_restore';
export const RECORD_FILE = `${RESTORE_DIR}/record.json`;
export const RUN_MANIFEST_FILE = `${RESTORE_DIR}/manifest.json`;
export const PREDICTIONS_FILE = `${RESTORE_DIR}/predictions.bin`;
export const BOUNDARY_FILE = `${RESTORE_DIR}/decision_boundary.bin`;
/** Largest JSON file a restore reads (a record of 10,000 epochs is ~5 MB). */
export const MAX_JSON_BYTES = 64 * 2 ** 20;

export { BackupFormatError, LITTLE_ENDIAN, encodePredictions, type BoundaryEntry, type PredictionsEntry } from './backup-binary';

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

export interface RunManifest {
  run_id: string;
  snapshots: SnapshotEntry[];
  /** Refs of the record whose snapshot was not stored (or unreadable): restored as they were, without it. */
  missing_snapshots: { key: string; reason: string }[];
  predictions: PredictionsEntry | null;
  /** A 2-feature run's decision boundary; null when it has none (or none that could be read), and in backups made before boundaries were kept. */
  decision_boundary: BoundaryEntry | null;
}

/** What the store holds for one run, as a backup reads it. */
export interface StoredRun {
  record: RunRecord;
  /** Each key the record's refs point to: the snapshot, or why there is none. */
  snapshots: { key: string; artifact: StoredArtifact | null; problem: string }[];
  predictions: StoredPredictions | null;
  predictionsProblem: string;
  /** A 2-feature run's decision boundary (absent or null: none). */
  boundary?: DecisionBoundary | null;
}

export interface BackupFile {
  path: string; // relative to the run folder
  data: string | Uint8Array;
  store: boolean;
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

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

export const FIGURES_LEFT_OUT = 'figures are not kept in a backup: TrainLab draws them again from the restored run (restore the backup, then download run.zip)';

/** The run folder's plan without its figures, which say why they are missing. */
function withoutFigures(plan: FilePlan): FilePlan {
  const figureFile = new RegExp(`^(${plan.figures.join('|')})\\.(png|pdf)$`);
  return {
    ...plan,
    files: plan.files.filter((f) => !figureFile.test(f.path)),
    missing: [...plan.missing, ...plan.figures.map((kind) => ({ path: `${kind}.png/.pdf`, why: FIGURES_LEFT_OUT }))],
    figures: [],
  };
}

/**
 * Every file of one run in the backup (paths relative to its folder), its restore manifest and the
 * notes worth telling the person (a snapshot that could not be read, predictions or a boundary that do not fit).
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
  if (predictions?.rowIndex && !keepsRowIndex(predictions)) {
    notes.push('the test rows\' indices into the dataset left out: they are not one non-negative index per test row');
    const { rowIndex: _, ...rest } = predictions;
    predictions = rest;
  }
  let boundary = run.boundary ?? null;
  const badBoundary = boundary && boundaryProblem(boundary, record.dataset.num_classes);
  if (badBoundary) {
    notes.push(`decision boundary left out: ${badBoundary}`);
    boundary = null;
  }
  const weightsPath = new Map<string, string>();
  if (lab) {
    // The same files as buildRunZip (src/export/index.ts) writes, in the same order, figures left out.
    const artifactOf = (key: string | undefined) => present.find((s) => s.key === key)?.artifact;
    const bestRef = record.checkpoints.find((c) => c.kind === 'best');
    const best = artifactOf(bestRef?.key);
    const periodic = record.checkpoints.filter((c) => c.kind === 'periodic' && artifactOf(c.key));
    const models = { best: best?.model ?? null, checkpoints: periodic.map((c) => ({ epoch: c.epoch, model: artifactOf(c.key)!.model })) };
    const plan = withoutFigures(planRunFiles(lab, models, predictions !== null, boundary !== null));
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
    predictionsEntry = { file: PREDICTIONS_FILE, samples: predictions.yTrue.length, num_classes: predictions.numClasses, row_index: keepsRowIndex(predictions) };
  }
  if (boundary) add(BOUNDARY_FILE, encodeBoundary(boundary), true);
  const manifest: RunManifest = {
    run_id: record.run_id, snapshots, missing_snapshots: missing, predictions: predictionsEntry, decision_boundary: boundary && boundaryEntry(boundary, BOUNDARY_FILE),
  };
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
      'what brings the run back exactly (record, snapshots with optimizer and resume state, test predictions, decision boundary). ' +
      'Restore it in TrainLab: Runs → Restore from backup…',
    runs: init.runs,
    not_backed_up: init.notBackedUp,
  };
}
