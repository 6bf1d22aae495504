import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import type { RunArchitecture, RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { ClassificationMetrics } from '../training/metrics';
import type { MistakesGallery } from '../app/mistakes';
import { shapeText } from './format';
import { testedWeightsNote, testedWeightsOf } from '../app/tested-weights';
import { continuationOf } from '../app/run-continuation';
import { buttonStyles, panelStyles } from './shared-styles';
import { trainValSeries } from './tl-live-chart';
import './tl-class-dynamics';
import './tl-results-panel';
import './tl-run-details';
import './tl-scatter-plot';
import type { DecisionBoundary } from '../training/decision-boundary';
import './tl-try-it';

export interface FigureView {
  kind: string;
  title: string;
  url: string; // PNG object URL for the preview
}

export interface RunAction {
  runId: string;
  action: 'download-zip' | 'export-pytorch' | 'resume' | 'restart' | 'evaluate' | 'mistakes' | 'figure-png' | 'figure-pdf' | 'close';
  figure?: string;
}

const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '–' : Number(v.toFixed(digits)).toString());

/** The full record of one run: configuration, data, architecture, environment, history, results, notes. */
@customElement('tl-run-view')
export class TlRunView extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      .head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
      .head h2 { margin: 0; overflow-wrap: anywhere; }
      .actions { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
      textarea { width: 100%; min-height: 70px; font: inherit; box-sizing: border-box; }
      .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
      figure { margin: 0; border: 1px solid #e4e8ec; border-radius: 6px; padding: 6px; background: #fff; }
      figure img { width: 100%; height: auto; display: block; }
      figcaption { display: flex; gap: 6px; align-items: center; font-size: 0.85rem; margin-top: 4px; }
      figcaption button { padding: 1px 8px; font-size: 0.8rem; }
      .history { max-height: 320px; overflow: auto; }
      .status { font-weight: 600; }
    `,
  ];

  @property({ attribute: false }) record?: RunRecord;
  /** Without a record: the name of the run shown here until another tab deleted it. */
  @property() deletedName = '';
  @property({ attribute: false }) figures: FigureView[] = [];
  @property() busy = ''; // e.g. "Building run.zip… 40 %"
  @property() message = '';
  /** The run has a stored best model and its test split can be rebuilt here: Evaluate on the test split. */
  @property({ type: Boolean }) evaluable = false;
  /** What the last evaluation of this run gave ("Test accuracy here: …"). */
  @property() evaluation = '';
  /** The run's misclassified test rows with their data, once loaded (action 'mistakes'); null: not loaded, or none. */
  @property({ attribute: false }) gallery: MistakesGallery | null = null;
  /** A 2-feature run's stored decision boundary (RunStore.getDecisionBoundary), with its points; the shell loads it. */
  @property({ attribute: false }) boundary?: DecisionBoundary | null;
  /** The page's run store, for Try it (which reads the run's weights). */
  @property({ attribute: false }) store?: Promise<RunStore | undefined>;
  /** Notes typed but not yet seen back in the stored record. */
  @state() private pendingNotes: string | null = null;
  @state() private notesSaved = false;
  @state() private notesFailed = false;

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has('record') && this.pendingNotes !== null && this.record?.notes === this.pendingNotes) {
      [this.pendingNotes, this.notesSaved] = [null, true];
    }
    // A save that failed comes back as a message: the notes are not "saving…" any more.
    if (changed.has('message') && this.message && this.pendingNotes !== null) {
      [this.pendingNotes, this.notesSaved, this.notesFailed] = [null, false, true];
    }
  }

  render() {
    const r = this.record;
    if (!r) return this.deletedName ? this.renderDeleted(this.deletedName) : nothing;
    return html`<section class="card" aria-label="Run ${r.run_name}">
      <div class="head">
        <h2>${r.run_name}</h2>
        <span class="status">${r.status}</span>
        <span class="muted">${r.run_id !== r.run_name ? r.run_id : ''} · ${r.dataset.name} · ${r.model_name} · ${r.training_duration_formatted}</span>
      </div>
      ${r.status_reason ? html`<p class="muted">${r.status_reason}</p>` : nothing}
      ${r.origin.kind === 'imported' ? html`<p class="muted">Imported ${r.origin.imported_at.slice(0, 10)} from <strong>${r.origin.file}</strong>${r.origin.path ? ` (folder ${r.origin.path})` : ''}, ${r.origin.format === 'reference' ? 'written by the reference Python script' : 'a TrainLab run.zip'}; ${r.checkpoints.some((c) => c.kind === 'best') ? 'its best model was imported too' : 'its weights were not imported'}.</p>` : nothing}
      <div class="actions">
        ${r.origin.kind === 'lab'
          ? html`<button @click=${() => this.act('download-zip')} ?disabled=${!!this.busy || r.status === 'running'}>Download run.zip</button>
              <button class="secondary" @click=${() => this.act('export-pytorch')} ?disabled=${!!this.busy || r.status === 'running'}>Export as PyTorch</button>`
          : nothing}
        ${this.renderContinue(r)}
        ${this.evaluable ? html`<button class="secondary" @click=${() => this.act('evaluate')} ?disabled=${!!this.busy} title="Run the stored best model on the test split, rebuilt in this browser">Evaluate on the test split</button>` : nothing}
        <button class="secondary" @click=${() => this.act('close')}>Back to runs</button>
        ${this.busy ? html`<span role="status">${this.busy}</span>` : nothing}
      </div>
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : nothing}
      ${this.evaluation ? html`<p role="status" aria-label="Evaluation">${this.evaluation}</p>` : nothing}
      <h3>Notes <span class="muted" role="status" aria-label="Notes status">${this.pendingNotes !== null ? 'saving…' : this.notesSaved ? 'saved' : this.notesFailed ? 'not saved' : ''}</span></h3>
      <textarea aria-label="Notes" .value=${r.notes} @change=${(e: Event) => this.raiseNotes((e.target as HTMLTextAreaElement).value)}></textarea>
      ${this.renderCurves(r)}
      ${this.renderDynamics(r)}
      ${r.test ? this.renderTest(r) : html`<p class="muted">No test results: ${r.status === 'completed' ? 'none recorded' : `the run ${r.status === 'running' ? 'is still running' : `ended as ${r.status}`} before the test evaluation`}.</p>`}
      ${this.boundary ? this.renderBoundary(r, this.boundary) : nothing}
      ${this.figures.length ? this.renderFigures() : nothing}
      <tl-try-it .record=${r} .store=${this.store}></tl-try-it>
      <tl-run-details .record=${r}></tl-run-details>
      ${r.architecture ? this.renderArchitecture(r.architecture) : nothing}
      <h3>History</h3>
      <div class="history">${this.renderHistory(r)}</div>
    </section>`;
  }

  private renderDeleted(name: string) {
    return html`<section class="card" aria-label="Run ${name}">
      <div class="head"><h2>${name}</h2><span class="status">deleted</span></div>
      <p class="error" role="alert">This run was deleted in another tab: nothing of it is stored any more.</p>
      <div class="actions"><a href="#runs">Back to runs</a></div>
    </section>`;
  }

  /** Resume (from the last stored epoch) or Restart (nothing stored: same configuration, from epoch 1). */
  private renderContinue(r: RunRecord) {
    const how = continuationOf(r);
    if (how === 'resume') return html`<button @click=${() => this.act('resume')} ?disabled=${!!this.busy} title="Continue from epoch ${r.training.epochs_completed} to epoch ${r.config.epochs}">Resume</button>`;
    if (how === 'restart') return html`<button @click=${() => this.act('restart')} ?disabled=${!!this.busy} title="No epoch was stored: start again from epoch 1 with the same configuration, in this record">Restart</button>`;
    return nothing;
  }

  private renderArchitecture(a: RunArchitecture) {
    return html`<h3>Architecture</h3>
      <table aria-label="Architecture">
        <thead><tr><th>layer</th><th>type</th><th>output shape</th><th>parameters</th><th>trainable</th></tr></thead>
        <tbody>${a.layers.map((l) => html`<tr><td>${l.name}</td><td>${l.type}</td><td>${shapeText(l.outputShape)}</td><td>${l.params.toLocaleString('en-US')}</td><td>${l.trainable ? 'yes' : 'no'}</td></tr>`)}</tbody>
        <tfoot><tr><td colspan="3">Total (trainable / non-trainable)</td><td>${a.total_params.toLocaleString('en-US')}</td><td>${a.trainable_params} / ${a.non_trainable_params}</td></tr></tfoot>
      </table>`;
  }

  private renderCurves(r: RunRecord) {
    if (!r.history.length) return html`<p class="muted">No finished epoch recorded.</p>`;
    const epochs = r.history.map((h) => h.epoch);
    return html`<div class="grid">
      <tl-live-chart chartTitle="Loss" yLabel="cross-entropy" .epochs=${epochs} .series=${trainValSeries(r.history.map((h) => h.train_loss), r.history.map((h) => h.val_loss))}></tl-live-chart>
      <tl-live-chart chartTitle="Accuracy" yLabel="accuracy (%)" .epochs=${epochs} .series=${trainValSeries(r.history.map((h) => h.train_acc), r.history.map((h) => h.val_acc))}></tl-live-chart>
    </div>`;
  }

  /** Each class's validation recall per epoch (issue 12); a run recorded before schema 5, or imported from the script, has none. */
  private renderDynamics(r: RunRecord) {
    if (!r.history.length) return nothing;
    const h = r.per_class_recall_history;
    const none = h === undefined ? 'The Python script records no per-class recall per epoch.' : "This run was recorded before TrainLab kept each class's recall per epoch.";
    return html`<h3>Learning dynamics: validation recall per class</h3>
      <tl-class-dynamics .classNames=${r.dataset.class_names} .history=${h ?? []} emptyText=${none}></tl-class-dynamics>`;
  }

  private renderTest(r: RunRecord) {
    const t = r.test!;
    const evaluated = testedWeightsNote(testedWeightsOf(r));
    if (!t.per_class_metrics || !t.confusion_matrix) {
      return html`<section class="card" aria-label="Test results"><h2>Test results</h2>
        <p>Test accuracy: <strong>${num(t.test_accuracy, 2)} %</strong> · test loss ${num(t.test_loss)}</p>
        <p class="muted">${evaluated} No per-class metrics or confusion matrix were recorded.</p></section>`;
    }
    const report: ClassificationMetrics = { ...t.per_class_metrics, accuracy: t.test_accuracy };
    const canList = r.origin.kind === 'lab' && !this.gallery;
    return html`<tl-results-panel .testLoss=${t.test_loss ?? Number.NaN} .report=${report} .confusion=${t.confusion_matrix} .classNames=${r.dataset.class_names} .note=${evaluated} .gallery=${this.gallery}></tl-results-panel>
      ${canList ? html`<div class="actions"><button class="secondary" @click=${() => this.act('mistakes')} ?disabled=${!!this.busy}>Show misclassified test rows</button></div>` : nothing}`;
  }

  private renderBoundary(r: RunRecord, b: DecisionBoundary) {
    return html`<h3>Decision boundary</h3>
      <p class="muted">The tested weights' map (epoch ${b.grid.epoch}) with every point of the split.</p>
      <tl-scatter-plot .points=${b.points} .grid=${b.grid} .classNames=${r.dataset.class_names}></tl-scatter-plot>`;
  }

  private renderFigures() {
    return html`<h3>Figures</h3>
      <div class="figures">
        ${this.figures.map(
          (f) => html`<figure>
            <img src=${f.url} alt=${f.title} />
            <figcaption>${f.title}
              <button class="secondary" @click=${() => this.act('figure-png', f.kind)}>PNG</button>
              <button class="secondary" @click=${() => this.act('figure-pdf', f.kind)}>PDF</button>
            </figcaption>
          </figure>`,
        )}
      </div>`;
  }

  private renderHistory(r: RunRecord) {
    return html`<table aria-label="Per-epoch history">
      <thead><tr><th>epoch</th><th>train loss</th><th>train acc. (%)</th><th>val. loss</th><th>val. acc. (%)</th><th>learning rate</th><th>time (s)</th><th>samples/s</th></tr></thead>
      <tbody>${r.history.map(
        (h) => html`<tr ?data-best=${h.epoch === r.training.best_epoch}><td>${h.epoch}${h.epoch === r.training.best_epoch ? ' ★' : ''}</td><td>${num(h.train_loss)}</td><td>${num(h.train_acc, 2)}</td><td>${num(h.val_loss)}</td><td>${num(h.val_acc, 2)}</td><td>${h.learning_rate?.toPrecision(3) ?? '–'}</td><td>${num(h.epoch_time_seconds, 2)}</td><td>${h.samples_per_second === null ? '–' : Math.round(h.samples_per_second)}</td></tr>`,
      )}</tbody>
    </table>`;
  }

  private act(action: RunAction['action'], figure?: string) {
    if (!this.record) return;
    this.dispatchEvent(new CustomEvent<RunAction>('run-action', { detail: { runId: this.record.run_id, action, figure }, bubbles: true, composed: true }));
  }

  private raiseNotes(notes: string) {
    if (!this.record) return;
    [this.pendingNotes, this.notesSaved, this.notesFailed] = [notes, false, false];
    this.dispatchEvent(new CustomEvent('run-meta', { detail: { runId: this.record.run_id, notes }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-run-view': TlRunView;
  }
  interface HTMLElementEventMap {
    'run-action': CustomEvent<RunAction>;
  }
}
