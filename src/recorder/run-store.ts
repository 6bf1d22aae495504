// Runs in IndexedDB (via idb), so they survive reloads: the record, its stored models and its test
// predictions. Records are validated on every read (never cast); a damaged one is reported, not
// thrown. Quota errors surface when a transaction aborts, so every write resolves only after
// `tx.done` and turns a QuotaExceededError into a StorageFullError that says what to free.
// Each committed write is reported to this tab (watch) and, as one message, to the lab's other
// tabs (run-change-channel.ts), which read that one run again and report it to their watchers.
import type { EpochSnapshot, InitialSnapshot, SavedModel } from '../training/types';
import { formatBytes } from '../units';
import { markInterrupted } from './recorder';
import { initialRef, snapshotRefs, unreferencedKeys, withCheckpoints, type CheckpointKind } from './checkpoint-refs';
import type { CheckpointRef, LabRunRecord, RunRecord } from './run-record';
import { validateLabRecord, validateRunRecord } from './run-record-validate';
import { estimateStorage, isRunAlive, requestPersistence } from './browser-storage';
import { runIdCandidates, withRunId } from './run-ids';
import { RunChangeFeed, type RunChange } from './run-change-feed';
import { checkRestore, readRunForBackup, restoreRun, type RestoreResult, type RunForBackup } from './run-store-backup';
import * as storeDb from './run-store-db';
import { boundaryBytes, boundaryKey, boundaryOf, isStoredBoundary, storedBoundary } from './run-store-boundary';
import type { DecisionBoundary } from '../training/decision-boundary';
import { StorageClosedError, type DamagedRecord, type RunDB, type Store, type StoredArtifact, type StoredPredictions, type WriteTx } from './run-store-db';

export { holdRunLock, isRunAlive } from './browser-storage';
export { StorageClosedError, StorageFullError, type DamagedRecord, type StoredArtifact, type StoredPredictions } from './run-store-db';
export type { RunChange } from './run-change-feed';

export interface RunMeta {
  run_name?: string;
  notes?: string;
  tags?: string[];
}

export class RunStore {
  private readonly feed: RunChangeFeed;
  private constructor(private readonly db: RunDB, name: string) {
    this.feed = new RunChangeFeed(name, () => this.live);
  }

  /** Calls `listener` after each write of this store, or of another tab, has committed; returns the function that stops it. */
  watch(listener: (change: RunChange) => void): () => void {
    return this.feed.watch(listener);
  }

  static async open(name = 'trainlab'): Promise<RunStore> {
    // Another tab opened a newer TrainLab: step aside instead of blocking its upgrade, and say so.
    const blocking = () => {
      store.close();
      store.closedForUpgrade = true;
      store.onVersionChange?.();
    };
    const store: RunStore = new RunStore(await storeDb.openRunDB(name, blocking), name);
    return store;
  }

  /** Set once another tab upgraded the database: this tab's page is older and must be reloaded. */
  closedForUpgrade = false;

  /** The open database; after another tab's upgrade, an error that says what to do. */
  private get live(): RunDB {
    if (this.closedForUpgrade) throw new StorageClosedError('TrainLab was updated in another tab: reload this page to go on (everything stored is kept)');
    return this.db;
  }
  /** Called when another tab upgrades the database (the page should ask for a reload). */
  onVersionChange?: () => void;

  close(): void {
    this.feed.close();
    this.db.close();
  }

  /** Every valid record, newest first, and those that fail validation, read in batches (see listRecords). */
  async listRuns(): Promise<{ runs: RunRecord[]; damaged: DamagedRecord[] }> {
    return storeDb.listRecords(this.live);
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
    const merged = storeDb.mergeMeta(record, await tx.store.get(record.run_id));
    await this.write(tx, [tx.store.put(merged, merged.run_id)], `save run ${record.run_id}`, record.run_id);
    this.feed.recordCommitted(merged, 'record');
    return merged;
  }

  /**
   * Stores a new lab run under an id no other run has, atomically across tabs: one readwrite
   * transaction checks the id and writes the record (IndexedDB runs such transactions one at a time
   * across connections). Tries `run_id`, then `run_id_2`, `_3`… (run-ids.ts); `claim(id)` is called
   * before an id is tried (the run's lock: another tab must never see the run without an owner) and
   * the function it returns releases a claim whose id was taken.
   */
  createRun(record: LabRunRecord, claim: (id: string) => () => unknown = () => () => {}): Promise<{ record: LabRunRecord; release: () => unknown }> {
    return this.allocate(record, claim, validateLabRecord);
  }

