// Sweeps in IndexedDB: a small database of their own ('trainlab-sweeps', one store `sweeps` keyed by
// sweep id), so the run database needs no upgrade for them. Every read is validated (never cast); a
// damaged record is reported, not thrown, when listing. A new sweep's id is allocated atomically
// across tabs as RunStore.createRun allocates a run's (`sweep_{YYYYMMDD_HHMMSS}`, then `_2`, `_3`…).
// The tab that drives a sweep holds its Web Lock (browser-storage.ts): a 'running' sweep whose lock
// nobody holds was left by a closed tab (recoverInterrupted).
//
// A sweep's runs: `get(id)` gives its record; `runs[i].run_id` (in training order, null while not
// started) are the run store's ids, and each of those runs names the sweep in its `sweep_id`.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { isoWithOffset } from '../training/time';
import { holdRunLock, isRunAlive } from './browser-storage';
import { runIdCandidates } from './run-ids';
import { commit, readValid, type DamagedRecord } from './run-store-db';
import type { SweepRecord } from './sweep-record';
import { validateSweepRecord } from './sweep-record-validate';

export { SweepRecordError, validateSweepRecord } from './sweep-record-validate';

interface SweepDB extends DBSchema {
  sweeps: { key: string; value: unknown }; // unknown: every read goes through validateSweepRecord
}

const DB_VERSION = 1;

/** Holds sweep `id`'s lock (the tab driving it) until the returned function is called. Sweep ids never clash with run ids (`sweep_…`). */
export const holdSweepLock = (id: string): (() => Promise<void>) => holdRunLock(id);
/** Whether some tab drives sweep `id`. */
export const isSweepAlive = (id: string): Promise<boolean> => isRunAlive(id);

export class SweepStore {
  private constructor(private readonly db: IDBPDatabase<SweepDB>) {}

  static async open(name = 'trainlab-sweeps'): Promise<SweepStore> {
    const db = await openDB<SweepDB>(name, DB_VERSION, {
      upgrade(d) {
        d.createObjectStore('sweeps');
      },
      blocking: () => db.close(), // a newer TrainLab in another tab upgrades: step aside
    });
    return new SweepStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** The validated record; undefined when there is none; throws SweepRecordError when damaged. */
  async get(id: string): Promise<SweepRecord | undefined> {
    const tx = this.db.transaction('sweeps');
    const [v] = await Promise.all([tx.store.get(id), tx.done]);
    return v === undefined ? undefined : validateSweepRecord(v);
  }

  /** Every valid record, newest first, and those that fail validation. */
  async list(): Promise<{ sweeps: SweepRecord[]; damaged: DamagedRecord[] }> {
    const tx = this.db.transaction('sweeps');
    const { valid: sweeps, damaged } = await readValid(tx.store, validateSweepRecord);
    await tx.done;
    sweeps.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.sweep_id.localeCompare(a.sweep_id));
    return { sweeps, damaged };
  }

  /** Stores `record` (validated first) and returns what was stored. */
  async put(record: SweepRecord): Promise<SweepRecord> {
    const checked = validateSweepRecord(record);
    const tx = this.db.transaction('sweeps', 'readwrite');
    await commit(tx, [tx.store.put(checked, checked.sweep_id)]);
    return checked;
  }

  /**
   * Stores a new sweep under an id no other sweep has, atomically across tabs: one readwrite
   * transaction checks the id and writes the record. Tries `sweep_id`, then `_2`, `_3`…; `claim(id)`
   * is called before an id is tried (the sweep's lock: another tab must never see it running without
   * an owner) and the function it returns releases a claim whose id was taken.
   */
  async create(record: SweepRecord, claim: (id: string) => () => unknown = () => () => {}): Promise<{ record: SweepRecord; release: () => unknown }> {
    for (const id of runIdCandidates(record.sweep_id)) {
      const candidate = validateSweepRecord({ ...record, sweep_id: id, name: record.name === record.sweep_id ? id : record.name });
      const release = claim(id);
      const tx = this.db.transaction('sweeps', 'readwrite');
      let taken: boolean;
      try {
        taken = (await tx.store.count(id)) > 0;
        await (taken ? tx.done : commit(tx, [tx.store.put(candidate, id)]));
      } catch (e) {
        release();
        throw e;
      }
      if (!taken) return { record: candidate, release };
      release();
    }
    throw new Error('unreachable'); // the candidates never end
  }

  /** Reads, changes and writes sweep `id` in one transaction; returns what was stored. */
  async update(id: string, change: (r: SweepRecord) => SweepRecord): Promise<SweepRecord> {
    const tx = this.db.transaction('sweeps', 'readwrite');
    const stored = await tx.store.get(id);
    if (stored === undefined) {
      await tx.done;
      throw new Error(`no stored sweep ${id}`);
    }
    let next: SweepRecord;
    try {
      next = validateSweepRecord(change(validateSweepRecord(stored)));
    } catch (e) {
      tx.abort();
      await tx.done.catch(() => {});
      throw e;
    }
    await commit(tx, [tx.store.put(next, id)]);
    return next;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction('sweeps', 'readwrite');
    await commit(tx, [tx.store.delete(id)]);
  }

  /** Marks 'running' sweeps whose tab is gone as 'interrupted'; returns them as stored. */
  async recoverInterrupted(isAlive: (id: string) => Promise<boolean> = isSweepAlive, now = new Date()): Promise<SweepRecord[]> {
    const orphans: SweepRecord[] = [];
    for (const s of (await this.list()).sweeps.filter((x) => x.status === 'running')) {
      if (await isAlive(s.sweep_id)) continue;
      const marked = await this.update(s.sweep_id, (r) =>
        r.status === 'running' ? { ...r, status: 'interrupted', status_reason: 'the tab that ran it was closed or reloaded', updated_at: isoWithOffset(now) } : r,
      );
      if (marked.status === 'interrupted') orphans.push(marked);
    }
    return orphans;
  }
}
