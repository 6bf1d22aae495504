import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import type { AddReport } from '../app/compare-imports';
import type { SourceFile } from '../compare/import-sources';
import { asLabRecord, labRecord } from '../recorder/run-record-validate';
import { isRunAlive, RunStore } from '../recorder/run-store';
import { RunExports } from '../app/run-exports';
import type { RunMetaChange } from './tl-run-list';
import type { FigureView, RunAction } from './tl-run-view';
import type { TlLab } from './tl-lab';
import './tl-lab';
import './tl-run-list';
import './tl-run-view';
import './tl-storage-panel';

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
      await store.recoverInterrupted(isRunAlive);
      this.store = store;
      await this.refresh();
      void store.requestPersistence().then((persisted) => (this.storage = { ...this.storage, persisted }));
      return store;
    } catch (e) {
      this.storeError = `Runs cannot be recorded in this browser: ${(e as Error).message}`;
      return undefined;
    }
  }

  private refreshing?: Promise<void>;
  private refreshAgain = false;

  /** Re-reads the runs and storage figures; calls during a read coalesce into one more read. */
  private refresh(): Promise<void> {
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

  private async readRuns() {
    if (!this.store) return;
    const { runs, damaged } = await this.store.listRuns();
    const [usage, estimate] = await Promise.all([this.store.usage(), this.store.estimate()]);
    this.runs = runs;
    this.runsLoaded = true;
    this.damaged = damaged;
    this.storage = { ...this.storage, labBytes: usage.total, usage: estimate?.usage ?? Number.NaN, quota: estimate?.quota ?? Number.NaN };
  }

  protected willUpdate() {
    const open = this.route.view === 'runs' && this.route.runId ? this.runs.find((r) => r.run_id === (this.route as { runId: string }).runId) : undefined;
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
    const record = this.runs.find((r) => r.run_id === a.runId);
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

  /** Runs a storage action of the Runs page; a failure (a full disk, a run deleted in another tab) is shown, never lost. */
  private async runsAction(what: string, work: (store: RunStore) => Promise<unknown>) {
    if (!this.store) return;
    this.runsMessage = '';
    try {
      await work(this.store);
    } catch (e) {
      this.runsMessage = `Could not ${what}: ${(e as Error).message}`;
    }
    await this.refresh().catch((e: Error) => (this.runsMessage = `Could not read the stored runs: ${e.message}`));
  }

  private onMeta(m: RunMetaChange) {
    const { runId, ...meta } = m;
    const what = meta.notes !== undefined ? `save the notes of ${runId}` : meta.run_name !== undefined ? `rename ${runId}` : `save the tags of ${runId}`;
    return this.runsAction(what, (store) => store.updateMeta(runId, meta));
  }

  private onDelete(runId: string) {
    return this.runsAction(`delete ${runId}`, async (store) => {
      await store.deleteRun(runId);
      if (this.route.view === 'runs' && this.route.runId === runId) location.hash = '#runs';
    });
  }

  private comparedRuns(ids: string[]): { runs: RunRecord[]; missing: string[] } {
    const byId = new Map(this.runs.map((x) => [x.run_id, x]));
    const runs = ids.map((id) => byId.get(id)).filter((x): x is RunRecord => x !== undefined);
    // Before the store has been read, nothing is missing yet.
    const missing = this.runsLoaded ? ids.filter((id) => !byId.has(id)) : [];
    return { runs, missing };
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
      if (store) await this.refresh();
      else this.runs = [...this.runs, ...report.added];
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
    const selected = r.view === 'runs' && r.runId ? this.runs.find((x) => x.run_id === r.runId) : undefined;
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
        @run-stored=${() => this.refresh()} @run-action=${(e: CustomEvent<RunAction>) => this.onRunAction(e.detail)}></tl-lab>
      <div class="runs" ?hidden=${r.view !== 'runs'}>
        <tl-storage-panel .labBytes=${this.storage.labBytes} .runCount=${this.runs.length} .usage=${this.storage.usage} .quota=${this.storage.quota} .persisted=${this.storage.persisted}></tl-storage-panel>
        ${this.runsMessage ? html`<p class="warning" role="alert">${this.runsMessage}</p>` : nothing}
        ${this.damaged.length
          ? html`<p class="warning" role="alert">${this.damaged.length} stored record(s) could not be read and are not shown: ${this.damaged.map((d) => `${d.key}: ${d.error}`).join('; ')}</p>`
          : nothing}
        ${selected
          ? html`<tl-run-view .record=${selected} .figures=${this.figures} .busy=${this.busy} .message=${this.actionMessage || this.runsMessage}
              @run-action=${(e: CustomEvent<RunAction>) => this.onRunAction(e.detail)}
              @run-meta=${(e: CustomEvent<RunMetaChange>) => this.onMeta(e.detail)}></tl-run-view>`
          : nothing}
        <tl-run-list .runs=${this.runs} .selectedId=${selected?.run_id ?? ''}
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
