// A person's own datasets (a table file, pasted text, a folder of images or a .zip of them) kept in
// the browser, so that reopening the lab offers the last one again and resuming a run on one finds
// its data. Its own IndexedDB database, apart from the runs: it never needs the run database
// upgraded. Metadata and file Blobs live in separate stores, so list() and latest() never read a
// file; a small `meta` record keeps the total bytes and the last-use counter, updated in the same
// transaction as each write. Each write is one transaction: a full disk (which surfaces when the
// transaction aborts) or an abort leaves the store as it was. Everything read back is validated.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { isoWithOffset } from '../training/time';
import { errorText, formatBytes } from '../units';
import { estimateStorage } from './browser-storage';
import {
  checkEntry,
  checkLimits,
  checkSha256,
  DEFAULT_OWN_DATA_LIMITS,
  OwnDataClosedError,
  OwnDataFullError,
  publicMeta,
  storedFileBytes,
  validateFiles,
  validateStoredMeta,
  validateUsage,
  type DamagedDataset,
  type EvictedDataset,
  type OwnDataEntry,
  type OwnDataLimits,
  type OwnDataset,
  type OwnDatasetMeta,
  type StoredMeta,
  type UsageRecord,
} from './dataset-store-records';

export * from './dataset-store-records';

export const OWN_DATA_DB = 'trainlab-datasets';

interface OwnDataDB extends DBSchema {
  datasets: { key: string; value: unknown }; // sha256 → StoredMeta (unknown: every read validates)
  files: { key: [string, number]; value: unknown }; // [sha256, index] → { path, blob }
  meta: { key: string; value: unknown }; // USAGE_KEY → UsageRecord
}

type AnyTx = IDBPTransaction<OwnDataDB, ('datasets' | 'files' | 'meta')[], 'readonly' | 'readwrite'>;
type WriteTx = IDBPTransaction<OwnDataDB, ('datasets' | 'files' | 'meta')[], 'readwrite'>;

const DB_VERSION = 1;
const USAGE_KEY = 'usage';
const ALL = ['datasets', 'files', 'meta'] as const;
const fileRange = (sha256: string) => IDBKeyRange.bound([sha256, 0], [sha256, Infinity]);
const isQuotaError = (e: unknown) => e instanceof DOMException && e.name === 'QuotaExceededError';

/** What save() did: kept (with the datasets forgotten to make room, and a message saying so) or not. */
export type SaveResult =
  | { kept: true; dataset: OwnDatasetMeta; evicted: EvictedDataset[]; message: string }
  | { kept: false; message: string };

/** A stored metadata record as read: validated, or null with why not. */
interface Listed {
  sha256: string;
  meta: StoredMeta | null;
  error: string;
}

function listed(keys: string[], values: unknown[]): Listed[] {
  return keys.map((sha256, i) => {
    try {
      return { sha256, meta: validateStoredMeta(sha256, values[i]), error: '' };
    } catch (e) {
      return { sha256, meta: null, error: errorText(e) };
    }
  });
}

/** Runs `body` (which makes the transaction's requests) and waits for the commit; a failure aborts it all. */
async function inTransaction<T>(tx: AnyTx, body: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (e) {
    tx.done.catch(() => {});
    try {
      tx.abort();
    } catch {
      // aborting already
    }
    throw tx.error ?? e;
  }
  await tx.done; // a full disk surfaces here
  return result;
}

/** The usage record; when it is missing or damaged, recounted from the file records (no file is read). */
async function usageIn(tx: AnyTx, rows?: Listed[]): Promise<UsageRecord> {
  const stored = validateUsage(await tx.objectStore('meta').get(USAGE_KEY));
  if (stored) return stored;
  let bytes = 0;
  for (let c = await tx.objectStore('files').openCursor(); c; c = await c.continue()) bytes += storedFileBytes(c.value);
  const all = rows ?? listed(await tx.objectStore('datasets').getAllKeys(), await tx.objectStore('datasets').getAll());
  return { bytes, use: Math.max(0, ...all.map((r) => r.meta?.use ?? 0)) };
}

/** Deletes one dataset's record and files inside `tx`; returns its bytes (for a damaged one, its files' sizes). */
async function remove(tx: WriteTx, row: Listed): Promise<number> {
  const files = tx.objectStore('files');
  const bytes = row.meta ? row.meta.bytes : (await files.getAll(fileRange(row.sha256))).reduce((a: number, v) => a + storedFileBytes(v), 0);
  await Promise.all([files.delete(fileRange(row.sha256)), tx.objectStore('datasets').delete(row.sha256)]);
  return bytes;
}

