import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SweepErrors } from '../app/sweep-definition';
import type { SweepForm, SweepFormParam } from '../app/sweep-form';
import type { SweepStatus } from '../recorder/sweep-record';
import { numberField, selectField } from './fields';
import { buttonStyles, panelStyles } from './shared-styles';
import { formatEta } from './tl-train-controls';

/** export-sweep-pytorch's detail: the sweep, and where the handler reports progress ('' once done) or a failure. */
export interface SweepExportRequest {
  sweepId: string;
  status: (text: string, failed?: boolean) => void;
}

/** A sweep under way in this tab. */
export interface SweepProgressView {
  sweepId: string;
  name: string;
  run: number; // 1-based: the run training (or about to)
  total: number;
  done: number;
  etaSeconds: number | null;
  ending: boolean; // End sweep was pressed: it ends after this run
}

/** A sweep that is not under way: the last one of this tab, or one a closed tab left. */
export interface SweepSummaryView {
  sweepId: string;
  name: string;
  status: SweepStatus;
  reason: string;
  done: number; // runs trained to their end (completed, stopped or diverged)
  failed: number; // runs that could not start or failed
  total: number;
}

/** The panel's state, kept by src/app/sweep-controller.ts (SweepController.view). */
export interface SweepPanelView {
  form: SweepForm;
  keys: readonly string[]; // the keys a sweep may vary
  current: Readonly<Record<string, string>>; // the Lab's value of each key, as its address writes it
  errors: SweepErrors;
  count: number | null; // runs the form plans (null: it cannot say)
  configs: number | null;
  etaSeconds: number | null;
  etaBasis: string; // what the estimate comes from, or why there is none
  blockedReason: string; // why Start sweep is disabled ('' when it can start)
  resumeBlocked: string; // why Resume sweep is disabled ('' when it can resume)
  active: SweepProgressView | null;
  last: SweepSummaryView | null;
  interrupted: SweepSummaryView | null;
  message: string;
}

const LABELS: Record<string, string> = {
  lr: 'learning rate', batch: 'batch size', wd: 'weight decay', hidden: 'hidden layers', act: 'activation', sched: 'learning-rate schedule',
  es: 'early stopping (1/0)', cw: 'class weights', save: 'checkpoint every N epochs', minlr: 'minimum rate', lrpatience: 'plateau patience',
  step: 'step size', kernel: 'kernel size', dense: 'dense units', filters: 'conv filters',
};
const PLACEHOLDER = '0.001|0.01, or 1e-4..1e-1:log';

/**
 * Sweep: lists of values (or ranges) for any hyperparameter, repeats over seeds, grid or random
 * draws; the number of runs and the estimated time; Start sweep, and while one runs, its progress
 * and End sweep. Raises sweep-change (the form), sweep-start, sweep-end, sweep-resume,
 * compare-sweep ({ sweepId }) and, once a sweep has ended with runs done, export-sweep-pytorch
 * (SweepExportRequest: its handler tells the panel what is under way through `status`).
 */
