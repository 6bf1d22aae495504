import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import { GROUP_METRICS, groupSettings, meanStdText, type GroupBy, type GroupMetric, type RunGroup } from '../compare/groups';
import type { TTestShown } from '../compare/comparison-summary';
import { columnByKey } from '../compare/run-columns';
import { welchTTest } from '../compare/statistics';
import { RenderStages } from './render-stages';
import { panelStyles } from './shared-styles';

const DIGITS: Record<GroupMetric, number> = { test_acc: 2, best_val_acc: 2, final_val_acc: 2, final_train_acc: 2, test_loss: 4, final_val_loss: 4, macro_f1: 4, weighted_f1: 4, duration: 1 };
const SHOWN: GroupMetric[] = ['test_acc', 'best_val_acc', 'final_val_acc', 'test_loss', 'macro_f1'];
/** Group rows drawn per task: hundreds of groups (runs that all differ) are drawn a slice at a time. */
export const GROUP_ROWS_PER_TASK = 40;

/** Group by a setting or by everything but the seed; n, mean ± std, min, max per group; Welch's t-test of two groups. */
@customElement('tl-compare-groups')
export class TlCompareGroups extends LitElement {
  static styles = [
    panelStyles,
    css`
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin-bottom: 8px; }
      td.text { text-align: left; max-width: 28em; white-space: normal; overflow-wrap: anywhere; }
      td small { color: #5b6570; display: block; overflow-wrap: anywhere; }
      details summary { font-size: 0.75rem; color: #0b5cad; cursor: pointer; }
      select { max-width: min(36em, 100%); }
      .ttest { margin-top: 10px; padding: 8px 10px; background: #f5f7fa; border-radius: 6px; }
      output { font-variant-numeric: tabular-nums; }
    `,
  ];