function evictionMessage(name: string, evicted: EvictedDataset[], limits: OwnDataLimits): string {
  if (!evicted.length) return '';
  const names = evicted.map((e) => `${e.name === null ? 'a damaged entry' : `"${e.name}"`} (${formatBytes(e.bytes)})`).join(', ');
  return (
    `Kept "${name}" for next time. To stay within ${limits.maxDatasets} datasets and ${formatBytes(limits.budgetBytes)}, ` +
    `the lab forgot the least recently used: ${names}.`
  );
}

export class OwnDataStore {
  private constructor(
    private readonly db: IDBPDatabase<OwnDataDB>,
    readonly limits: Readonly<OwnDataLimits>,
  ) {}

  static async open(name = OWN_DATA_DB, limits: Partial<OwnDataLimits> = {}): Promise<OwnDataStore> {
    const checked = checkLimits({ ...DEFAULT_OWN_DATA_LIMITS, ...limits });
    const closed = () => {
      db.close();
      store.closed = true;
      store.onVersionChange?.();
    };
    const db = await openDB<OwnDataDB>(name, DB_VERSION, {
      upgrade(d) {
        d.createObjectStore('datasets');
        d.createObjectStore('files');
        d.createObjectStore('meta');
      },
      // Another tab opened a newer TrainLab (or deleted the database): step aside and say so.
      blocking: closed,
      terminated: closed,
    });
    const store = new OwnDataStore(db, checked);
    return store;
  }

  /** Set once this connection was closed for another tab: this page must be reloaded. */
  closed = false;
  /** Called when another tab upgrades or deletes the database (the page should ask for a reload). */
  onVersionChange?: () => void;

  private get live(): IDBPDatabase<OwnDataDB> {
    if (this.closed) throw new OwnDataClosedError('TrainLab was updated in another tab: reload this page to go on (your own datasets are kept)');
    return this.db;
  }

  close(): void {
    this.db.close();
  }

  /**
   * Keeps `entry` (or, if its sha256 is kept already, marks it last used and takes its name), evicting
   * the least recently used datasets when the count or byte budget requires it: all in one
   * transaction. A dataset past `limits.maxDatasetBytes` is not kept ({ kept: false, message }).
   * Throws OwnDataFullError on a full disk and the signal's reason when aborted: nothing changed.
   */
  async save(entry: OwnDataEntry, opts: { signal?: AbortSignal } = {}): Promise<SaveResult> {
    checkEntry(entry);
    const { signal } = opts;
    signal?.throwIfAborted();
    const limits = this.limits;
    if (entry.bytes > limits.maxDatasetBytes) {
      return {
        kept: false,
        message: `"${entry.name}" (${formatBytes(entry.bytes)}) is past the ${formatBytes(limits.maxDatasetBytes)} limit for one kept dataset: the lab trains on it, but cannot offer it again after this page is closed.`,
      };
    }
    const tx = this.live.transaction(ALL, 'readwrite');
    const stop = () => {
      try {
        tx.abort();
      } catch {
        // committed or aborted already
      }
    };
    signal?.addEventListener('abort', stop);
    try {
      const { dataset, evicted } = await inTransaction(tx, () => this.write(tx, entry));
      return { kept: true, dataset: publicMeta(dataset), evicted, message: evictionMessage(entry.name, evicted, limits) };
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (isQuotaError(e)) throw await this.fullError(entry);
      throw e;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  private async write(tx: WriteTx, entry: OwnDataEntry): Promise<{ dataset: StoredMeta; evicted: EvictedDataset[] }> {
    const datasets = tx.objectStore('datasets');
    const meta = tx.objectStore('meta');
    const rows = listed(await datasets.getAllKeys(), await datasets.getAll());
    const usage = await usageIn(tx, rows);
    const now = isoWithOffset();
    const use = usage.use + 1;
    const same = rows.find((r) => r.sha256 === entry.sha256);
    if (same?.meta) {
      // Same bytes kept already (this tab or another): only its name and last use change.
      const dataset: StoredMeta = { ...same.meta, name: entry.name, pasted: entry.pasted ?? false, last_used_at: now, use };
      await Promise.all([datasets.put(dataset, entry.sha256), meta.put({ bytes: usage.bytes, use }, USAGE_KEY)]);
      return { dataset, evicted: [] };
    }
    let bytes = usage.bytes - (same ? await remove(tx, same) : 0); // a damaged record of the same bytes is replaced
    const others = rows.filter((r) => r !== same);
    const order = [...others.filter((r) => !r.meta), ...others.filter((r) => r.meta).sort((a, b) => a.meta!.use - b.meta!.use)];
    const evicted: EvictedDataset[] = [];
    for (let count = others.length; order.length && (count >= this.limits.maxDatasets || bytes + entry.bytes > this.limits.budgetBytes); count--) {
      const victim = order.shift()!;
      const freed = await remove(tx, victim);
      bytes -= freed;
      evicted.push({ sha256: victim.sha256, name: victim.meta?.name ?? null, bytes: freed });
    }
    const dataset: StoredMeta = {
      sha256: entry.sha256,
      name: entry.name,
      kind: entry.kind,
      bytes: entry.bytes,
      file_count: entry.files.length,
      pasted: entry.pasted ?? false,
      saved_at: now,
      last_used_at: now,
      use,
    };
    const files = tx.objectStore('files');
    await Promise.all([
      ...entry.files.map((f, i) => files.put({ path: f.path, blob: f.blob }, [entry.sha256, i])),
      datasets.put(dataset, entry.sha256),
      meta.put({ bytes: Math.max(0, bytes) + entry.bytes, use }, USAGE_KEY),
    ]);
    return { dataset, evicted };
  }

  private async fullError(entry: OwnDataEntry): Promise<OwnDataFullError> {
    const [bytes, { datasets }, estimate] = await Promise.all([this.usage(), this.list(), estimateStorage()]);
    const quota = estimate ? ` (the browser allows this site about ${formatBytes(estimate.quota)})` : '';
    return new OwnDataFullError(
      `storage is full: could not keep "${entry.name}" (${formatBytes(entry.bytes)}) for next time; the lab still trains on it. ` +
        `Kept own datasets: ${formatBytes(bytes)} in ${datasets.length}${quota}. Forgetting one, or deleting old runs, makes room.`,
    );
  }

  /** Marks a kept dataset last used; returns it, or undefined when it is not kept. Throws OwnDataDamagedError. */
  async touch(sha256: string): Promise<OwnDatasetMeta | undefined> {
    checkSha256(sha256);
    const tx = this.live.transaction(ALL, 'readwrite');
    return inTransaction(tx, async () => {
      const raw = await tx.objectStore('datasets').get(sha256);
      if (raw === undefined) return undefined;
      const stored = validateStoredMeta(sha256, raw);
      const usage = await usageIn(tx);
      const dataset = { ...stored, last_used_at: isoWithOffset(), use: usage.use + 1 };
      await Promise.all([tx.objectStore('datasets').put(dataset, sha256), tx.objectStore('meta').put({ bytes: usage.bytes, use: dataset.use }, USAGE_KEY)]);
      return publicMeta(dataset);
    });
  }

  /** Every kept dataset's metadata, last used first (no file is read); damaged records apart. */
  async list(): Promise<{ datasets: OwnDatasetMeta[]; damaged: DamagedDataset[] }> {
    const tx = this.live.transaction('datasets');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done]);
    const rows = listed(keys, values);
    const valid = rows.flatMap((r) => (r.meta ? [r.meta] : [])).sort((a, b) => b.use - a.use);
    return { datasets: valid.map(publicMeta), damaged: rows.filter((r) => !r.meta).map((r) => ({ sha256: r.sha256, error: r.error })) };
  }

