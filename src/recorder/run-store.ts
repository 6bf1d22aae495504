// Runs in IndexedDB (via idb), so they survive reloads: the record, its stored models and its test
// predictions. Records are validated on every read (never cast); a damaged one is reported, not
// thrown. Quota errors surface when a transaction aborts, so every write resolves only after
// `tx.done` and turns a QuotaExceededError into a StorageFullError that says what to free.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { EpochSnapshot, ResumeState, SavedModel } from '../training/types';
import { markInterrupted, snapshotRefs, unreferencedKeys, withCheckpoints, type CheckpointKind } from './recorder';
import type { CheckpointRef, LabRunRecord, RunRecord } from './run-record';
import { migrateRunRecord, validateLabRecord, validateRunRecord } from './run-record-validate';
import { estimateStorage, isRunAlive, requestPersistence } from './browser-storage';

export { holdRunLock, isRunAlive } from './browser-storage';

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
}

export interface DamagedRecord {
  key: string;
  error: string;
}

export interface RunMeta {
  run_name?: string;
  notes?: string;
  tags?: string[];
}

/** This tab's connection was closed because another tab opened a newer TrainLab. */
export class StorageClosedError extends Error {
  override name = 'StorageClosedError';
}

/** The origin's storage is full: nothing of the failed write was stored. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

interface TrainLabDB extends DBSchema {
  runs: { key: string; value: unknown }; // unknown: every read goes through validateRunRecord
  artifacts: { key: string; value: unknown; indexes: { bytes: number } };
  predictions: { key: string; value: unknown; indexes: { bytes: number } };
}

type Store = StoreNames<TrainLabDB>;
type WriteTx<S extends Store[]> = IDBPTransaction<TrainLabDB, S, 'readwrite'>;

// 1: runs, artifacts, predictions. 2: records migrated to RunRecord schema 2 in place (reads migrate
// too, so a record written by an older tab after the upgrade still reads).
const DB_VERSION = 2;
const runRange = (runId: string) => IDBKeyRange.bound(`${runId}/`, `${runId}/\uffff`);
const runIdOfKey = (key: string) => key.slice(0, key.lastIndexOf('/'));
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function formatBytes(n: number): string {
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'QuotaExceededError';
}

// Artifacts and predictions are binary data only this module writes; a light guard still keeps a
// damaged entry from reaching tfjs or the exporters.
function isArtifact(v: unknown): v is StoredArtifact {
  if (typeof v !== 'object' || v === null || !('model' in v) || !('resume' in v)) return false;
  const m = v.model;
  return typeof m === 'object' && m !== null && 'weightData' in m && m.weightData instanceof ArrayBuffer && 'weightSpecs' in m && Array.isArray(m.weightSpecs);
}

function isPredictions(v: unknown): v is StoredPredictions {
  if (typeof v !== 'object' || v === null || !('yTrue' in v) || !('yPred' in v) || !('probabilities' in v)) return false;
  return v.yTrue instanceof Int32Array && v.yPred instanceof Int32Array && v.probabilities instanceof Float32Array;
}

/** Awaits every request and the commit; a failed request aborts the whole transaction. */
async function commit(tx: { done: Promise<void>; error: DOMException | null }, requests: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled([...requests, tx.done]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw tx.error ?? failed.reason;
}

/** The bytes of the stored snapshots `keys` (each counted once, however many refs point to it). */
function bytesOfKeys(refs: readonly CheckpointRef[], keys: readonly string[]): number {
  return keys.reduce((a, k) => a + (refs.find((c) => c.key === k)?.bytes ?? 0), 0);
}

const isRecordLike = (v: unknown): v is { checkpoints: unknown } => typeof v === 'object' && v !== null && 'checkpoints' in v;
/** The refs of a stored record, read leniently (a damaged one gives none). */
function checkpointsOf(stored: { checkpoints: unknown }): CheckpointRef[] {
  try {
    return validateRunRecord(stored).checkpoints;
  } catch {
    return [];
  }
}

const predictionBytes = (p: StoredPredictions): number => p.yTrue.byteLength + p.yPred.byteLength + p.probabilities.byteLength;

function storedRun(id: string, v: unknown): RunRecord {
  if (v === undefined) throw new Error(`no stored run ${id}`);
  return validateRunRecord(v);
}

function mergeMeta<R extends RunRecord>(record: R, stored: unknown): R {
  try {
    const s = validateRunRecord(stored);
    return { ...record, run_name: s.run_name, notes: s.notes, tags: s.tags };
  } catch {
    return record; // nothing stored yet, or damaged: the new record wins
  }
}

/** What one committed write of this store changed. */
export interface RunChange {
  runId: string;
  /** The run's record as now stored; null: the run was deleted; undefined: only its models or predictions changed. */
  record?: RunRecord | null;
  /** What the lab stores in all (as `usage().total`) after the write; NaN until usage() was read once. */
  labBytes: number;
}

/** Records read per request when listing: each batch is read and validated in a task of its own. */
const LIST_BATCH = 50;

/**
 * The bytes the lab stores, per run: read once by a scan (usage()), then kept up to date by each
 * write of this store as it commits, so that no later write or read scans again. Writes made by
 * another tab are not seen here until the next scan (`usage({ rescan: true })` or a reload).
 */
class UsageLedger {
  total = 0;
  private readonly records = new Map<string, number>();
  private readonly predictions = new Map<string, number>();
  private readonly artifacts = new Map<string, Map<string, number>>(); // run id → snapshot key → bytes

  setRecord(runId: string, bytes: number) {
    this.total += bytes - (this.records.get(runId) ?? 0);
    this.records.set(runId, bytes);
  }

  setPredictions(runId: string, bytes: number | undefined) {
    this.total += (bytes ?? 0) - (this.predictions.get(runId) ?? 0);
    if (bytes === undefined) this.predictions.delete(runId);
    else this.predictions.set(runId, bytes);
  }

  setArtifact(key: string, bytes: number | undefined) {
    const runId = runIdOfKey(key);
    const run = this.artifacts.get(runId) ?? new Map<string, number>();
    this.total += (bytes ?? 0) - (run.get(key) ?? 0);
    if (bytes === undefined) run.delete(key);
    else run.set(key, bytes);
    if (run.size) this.artifacts.set(runId, run);
    else this.artifacts.delete(runId);
  }

  /** Forgets every stored model of `runId` and its predictions; with `record`, its record too. */
  dropModels(runId: string, record = false) {
    for (const key of [...(this.artifacts.get(runId)?.keys() ?? [])]) this.setArtifact(key, undefined);
    this.setPredictions(runId, undefined);
    if (record) {
      this.total -= this.records.get(runId) ?? 0;
      this.records.delete(runId);
    }
  }

  byRun(): Record<string, number> {
    const out: Record<string, number> = {};
    const add = (runId: string, n: number) => (out[runId] = (out[runId] ?? 0) + n);
    for (const [runId, n] of this.records) add(runId, n);
    for (const [runId, n] of this.predictions) add(runId, n);
    for (const [runId, run] of this.artifacts) for (const n of run.values()) add(runId, n);
    return out;
  }
}

export class RunStore {
  private constructor(private readonly db: IDBPDatabase<TrainLabDB>) {}

  /** What the lab stores, per run: undefined until usage() has scanned the store once. */
  private ledger?: UsageLedger;
  private ledgerScan?: Promise<UsageLedger>;
  private scans = 0;
  private readonly watchers = new Set<(change: RunChange) => void>();

  /** Calls `listener` after each write of this store has committed; returns the function that stops it. */
  watch(listener: (change: RunChange) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** After a commit: the ledger follows what was written, then the watchers hear of it. */
  private changed(runId: string, record: RunRecord | null | undefined, update: (ledger: UsageLedger) => void) {
    if (this.ledger) update(this.ledger);
    const change: RunChange = { runId, record, labBytes: this.ledger?.total ?? Number.NaN };
    for (const w of this.watchers) {
      try {
        w(change);
      } catch (e) {
        reportError(e); // a listener's failure is not the write's
      }
    }
  }

  /** After a commit that wrote `record` (its JSON is measured only once the ledger exists). */
  private recordChanged(record: RunRecord, more?: (ledger: UsageLedger) => void) {
    this.changed(record.run_id, record, (ledger) => {
      ledger.setRecord(record.run_id, jsonLength(record));
      more?.(ledger);
    });
  }

  static async open(name = 'trainlab'): Promise<RunStore> {
    const db = await openDB<TrainLabDB>(name, DB_VERSION, {
      async upgrade(d, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          d.createObjectStore('runs');
          d.createObjectStore('artifacts').createIndex('bytes', 'bytes');
          d.createObjectStore('predictions').createIndex('bytes', 'bytes');
        }
        if (oldVersion >= 1 && oldVersion < 2) await migrateStoredRecords(tx.objectStore('runs'));
      },
      // Another tab opened a newer TrainLab: step aside instead of blocking its upgrade, and say so.
      blocking: () => {
        db.close();
        store.closedForUpgrade = true;
        store.onVersionChange?.();
      },
    });
    const store = new RunStore(db);
    return store;
  }

  /** Set once another tab upgraded the database: this tab's page is older and must be reloaded. */
  closedForUpgrade = false;

  /** The open database; after another tab's upgrade, an error that says what to do. */
  private get live(): IDBPDatabase<TrainLabDB> {
    if (this.closedForUpgrade) throw new StorageClosedError('TrainLab was updated in another tab: reload this page to go on (everything stored is kept)');
    return this.db;
  }
  /** Called when another tab upgrades the database (the page should ask for a reload). */
  onVersionChange?: () => void;

  close(): void {
    this.db.close();
  }

  /**
   * Every valid record, newest first; records that fail validation are listed in `damaged`. One
   * transaction (a consistent view), read and validated LIST_BATCH records at a time, each batch in
   * a task of its own, so that a thousand stored runs never block the page for long.
   */
  async listRuns(): Promise<{ runs: RunRecord[]; damaged: DamagedRecord[] }> {
    const runs: RunRecord[] = [];
    const damaged: DamagedRecord[] = [];
    const tx = this.live.transaction('runs');
    await eachBatch(tx.store, (keys, values) =>
      keys.forEach((key, i) => {
        try {
          runs.push(validateRunRecord(values[i]));
        } catch (e) {
          damaged.push({ key, error: errorText(e) });
        }
      }),
    );
    await tx.done;
    const time = new Map(runs.map((r) => [r, Date.parse(r.start_time)]));
    runs.sort((a, b) => time.get(b)! - time.get(a)! || b.run_id.localeCompare(a.run_id));
    return { runs, damaged };
  }

  /** The keys of every stored record, damaged ones included (a new run id must not reuse one). */
  async runIds(): Promise<string[]> {
    return this.live.getAllKeys('runs');
  }

  /** The validated record; undefined when there is none; throws RunRecordError when damaged. */
  async getRun(id: string): Promise<RunRecord | undefined> {
    const v = await this.read('runs', id);
    return v === undefined ? undefined : validateRunRecord(v);
  }

  /**
   * Stores `record` and returns what was stored. run_name, notes and tags belong to updateMeta: a
   * stored record's values are kept, so a rename during training survives the next write.
   */
  async putRun<R extends RunRecord>(record: R): Promise<R> {
    const tx = this.live.transaction('runs', 'readwrite');
    validateRunRecord(record);
    const merged = mergeMeta(record, await tx.store.get(record.run_id));
    await this.write(tx, [tx.store.put(merged, merged.run_id)], `save run ${record.run_id}`, record.run_id);
    this.recordChanged(merged);
    return merged;
  }

  /**
   * Stores a new run under an id no other run has, atomically across tabs: one readwrite
   * transaction checks the id and writes the record (IndexedDB runs such transactions one at a time
   * across connections). Tries `run_id`, then `run_id_2`, `_3`…; `claim(id)` is called before an id
   * is tried (the run's lock: another tab must never see the run without an owner) and the function
   * it returns releases a claim whose id was taken.
   */
  async createRun(record: LabRunRecord, claim: (id: string) => () => unknown = () => () => {}): Promise<{ record: LabRunRecord; release: () => unknown }> {
    const base = record.run_id;
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}_${n}`;
      const release = claim(id);
      const candidate = validateLabRecord({ ...record, run_id: id, run_name: record.run_name === base ? id : record.run_name });
      const tx = this.live.transaction('runs', 'readwrite');
      let taken: boolean;
      try {
        taken = (await tx.store.count(id)) > 0;
        if (!taken) await this.write(tx, [tx.store.put(candidate, id)], `save run ${id}`, id);
        else await tx.done;
      } catch (e) {
        release();
        throw e;
      }
      if (!taken) {
        this.recordChanged(candidate);
        return { record: candidate, release };
      }
      release();
    }
  }

  /**
   * The end of a run in one transaction: the final record and the test set's predictions (when
   * there are any), so that neither is ever stored without the other.
   */
  async saveFinal(record: LabRunRecord, predictions: StoredPredictions | null): Promise<LabRunRecord> {
    const id = record.run_id;
    const tx = this.live.transaction(['runs', 'predictions'], 'readwrite');
    const runs = tx.objectStore('runs');
    const next = mergeMeta(validateLabRecord(record), await runs.get(id));
    const writes = () => [
      runs.put(next, id),
      ...(predictions ? [tx.objectStore('predictions').put({ ...predictions, runId: id, bytes: predictionBytes(predictions) }, id)] : []),
    ];
    await this.write(tx, writes, `save the results of ${id}`, id);
    this.recordChanged(next, (ledger) => predictions && ledger.setPredictions(id, predictionBytes(predictions)));
    return next;
  }

  /**
   * One transaction: the record (with its checkpoint refs updated) and the snapshot as `latest`,
   * plus `best` and `checkpoint_epoch_N` when the snapshot is one. Resolves once committed.
   */
  async saveEpoch(record: LabRunRecord, snapshot: EpochSnapshot): Promise<LabRunRecord> {
    const refs = snapshotRefs(record.run_id, snapshot);
    const tx = this.live.transaction(['runs', 'artifacts'], 'readwrite');
    const runs = tx.objectStore('runs');
    const stored = await runs.get(record.run_id);
    const next = mergeMeta(validateLabRecord(withCheckpoints(record, refs)), stored);
    const before = [...record.checkpoints, ...(isRecordLike(stored) ? checkpointsOf(stored) : [])];
    const artifacts = tx.objectStore('artifacts');
    const { key, bytes, epoch } = refs[0];
    const artifact: StoredArtifact = { runId: record.run_id, epoch, model: snapshot.model, resume: snapshot.resume, bytes };
    const unreferenced = unreferencedKeys(before, next.checkpoints);
    const writes = () => [
      artifacts.put(artifact, key), // once, whatever roles the snapshot has
      ...unreferenced.map((k) => artifacts.delete(k)),
      runs.put(next, next.run_id),
    ];
    const what = `save epoch ${snapshot.resume.epoch} of ${record.run_id} (${formatBytes(bytes)} of weights)`;
    await this.write(tx, writes, what, record.run_id);
    this.recordChanged(next, (ledger) => {
      for (const k of unreferenced) ledger.setArtifact(k, undefined);
      ledger.setArtifact(key, bytes);
    });
    return next;
  }

  async getArtifact(key: string): Promise<StoredArtifact | undefined> {
    const v = await this.read('artifacts', key);
    if (v === undefined) return undefined;
    if (!isArtifact(v)) throw new Error(`stored model ${key} is damaged`);
    return v;
  }

  async getPredictions(runId: string): Promise<StoredPredictions | undefined> {
    const v = await this.read('predictions', runId);
    if (v === undefined) return undefined;
    if (!isPredictions(v)) throw new Error(`stored test predictions of ${runId} are damaged`);
    return { yTrue: v.yTrue, yPred: v.yPred, probabilities: v.probabilities, numClasses: v.numClasses };
  }

  /** The record, all its stored models and its predictions, in one transaction. */
  async deleteRun(id: string, isAlive: (runId: string) => Promise<boolean> = isRunAlive): Promise<void> {
    const stored = await this.read('runs', id);
    // A run is written by the tab that owns its lock only: one training elsewhere is not deleted under it.
    if (isRecordLike(stored) && (stored as { status?: unknown }).status === 'running' && (await isAlive(id))) {
      throw new Error(`${id} is training in another tab: stop it there first`);
    }
    const tx = this.live.transaction(['runs', 'artifacts', 'predictions'], 'readwrite');
    await commit(tx, [tx.objectStore('runs').delete(id), tx.objectStore('artifacts').delete(runRange(id)), tx.objectStore('predictions').delete(id)]);
    this.changed(id, null, (ledger) => ledger.dropModels(id, true));
  }

  /** Deletes every stored model of a run and its predictions (a restart starts without them). */
  async deleteModels(runId: string): Promise<void> {
    const tx = this.live.transaction(['artifacts', 'predictions'], 'readwrite');
    await commit(tx, [tx.objectStore('artifacts').delete(runRange(runId)), tx.objectStore('predictions').delete(runId)]);
    this.changed(runId, undefined, (ledger) => ledger.dropModels(runId));
  }

  /** Frees a run's periodic checkpoints (and best / latest unless kept); returns the bytes freed. */
  async deleteCheckpoints(runId: string, opts: { keepBest?: boolean; keepLatest?: boolean } = {}): Promise<number> {
    const { keepBest = true, keepLatest = true } = opts;
    const tx = this.live.transaction(['runs', 'artifacts'], 'readwrite');
    const record = storedRun(runId, await tx.objectStore('runs').get(runId));
    const drop = (kind: CheckpointKind) => kind === 'periodic' || (kind === 'best' && !keepBest) || (kind === 'latest' && !keepLatest);
    const remaining = record.checkpoints.filter((c) => !drop(c.kind));
    const freed = unreferencedKeys(record.checkpoints, remaining); // a snapshot that is still the best (or latest) stays
    const artifacts = tx.objectStore('artifacts');
    const next = { ...record, checkpoints: remaining };
    const requests = [...freed.map((k) => artifacts.delete(k)), tx.objectStore('runs').put(next, runId)];
    await commit(tx, requests);
    this.recordChanged(next, (ledger) => freed.forEach((k) => ledger.setArtifact(k, undefined)));
    return bytesOfKeys(record.checkpoints, freed);
  }

  /** Renames, annotates or tags a run. Leaves updated_at alone: it marks training activity. */
  async updateMeta(id: string, meta: RunMeta): Promise<RunRecord> {
    if (meta.run_name !== undefined && !meta.run_name.trim()) throw new RangeError('a run name cannot be empty');
    const tags = meta.tags && [...new Set(meta.tags.map((t) => t.trim()).filter(Boolean))];
    const tx = this.live.transaction('runs', 'readwrite');
    const record = storedRun(id, await tx.store.get(id));
    const next = { ...record, run_name: meta.run_name?.trim() ?? record.run_name, notes: meta.notes ?? record.notes, tags: tags ?? record.tags };
    await this.write(tx, [tx.store.put(next, id)], `save the notes of ${id}`, id);
    this.recordChanged(next);
    return next;
  }

  /**
   * Bytes per run: stored weights and predictions (from the `bytes` index) plus the record's JSON.
   * The first call scans the store; later calls answer from what this store's writes reported
   * since, reading nothing (`rescan` reads again, e.g. after another tab wrote).
   */
  async usage(opts: { rescan?: boolean } = {}): Promise<{ bytesByRun: Record<string, number>; total: number }> {
    if (opts.rescan) this.ledger = this.ledgerScan = undefined;
    const ledger = this.ledger ?? (await (this.ledgerScan ??= this.scanUsage()));
    return { bytesByRun: ledger.byRun(), total: ledger.total };
  }

  /**
   * One read-only transaction over the three stores: a write of this store either committed before it
   * (and is read) or waits for it (and reports to the ledger once it commits), so none is missed or
   * counted twice.
   */
  private async scanUsage(): Promise<UsageLedger> {
    const scan = ++this.scans;
    const ledger = new UsageLedger();
    const tx = this.live.transaction(['runs', 'artifacts', 'predictions']);
    await eachBatch(tx.objectStore('runs'), (keys, values) => keys.forEach((key, i) => ledger.setRecord(key, jsonLength(values[i]))));
    for (const name of ['artifacts', 'predictions'] as const) {
      let cursor = await tx.objectStore(name).index('bytes').openKeyCursor();
      for (; cursor; cursor = await cursor.continue()) {
        if (name === 'artifacts') ledger.setArtifact(cursor.primaryKey, cursor.key);
        else ledger.setPredictions(cursor.primaryKey, cursor.key);
      }
    }
    await tx.done;
    if (scan === this.scans) this.ledger = ledger; // before any write queued behind the scan reports its commit
    return ledger;
  }

  /** The browser's estimate for this origin (all its storage), or null where there is none. */
  estimate(): Promise<{ usage: number; quota: number } | null> {
    return estimateStorage();
  }

  /** Asks once for persistent storage, later only reports it (see browser-storage.ts). */
  requestPersistence(): Promise<boolean | null> {
    return requestPersistence();
  }

  /**
   * Marks 'running' records whose owning tab is gone as 'interrupted'; returns their ids. `runs`:
   * the records just listed (else they are listed here).
   */
  async recoverInterrupted(isAlive: (runId: string) => Promise<boolean> = isRunAlive, runs?: readonly RunRecord[]): Promise<string[]> {
    const orphans: string[] = [];
    for (const r of (runs ?? (await this.listRuns()).runs).filter((x) => x.status === 'running')) {
      if (await isAlive(r.run_id)) continue;
      const tx = this.live.transaction('runs', 'readwrite');
      const current = validateRunRecord(await tx.store.get(r.run_id));
      if (current.status !== 'running') continue; // changed meanwhile
      const marked = markInterrupted(current, new Date());
      await commit(tx, [tx.store.put(marked, r.run_id)]);
      this.recordChanged(marked);
      orphans.push(r.run_id);
    }
    return orphans;
  }

  /** One value, returned once its transaction has finished (like every other method here). */
  private async read(store: Store, key: string): Promise<unknown> {
    const tx = this.live.transaction(store);
    const [value] = await Promise.all([tx.store.get(key), tx.done]);
    return value;
  }

  /** Commits `requests` (built while the transaction is active); quota failures become StorageFullError. */
  private async write<S extends Store[]>(tx: WriteTx<S>, requests: Promise<unknown>[] | (() => Promise<unknown>[]), what: string, runId: string): Promise<void> {
    try {
      let list: Promise<unknown>[];
      try {
        list = typeof requests === 'function' ? requests() : requests;
      } catch (e) {
        tx.abort(); // e.g. DataCloneError thrown by put: store nothing rather than half
        tx.done.catch(() => {});
        throw e;
      }
      await commit(tx, list);
    } catch (e) {
      if (isQuotaError(e)) throw await this.storageFull(what, runId);
      throw e;
    }
  }

  private async storageFull(what: string, runId: string): Promise<StorageFullError> {
    const [{ total }, { runs }, estimate] = await Promise.all([this.usage(), this.listRuns(), this.estimate()]);
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

  // ---- Backup and restore (src/app/backup.ts) ----

  /**
   * One run as a backup needs it, read in one transaction (a consistent view even while another tab
   * writes to it): the validated record, each snapshot its refs point to (null with the reason when
   * it is not stored or damaged) and its test predictions. Undefined when nothing is stored under
   * `id`; throws RunRecordError when the record is damaged.
   */
  async readRunForBackup(id: string): Promise<
    | { record: RunRecord; snapshots: { key: string; artifact: StoredArtifact | null; problem: string }[]; predictions: StoredPredictions | null; predictionsProblem: string }
    | undefined
  > {
    const tx = this.live.transaction(['runs', 'artifacts', 'predictions']);
    tx.done.catch(() => {}); // a read-only transaction left early (no record, a damaged one) settles on its own
    const raw = await tx.objectStore('runs').get(id);
    if (raw === undefined) return undefined;
    const record = validateRunRecord(raw);
    const keys = [...new Set(record.checkpoints.map((c) => c.key))];
    const artifacts = tx.objectStore('artifacts');
    const [values, stored] = await Promise.all([Promise.all(keys.map((k) => artifacts.get(k))), tx.objectStore('predictions').get(id), tx.done]);
    const snapshots = keys.map((key, i) => {
      const v = values[i];
      if (v === undefined) return { key, artifact: null, problem: 'not stored' };
      return isArtifact(v) ? { key, artifact: v, problem: '' } : { key, artifact: null, problem: 'the stored snapshot is damaged' };
    });
    if (stored === undefined) return { record, snapshots, predictions: null, predictionsProblem: '' };
    if (!isPredictions(stored)) return { record, snapshots, predictions: null, predictionsProblem: 'the stored predictions are damaged' };
    const numClasses = 'numClasses' in stored && typeof stored.numClasses === 'number' ? stored.numClasses : record.dataset.num_classes;
    return { record, snapshots, predictions: { yTrue: stored.yTrue, yPred: stored.yPred, probabilities: stored.probabilities, numClasses }, predictionsProblem: '' };
  }

  /**
   * Stores a run brought back from a backup in one transaction: its record, snapshots and test
   * predictions, or none of them (a full disk stores nothing). Writes nothing when a record is stored
   * under its id already: returns that record instead (or why it cannot be read). The snapshots are
   * put one after the other (each awaited, which keeps the transaction open), so that cloning
   * megabytes of weights into IndexedDB is spread over several tasks instead of one long one.
   */
  async restoreRun(
    record: RunRecord,
    snapshots: readonly { key: string; artifact: StoredArtifact }[],
    predictions: StoredPredictions | null,
  ): Promise<{ restored: true } | { restored: false; stored: RunRecord } | { restored: false; damaged: string }> {
    const id = record.run_id;
    const checked = validateRunRecord(record);
    for (const s of snapshots) {
      if (!s.key.startsWith(`${id}/`) || s.artifact.runId !== id || !isArtifact(s.artifact)) throw new Error(`snapshot ${s.key} does not belong to run ${id}`);
    }
    const tx = this.live.transaction(['runs', 'artifacts', 'predictions'], 'readwrite');
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
    await this.write(tx, () => [writes()], `restore ${id}`, id);
    this.recordChanged(checked, (ledger) => {
      ledger.dropModels(id);
      for (const x of snapshots) ledger.setArtifact(x.key, x.artifact.bytes);
      if (predictions) ledger.setPredictions(id, predictionBytes(predictions));
    });
    return { restored: true };
  }
}

/**
 * Reads a store's keys and values LIST_BATCH at a time, in key order, inside the caller's
 * transaction (each next request is made while the last one's result is handled, so it stays open).
 */
async function eachBatch(
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

function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}
