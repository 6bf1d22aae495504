import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { buttonStyles, panelStyles } from './shared-styles';
import { formatBytes } from '../units';


/** What the lab stores, what the browser says is left, and whether storage is persistent. */
@customElement('tl-storage-panel')
export class TlStoragePanel extends LitElement {
  static styles = [panelStyles, buttonStyles, css`:host { font-size: 0.85rem; } p { margin: 2px 0; }`];

  @property({ type: Number }) labBytes = Number.NaN;
  @property({ type: Number }) runCount = 0;
  @property({ type: Number }) usage = Number.NaN;
  @property({ type: Number }) quota = Number.NaN;
  @property({ attribute: false }) persisted: boolean | null = null;
  @property() problem = '';
  /** Datasets of the person's own kept for reuse (not part of labBytes). */
  @property({ attribute: false }) ownData: { count: number; bytes: number } | null = null;

  render() {
    const left = this.quota - this.usage;
    return html`<section class="card" aria-label="Storage">
      <p data-testid="storage-lab">TrainLab stores <strong>${formatBytes(this.labBytes)}</strong> in this browser (${this.runCount === 1 ? "1 run with its" : `${this.runCount} runs with their`} checkpoints).</p>
      ${this.ownData && this.ownData.count > 0
        ? html`<p data-testid="storage-own">Your own data kept for reuse: <strong>${formatBytes(this.ownData.bytes)}</strong> (${this.ownData.count === 1 ? '1 dataset' : `${this.ownData.count} datasets`}).
            <button @click=${() => this.dispatchEvent(new CustomEvent('own-data-forget-all', { bubbles: true, composed: true }))}>Forget kept data</button></p>`
        : nothing}
      ${Number.isFinite(this.quota)
        ? html`<p>Browser estimate: ${formatBytes(this.usage)} used by this site, about ${formatBytes(left)} left.</p>`
        : html`<p class="muted">This browser gives no storage estimate.</p>`}
      <p class="muted">${this.persisted === true
        ? 'Storage is persistent: the browser will not evict it under pressure.'
        : this.persisted === false
          ? 'Storage is not persistent: the browser may evict it under pressure. Back up all runs (below) to keep everything.'
          : ''}</p>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-storage-panel': TlStoragePanel;
  }
  interface HTMLElementEventMap {
    'own-data-forget-all': CustomEvent<null>;
  }
}