  /** The last used kept dataset (metadata only), or undefined when none is kept. */
  async latest(): Promise<OwnDatasetMeta | undefined> {
    return (await this.list()).datasets[0];
  }

  /** A kept dataset with its files; undefined when not kept; throws OwnDataDamagedError when damaged. */
  async get(sha256: string): Promise<OwnDataset | undefined> {
    checkSha256(sha256);
    const tx = this.live.transaction(['datasets', 'files']);
    const [raw, files] = await Promise.all([tx.objectStore('datasets').get(sha256), tx.objectStore('files').getAll(fileRange(sha256)), tx.done]);
    if (raw === undefined) return undefined;
    const stored = validateStoredMeta(sha256, raw);
    return { ...publicMeta(stored), files: validateFiles(stored, files) };
  }

  /** Forgets a dataset (damaged or not) and its files; false when nothing was kept under `sha256`. */
  async forget(sha256: string): Promise<boolean> {
    checkSha256(sha256);
    const tx = this.live.transaction(ALL, 'readwrite');
    return inTransaction(tx, async () => {
      const [raw, fileKeys] = await Promise.all([tx.objectStore('datasets').get(sha256), tx.objectStore('files').getAllKeys(fileRange(sha256), 1)]);
      if (raw === undefined && !fileKeys.length) return false;
      const usage = await usageIn(tx);
      const [row] = listed([sha256], [raw]);
      const freed = await remove(tx, row);
      await tx.objectStore('meta').put({ bytes: Math.max(0, usage.bytes - freed), use: usage.use }, USAGE_KEY);
      return true;
    });
  }

  /** Total bytes of the kept files, from the usage record (recounted only when that record is damaged). */
  async usage(): Promise<number> {
    const tx = this.live.transaction(ALL);
    const [usage] = await Promise.all([usageIn(tx), tx.done]);
    return usage.bytes;
  }
}
