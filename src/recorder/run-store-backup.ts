// The run store's backup I/O (src/app/backup.ts, backup-restore.ts): one run read whole for a
// backup, and one run stored back whole or not at all. RunStore.readRunForBackup / restoreRun call
// these with its open database and its quota-aware commit.
import type { RunRecord } from './run-record';
import { validateRunRecord } from './run-record-validate';
import { isArtifact, isPredictions, predictionBytes, predictionsOf, runRange, type RunDB, type StoredArtifact, type StoredPredictions, type WriteTx } from './run-store-db';
import { errorText } from '../units';
import type { DecisionBoundary } from '../training/decision-boundary';
import { boundaryKey, boundaryOf, isStoredBoundary, storedBoundary } from './run-store-boundary';

export interface BackupSnapshot {
  key: string;
  artifact: StoredArtifact | null;
  problem: string;
}

export interface RunForBackup {
  record: RunRecord;
  snapshots: BackupSnapshot[];
  predictions: StoredPredictions | null;
  predictionsProblem: string;
  /** A 2-feature run's decision boundary (null: none, or damaged). */
  boundary: DecisionBoundary | null;
}

export type RestoreResult = { restored: true } | { restored: false; stored: RunRecord } | { restored: false; damaged: string };

/**
 * One run as a backup needs it, read in one transaction (a consistent view even while another tab
 * writes to it): the validated record, each snapshot its refs point to (null with the reason when
 * it is not stored or damaged) and its test predictions. Undefined when nothing is stored under
 * `id`; throws RunRecordError when the record is damaged.
 */
export async function readRunForBackup(db: RunDB, id: string): Promise<RunForBackup | undefined> {
  const tx = db.transaction(['runs', 'artifacts', 'predictions']);
  tx.done.catch(() => {}); // a read-only transaction left early (no record, a damaged one) settles on its own
  const raw = await tx.objectStore('runs').get(id);
  if (raw === undefined) return undefined;
  const record = validateRunRecord(raw);
  const keys = [...new Set(record.checkpoints.map((c) => c.key))];
  const artifacts = tx.objectStore('artifacts');
  const [values, stored, map] = await Promise.all([Promise.all(keys.map((k) => artifacts.get(k))), tx.objectStore('predictions').get(id), artifacts.get(boundaryKey(id)), tx.done]);
  const boundary = isStoredBoundary(map) ? boundaryOf(map) : null;
  const snapshots = keys.map((key, i) => {
    const v = values[i];
    if (v === undefined) return { key, artifact: null, problem: 'not stored' };
    return isArtifact(v) ? { key, artifact: v, problem: '' } : { key, artifact: null, problem: 'the stored snapshot is damaged' };
  });
  if (stored === undefined) return { record, snapshots, predictions: null, predictionsProblem: '', boundary };
  if (!isPredictions(stored)) return { record, snapshots, predictions: null, predictionsProblem: 'the stored predictions are damaged', boundary };
  const numClasses = 'numClasses' in stored && typeof stored.numClasses === 'number' ? stored.numClasses : record.dataset.num_classes;
  return { record, snapshots, predictions: predictionsOf(stored, numClasses), predictionsProblem: '', boundary };
}

/** The record validated, and every snapshot checked to belong to it; throws before anything is written. */
export function checkRestore(record: RunRecord, snapshots: readonly { key: string; artifact: StoredArtifact }[]): RunRecord {
  const id = record.run_id;
  const checked = validateRunRecord(record);
  for (const s of snapshots) {
    if (!s.key.startsWith(`${id}/`) || s.artifact.runId !== id || !isArtifact(s.artifact)) throw new Error(`snapshot ${s.key} does not belong to run ${id}`);
  }
  return checked;
}

type RestoreTx = WriteTx<['runs', 'artifacts', 'predictions']>;

/**
 * Stores a run brought back from a backup in one transaction: its record, snapshots and test
 * predictions, or none of them (`commit`, the store's quota-aware commit, turns a full disk into a
 * StorageFullError). Writes nothing when a record is stored under its id already: returns that
 * record instead (or why it cannot be read). The snapshots are put one after the other (each
 * awaited, which keeps the transaction open), so that cloning megabytes of weights into IndexedDB
 * is spread over several tasks instead of one long one.
 */
export async function restoreRun(
  db: RunDB,
  checked: RunRecord,
  snapshots: readonly { key: string; artifact: StoredArtifact }[],
  predictions: StoredPredictions | null,
  commit: (tx: RestoreTx, requests: () => Promise<unknown>[]) => Promise<void>,
  boundary: DecisionBoundary | null = null,
): Promise<RestoreResult> {
  const id = checked.run_id;
  const tx = db.transaction(['runs', 'artifacts', 'predictions'], 'readwrite');
  const runs = tx.objectStore('runs');
  const existing = await runs.get(id);
  if (existing !== undefined) {
    await tx.done;
    try {
      return { restored: false, stored: validateRunRecord(existing) };
    } catch (e) {
      return { restored: false, damaged: errorText(e) };
    }
  }
  const artifacts = tx.objectStore('artifacts');
  const preds = tx.objectStore('predictions');
  const writes = async () => {
    try {
      await artifacts.delete(runRange(id)); // leftovers under this id (none normally): the run comes back exactly as backed up
      await preds.delete(id);
      for (const s of snapshots) await artifacts.put(s.artifact, s.key);
      if (predictions) await preds.put({ ...predictions, runId: id, bytes: predictionBytes(predictions) }, id);
      if (boundary) await artifacts.put(storedBoundary(id, boundary), boundaryKey(id));
      await runs.put(checked, id);
    } catch (e) {
      try {
        tx.abort(); // e.g. DataCloneError thrown by put: store nothing rather than half
      } catch {
        // aborting already
      }
      throw e;
    }
  };
  await commit(tx, () => [writes()]);
  return { restored: true };
}
