// The run store's IndexedDB layout and the low-level helpers its modules share (run-store.ts, the
// usage ledger, the backup I/O): the schema and its upgrades, the stored shapes and their guards,
// committing a transaction, reading a store in batches.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ResumeState, SavedModel } from '../training/types';
import { unreferencedKeys, type CheckpointKind } from './checkpoint-refs';
import type { CheckpointRef, RunRecord } from './run-record';
import { migrateRunRecord, validateRunRecord } from './run-record-validate';
import { errorText, formatBytes } from '../units';

/** A stored model: the weights (optimizer state included) and what a resume needs besides them. */
export interface StoredArtifact {
  runId: string;
  kind?: CheckpointKind; // only in snapshots stored before each was stored once (the refs say what a snapshot is)
  epoch: number;
  model: SavedModel;
  resume: ResumeState;
  bytes: number; // weightData.byteLength + topology JSON length (indexed: usage() reads no weights)
}

/** The test set's labels, predictions and class probabilities (row-major, n × numClasses). */
export interface StoredPredictions {
  yTrue: Int32Array;
  yPred: Int32Array;
  probabilities: Float32Array;
  numClasses: number;
  /** Each test row's index into the dataset, in the same order; absent in runs stored before it was kept. */
  rowIndex?: Int32Array;
}

/** This tab's connection was closed because another tab opened a newer TrainLab. */
export class StorageClosedError extends Error {
  override name = 'StorageClosedError';
}

/** The origin's storage is full: nothing of the failed write was stored. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export interface TrainLabDB extends DBSchema {
  runs: { key: string; value: unknown }; // unknown: every read goes through validateRunRecord
  artifacts: { key: string; value: unknown; indexes: { bytes: number } };
  predictions: { key: string; value: unknown; indexes: { bytes: number } };
}

export type RunDB = IDBPDatabase<TrainLabDB>;
export type Store = StoreNames<TrainLabDB>;
export type WriteTx<S extends Store[]> = IDBPTransaction<TrainLabDB, S, 'readwrite'>;

// 1: runs, artifacts, predictions. 2: records migrated to RunRecord schema 2 in place (reads migrate
// too, so a record written by an older tab after the upgrade still reads).
export const DB_VERSION = 2;

/** Opens (creating or upgrading) the database; `blocking` runs when another tab needs a newer version. */
export function openRunDB(name: string, blocking: () => void): Promise<RunDB> {
  return openDB<TrainLabDB>(name, DB_VERSION, {
    async upgrade(d, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        d.createObjectStore('runs');
        d.createObjectStore('artifacts').createIndex('bytes', 'bytes');
        d.createObjectStore('predictions').createIndex('bytes', 'bytes');
      }
      if (oldVersion >= 1 && oldVersion < 2) await migrateStoredRecords(tx.objectStore('runs'));
    },
    blocking,
  });
}

/** The keys of a run's snapshots (`${runId}/…`), and nothing of a run whose id merely starts the same. */
export const runRange = (runId: string) => IDBKeyRange.bound(`${runId}/`, `${runId}/\uffff`);
export const runIdOfKey = (key: string) => key.slice(0, key.lastIndexOf('/'));

export function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'QuotaExceededError';
}

// Artifacts and predictions are binary data only this store writes; a light guard still keeps a
// damaged entry from reaching tfjs or the exporters.
export function isArtifact(v: unknown): v is StoredArtifact {
  if (typeof v !== 'object' || v === null || !('model' in v) || !('resume' in v)) return false;
  const m = v.model;
  return typeof m === 'object' && m !== null && 'weightData' in m && m.weightData instanceof ArrayBuffer && 'weightSpecs' in m && Array.isArray(m.weightSpecs);
}

export function isPredictions(v: unknown): v is StoredPredictions {
  if (typeof v !== 'object' || v === null || !('yTrue' in v) || !('yPred' in v) || !('probabilities' in v)) return false;
  return v.yTrue instanceof Int32Array && v.yPred instanceof Int32Array && v.probabilities instanceof Float32Array;
}

export const isRecordLike = (v: unknown): v is { checkpoints: unknown } => typeof v === 'object' && v !== null && 'checkpoints' in v;

/** The refs of a stored record, read leniently (a damaged one, or none, gives none). */
export function checkpointsOf(stored: unknown): CheckpointRef[] {
  if (!isRecordLike(stored)) return [];
  try {
    return validateRunRecord(stored).checkpoints;
  } catch {
    return [];
  }
}

/** The stored record `id`, validated; throws when there is none. */
export function storedRun(id: string, v: unknown): RunRecord {
  if (v === undefined) throw new Error(`no stored run ${id}`);
  return validateRunRecord(v);
}

/** `record` with the stored record's name, notes and tags (they belong to RunStore.updateMeta). */
export function mergeMeta<R extends RunRecord>(record: R, stored: unknown): R {
  try {
    const s = validateRunRecord(stored);
    return { ...record, run_name: s.run_name, notes: s.notes, tags: s.tags };
  } catch {
    return record; // nothing stored yet, or damaged: the new record wins
  }
}

/** The bytes of the stored snapshots `keys` (each counted once, however many refs point to it). */
export function bytesOfKeys(refs: readonly CheckpointRef[], keys: readonly string[]): number {
  return keys.reduce((a, k) => a + (refs.find((c) => c.key === k)?.bytes ?? 0), 0);
}