  /** Stores an imported run under an id no other run has, as createRun does; returns it as stored. */
  async createImportedRun(record: RunRecord): Promise<RunRecord> {
    return (await this.allocate(record, () => () => {}, validateRunRecord)).record;
  }

  /**
   * Stores an imported run with its model as its 'best' checkpoint, under an id no other run has:
   * the record and the model in one transaction, so neither is ever stored without the other.
   */
  async createImportedRunWithModel(record: RunRecord, model: SavedModel, epoch: number): Promise<RunRecord> {
    for (const id of runIdCandidates(record.run_id)) {
      const ref: CheckpointRef = { ...initialRef(id, model), kind: 'best', epoch, key: `${id}/best` };
      const candidate = validateRunRecord({ ...withRunId(record, id), checkpoints: [ref] });
      const artifact: StoredArtifact = { runId: id, epoch, model, resume: { epoch, scheduler: null, stopper: null, bestEpoch: epoch }, bytes: ref.bytes };
      const tx = this.live.transaction(['runs', 'artifacts'], 'readwrite');
      const runs = tx.objectStore('runs');
      if ((await runs.count(id)) > 0) {
        await tx.done;
        continue;
      }
      await this.write(tx, () => [tx.objectStore('artifacts').put(artifact, ref.key), runs.put(candidate, id)], `import run ${id}`, id);
      this.feed.recordCommitted(candidate, 'record', (ledger) => ledger.setArtifact(ref.key, ref.bytes));
      return candidate;
    }
    throw new Error('unreachable'); // the candidates never end
  }

