import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { PropertyValues } from 'lit';
import type { RunRecord } from '../recorder/run-record';
import type { SourceFile } from '../compare/import-sources';
import type { AddReport } from '../app/compare-imports';
import { CompareExports } from '../app/compare-exports';
import { comparabilityWarnings, defaultGroupBy, groupRuns, settingKeys, type GroupBy, type GroupMetric, type RunGroup } from '../compare/groups';
import { bestGroup, DEFAULT_SWEEP_METRIC, sweepSummary, type SweepInfo } from '../compare/sweep-compare';
import { sweepFigureInput } from '../compare/sweep-parallel';
import { comparisonSummary, type TTestShown } from '../compare/comparison-summary';
import { DEFAULT_LATEX_COLUMNS, groupsLatex, LATEX_COLUMNS, runsLatex, type LatexColumnKey } from '../compare/comparison-latex';
import { figureInput } from '../compare/figure-input';
import { Memo } from '../compare/memo';
import type { CompareFigureKind } from '../export/figures/compare/types';
import { DropTarget } from './drop-target';
import { RenderStages } from './render-stages';
import { buttonStyles, panelStyles } from './shared-styles';
import './tl-compare-groups';
import './tl-compare-sweep';
import { WINDOW_ABOVE } from './tl-compare-table';

/** Sections drawn after the table: groups and statistics; plots and export. */
const SECTIONS = 2;

