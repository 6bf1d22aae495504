import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GroupMetric, RunGroup } from '../compare/groups';
import { columnByKey } from '../compare/run-columns';
import { DEFAULT_SWEEP_METRIC, definitionText, metricText, SWEEP_METRICS, type SweepInfo } from '../compare/sweep-compare';
import { panelStyles } from './shared-styles';

/** A sweep's header in the Compare view: name, definition, status, runs done; the metric its configurations are judged by, and the best one. */
@customElement('tl-compare-sweep')
export class TlCompareSweep extends LitElement {
  static styles = [
    panelStyles,
    css`
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; font-size: 0.9rem; }
      dt { color: #5b6570; }
      dd { margin: 0; overflow-wrap: anywhere; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; }
      output { font-variant-numeric: tabular-nums; }
    `,
  ];

  @property({ attribute: false }) info: SweepInfo | null = null;
  @property({ attribute: false }) metric: GroupMetric = DEFAULT_SWEEP_METRIC;
  /** The best configuration by the metric (the group of its runs); null when none has a value. */
  @property({ attribute: false }) best: RunGroup | null = null;

  render() {
    const s = this.info;
    if (!s) return nothing;
    const failed = s.runs_failed ? `, ${s.runs_failed} failed` : '';
    const runs = s.runs_planned === null ? `${s.runs_done} finished${failed} (the sweep's record is not stored in this browser)` : `${s.runs_done} of ${s.runs_planned} done${failed}`;
    const status = s.status === null ? 'unknown' : `${s.status}${s.status_reason ? ` (${s.status_reason})` : ''}`;
    const stat = this.best?.stats[this.metric];
    return html`<h2>Sweep: ${s.name}</h2>
      <dl>
        <dt>Sweep</dt><dd>${s.sweep_id}</dd>
        <dt>Status</dt><dd>${status}</dd>
        <dt>Runs</dt><dd>${runs}</dd>
        <dt>Definition</dt><dd>${definitionText(s)}</dd>
        <dt>Swept keys</dt><dd>${s.swept_keys.join(', ') || '(none)'}</dd>
      </dl>
      <div class="row">
        <label>Judge configurations by (mean over seeds)
          <select name="sweep-metric" @change=${(e: Event) => this.raise((e.target as HTMLSelectElement).value as GroupMetric)}>
            ${SWEEP_METRICS.map((m) => html`<option value=${m} ?selected=${m === this.metric}>${columnByKey(m).label} (${columnByKey(m).better} is better)</option>`)}
          </select>
        </label>
        <span class="muted">Choose on validation results: the test set then stays an unbiased estimate of the chosen configuration.</span>
      </div>
      <p><output aria-label="Best configuration">${this.best && stat
        ? `Best configuration: ${this.best.label}: ${metricText(this.metric, stat.mean, stat.std)} (n = ${stat.n})`
        : `No configuration has ${columnByKey(this.metric).label} yet.`}</output></p>`;
  }

  private raise(metric: GroupMetric) {
    this.dispatchEvent(new CustomEvent<GroupMetric>('compare-sweep-metric', { detail: metric, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-compare-sweep': TlCompareSweep;
  }
  interface HTMLElementEventMap {
    'compare-sweep-metric': CustomEvent<GroupMetric>;
  }
}