  @property({ attribute: false }) groups: RunGroup[] = [];
  @property({ attribute: false }) groupBy: GroupBy = { kind: 'none' };
  @property({ attribute: false }) keys: string[] = [];
  /** A sweep's swept keys (Lab address keys): offered as one grouping. */
  @property({ attribute: false }) sweptKeys: string[] = [];
  @state() private a = 0;
  @state() private b = 1;
  @state() private metric: GroupMetric = 'test_acc';
  /** Slices of GROUP_ROWS_PER_TASK rows drawn so far. */
  private readonly slices = new RenderStages(this, 1);

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has('groups')) {
      if (this.a >= this.groups.length) this.a = 0;
      if (this.b >= this.groups.length || this.b === this.a) this.b = this.groups.length > 1 ? (this.a === 0 ? 1 : 0) : 0;
      // Rows already there are only updated (cheap); new ones come a slice a task.
      const drawn = Math.min(this.slices.shown * GROUP_ROWS_PER_TASK, (changed.get('groups') as RunGroup[] | undefined)?.length ?? 0);
      this.slices.restart(Math.ceil(this.groups.length / GROUP_ROWS_PER_TASK), Math.max(1, Math.ceil(drawn / GROUP_ROWS_PER_TASK)));
    }
  }

  /** Resolves when every group row is drawn. */
  protected async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.slices.done;
    return super.getUpdateComplete();
  }

  protected updated(changed: PropertyValues<this>) {
    if (changed.has('groups') || changed.has('groupBy')) this.raiseTTest();
  }

  render() {
    const value = this.groupBy.kind === 'key' ? `key:${this.groupBy.key}` : this.groupBy.kind;
    const swept = this.groupBy.kind === 'keys' ? this.groupBy.keys : this.sweptKeys;
    return html`<div class="row">
        <label>Group by
          <select name="group-by" @change=${(e: Event) => this.setGroupBy((e.target as HTMLSelectElement).value)}>
            <option value="none" ?selected=${value === 'none'}>nothing (one row per run)</option>
            <option value="all-but-seed" ?selected=${value === 'all-but-seed'}>everything but the seed</option>
            ${swept.length ? html`<option value="keys" ?selected=${value === 'keys'}>the swept keys (${swept.join(', ')})</option>` : nothing}
            ${this.keys.map((k) => html`<option value="key:${k}" ?selected=${value === `key:${k}`}>${k}</option>`)}
          </select>
        </label>
        <span class="muted">The seed sets the initial weights and the batch order (the split has a seed of its own, the same for every run of a sweep): runs that differ only by seed show how much a result varies by chance.</span>
      </div>
      ${this.groupBy.kind === 'none' ? nothing : this.renderGroups()}`;
  }

  private renderGroups() {
    return html`<table aria-label="Groups">
        <thead><tr><th>Group</th><th>n</th>${SHOWN.map((m) => html`<th>${columnByKey(m).label}<br /><span class="muted">mean ± std (min – max)</span></th>`)}</tr></thead>
        <tbody>${this.groups.slice(0, this.slices.shown * GROUP_ROWS_PER_TASK).map((g) => html`<tr>
          <td class="text">${g.label}<small>${g.runs.map((r) => r.run_name).join(', ')}</small>
            <details><summary>Settings shared by its runs</summary><small>${groupSettings(g).map(([k, v]) => `${k} = ${v}`).join(' · ')}</small></details></td>
          <td>${g.runs.length}</td>
          ${SHOWN.map((m) => {
            const s = g.stats[m];
            return html`<td>${s ? meanStdText(s, DIGITS[m]) : ''}${s ? html`<small>${s.min.toFixed(DIGITS[m])} – ${s.max.toFixed(DIGITS[m])}</small>` : nothing}</td>`;
          })}
        </tr>`)}</tbody>
      </table>
      ${this.groups.length >= 2 ? this.renderTTest() : nothing}`;
  }

  private renderTTest() {
    const result = this.tTest();
    const select = (name: string, label: string, value: number, set: (i: number) => void) => html`<label>${label}
      <select name=${name} @change=${(e: Event) => { set(Number((e.target as HTMLSelectElement).value)); this.raiseTTest(); }}>
        ${this.groups.map((g, i) => html`<option value=${i} ?selected=${i === value}>${g.label}</option>`)}
      </select></label>`;
    return html`<div class="ttest" role="group" aria-label="Welch's t-test">
      <div class="row">
        ${select('ttest-a', 'Group A', this.a, (i) => (this.a = i))}
        ${select('ttest-b', 'Group B', this.b, (i) => (this.b = i))}
        <label>Metric
          <select name="ttest-metric" @change=${(e: Event) => { this.metric = (e.target as HTMLSelectElement).value as GroupMetric; this.raiseTTest(); }}>
            ${GROUP_METRICS.map((m) => html`<option value=${m} ?selected=${m === this.metric}>${columnByKey(m).label}</option>`)}
          </select>
        </label>
      </div>
      <output aria-label="t-test result">${'error' in result ? result.error : `Welch's t-test (two-sided): t = ${result.t.toFixed(4)}, df = ${result.df.toFixed(2)}, p = ${result.pValue.toPrecision(4)} (A: mean ${result.meanA.toPrecision(6)}, n = ${result.nA}; B: mean ${result.meanB.toPrecision(6)}, n = ${result.nB})`}</output>
    </div>`;
  }

  private values(g: RunGroup | undefined): number[] {
    if (!g) return [];
    const column = columnByKey(this.metric);
    return g.runs.map((r) => column.value(r)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  }

  private tTest() {
    if (this.a === this.b) return { error: 'Pick two different groups.' };
    try {
      return welchTTest(this.values(this.groups[this.a]), this.values(this.groups[this.b]));
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  private lastRaised = '';

  /** Tells the view the t-test shown (for the exports), only when it changed: the view re-renders on it. */
  private raiseTTest() {
    const result = this.groupBy.kind !== 'none' && this.groups.length >= 2 ? this.tTest() : { error: '' };
    const detail: TTestShown | null = 'error' in result ? null : { metric: this.metric, groupA: this.groups[this.a].label, groupB: this.groups[this.b].label, result };
    const key = JSON.stringify(detail);
    if (key === this.lastRaised) return;
    this.lastRaised = key;
    this.dispatchEvent(new CustomEvent<TTestShown | null>('compare-ttest', { detail, bubbles: true, composed: true }));
  }

  private setGroupBy(value: string) {
    const swept = this.groupBy.kind === 'keys' ? this.groupBy.keys : this.sweptKeys;
    const by: GroupBy = value.startsWith('key:') ? { kind: 'key', key: value.slice(4) }
      : value === 'keys' ? { kind: 'keys', keys: [...swept] }
      : value === 'all-but-seed' ? { kind: 'all-but-seed' } : { kind: 'none' };
    this.dispatchEvent(new CustomEvent<GroupBy>('compare-group-by', { detail: by, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-compare-groups': TlCompareGroups;
  }
  interface HTMLElementEventMap {
    'compare-ttest': CustomEvent<TTestShown | null>;
    'compare-group-by': CustomEvent<GroupBy>;
  }
}
