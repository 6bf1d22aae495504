import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { panelStyles } from './shared-styles';

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) [v, u] = [v / 1000, u + 1];
  return `${u === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** What the lab stores, what the browser says is left, and whether storage is persistent. */
@customElement('tl-storage-panel')
export class TlStoragePanel extends LitElement {
  static styles = [panelStyles, css`:host { font-size: 0.85rem; } p { margin: 2px 0; }`];

  @property({ type: Number }) labBytes = Number.NaN;
  @property({ type: Number }) runCount = 0;
  @property({ type: Number }) usage = Number.NaN;
  @property({ type: Number }) quota = Number.NaN;
  @property({ attribute: false }) persisted: boolean | null = null;
  @property() problem = '';

  render() {
    const left = this.quota - this.usage;
    return html`<section class="card" aria-label="Storage">
      <p data-testid="storage-lab">TrainLab stores <strong>${formatBytes(this.labBytes)}</strong> in this browser (${this.runCount === 1 ? "1 run with its" : `${this.runCount} runs with their`} checkpoints).</p>
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
}