  private async allocate<R extends RunRecord>(record: R, claim: (id: string) => () => unknown, validate: (x: unknown) => R): Promise<{ record: R; release: () => unknown }> {
    for (const id of runIdCandidates(record.run_id)) {
      const candidate = validate(withRunId(record, id));
      const release = claim(id);
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
        this.feed.recordCommitted(candidate, 'record');
        return { record: candidate, release };
      }
      release();
    }
    throw new Error('unreachable'); // the candidates never end
  }

  /**
   * The end of a run in one transaction: the final record, the test set's predictions and a
   * 2-feature model's decision boundary (when there are any), so that none is stored without the others.
   */
  async saveFinal(record: LabRunRecord, predictions: StoredPredictions | null, boundary: DecisionBoundary | null = null): Promise<LabRunRecord> {
    const id = record.run_id;
    const tx = this.live.transaction(['runs', 'predictions', 'artifacts'], 'readwrite');
    const runs = tx.objectStore('runs');
    const next = storeDb.mergeMeta(validateLabRecord(record), await runs.get(id));
    const bytes = predictions && storeDb.predictionBytes(predictions);
    const map = boundary && storedBoundary(id, boundary);
    const writes = () => [
      runs.put(next, id),
      ...(predictions ? [tx.objectStore('predictions').put({ ...predictions, runId: id, bytes }, id)] : []),
      ...(map ? [tx.objectStore('artifacts').put(map, boundaryKey(id))] : []),
    ];
    await this.write(tx, writes, `save the results of ${id}`, id);
    this.feed.recordCommitted(next, 'final', (ledger) => {
      if (bytes !== null) ledger.setPredictions(id, bytes);
      if (map) ledger.setArtifact(boundaryKey(id), map.bytes);
    });
    return next;
  }

  /** A 2-feature run's decision boundary (the tested weights' map and the points); undefined when it has none. */
  async getDecisionBoundary(runId: string): Promise<DecisionBoundary | undefined> {
    const v = await this.read('artifacts', boundaryKey(runId));
    if (v === undefined) return undefined;
    if (!isStoredBoundary(v)) throw new Error(`stored decision boundary of ${runId} is damaged`);
    return boundaryOf(v);
  }

  /**
   * One transaction: the record (with its checkpoint refs updated) and the snapshot as `latest`,
   * plus `best` and `checkpoint_epoch_N` when the snapshot is one; with `initial` (a new run's first
   * stored epoch), the model's weights as built too, as its 'initial' checkpoint. Resolves once committed.
   */
  async saveEpoch(record: LabRunRecord, snapshot: EpochSnapshot, initial?: InitialSnapshot): Promise<LabRunRecord> {
    const id = record.run_id;
    const saved: { refs: CheckpointRef[]; snapshot: Pick<StoredArtifact, 'model' | 'resume'> }[] = [{ refs: snapshotRefs(id, snapshot), snapshot }];
    if (initial) saved.push({ refs: [initialRef(id, initial.model)], snapshot: initial });
    const tx = this.live.transaction(['runs', 'artifacts'], 'readwrite');
    const runs = tx.objectStore('runs');
    const stored = await runs.get(id);
    const next = storeDb.mergeMeta(validateLabRecord(withCheckpoints(record, saved.flatMap((x) => x.refs))), stored);
    const before = [...record.checkpoints, ...storeDb.checkpointsOf(stored)];
    const artifacts = tx.objectStore('artifacts');
    // Each snapshot once, whatever roles it has (its refs all point at refs[0].key).
    const puts = saved.map(({ refs: [{ key, bytes, epoch }], snapshot: s }) => ({ key, bytes, artifact: { runId: id, epoch, model: s.model, resume: s.resume, bytes } }));
    const unreferenced = unreferencedKeys(before, next.checkpoints);
    const writes = () => [
      ...puts.map((p) => artifacts.put(p.artifact, p.key)),
      ...unreferenced.map((k) => artifacts.delete(k)),
      runs.put(next, next.run_id),
    ];
    const bytes = puts.reduce((a, p) => a + p.bytes, 0);
    const what = `save epoch ${snapshot.resume.epoch} of ${id}${initial ? ' and its initial weights' : ''} (${formatBytes(bytes)} of weights)`;
    await this.write(tx, writes, what, id);
    this.feed.recordCommitted(next, 'epoch', (ledger) => {
      for (const k of unreferenced) ledger.setArtifact(k, undefined);
      for (const p of puts) ledger.setArtifact(p.key, p.bytes);
    });
    return next;
  }

  async getArtifact(key: string): Promise<StoredArtifact | undefined> {
    const v = await this.read('artifacts', key);
    if (v === undefined) return undefined;
    if (!storeDb.isArtifact(v)) throw new Error(`stored model ${key} is damaged`);
    return v;
  }

  async getPredictions(runId: string): Promise<StoredPredictions | undefined> {
    const v = await this.read('predictions', runId);
    if (v === undefined) return undefined;
    if (!storeDb.isPredictions(v)) throw new Error(`stored test predictions of ${runId} are damaged`);
    return storeDb.predictionsOf(v, v.numClasses);
  }

  /** The record, all its stored models and its predictions, in one transaction. */
  async deleteRun(id: string, isAlive: (runId: string) => Promise<boolean> = isRunAlive): Promise<void> {
    const stored = await this.read('runs', id);
    // A run is written by the tab that owns its lock only: one training elsewhere is not deleted under it.
    if (storeDb.isRecordLike(stored) && (stored as { status?: unknown }).status === 'running' && (await isAlive(id))) {
      throw new Error(`${id} is training in another tab: stop it there first`);
    }
    const tx = this.live.transaction(['runs', 'artifacts', 'predictions'], 'readwrite');
    await storeDb.commit(tx, [tx.objectStore('runs').delete(id), tx.objectStore('artifacts').delete(storeDb.runRange(id)), tx.objectStore('predictions').delete(id)]);
    this.feed.committed(id, null, 'deleted', (ledger) => ledger.dropModels(id, true));
  }

  /** Deletes every stored model of a run and its predictions (a restart starts without them). */
  async deleteModels(runId: string): Promise<void> {
    const tx = this.live.transaction(['artifacts', 'predictions'], 'readwrite');
    await storeDb.commit(tx, [tx.objectStore('artifacts').delete(storeDb.runRange(runId)), tx.objectStore('predictions').delete(runId)]);
    this.feed.committed(runId, undefined, 'models', (ledger) => ledger.dropModels(runId));
  }

  /** Frees a run's periodic checkpoints (and best / latest unless kept); returns the bytes freed. */
  async deleteCheckpoints(runId: string, opts: { keepBest?: boolean; keepLatest?: boolean } = {}): Promise<number> {
    const { keepBest = true, keepLatest = true } = opts;
    const tx = this.live.transaction(['runs', 'artifacts'], 'readwrite');
    const record = storeDb.storedRun(runId, await tx.objectStore('runs').get(runId));
    const drop = (kind: CheckpointKind) => kind === 'periodic' || (kind === 'best' && !keepBest) || (kind === 'latest' && !keepLatest);
    const remaining = record.checkpoints.filter((c) => !drop(c.kind));
    const freed = unreferencedKeys(record.checkpoints, remaining); // a snapshot that is still the best (or latest) stays
    const artifacts = tx.objectStore('artifacts');
    const next = { ...record, checkpoints: remaining };
    await storeDb.commit(tx, [...freed.map((k) => artifacts.delete(k)), tx.objectStore('runs').put(next, runId)]);
    this.feed.recordCommitted(next, 'epoch', (ledger) => freed.forEach((k) => ledger.setArtifact(k, undefined)));
    return storeDb.bytesOfKeys(record.checkpoints, freed);
  }

  /** Renames, annotates or tags a run. Leaves updated_at alone: it marks training activity. */
  async updateMeta(id: string, meta: RunMeta): Promise<RunRecord> {
    if (meta.run_name !== undefined && !meta.run_name.trim()) throw new RangeError('a run name cannot be empty');
    const tags = meta.tags && [...new Set(meta.tags.map((t) => t.trim()).filter(Boolean))];
    const tx = this.live.transaction('runs', 'readwrite');
    const record = storeDb.storedRun(id, await tx.store.get(id));
    const next = { ...record, run_name: meta.run_name?.trim() ?? record.run_name, notes: meta.notes ?? record.notes, tags: tags ?? record.tags };
    await this.write(tx, [tx.store.put(next, id)], `save the notes of ${id}`, id);
    this.feed.recordCommitted(next, 'record');
    return next;
  }

  /**
   * Bytes per run: stored weights and predictions plus the record's JSON. The first call scans the
   * store; later calls answer from what this store's writes and other tabs' messages reported since,
   * reading nothing (`rescan` reads everything again).
   */
  usage(opts: { rescan?: boolean } = {}): Promise<{ bytesByRun: Record<string, number>; total: number }> {
    return this.feed.usage(opts);
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
      await storeDb.commit(tx, [tx.store.put(marked, r.run_id)]);
      this.feed.recordCommitted(marked, 'record');
      orphans.push(r.run_id);
    }
    return orphans;
  }

  /** One value, returned once its transaction has finished (like every other method here). */
  private read(store: Store, key: string): Promise<unknown> {
    return storeDb.readValue(this.live, store, key);
  }

  /** Commits `requests` (built while the transaction is active); a full disk becomes a StorageFullError that says what to free. */
  private write<S extends Store[]>(tx: WriteTx<S>, requests: Promise<unknown>[] | (() => Promise<unknown>[]), what: string, runId: string): Promise<void> {
    return storeDb.write(tx, requests, async () => {
      const [{ total }, { runs }, estimate] = await Promise.all([this.usage(), this.listRuns(), this.estimate()]);
      return storeDb.storageFullError(what, runId, total, runs, estimate);
    });
  }

  // ---- Backup and restore (src/app/backup.ts; the I/O is in run-store-backup.ts) ----

  /** One run as a backup needs it, in one transaction (see run-store-backup.ts). */
  async readRunForBackup(id: string): Promise<RunForBackup | undefined> {
    return readRunForBackup(this.live, id);
  }

  /** Stores a run brought back from a backup whole or not at all; never over a stored one (see run-store-backup.ts). */
  async restoreRun(record: RunRecord, snapshots: readonly { key: string; artifact: StoredArtifact }[], predictions: StoredPredictions | null, boundary: DecisionBoundary | null = null): Promise<RestoreResult> {
    const checked = checkRestore(record, snapshots);
    const id = checked.run_id;
    const result = await restoreRun(this.live, checked, snapshots, predictions, (tx, writes) => this.write(tx, writes, `restore ${id}`, id), boundary);
    if (!result.restored) return result;
    const artifacts = new Map(snapshots.map((x) => [x.key, x.artifact.bytes]));
    if (boundary) artifacts.set(boundaryKey(id), boundaryBytes(boundary));
    this.feed.recordCommitted(checked, 'restored', (ledger) => ledger.applyRun(id, { artifacts, predictions: { bytes: predictions ? storeDb.predictionBytes(predictions) : undefined } }));
    return result;
  }
}
