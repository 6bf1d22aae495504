import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import type { AddReport } from '../app/compare-imports';
import type { SourceFile } from '../compare/import-sources';
import { asLabRecord, labRecord } from '../recorder/run-record-validate';
import { sameOrNew } from '../app/stored-runs';
import { StoredRunsController } from '../app/stored-runs-controller';
import { RouteController, runHash, type Route } from '../app/app-route';
import { RunExports } from '../app/run-exports';
import { BackupController } from '../app/backup';
import { RunWeightsController } from '../app/run-weights-controller';
import { MistakesController } from '../app/mistakes-source';
import type { DecisionBoundary } from '../training/decision-boundary';
import { CompareSweepController, type CompareSweepDetail } from '../app/compare-sweep';
import type { RunMetaChange } from './tl-run-list';
import type { FigureView, RunAction } from './tl-run-view';
import type { TlLab } from './tl-lab';
import type { SweepExportRequest } from './tl-sweep-panel';
import './tl-lab';
import './tl-run-list';
import './tl-run-view';
import './tl-storage-panel';
import './tl-backup-panel';

export { compareHash } from '../app/app-route';

/** The sweep store, for a sweep's comparison. */
async function openSweepSource() {
  const { SweepStore } = await import('../recorder/sweep-store');
  return SweepStore.open();
}

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

  @state() private figures: FigureView[] = [];
  /** The open run's decision boundary (a 2-feature run's), read with its figures. */
  @state() private boundary: DecisionBoundary | null = null;
  @state() private busy = '';
  @state() private actionMessage = '';
  @state() private compareLoaded = false;
  @state() private compareReport: AddReport | null = null;
  @state() private compareBusy = '';
  @state() private compareMessage = '';
  @query('tl-lab') private labEl!: TlLab;
  /** The stored runs, kept current from this tab's writes and other tabs' (the store's change feed). */
  readonly stored = new StoredRunsController(this);
  private readonly routes = new RouteController(this, (route) => {
    this.loadCompareView(route);
    if (route.view === 'runs') void this.stored.readOwnData();
  });
  private readonly exports = new RunExports();
  /** Import run (with its weights) and Evaluate on the test split. */
  private readonly weights = new RunWeightsController(this, () => this.stored.ready);
  private readonly mistakes = new MistakesController(this, () => this.stored.ready);
  private readonly backup = new BackupController(this, () => this.stored.ready, () => this.stored.refresh());
  /** A sweep's comparison (#sweep/{id}): its record from the sweep store, its runs from the run store. */
  private readonly sweeps = new CompareSweepController(this, openSweepSource);

  constructor() {
    super();
    // "Compare this sweep", raised wherever a sweep is shown (the Lab's sweep panel).
    this.addEventListener('compare-sweep', (e: CustomEvent<CompareSweepDetail>) => this.routes.compareSweep(e.detail.sweepId));
    this.addEventListener('export-sweep-pytorch', (e) => void this.exportSweep((e as CustomEvent<SweepExportRequest>).detail));
  }

  /** "Export sweep as PyTorch" (the Lab's sweep panel): its record from the sweep store, its runs from the run store. */
  private async exportSweep({ sweepId, status }: SweepExportRequest) {
    try {
      status('Reading the sweep…');
      const store = await this.stored.ready;
      const sweep = await (await openSweepSource()).get(sweepId);
      if (!store || !sweep) throw new Error(store ? `${sweepId} is no longer stored in this browser` : 'Runs cannot be read: storage is unavailable');
      const { exportPytorchSweep } = await import('../app/pytorch-export');
      await exportPytorchSweep(store, sweep, this.labEl.runData, status);
      status('');
    } catch (e) {
      status(`The sweep could not be exported: ${(e as Error).message}`, true);
    }
  }

  /** The Compare view's code (and its libraries) loads on the first visit only: the lab's first load stays small. */
  private loadCompareView(route: Route) {
    if (route.view !== 'compare' || this.compareLoaded) return;
    import('./tl-compare-view').then(
      () => (this.compareLoaded = true),
      (e: Error) => (this.compareMessage = `The Compare view could not load: ${e.message}`),
    );
  }

  private run(id: string): RunRecord | undefined {
    return this.stored.run(id);
  }

  protected willUpdate() {
    const route = this.routes.route;
    const open = route.view === 'runs' && route.runId ? this.run(route.runId) : undefined;
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
      const boundary = (lab && (await (await this.stored.ready)?.getDecisionBoundary(lab.run_id))) ?? null;
      if (key !== this.figuresKey) return; // a slower, older request must not win
      this.boundary = boundary;
      const figures = lab ? await this.exports.figures(lab, boundary) : (this.exports.clearFigures(), []);
      if (key === this.figuresKey) this.figures = figures;
    } catch (e) {
      if (key !== this.figuresKey) return;
      this.figures = [];
      this.actionMessage = `The figures could not be drawn: ${(e as Error).message}`;
    }
  }

  private async onRunAction(a: RunAction) {
    const record = this.run(a.runId);
    const store = this.stored.store;
    if (!record || !store) return;
    this.actionMessage = '';
    try {
      if (a.action === 'close') this.routes.go('#runs');
      else if (a.action === 'resume' || a.action === 'restart') {
        this.routes.go('#lab');
        await this.labEl.continueRun(record);
      } else if (a.action === 'evaluate') {
        await this.weights.evaluate(record, this.labEl.runData);
      } else if (a.action === 'mistakes') {
        await this.mistakes.load(record, this.labEl.runData);
      } else if (a.action === 'download-zip') {
        await this.exports.downloadZip(store, labRecord(record), (text) => (this.busy = text), undefined, this.labEl.runData);
      } else if (a.action === 'export-pytorch') {
        const { exportPytorch } = await import('../app/pytorch-export');
        await exportPytorch(store, labRecord(record), this.labEl.runData, (text) => (this.busy = text));
      } else if (a.figure) {
        await this.exports.downloadFigure(labRecord(record), a.figure, a.action === 'figure-pdf' ? 'pdf' : 'png', this.boundary);
      }
    } catch (e) {
      this.actionMessage = (e as Error).message;
      if (a.action === 'resume' || a.action === 'restart') this.routes.go(runHash(a.runId));
    } finally {
      this.busy = '';
    }
  }

  /** Import run (Runs page): stores the run with its best model and opens it. */
  private async onImportRun(files: SourceFile[]) {
    const id = await this.weights.importRun(files);
    if (id) this.routes.go(runHash(id));
  }

  private onMeta(m: RunMetaChange) {
    const { runId, ...meta } = m;
    const what = meta.notes !== undefined ? `save the notes of ${runId}` : meta.run_name !== undefined ? `rename ${runId}` : `save the tags of ${runId}`;
    return this.stored.act(what, runId, (store) => store.updateMeta(runId, meta));
  }

  private onDelete(runId: string) {
    return this.stored.act(`delete ${runId}`, runId, async (store) => {
      await store.deleteRun(runId);
      const route = this.routes.route;
      if (route.view === 'runs' && route.runId === runId) this.routes.go('#runs');
    });
  }

  private compared: RunRecord[] = [];
  /** The compared runs, the same array while none of them changed (an epoch of another run re-renders nothing there). */
  private comparedRuns(ids: string[]): { runs: RunRecord[]; missing: string[] } {
    this.compared = sameOrNew(this.compared, ids, (id) => this.run(id));
    // Before the store has been read, nothing is missing yet.
    const missing = this.stored.runsLoaded ? ids.filter((id) => !this.run(id)) : [];
    return { runs: this.compared, missing };
  }

  /** The ids compared: the address's, or a sweep's runs. */
  private comparedIds(): string[] {
    const route = this.routes.route;
    if (route.view !== 'compare') return [];
    return route.sweepId !== undefined ? this.sweeps.comparison(route.sweepId, this.stored.runs).ids : route.ids;
  }

  private async onCompareFiles(files: SourceFile[]) {
    const ids = this.comparedIds();
    this.compareMessage = '';
    this.compareBusy = `Reading ${files.length} file${files.length === 1 ? '' : 's'}…`;
    try {
      const { addRunFiles } = await import('../app/compare-imports');
      const store = await this.stored.ready;
      const report = await addRunFiles(files, this.stored.runs, store, { now: new Date() });
      this.compareReport = report;
      if (!store) this.stored.addUnstored(report.added); // else each stored run came through the store's change feed
      this.routes.compare([...new Set([...ids, ...report.added.map((x) => x.run_id), ...report.already.map((x) => x.run_id)])]);
    } catch (e) {
      this.compareMessage = (e as Error).message;
    } finally {
      this.compareBusy = '';
    }
  }

  private renderCompare(route: Extract<Route, { view: 'compare' }>) {
    if (!this.compareLoaded) return html`<p class="muted" role="status">${this.compareMessage || 'Loading the Compare view…'}</p>`;
    const sweep = route.sweepId !== undefined ? this.sweeps.comparison(route.sweepId, this.stored.runs) : null;
    const ids = sweep ? sweep.ids : route.ids;
    const { runs, missing } = this.comparedRuns(ids);
    return html`<tl-compare-view .runs=${runs} .missing=${missing} .report=${this.compareReport} .busy=${this.compareBusy} .message=${this.compareMessage || this.sweeps.message}
      .sweep=${sweep?.info ?? null}
      @compare-add-files=${(e: CustomEvent<SourceFile[]>) => this.onCompareFiles(e.detail)}
      @compare-remove=${(e: CustomEvent<string>) => this.routes.compare(ids.filter((id) => id !== e.detail))}
      @compare-clear=${() => { this.compareReport = null; this.routes.compare([]); }}></tl-compare-view>`;
  }

  render() {
    const r = this.routes.route;
    const { runs, storage, message } = this.stored;
    const openId = r.view === 'runs' ? r.runId : undefined;
    const selected = openId ? this.run(openId) : undefined;
    const gone = openId && !selected ? this.stored.deletedElsewhere.get(openId) : undefined;
    return html`<header>
        <h1>TrainLab</h1>
        <nav aria-label="Views">
          <a href="#lab" aria-current=${r.view === 'lab' ? 'page' : 'false'}>Lab</a>
          <a href="#runs" aria-current=${r.view === 'runs' ? 'page' : 'false'}>Runs</a>
          <a href=${this.routes.compareLink()} aria-current=${r.view === 'compare' ? 'page' : 'false'}>Compare</a>
        </nav>
        <span class="tagline">Train a classifier on your own GPU, in this tab. Your data never leaves the browser.</span>
      </header>
      ${this.stored.storeError ? html`<p class="warning" role="alert">${this.stored.storeError}</p>` : nothing}
      <tl-lab .storeReady=${this.stored.ready} ?hidden=${r.view !== 'lab'} .exportBusy=${r.view === 'lab' ? this.busy : ''}
        @run-action=${(e: CustomEvent<RunAction>) => this.onRunAction(e.detail)}></tl-lab>
      <div class="runs" ?hidden=${r.view !== 'runs'}>
        <tl-storage-panel .labBytes=${storage.labBytes} .runCount=${runs.length} .ownData=${storage.ownData} @own-data-forget-all=${() => this.stored.forgetOwnData()} .usage=${storage.usage} .quota=${storage.quota} .persisted=${storage.persisted}></tl-storage-panel>
        <tl-backup-panel .view=${this.backup.view} .runCount=${runs.length} @backup-create=${() => this.backup.backUp()}
          @backup-restore=${(e: CustomEvent<File>) => this.backup.restore(e.detail)} @backup-cancel=${() => this.backup.cancel()}></tl-backup-panel>
        ${message ? html`<p class="warning" role="alert">${message}</p>` : nothing}
        ${this.weights.busy || this.weights.importMessage ? html`<p role="status" aria-label="Import run">${this.weights.busy || this.weights.importMessage}</p>` : nothing}
        ${this.stored.damaged.length
          ? html`<p class="warning" role="alert">${this.stored.damaged.length} stored record(s) could not be read and are not shown: ${this.stored.damaged.map((d) => `${d.key}: ${d.error}`).join('; ')}</p>`
          : nothing}
        ${selected || gone !== undefined
          ? html`<tl-run-view .record=${selected} .deletedName=${gone ?? ''} .figures=${this.figures} .boundary=${this.boundary}
              .gallery=${(selected && this.mistakes.galleries.get(selected.run_id)) ?? null} .store=${this.stored.ready} .busy=${this.busy || this.weights.busy || this.mistakes.busy} .message=${this.actionMessage || message}
              ?evaluable=${!!selected && this.weights.evaluable(selected, runs)} .evaluation=${(selected && this.weights.evaluations.get(selected.run_id)) ?? ''}
              @run-action=${(e: CustomEvent<RunAction>) => this.onRunAction(e.detail)}
              @run-meta=${(e: CustomEvent<RunMetaChange>) => this.onMeta(e.detail)}></tl-run-view>`
          : nothing}
        <tl-run-list .runs=${runs} .selectedId=${selected?.run_id ?? ''} .active=${r.view === 'runs'}
          @run-open=${(e: CustomEvent<string>) => this.routes.go(runHash(e.detail))}
          @run-delete=${(e: CustomEvent<string>) => this.onDelete(e.detail)}
          @run-meta=${(e: CustomEvent<RunMetaChange>) => this.onMeta(e.detail)}
          @runs-compare=${(e: CustomEvent<string[]>) => this.routes.compare(e.detail)}
          @runs-import=${(e: CustomEvent<SourceFile[]>) => this.onImportRun(e.detail)}></tl-run-list>
      </div>
      ${r.view === 'compare' ? html`<div class="compare">${this.renderCompare(r)}</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-app': TlApp;
  }
}