/** The error a write that found the disk full throws: what failed, what the lab stores, what deleting would free. */
export function storageFullError(what: string, runId: string, total: number, runs: readonly RunRecord[], estimate: { quota: number } | null): StorageFullError {
  const freeable = runs
    .filter((r) => r.run_id !== runId)
    .reduce((a, r) => a + bytesOfKeys(r.checkpoints, unreferencedKeys(r.checkpoints, r.checkpoints.filter((c) => c.kind === 'best'))), 0);
  const quota = estimate ? ` (the browser allows this site about ${formatBytes(estimate.quota)})` : '';
  return new StorageFullError(
    `storage is full: could not ${what}. TrainLab stores ${formatBytes(total)} in ${runs.length} runs${quota}. ` +
      `Deleting the periodic checkpoints and resume points of the other runs frees ${formatBytes(freeable)}; ` +
      `deleting old runs frees more.`,
  );
}

export const predictionBytes = (p: StoredPredictions): number => p.yTrue.byteLength + p.yPred.byteLength + p.probabilities.byteLength + (p.rowIndex?.byteLength ?? 0);

/** The stored predictions' fields (a rowIndex only when it is a valid one: runs stored before it have none). */
export function predictionsOf(v: StoredPredictions, numClasses: number): StoredPredictions {
  const rowIndex = v.rowIndex instanceof Int32Array && v.rowIndex.length === v.yTrue.length ? { rowIndex: v.rowIndex } : {};
  return { yTrue: v.yTrue, yPred: v.yPred, probabilities: v.probabilities, numClasses, ...rowIndex };
}

/** One value, returned once its transaction has finished. */
export async function readValue(db: RunDB, store: Store, key: string): Promise<unknown> {
  const tx = db.transaction(store);
  const [value] = await Promise.all([tx.store.get(key), tx.done]);
  return value;
}

/** Awaits every request and the commit; a failed request aborts the whole transaction. */
export async function commit(tx: { done: Promise<void>; error: DOMException | null }, requests: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled([...requests, tx.done]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw tx.error ?? failed.reason;
}

export interface DamagedRecord {
  key: string;
  error: string;
}

/**
 * Every valid record, newest first; records that fail validation are listed in `damaged`. One
 * transaction (a consistent view), read and validated a batch at a time, each batch in a task of
 * its own, so that a thousand stored runs never block the page for long.
 */
export async function listRecords(db: RunDB): Promise<{ runs: RunRecord[]; damaged: DamagedRecord[] }> {
  const tx = db.transaction('runs');
  const { valid: runs, damaged } = await readValid(tx.store, validateRunRecord);
  await tx.done;
  const time = new Map(runs.map((r) => [r, Date.parse(r.start_time)]));
  runs.sort((a, b) => time.get(b)! - time.get(a)! || b.run_id.localeCompare(a.run_id));
  return { runs, damaged };
}

/**
 * Commits `requests` (built while the transaction is active: a put that throws, e.g. a
 * DataCloneError, aborts it and stores nothing rather than half); a full disk becomes `full()`'s error.
 */
export async function write<S extends Store[]>(tx: WriteTx<S>, requests: Promise<unknown>[] | (() => Promise<unknown>[]), full: () => Promise<StorageFullError>): Promise<void> {
  try {
    let list: Promise<unknown>[];
    try {
      list = typeof requests === 'function' ? requests() : requests;
    } catch (e) {
      tx.abort();
      tx.done.catch(() => {});
      throw e;
    }
    await commit(tx, list);
  } catch (e) {
    if (isQuotaError(e)) throw await full();
    throw e;
  }
}

/** Records read per request when listing: each batch is read and validated in a task of its own. */
const LIST_BATCH = 50;

/**
 * Reads a store's keys and values LIST_BATCH at a time, in key order, inside the caller's
 * transaction (each next request is made while the last one's result is handled, so it stays open).
 */
export async function eachBatch(
  store: { getAllKeys(q?: IDBKeyRange | null, n?: number): Promise<string[]>; getAll(q?: IDBKeyRange | null, n?: number): Promise<unknown[]> },
  handle: (keys: string[], values: unknown[]) => void,
): Promise<void> {
  for (let range: IDBKeyRange | null = null; ; ) {
    const [keys, values] = await Promise.all([store.getAllKeys(range, LIST_BATCH), store.getAll(range, LIST_BATCH)]);
    handle(keys, values);
    if (keys.length < LIST_BATCH) return;
    range = IDBKeyRange.lowerBound(keys[keys.length - 1], true);
  }
}

/** Every value of a store that `validate` accepts, and the key and reason of each it refuses. */
export async function readValid<T>(store: Parameters<typeof eachBatch>[0], validate: (v: unknown) => T): Promise<{ valid: T[]; damaged: DamagedRecord[] }> {
  const valid: T[] = [];
  const damaged: DamagedRecord[] = [];
  await eachBatch(store, (keys, values) =>
    keys.forEach((key, i) => {
      try {
        valid.push(validate(values[i]));
      } catch (e) {
        damaged.push({ key, error: errorText(e) });
      }
    }),
  );
  return { valid, damaged };
}

/** Rewrites every stored record in the current schema; a damaged one is left as it is (listRuns reports it). */
async function migrateStoredRecords(runs: { openCursor(): Promise<{ value: unknown; update(v: unknown): Promise<unknown>; continue(): Promise<unknown> } | null> }): Promise<void> {
  for (let cursor = await runs.openCursor(); cursor; cursor = (await cursor.continue()) as typeof cursor) {
    try {
      await cursor.update(migrateRunRecord(cursor.value));
    } catch {
      // damaged or from a newer schema: reads report it
    }
  }
}

/** The length of a value's JSON (what a record counts in the lab's bytes); 0 when it has none. */
export function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}
