import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import type { AddReport } from '../app/compare-imports';
import type { SourceFile } from '../compare/import-sources';
import { asLabRecord, labRecord } from '../recorder/run-record-validate';
import { isRunAlive, RunStore, type RunChange } from '../recorder/run-store';
import { placeRun, sameOrNew } from '../app/stored-runs';
import { RunExports } from '../app/run-exports';
import { BackupController } from '../app/backup';
import type { RunMetaChange } from './tl-run-list';
import type { FigureView, RunAction } from './tl-run-view';
import type { TlLab } from './tl-lab';
import './tl-lab';
import './tl-run-list';
import './tl-run-view';
import './tl-storage-panel';
import './tl-backup-panel';

type Route = { view: 'lab' } | { view: 'runs'; runId?: string } | { view: 'compare'; ids: string[] };

function parseRoute(hash: string): Route {
  const compare = hash.match(/^#compare(?:\/(.*))?$/);
  if (compare) return { view: 'compare', ids: compareIds(compare[1] ?? '') };
  const m = hash.match(/^#runs(?:\/(.+))?$/);
  return m ? { view: 'runs', runId: m[1] ? decodeURIComponent(m[1]) : undefined } : { view: 'lab' };
}

/** The compared run ids in the hash: `#compare/id1,id2`, each id URI-encoded (so commas in ids survive). */
function compareIds(text: string): string[] {
  const ids = text.split(',').filter(Boolean).map((x) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  });
  return [...new Set(ids)];
}

export const compareHash = (ids: readonly string[]): string => `#compare/${ids.map(encodeURIComponent).join(',')}`;

/** The shell: navigation (Lab / Runs), the run store, and the wiring of run actions to storage and export. */
@customElement('tl-app')
export class TlApp extends LitElement {
  static styles = css`
    :host { display: block; max-width: 1400px; margin: 0 auto; padding: 12px 16px 40px; }
    header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; margin-bottom: 10px; }
    h1 { font-size: 1.4rem; margin: 4px 0; }
    nav { display: flex; gap: 4px; }
    nav a { padding: 4px 12px; border-radius: 6px; color: #0b5cad; text-decoration: none; font-weight: 600; }
    nav a[aria-current='page'] { background: #0b5cad; color: #fff; }
    .tagline { color: #5b6570; font-size: 0.9rem; }
    .runs { display: flex; flex-direction: column; gap: 12px; }
    .warning { color: #8a5a00; }
    [hidden] { display: none !important; }
  `;

  @state() private route: Route = parseRoute(location.hash);
  @state() private runs: RunRecord[] = [];
  @state() private damaged: { key: string; error: string }[] = [];
  @state() private store?: RunStore;
  @state() private storeError = '';
  @state() private storage = { labBytes: Number.NaN, usage: Number.NaN, quota: Number.NaN, persisted: null as boolean | null };
  @state() private figures: FigureView[] = [];
  @state() private busy = '';
  @state() private actionMessage = '';
  /** The outcome of a failed action on the Runs page (rename, tags, notes, delete). */
  @state() private runsMessage = '';
  @state() private compareLoaded = false;
  /** The stored runs have been read once (before that, a compared id is not yet known to be missing). */
  @state() private runsLoaded = false;
  @state() private compareReport: AddReport | null = null;
  @state() private compareBusy = '';
  @state() private compareMessage = '';
  @query('tl-lab') private labEl!: TlLab;
  private readonly exports = new RunExports();
  private readonly backup = new BackupController(this, () => this.storeReady, () => this.refresh());
  private readonly onHash = () => {
    this.route = parseRoute(location.hash);
    this.loadCompareView();
  };

  /** The ids last compared, so that the Compare link reopens them from Lab or Runs. */
  private lastCompared: string[] = this.route.view === 'compare' ? this.route.ids : [];
  /** Settles once the store is open (or known to be unavailable); the lab records runs into it. */
  private readonly storeReady: Promise<RunStore | undefined> = this.openStore();

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.loadCompareView();
  }

  /** The Compare view's code (and its libraries) loads on the first visit only: the lab's first load stays small. */
  private loadCompareView() {
    if (this.route.view !== 'compare') return;
    this.lastCompared = this.route.ids;
    if (this.compareLoaded) return;
    import('./tl-compare-view').then(
      () => (this.compareLoaded = true),
      (e: Error) => (this.compareMessage = `The Compare view could not load: ${e.message}`),
    );
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  private async openStore(): Promise<RunStore | undefined> {
    try {
      const store = await RunStore.open();
      store.onVersionChange = () => (this.storeError = 'TrainLab was updated in another tab: reload this page to go on (everything stored is kept).');
      this.store = store;
      // From now on each committed write updates its one run and the byte count: nothing is re-read.
      store.watch((change) => this.onStoreChange(change));
      const { runs } = await this.refresh();
      await store.recoverInterrupted(isRunAlive, runs);
      void this.readUsage(store).catch(() => {}); // the figures stay '–' (e.g. the store closed for another tab's upgrade)
      void store.requestPersistence().then((persisted) => (this.storage = { ...this.storage, persisted }));
      return store;
    } catch (e) {
      this.storeError = `Runs cannot be recorded in this browser: ${(e as Error).message}`;
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
  private refresh(): Promise<{ runs: readonly RunRecord[] }> {
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
      this.runs = runs;
      this.damaged = damaged;
    } finally {
      this.changesDuringRead = null;
    }
    for (const c of during) this.onStoreChange(c); // newer than what was read, or the same
    this.runsLoaded = true;
    return { runs: this.runs };
  }

  /** What the lab stores (scanned once by the store, then kept current by it) and the browser's estimate. */
  private async readUsage(store: RunStore) {
    const { total } = await store.usage();
    this.storage = { ...this.storage, labBytes: total }; // at once: a change reported after the scan has a newer total
    const estimate = await store.estimate();
    this.storage = { ...this.storage, usage: estimate?.usage ?? Number.NaN, quota: estimate?.quota ?? Number.NaN };
  }

  /** One committed write of the store (this tab's): its run is placed, removed or kept, the byte count follows. */
  private onStoreChange(change: RunChange) {
    this.changesDuringRead?.push(change);
    if (change.record !== undefined) this.placeRun(change.runId, change.record);
    if (Number.isFinite(change.labBytes) && change.labBytes !== this.storage.labBytes) this.storage = { ...this.storage, labBytes: change.labBytes };
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
      this.storage = { ...this.storage, usage: estimate?.usage ?? Number.NaN, quota: estimate?.quota ?? Number.NaN };
    }, 1000);
  }

  private index: { runs: readonly RunRecord[]; byId: Map<string, RunRecord> } = { runs: [], byId: new Map() };
  /** The listed run `id` (a lookup: rebuilt only when the list was replaced as a whole). */
  private run(id: string): RunRecord | undefined {
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
    if (this.damaged.some((d) => d.key === runId)) this.damaged = this.damaged.filter((d) => d.key !== runId);
  }

  protected willUpdate() {
    const open = this.route.view === 'runs' && this.route.runId ? this.run(this.route.runId) : undefined;
    // Previews follow the open run's record: a new run, or the same run after it changed (e.g. finished).
    const key = open ? `${open.run_id}@${open.updated_at}` : '';
    if (key !== this.figuresKey) {
      this.figuresKey = key;
      void this.loadFigures(open, key);
    }
  }

  private figuresKey = '';
  private async loadFigures(record: RunRecord | undefined, key: string) {
    const lab = record && asLabRecord(record); // an imported reference run has no figures to draw here
    try {
      const figures = lab ? await this.exports.figures(lab) : (this.exports.clearFigures(), []);
      if (key === this.figuresKey) this.figures = figures; // a slower, older request must not win
    } catch (e) {
      if (key !== this.figuresKey) return;
      this.figures = [];
      this.actionMessage = `The figures could not be drawn: ${(e as Error).message}`;
    }
  }

  private async onRunAction(a: RunAction) {
    const record = this.run(a.runId);
    if (!record || !this.store) return;
    this.actionMessage = '';
    try {
      if (a.action === 'close') location.hash = '#runs';
      else if (a.action === 'resume' || a.action === 'restart') {
        location.hash = '#lab';
        await this.labEl.continueRun(record);
      } else if (a.action === 'download-zip') {
        await this.exports.downloadZip(this.store, labRecord(record), (text) => (this.busy = text));
      } else if (a.figure) {
        await this.exports.downloadFigure(labRecord(record), a.figure, a.action === 'figure-pdf' ? 'pdf' : 'png');
      }
    } catch (e) {
      this.actionMessage = (e as Error).message;
      if (a.action === 'resume' || a.action === 'restart') location.hash = `#runs/${encodeURIComponent(a.runId)}`;
    } finally {
      this.busy = '';
    }
  }

  /**
   * Runs a storage action of the Runs page on one run; a failure (a full disk, a run deleted in
   * another tab) is shown, never lost. What succeeds reaches the list through onStoreChange; after a
   * failure that one run is read again (it may have changed or gone elsewhere).
   */
  private async runsAction(what: string, runId: string, work: (store: RunStore) => Promise<unknown>) {
    const store = this.store;
    if (!store) return;
    this.runsMessage = '';
    try {
      await work(store);
    } catch (e) {
      this.runsMessage = `Could not ${what}: ${(e as Error).message}`;
      await store.getRun(runId).then(
        (record) => this.placeRun(runId, record ?? null),
        (e: Error) => (this.runsMessage += ` (and it could not be read again: ${e.message})`),
      );
    }
  }

  private onMeta(m: RunMetaChange) {
    const { runId, ...meta } = m;
    const what = meta.notes !== undefined ? `save the notes of ${runId}` : meta.run_name !== undefined ? `rename ${runId}` : `save the tags of ${runId}`;
    return this.runsAction(what, runId, (store) => store.updateMeta(runId, meta));
  }

  private onDelete(runId: string) {
    return this.runsAction(`delete ${runId}`, runId, async (store) => {
      await store.deleteRun(runId);
      if (this.route.view === 'runs' && this.route.runId === runId) location.hash = '#runs';
    });
  }

  private compared: RunRecord[] = [];
  /** The compared runs, the same array while none of them changed (an epoch of another run re-renders nothing there). */
  private comparedRuns(ids: string[]): { runs: RunRecord[]; missing: string[] } {
    this.compared = sameOrNew(this.compared, ids, (id) => this.run(id));
    // Before the store has been read, nothing is missing yet.
    const missing = this.runsLoaded ? ids.filter((id) => !this.run(id)) : [];
    return { runs: this.compared, missing };
  }

  private setCompared(ids: string[]) {
    this.lastCompared = ids;
    const hash = compareHash(ids);
    if (location.hash !== hash) location.hash = hash;
  }

  private async onCompareFiles(files: SourceFile[]) {
    const ids = this.route.view === 'compare' ? this.route.ids : [];
    this.compareMessage = '';
    this.compareBusy = `Reading ${files.length} file${files.length === 1 ? '' : 's'}…`;
    try {
      const { addRunFiles } = await import('../app/compare-imports');
      const store = await this.storeReady;
      const report = await addRunFiles(files, this.runs, store, { now: new Date() });
      this.compareReport = report;
      if (!store) this.runs = [...this.runs, ...report.added]; // else each stored run came through onStoreChange
      this.setCompared([...new Set([...ids, ...report.added.map((x) => x.run_id), ...report.already.map((x) => x.run_id)])]);
    } catch (e) {
      this.compareMessage = (e as Error).message;
    } finally {
      this.compareBusy = '';
    }
  }

  private renderCompare(ids: string[]) {
    if (!this.compareLoaded) return html`<p class="muted" role="status">${this.compareMessage || 'Loading the Compare view…'}</p>`;
    const { runs, missing } = this.comparedRuns(ids);
    return html`<tl-compare-view .runs=${runs} .missing=${missing} .report=${this.compareReport} .busy=${this.compareBusy} .message=${this.compareMessage}
      @compare-add-files=${(e: CustomEvent<SourceFile[]>) => this.onCompareFiles(e.detail)}
      @compare-remove=${(e: CustomEvent<string>) => this.setCompared(ids.filter((id) => id !== e.detail))}
      @compare-clear=${() => { this.compareReport = null; this.setCompared([]); }}></tl-compare-view>`;
  }

  render() {
    const r = this.route;
    const selected = r.view === 'runs' && r.runId ? this.run(r.runId) : undefined;
    return html`<header>
        <h1>TrainLab</h1>
        <nav aria-label="Views">
          <a href="#lab" aria-current=${r.view === 'lab' ? 'page' : 'false'}>Lab</a>
          <a href="#runs" aria-current=${r.view === 'runs' ? 'page' : 'false'}>Runs</a>
          <a href=${r.view === 'compare' ? compareHash(r.ids) : compareHash(this.lastCompared)} aria-current=${r.view === 'compare' ? 'page' : 'false'}>Compare</a>
        </nav>
        <span class="tagline">Train a classifier on your own GPU, in this tab. Your data never leaves the browser.</span>
      </header>
      ${this.storeError ? html`<p class="warning" role="alert">${this.storeError}</p>` : nothing}
      <tl-lab .storeReady=${this.storeReady} ?hidden=${r.view !== 'lab'} .exportBusy=${r.view === 'lab' ? this.busy : ''}
        @run-action=${(e: CustomEvent<RunAction>) => this.onRunAction(e.detail)}></tl-lab>
      <div class="runs" ?hidden=${r.view !== 'runs'}>
        <tl-storage-panel .labBytes=${this.storage.labBytes} .runCount=${this.runs.length} .usage=${this.storage.usage} .quota=${this.storage.quota} .persisted=${this.storage.persisted}></tl-storage-panel>
        <tl-backup-panel .view=${this.backup.view} .runCount=${this.runs.length} @backup-create=${() => this.backup.backUp()}
          @backup-restore=${(e: CustomEvent<File>) => this.backup.restore(e.detail)} @backup-cancel=${() => this.backup.cancel()}></tl-backup-panel>
        ${this.runsMessage ? html`<p class="warning" role="alert">${this.runsMessage}</p>` : nothing}
        ${this.damaged.length
          ? html`<p class="warning" role="alert">${this.damaged.length} stored record(s) could not be read and are not shown: ${this.damaged.map((d) => `${d.key}: ${d.error}`).join('; ')}</p>`
          : nothing}
        ${selected
          ? html`<tl-run-view .record=${selected} .figures=${this.figures} .busy=${this.busy} .message=${this.actionMessage || this.runsMessage}
              @run-action=${(e: CustomEvent<RunAction>) => this.onRunAction(e.detail)}
              @run-meta=${(e: CustomEvent<RunMetaChange>) => this.onMeta(e.detail)}></tl-run-view>`
          : nothing}
        <tl-run-list .runs=${this.runs} .selectedId=${selected?.run_id ?? ''} .active=${r.view === 'runs'}
          @run-open=${(e: CustomEvent<string>) => (location.hash = `#runs/${encodeURIComponent(e.detail)}`)}
          @run-delete=${(e: CustomEvent<string>) => this.onDelete(e.detail)}
          @run-meta=${(e: CustomEvent<RunMetaChange>) => this.onMeta(e.detail)}
          @runs-compare=${(e: CustomEvent<string[]>) => this.setCompared(e.detail)}></tl-run-list>
      </div>
      ${r.view === 'compare' ? html`<div class="compare">${this.renderCompare(r.ids)}</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-app': TlApp;
  }
}
