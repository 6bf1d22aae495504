// The shell's view of the run store: it opens the store, reads every run once, then keeps the list
// and the byte count current one run at a time from the store's change feed, which carries this
// tab's writes and, read again here, every other tab's (RunStore.watch). Runs actions on one stored
// run and shows what failed. Nothing here reads, validates or sorts every run again but a refresh
// (at start, after a restore).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunRecord } from '../recorder/run-record';
import { isRunAlive, RunStore, type DamagedRecord, type RunChange } from '../recorder/run-store';
import { placeRun } from './stored-runs';
import { ownDataStore } from './own-data';
import { forgetOtherOwnData, ownDataFigures } from './own-data-keep';

export interface StorageFigures {
  labBytes: number;
  usage: number;
  quota: number;
  persisted: boolean | null;
  /** A person's datasets kept for reuse (own-data store); null until read or where none can be kept. */
  ownData: { count: number; bytes: number } | null;
}

export class StoredRunsController implements ReactiveController {
  runs: RunRecord[] = [];
  damaged: DamagedRecord[] = [];
  store?: RunStore;
  /** Why runs cannot be recorded, or that another tab's newer TrainLab closed the store. */
  storeError = '';
  storage: StorageFigures = { labBytes: Number.NaN, usage: Number.NaN, quota: Number.NaN, persisted: null, ownData: null };
  /** The stored runs have been read once (before that, a compared id is not yet known to be missing). */
  runsLoaded = false;
  /** The outcome of a failed action on a stored run (rename, tags, notes, delete). */
  message = '';
  /** Runs another tab deleted while this one listed them: id → name (an open run view says so). */
  readonly deletedElsewhere = new Map<string, string>();
  /** Settles once the store is open (or known to be unavailable); the lab records runs into it. */
  readonly ready: Promise<RunStore | undefined>;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
    this.ready = this.open();
  }

  hostDisconnected() {
    clearTimeout(this.estimateTimer);
    this.estimateTimer = undefined;
  }

  private set<K extends keyof this>(key: K, value: this[K]) {
    this[key] = value;
    this.host.requestUpdate();
  }

  private async open(): Promise<RunStore | undefined> {
    try {
      const store = await RunStore.open();
      store.onVersionChange = () => this.set('storeError', 'TrainLab was updated in another tab: reload this page to go on (everything stored is kept).');
      this.set('store', store);
      // From now on each committed write (this tab's or another's) updates its one run and the byte count.
      store.watch((change) => this.onStoreChange(change));
      const { runs } = await this.refresh();
      await store.recoverInterrupted(isRunAlive, runs);
      void this.readUsage(store).catch(() => {}); // the figures stay '–' (e.g. the store closed for another tab's upgrade)
      void store.requestPersistence().then((persisted) => this.set('storage', { ...this.storage, persisted }));
      return store;
    } catch (e) {
      this.set('storeError', `Runs cannot be recorded in this browser: ${(e as Error).message}`);
      return undefined;
    }
  }

  private refreshing?: Promise<{ runs: readonly RunRecord[] }>;
  private refreshAgain = false;
  /** Changes committed while the runs are being read: applied again over what was read. */
  private changesDuringRead: RunChange[] | null = null;

  /**
   * Reads every stored run (once at start, and after a bulk change such as a restore); calls during a
   * read coalesce into one more read. Single writes never come here: see onStoreChange.
   */
  refresh(): Promise<{ runs: readonly RunRecord[] }> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.readRuns().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private async readRuns(): Promise<{ runs: readonly RunRecord[] }> {
    if (!this.store) return { runs: this.runs };
    const during: RunChange[] = (this.changesDuringRead = []);
    try {
      const { runs, damaged } = await this.store.listRuns();
      [this.runs, this.damaged] = [runs, damaged];
    } finally {
      this.changesDuringRead = null;
    }
    for (const c of during) this.onStoreChange(c); // newer than what was read, or the same
    this.set('runsLoaded', true);
    return { runs: this.runs };
  }

  /** What the lab stores (scanned once by the store, then kept current by it) and the browser's estimate. */
  private async readUsage(store: RunStore) {
    const { total } = await store.usage();
    this.set('storage', { ...this.storage, labBytes: total }); // at once: a change reported after the scan has a newer total
    const estimate = await store.estimate();
    this.set('storage', { ...this.storage, usage: estimate?.usage ?? Number.NaN, quota: estimate?.quota ?? Number.NaN });
  }

  /** The datasets kept for reuse (a handful at most: cheap), read when the storage figures are shown. */
  async readOwnData(): Promise<void> {
    const ownData = await ownDataFigures(await ownDataStore()).catch(() => null);
    this.set('storage', { ...this.storage, ownData });
  }

  /** Forgets every dataset kept for reuse (the runs and their records stay). */
  async forgetOwnData(): Promise<void> {
    try {
      await forgetOtherOwnData(await ownDataStore(), undefined);
    } catch (e) {
      this.set('message', `Could not forget the kept data: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.readOwnData();
  }

  /** One committed write: its run is placed, removed or kept, the byte count follows. */
  private onStoreChange(change: RunChange) {
    this.changesDuringRead?.push(change);
    const { runId, record } = change;
    if (change.remote && record === null) {
      const gone = this.run(runId);
      if (gone && !change.damaged) this.deletedElsewhere.set(runId, gone.run_name);
    } else if (record) this.deletedElsewhere.delete(runId); // back (restored elsewhere)
    if (record !== undefined) this.placeRun(runId, record);
    if (record !== undefined && (change.damaged || this.damaged.some((d) => d.key === runId))) {
      this.set('damaged', [...this.damaged.filter((d) => d.key !== runId), ...(change.damaged ? [{ key: runId, error: change.damaged }] : [])]);
    }
    if (Number.isFinite(change.labBytes) && change.labBytes !== this.storage.labBytes) this.set('storage', { ...this.storage, labBytes: change.labBytes });
    this.estimateSoon();
  }

  private estimateTimer?: ReturnType<typeof setTimeout>;
  /** The browser's estimate after writes, asked at most once a second. */
  private estimateSoon() {
    if (this.estimateTimer !== undefined || !this.store) return;
    const store = this.store;
    this.estimateTimer = setTimeout(async () => {
      const estimate = await store.estimate().catch(() => null);
      this.estimateTimer = undefined;
      this.set('storage', { ...this.storage, usage: estimate?.usage ?? Number.NaN, quota: estimate?.quota ?? Number.NaN });
    }, 1000);
  }

  private index: { runs: readonly RunRecord[]; byId: Map<string, RunRecord> } = { runs: [], byId: new Map() };
  /** The listed run `id` (a lookup: rebuilt only when the list was replaced as a whole). */
  run(id: string): RunRecord | undefined {
    if (this.index.runs !== this.runs) this.index = { runs: this.runs, byId: new Map(this.runs.map((r) => [r.run_id, r])) };
    return this.index.byId.get(id);
  }

  /** Places (or, with null, removes) one run in the list: no other run is read, validated or sorted. */
  private placeRun(runId: string, record: RunRecord | null) {
    const old = this.run(runId);
    if (old === record || (!old && !record)) return;
    const runs = placeRun(this.runs, old, record);
    if (record) this.index.byId.set(runId, record);
    else this.index.byId.delete(runId);
    this.index.runs = this.runs = runs;
    this.host.requestUpdate();
  }

  /** Adds runs that no store keeps (this browser cannot store runs): they last as long as the page. */
  addUnstored(runs: readonly RunRecord[]) {
    this.set('runs', [...this.runs, ...runs]);
  }

  /**
   * Runs a storage action on one run; a failure (a full disk, a run deleted in another tab) is shown,
   * never lost. What succeeds reaches the list through onStoreChange; after a failure that one run
   * is read again (it may have changed or gone elsewhere).
   */
  async act(what: string, runId: string, work: (store: RunStore) => Promise<unknown>) {
    const store = this.store;
    if (!store) return;
    this.set('message', '');
    try {
      await work(store);
    } catch (e) {
      this.set('message', `Could not ${what}: ${(e as Error).message}`);
      await store.getRun(runId).then(
        (record) => this.placeRun(runId, record ?? null),
        (e: Error) => this.set('message', `${this.message} (and it could not be read again: ${e.message})`),
      );
    }
  }
}