/** The Compare view: add runs (stored, zips, folders), the table, groups and statistics, plots, exports. */
@customElement('tl-compare-view')
export class TlCompareView extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 12px; }
      .add { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
      .drop { border: 2px dashed #b8c0c8; border-radius: 8px; padding: 10px 14px; color: #5b6570; font-size: 0.9rem; }
      .drop.over { border-color: #0b5cad; background: #eef5fc; }
      .report { font-size: 0.85rem; margin: 6px 0 0; padding-left: 18px; }
      .report .problem { color: #b3261e; }
      .warning { color: #8a5a00; }
      .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 12px; }
      figure { margin: 0; border: 1px solid #e4e8ec; border-radius: 6px; padding: 6px; background: #fff; }
      figure img { width: 100%; height: auto; display: block; }
      figcaption { display: flex; gap: 6px; align-items: center; font-size: 0.85rem; margin-top: 4px; flex-wrap: wrap; }
      figcaption button { padding: 1px 8px; font-size: 0.8rem; }
      .options { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin-bottom: 8px; }
      .options label.inline { flex-direction: row; align-items: center; gap: 4px; }
      .latex-columns { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 0.85rem; }
      .latex-columns label { flex-direction: row; gap: 4px; align-items: center; }
      pre { background: #f5f7fa; padding: 8px; overflow: auto; max-height: 260px; font-size: 0.75rem; }
      input[type='file'] { display: none; }
      /* Sections below the table are laid out and painted only near the viewport (hundreds of group rows, large previews). */
      section.below { content-visibility: auto; contain-intrinsic-size: auto 480px; }
    `,
  ];

  /** The compared records, in the order they were added (their figure styles follow it). */
  @property({ attribute: false }) runs: RunRecord[] = [];
  /** Ids in the address that no stored run has (deleted, or from another browser). */
  @property({ attribute: false }) missing: string[] = [];
  @property({ attribute: false }) report: AddReport | null = null;
  @property() busy = '';
  @property() message = '';
  /** A sweep's comparison: its header, grouping by its swept keys by default, and its parallel-coordinates plot. */
  @property({ attribute: false }) sweep: SweepInfo | null = null;
  @state() private sweepMetric: GroupMetric = DEFAULT_SWEEP_METRIC;
  @state() private groupBy: GroupBy | null = null; // null: the default for these runs
  @state() private tTest: TTestShown | null = null;
  @state() private showTrain = false;
  @state() private smoothing = 0;
  @state() private latexColumns: LatexColumnKey[] = [...DEFAULT_LATEX_COLUMNS];
  @state() private precision = 2;
  /** The sections drawn below the table: a new comparison of many runs appears one section a task. */
  private readonly sections = new RenderStages(this, SECTIONS);
  private readonly dropTarget = new DropTarget(this, (files) => this.raise('compare-add-files', files));
  @query('input[name=add-runs]') private runsInput!: HTMLInputElement;
  @query('input[name=add-folder]') private folderInput!: HTMLInputElement;
  private readonly exports = new CompareExports(this);

  /** What a render does not change: a status line or a preview drawn re-renders the view, the runs stay. */
  private readonly memo = new Memo();

  /** The person's grouping, else the default for these runs: the same object while the runs stay (the groups panel compares it). */
  private get effectiveGroupBy(): GroupBy {
    return this.groupBy ?? this.memo.get('default-group-by', [this.runs, this.sweepBy()], () => this.sweepBy() ?? defaultGroupBy(this.runs));
  }

  /** A sweep's grouping: by its swept keys (null without a sweep, or one whose runs vary in nothing). */
  private sweepBy(): GroupBy | null {
    return this.memo.get('sweep-by', [this.sweep], () => (this.sweep?.swept_keys.length ? { kind: 'keys', keys: this.sweep.swept_keys } : null));
  }

  /** The sweep's configurations (its runs grouped by the swept keys), whatever the groups panel shows. */
  private sweepGroups(): RunGroup[] {
    const by = this.sweepBy();
    if (by && by === this.effectiveGroupBy) return this.groups(); // the default: the groups shown
    return this.memo.get('sweep-groups', [this.runs, by], () => (by ? groupRuns(this.runs, by) : []));
  }

  private sweepFigure() {
    const by = this.sweepBy();
    return this.memo.get('sweep-figure', [this.sweep, this.sweepGroups(), this.sweepMetric], () =>
      (this.sweep && by && this.runs.length ? sweepFigureInput(this.sweep, this.sweepGroups(), this.sweepMetric) : null));
  }

  /** The groups, recomputed only when the runs or the grouping change (the groups panel reacts to a new array). */
  private groups(): RunGroup[] {
    const by = this.effectiveGroupBy;
    return this.memo.get('groups', [this.runs, by], () => groupRuns(this.runs, by));
  }

  private settingKeys(): string[] {
    return this.memo.get('keys', [this.runs], () => settingKeys(this.runs));
  }

  private figureInputNow(groups: RunGroup[]) {
    return figureInput(this.runs, groups, { grouped: this.effectiveGroupBy.kind !== 'none', showTrain: this.showTrain, smoothing: this.smoothing, sweep: this.sweepFigure() });
  }

  protected willUpdate(changed: PropertyValues<this>) {
    // Many runs shown for the first time: the table first, then the groups, then the plots and exports, one task each.
    const before = changed.get('runs') as RunRecord[] | undefined;
    if (changed.has('runs') && this.runs.length > WINDOW_ABOVE && (!this.hasUpdated || !before?.length)) this.sections.restart(SECTIONS, 0);
    // Another sweep (or none): its own default grouping.
    if (changed.has('sweep') && (changed.get('sweep') as SweepInfo | null | undefined)?.sweep_id !== this.sweep?.sweep_id) this.groupBy = null;
  }

  /** Resolves when every section is drawn (the staged ones too). */
  protected async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.sections.done;
    return super.getUpdateComplete();
  }

  protected updated(changed: PropertyValues<this>) {
    if (changed.has('runs') && this.groupBy?.kind === 'key' && !this.settingKeys().includes(this.groupBy.key)) this.groupBy = null;
    if (this.sections.shown < SECTIONS) return; // the plots are drawn once their section is there
    const by = this.effectiveGroupBy;
    const sweep = this.sweepFigure();
    const key = this.memo.get('preview-key', [this.runs, by, this.showTrain, this.smoothing, sweep], () =>
      JSON.stringify([this.runs.map((r) => `${r.run_id}@${r.updated_at}`), by, this.showTrain, this.smoothing, sweep]));
    this.exports.showPreviews(key, () => (this.runs.length ? this.figureInputNow(this.groups()) : null));
  }

  render() {
    const warnings = this.memo.get('warnings', [this.runs], () => comparabilityWarnings(this.runs));
    return html`<section class="card" aria-label="Add runs">
        <h2>Compare runs</h2>
        <div class="add">
          <button @click=${() => this.runsInput.click()} ?disabled=${!!this.busy}>Add runs</button>
          <button class="secondary" @click=${() => this.folderInput.click()} ?disabled=${!!this.busy}>Add folder</button>
          <input type="file" name="add-runs" multiple accept=".zip,.json,.csv,.txt,application/zip" aria-label="Add runs: run.zip files, zips of run folders or results_summary.json files" @change=${(e: Event) => this.pick(e)} />
          <input type="file" name="add-folder" webkitdirectory aria-label="Add a folder of run folders" @change=${(e: Event) => this.pick(e)} />
          ${this.runs.length ? html`<button class="secondary" @click=${() => this.raise('compare-clear', null)}>Clear comparison</button>` : nothing}
          ${this.busy ? html`<span role="status">${this.busy}</span>` : nothing}
        </div>
        <p class="drop ${this.dropTarget.over ? 'over' : ''}" @dragover=${this.dropTarget.dragOver} @dragleave=${this.dropTarget.dragLeave} @drop=${this.dropTarget.drop}>
          Or drop files or folders here: run.zip files from this lab, zips of run folders (a whole <code>checkpoints/</code> directory), folders written by the Python script, or <code>results_summary.json</code> files.
          In <strong>Runs</strong>, tick runs and press <strong>Compare selected</strong>. Only the JSON, CSV and TXT files are read; nothing leaves this browser.
        </p>
        ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : nothing}
        ${this.renderReport()}
        ${this.missing.length ? html`<p class="warning" role="alert">Not stored in this browser, so not compared: ${this.missing.join(', ')}.</p>` : nothing}
      </section>
      ${this.runs.length === 0
        ? html`<p class="muted">No runs compared yet.</p>`
        : html`${this.renderSweep()}${warnings.length ? html`<section class="card warning" role="alert" aria-label="Not comparable"><h2>Numbers that may not be comparable</h2>${warnings.map((w) => html`<p>${w}</p>`)}</section>` : nothing}
          <section class="card" aria-label="Table"><h2>${this.runs.length} runs</h2><tl-compare-table .runs=${this.runs}></tl-compare-table></section>
          ${this.sections.shown >= 1 ? this.renderGroups() : nothing}
          ${this.sections.shown >= 2 ? html`${this.renderPlots()}${this.renderExport(this.groups(), this.effectiveGroupBy, warnings)}` : nothing}`}`;
  }

  private renderGroups() {
    return html`<section class="card below" aria-label="Groups and statistics"><h2>Groups and statistics</h2>
      <tl-compare-groups .groups=${this.groups()} .groupBy=${this.effectiveGroupBy} .keys=${this.settingKeys()} .sweptKeys=${this.sweep?.swept_keys ?? []}
        @compare-group-by=${(e: CustomEvent<GroupBy>) => { this.groupBy = e.detail; }}
        @compare-ttest=${(e: CustomEvent<TTestShown | null>) => (this.tTest = e.detail)}></tl-compare-groups>
    </section>`;
  }

  private renderSweep() {
    if (!this.sweep) return nothing;
    return html`<section class="card" aria-label="Sweep"><tl-compare-sweep .info=${this.sweep} .metric=${this.sweepMetric}
      .best=${bestGroup(this.sweepGroups(), this.sweepMetric)} @compare-sweep-metric=${(e: CustomEvent<GroupMetric>) => (this.sweepMetric = e.detail)}></tl-compare-sweep></section>`;
  }

  private renderReport() {
    const r = this.report;
    if (!r) return nothing;
    const line = (text: string, cls = '') => html`<li class=${cls}>${text}</li>`;
    return html`<ul class="report" aria-label="What was added">
      ${r.added.length ? line(`Added ${r.added.length} run${r.added.length === 1 ? '' : 's'}: ${r.added.map((x) => x.run_name).join(', ')}.`) : nothing}
      ${r.already.map((x) => line(`${x.run_name} is already there (same run, same end time): compared, not added twice.`))}
      ${r.notes.map((n) => line(`${n.file}${n.path ? ` › ${n.path}` : ''}: ${n.text}`))}
      ${r.problems.map((p) => line(`${p.file}${p.path ? ` › ${p.path}` : ''}: ${p.reason}`, 'problem'))}
      ${!r.added.length && !r.already.length && !r.problems.length ? line('No run found in the files given.', 'problem') : nothing}
    </ul>`;
  }

  private renderPlots() {
    return html`<section class="card below" aria-label="Plots"><h2>Plots</h2>
      <div class="options">
        <label class="inline"><input type="checkbox" name="show-train" .checked=${this.showTrain} @change=${(e: Event) => (this.showTrain = (e.target as HTMLInputElement).checked)} /> Also training curves</label>
        <label>Smoothing (EMA weight, 0 = none)
          <input type="number" name="smoothing" min="0" max="0.95" step="0.05" .value=${live(String(this.smoothing))} @change=${(e: Event) => this.setSmoothing((e.target as HTMLInputElement).value)} />
        </label>
        ${this.exports.note ? html`<span class="muted" role="status">${this.exports.note}</span>` : nothing}
      </div>
      <div class="figures">${this.exports.previews.map((p) => html`<figure>
        <img src=${p.url} alt=${p.title} />
        <figcaption>${p.title}
          <button class="secondary" @click=${() => this.downloadFigure(p.kind, 'png')}>PNG</button>
          <button class="secondary" @click=${() => this.downloadFigure(p.kind, 'pdf')}>PDF</button>
        </figcaption></figure>`)}
      </div>
    </section>`;
  }

  private renderExport(groups: RunGroup[], by: GroupBy, warnings: string[]) {
    const latex = this.latex(groups, by);
    return html`<section class="card below" aria-label="Export"><h2>Export</h2>
      <div class="options">
        <label>Decimals in the LaTeX table
          <input type="number" name="latex-precision" min="0" max="6" step="1" .value=${live(String(this.precision))} @change=${(e: Event) => this.setPrecision((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <fieldset class="latex-columns"><legend>LaTeX table columns</legend>
        ${LATEX_COLUMNS.map((c) => html`<label><input type="checkbox" .checked=${live(this.latexColumns.includes(c.key))} @change=${(e: Event) => this.toggleLatex(c.key, (e.target as HTMLInputElement).checked)} />${c.header}</label>`)}
      </fieldset>
      <details><summary>comparison_table.tex</summary><pre>${latex}</pre></details>
      <p><button @click=${() => this.download(groups, by, warnings, latex)} ?disabled=${!!this.busy}>Download comparison.zip</button></p>
    </section>`;
  }

  private latex(groups: RunGroup[], by: GroupBy): string {
    return this.memo.get('latex', [this.runs, groups, by, this.latexColumns, this.precision], () => {
      const opts = { columns: this.latexColumns, precision: this.precision };
      return by.kind === 'none' ? runsLatex(this.runs, opts) : groupsLatex(groups, opts);
    });
  }

  private async download(groups: RunGroup[], by: GroupBy, warnings: string[], latex: string) {
    const now = new Date();
    const grouped = by.kind !== 'none';
    await this.withBusy((say) =>
      this.exports.downloadZip(
        {
          records: this.runs,
          groups: grouped ? groups : null,
          latex,
          summary: comparisonSummary(this.runs, groups, by, grouped ? this.tTest : null, warnings, this.sweep && sweepSummary(this.sweep, this.sweepGroups(), this.sweepMetric)),
          figures: this.figureInputNow(groups),
          now,
          sweep: this.sweep?.record ?? null,
        },
        say,
      ),
    );
  }

  private async downloadFigure(kind: CompareFigureKind, format: 'png' | 'pdf') {
    await this.withBusy(() => this.exports.downloadFigure(kind, this.figureInputNow(this.groups()), format, new Date()));
  }

  private async withBusy(work: (say: (text: string) => void) => Promise<void>) {
    this.message = '';
    this.busy = 'Working…';
    try {
      await work((text) => (this.busy = text));
    } catch (e) {
      this.message = (e as Error).message;
    } finally {
      this.busy = '';
    }
  }

  // A value out of range is clamped; the field then shows what is used (render again even when it did not change).
  private setSmoothing(text: string) {
    const v = Number(text);
    this.smoothing = Number.isFinite(v) ? Math.min(0.95, Math.max(0, v)) : 0;
    this.requestUpdate();
  }

  private setPrecision(text: string) {
    const v = Math.round(Number(text));
    this.precision = Number.isFinite(v) ? Math.min(6, Math.max(0, v)) : 2;
    this.requestUpdate();
  }

  private toggleLatex(key: LatexColumnKey, on: boolean) {
    const next = LATEX_COLUMNS.map((c) => c.key).filter((k) => (k === key ? on : this.latexColumns.includes(k)));
    if (next.length) this.latexColumns = next;
    else this.requestUpdate(); // keep at least one column: the checkbox goes back on
  }

  private pick(e: Event) {
    const input = e.target as HTMLInputElement;
    const files: SourceFile[] = [...(input.files ?? [])].map((f) => ({ name: f.name, path: f.webkitRelativePath || f.name, blob: f }));
    input.value = ''; // picking the same files again must fire change again
    if (files.length) this.raise('compare-add-files', files);
  }

  private raise<T>(type: 'compare-add-files' | 'compare-clear', detail: T) {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-compare-view': TlCompareView;
  }
  interface HTMLElementEventMap {
    'compare-add-files': CustomEvent<SourceFile[]>;
    'compare-clear': CustomEvent<null>;
  }
}