@customElement('tl-sweep-panel')
export class TlSweepPanel extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      h2 button { all: unset; cursor: pointer; font-weight: 600; }
      h2 button::before { content: '▸ '; }
      h2 button[aria-expanded='true']::before { content: '▾ '; }
      h2 button:focus-visible { outline: 2px solid #0b5cad; }
      .row { display: grid; grid-template-columns: 160px 1fr auto; gap: 4px 8px; align-items: end; margin-bottom: 6px; }
      .row .error { grid-column: 1 / -1; }
      .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 8px; }
      .plan { margin: 8px 0 0; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
      progress { width: 100%; height: 12px; }
      p { margin: 4px 0; }
    `,
  ];

  @property({ attribute: false }) view!: SweepPanelView;
  @state() private open = false;
  /** The sweep export's progress, or why it failed. */
  @state() private exportStatus: { text: string; failed: boolean } = { text: '', failed: false };

  /** Opened or closed once (by the person, or by a sweep to show): later it stays as the person left it. */
  private touched = false;

  protected willUpdate() {
    const v = this.view;
    if (!this.touched && (v.form.params.length || v.active || v.interrupted)) [this.open, this.touched] = [true, true];
  }

  private toggle() {
    [this.open, this.touched] = [!this.open, true];
  }

  private emit(name: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private change(patch: Partial<SweepForm>) {
    this.emit('sweep-change', { ...this.view.form, ...patch });
  }

  private setParam(i: number, patch: Partial<SweepFormParam>) {
    this.change({ params: this.view.form.params.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  }

  private addParam() {
    const { form, keys, current } = this.view;
    const key = keys.find((k) => !form.params.some((p) => p.key === k)) ?? keys[0];
    this.change({ params: [...form.params, { key, text: current[key] ?? '' }] });
  }

  render() {
    const v = this.view;
    return html`<section class="card" aria-label="Sweep">
      <h2><button aria-expanded=${this.open ? 'true' : 'false'} @click=${() => this.toggle()}>Sweep</button></h2>
      ${this.open ? html`${v.active ? this.renderActive(v.active) : nothing}${this.renderForm(v)}${this.renderOutcome(v)}` : nothing}
      ${v.message ? html`<p class="error" role="alert">${v.message}</p>` : nothing}
    </section>`;
  }

  private renderForm(v: SweepPanelView) {
    const { form, errors } = v;
    const random = form.mode === 'random';
    return html`<p class="muted">One run per combination of the values (grid) or per random draw, each repeated with seeds 1..k, one after
        another on the same split (every run is tested on the same test set). Separate values with |; a range such as
        1e-4..1e-1:log (or 16..256:log:int) is drawn from in random mode.</p>
      ${form.params.map((p, i) => this.renderParam(p, i, errors.params[i] ?? '', v.keys))}
      <div class="actions"><button class="secondary" @click=${() => this.addParam()}>Add parameter</button></div>
      <div class="fields">
        ${selectField({ label: 'Mode', name: 'sweepmode', value: form.mode, options: [{ value: 'grid', label: 'grid' }, { value: 'random', label: 'random draws' }],
          onValue: (mode) => this.change({ mode }) })}
        ${numberField({ label: 'Repeats (seeds 1..k)', name: 'repeats', value: form.repeats, step: '1', error: errors.repeats, onValue: (repeats) => this.change({ repeats }) })}
        ${random
          ? html`${numberField({ label: 'Draws', name: 'draws', value: form.draws, step: '1', error: errors.draws, onValue: (draws) => this.change({ draws }) })}
            ${numberField({ label: 'Draw seed', name: 'drawseed', value: form.drawSeed, step: '1', error: errors.drawSeed, onValue: (drawSeed) => this.change({ drawSeed }) })}`
          : nothing}
      </div>
      ${this.renderPlan(v)}
      <div class="actions">
        <button @click=${() => this.emit('sweep-start')} ?disabled=${!!v.blockedReason}>Start sweep</button>
        ${v.blockedReason ? html`<span class="error">${v.blockedReason}</span>` : nothing}
      </div>`;
  }

  private renderParam(p: SweepFormParam, i: number, error: string, keys: readonly string[]) {
    const id = `sweep-values-${i}`;
    const options = keys.includes(p.key) ? keys : [p.key, ...keys];
    return html`<div class="row">
      <label>Parameter
        <select name="sweep-key-${i}" @change=${(e: Event) => this.setParam(i, { key: (e.target as HTMLSelectElement).value })}>
          ${options.map((k) => html`<option value=${k} ?selected=${k === p.key}>${LABELS[k] ? `${k} (${LABELS[k]})` : k}</option>`)}
        </select>
      </label>
      <label>Values of ${p.key}
        <input type="text" name=${id} .value=${p.text} placeholder=${PLACEHOLDER} aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${id}-error` : nothing} @input=${(e: Event) => this.setParam(i, { text: (e.target as HTMLInputElement).value })} />
      </label>
      <button class="secondary" aria-label="Remove ${p.key}" @click=${() => this.change({ params: this.view.form.params.filter((_, j) => j !== i) })}>×</button>
      ${error ? html`<span class="error" id="${id}-error" role="alert">${error}</span>` : nothing}
    </div>`;
  }

  private renderPlan(v: SweepPanelView) {
    if (v.errors.total) return html`<p class="plan error" role="alert">${v.errors.total}</p>`;
    if (v.count === null) return nothing;
    const configs = v.configs !== null ? ` (${v.configs} configuration${v.configs === 1 ? '' : 's'} × ${v.form.repeats} seed${v.form.repeats === 1 ? '' : 's'})` : '';
    const eta = v.etaSeconds === null ? `estimated time unknown ${v.etaBasis}` : `about ${formatEta(v.etaSeconds)} (${v.etaBasis})`;
    return html`<p class="plan" role="status" aria-label="Sweep plan">${v.count} run${v.count === 1 ? '' : 's'}${configs} · ${eta}</p>`;
  }

  private renderActive(a: SweepProgressView) {
    return html`<p><strong>${a.name}</strong> <span class="muted">${a.sweepId}</span></p>
      <p class="plan" role="status" aria-label="Sweep progress">Run ${a.run} of ${a.total} · ${a.done} done ·
        ${a.etaSeconds === null ? 'time left unknown until a run finishes' : `about ${formatEta(a.etaSeconds)} left`}${a.ending ? ' · ending after this run' : ''}</p>
      <progress max=${a.total} .value=${a.done} aria-label="Sweep progress bar"></progress>
      <div class="actions">
        <button class="secondary" @click=${() => this.emit('sweep-end')} ?disabled=${a.ending}>End sweep</button>
        <span class="muted">End sweep lets the current run finish; Stop (above) stops it too.</span>
        ${this.compareButton(a.sweepId)}
      </div>`;
  }

  private renderOutcome(v: SweepPanelView) {
    const i = v.interrupted;
    if (i && !v.active) {
      return html`<p role="status" aria-label="Interrupted sweep">Sweep <strong>${i.name}</strong> (${i.sweepId}) was interrupted after ${i.done + i.failed} of ${i.total} runs.</p>
        <div class="actions">
          <button @click=${() => this.emit('sweep-resume')} ?disabled=${!!v.resumeBlocked}>Resume sweep</button>
          <button class="secondary" @click=${() => this.emit('sweep-end')}>End sweep</button>
          ${this.compareButton(i.sweepId)}
          ${v.resumeBlocked ? html`<span class="error">${v.resumeBlocked}</span>` : nothing}
        </div>`;
    }
    const l = v.last;
    if (!l || v.active) return nothing;
    return html`<p role="status" aria-label="Last sweep">Sweep <strong>${l.name}</strong> (${l.sweepId}): ${l.status}, ${l.done} of ${l.total} runs done${l.failed ? `, ${l.failed} failed` : ''}${l.status === 'failed' ? ` (${l.reason})` : ''}.</p>
      <div class="actions">${this.compareButton(l.sweepId)}${l.done > 0 ? this.exportButton(l.sweepId) : nothing}</div>
      ${this.exportStatus.text
        ? html`<p class=${this.exportStatus.failed ? 'error' : 'muted'} role=${this.exportStatus.failed ? 'alert' : 'status'} aria-label="Sweep export">${this.exportStatus.text}</p>`
        : nothing}`;
  }

  /** "Export sweep as PyTorch" (an ended sweep with runs done): the shell builds the zip (src/app/pytorch-export.ts). */
  private exportButton(sweepId: string) {
    const status = (text: string, failed = false) => (this.exportStatus = { text, failed });
    const busy = this.exportStatus.text !== '' && !this.exportStatus.failed;
    return html`<button class="secondary" ?disabled=${busy} @click=${() => this.emit('export-sweep-pytorch', { sweepId, status } satisfies SweepExportRequest)}>Export sweep as PyTorch</button>`;
  }

  /** "Compare this sweep": the shell opens the sweep's comparison (src/app/compare-sweep.ts). */
  private compareButton(sweepId: string) {
    return html`<button class="secondary" @click=${() => this.emit('compare-sweep', { sweepId })}>Compare this sweep</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-sweep-panel': TlSweepPanel;
  }
  interface HTMLElementEventMap {
    'sweep-change': CustomEvent<SweepForm>;
  }
}
