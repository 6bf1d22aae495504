import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BackendReport } from '../training/types';
import { plural } from '../units';
import { buttonStyles, panelStyles } from './shared-styles';
import { isRunningPhase, type SessionPhase } from '../app/training-session';
import type { SessionProgress } from '../app/session-progress';

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

const PHASE_TEXT: Record<SessionPhase, string> = {
  idle: 'Ready to train.',
  starting: 'Starting the worker and choosing a backend…',
  running: 'Training…',
  paused: 'Paused: the last epoch could not be saved.',
  stopping: 'Stopping after the current batch…',
  completed: 'Training completed.',
  stopped: 'Stopped by you; the model and curves so far are kept.',
  early_stopped: 'Early stopping: the monitored metric stopped improving.',
  diverged: 'Training stopped:',
  error: 'Training failed:',
};

/** Train / Stop buttons, progress bar and the backend actually running. Raises train-start / train-stop. */
@customElement('tl-train-controls')
export class TlTrainControls extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      .buttons { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      progress { width: 100%; height: 14px; margin-top: 8px; }
      .stats { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin-top: 4px; }
      .phase-diverged, .phase-error { color: #b3261e; font-weight: 600; }
      ul { margin: 4px 0; padding-left: 18px; font-size: 0.8rem; color: #5b6570; }
    `,
  ];

  @property({ type: Boolean }) canTrain = false;
  @property() blockedReason = '';
  @property() phase: SessionPhase = 'idle';
  @property() message = '';
  @property({ attribute: false }) progress?: SessionProgress;
  @property({ attribute: false }) backend?: BackendReport;
  @property() storageProblem = '';
  /** The recorded run of this session, when there is one: offers its run.zip and its PyTorch export once training ended. */
  @property() runId = '';
  @property() exportBusy = '';
  /** The run has ended and its final record is still being written. */
  @property({ type: Boolean }) saving = false;
  /** A write failed and waits for Retry saving (or space to be freed). */
  @property({ type: Boolean }) retryable = false;

  private get failed() {
    return this.phase === 'diverged' || this.phase === 'error';
  }

  private get running() {
    return isRunningPhase(this.phase);
  }

  render() {
    const p = this.progress;
    const done = p ? (p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch)) / Math.max(1, p.epochs) : 0;
    return html`<section class="card" aria-label="Training">
      <div class="buttons">
        <button @click=${() => this.raise('train-start')} ?disabled=${!this.canTrain || this.running}>Train</button>
        <button class="secondary" @click=${() => this.raise('train-stop')} ?disabled=${!['running', 'starting', 'paused'].includes(this.phase)}>Stop</button>
        ${this.runId && !this.running && !this.saving
          ? html`<button class="secondary" @click=${() => this.raise('run-download')} ?disabled=${!!this.exportBusy}>Download run.zip</button>
              <button class="secondary" @click=${() => this.raise('run-export-pytorch')} ?disabled=${!!this.exportBusy}>Export as PyTorch</button>`
          : nothing}
        <span class="phase-${this.phase}" role="status" aria-label="Training status">${PHASE_TEXT[this.phase]} ${this.failed ? this.message : nothing}${this.saving ? this.savingText() : nothing}</span>
      </div>
      ${this.phase === 'diverged' ? html`<p class="muted">Lower the learning rate (or the weight decay) and train again.</p>` : nothing}
      ${!this.failed && !this.running && this.message ? html`<p class="muted">${this.message}</p>` : nothing}
      ${this.exportBusy ? html`<p class="muted" role="status" aria-label="Export progress">${this.exportBusy}</p>` : nothing}
      ${!this.canTrain && this.blockedReason ? html`<p class="error">${this.blockedReason}</p>` : nothing}
      ${this.storageProblem ? this.renderStorageProblem() : nothing}
      ${p
        ? html`<progress max="1" .value=${this.running ? done : 1} aria-label="Training progress"></progress>
            <div class="stats">
              <span>Epoch ${p.epoch} / ${p.epochs}</span>
              <span>Batch ${p.batch} / ${p.batchesPerEpoch}</span>
              <span>${Math.round(p.samplesPerSec).toLocaleString('en-US')} samples/s</span>
              <span>ETA ${this.running ? formatEta(p.etaSeconds) : '–'}</span>
              <span>Learning rate ${p.learningRate.toPrecision(3)}</span>
            </div>`
        : nothing}
      ${this.backend ? this.renderBackend(this.backend) : nothing}
    </section>`;
  }

  private savingText() {
    return this.failed ? ' — saving the run in this browser…' : ' Saving the run in this browser…';
  }

  private renderBackend(b: BackendReport) {
    const a = b.adapter;
    return html`<div class="stats" data-testid="backend">
        <span>Backend: <strong>${b.name}</strong>${b.name === 'wasm' && b.wasmThreads ? ` (${plural(b.wasmThreads, 'thread')})` : ''}${b.forced ? ' (forced by ?backend=)' : ''}</span>
        ${a && b.name === 'webgpu'
          ? html`<span>GPU: ${a.vendor || 'unknown vendor'} · ${a.architecture || 'unknown architecture'}${a.isFallbackAdapter ? ' (software fallback adapter)' : ''}</span>`
          : nothing}
        ${b.webglRenderer && b.name === 'webgl' ? html`<span>Renderer: ${b.webglRenderer}</span>` : nothing}
        <span>tfjs ${b.tfjsVersion}</span>
      </div>
      ${b.probe ? html`<p class="probe">Chosen by a measured probe${b.probe.cached ? ' (cached in this browser)' : ''}: ${b.probe.summary}</p>` : nothing}
      ${b.skipped.length
        ? html`<ul aria-label="Skipped backends">${b.skipped.map((s) => html`<li>skipped ${s.name}: ${s.reason}</li>`)}</ul>`
        : nothing}`;
  }

  private renderStorageProblem() {
    return html`<div class="storage" role="alert">
      <p class="error">${this.storageProblem}</p>
      ${this.retryable
        ? html`<div class="buttons">
            <button class="secondary" @click=${() => this.raise('storage-free')}>Delete other runs' periodic checkpoints and kept data</button>
            <a href="#runs">Delete old runs…</a>
            <button @click=${() => this.raise('storage-retry')}>Retry saving</button>
          </div>`
        : nothing}
    </div>`;
  }

  private raise(type: 'train-start' | 'train-stop' | 'storage-retry' | 'storage-free' | 'run-download' | 'run-export-pytorch') {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-train-controls': TlTrainControls;
  }
}
