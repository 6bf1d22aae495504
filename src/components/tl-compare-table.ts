import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import { bestCells, cellText, compareCells, COMPARE_COLUMNS, differingColumns, type CompareColumn } from '../compare/run-columns';
import { panelStyles } from './shared-styles';

/** One row per compared run: sortable, columns can be hidden, best values highlighted, "Differences only". */
@customElement('tl-compare-table')
export class TlCompareTable extends LitElement {
  static styles = [
    panelStyles,
    css`
      .tools { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 6px; }
      .tools label { flex-direction: row; align-items: center; gap: 4px; }
      .scroll { overflow-x: auto; }
      th { white-space: nowrap; vertical-align: bottom; }
      th button { all: unset; cursor: pointer; font-weight: 600; }
      th button:focus-visible, td button:focus-visible { outline: 2px solid #0b5cad; }
      td { white-space: nowrap; }
      td.text { text-align: left; min-width: 9em; max-width: 24em; white-space: normal; overflow-wrap: anywhere; }
      td.best { font-weight: 700; background: #e6f2e6; }
      td button { font: inherit; font-size: 0.75rem; padding: 0 6px; }
      details { font-size: 0.85rem; }
      details .columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 2px 12px; margin: 4px 0; }
      details label { flex-direction: row; gap: 4px; align-items: center; }
    `,
  ];

  @property({ attribute: false }) runs: RunRecord[] = [];
  @state() private sortKey = 'test_acc';
  @state() private descending = true;
  @state() private differencesOnly = false;
  @state() private hiddenColumns = new Set(COMPARE_COLUMNS.filter((c) => c.hidden).map((c) => c.key));

  private visibleColumns(): CompareColumn[] {
    const shown = COMPARE_COLUMNS.filter((c) => !this.hiddenColumns.has(c.key));
    if (!this.differencesOnly || this.runs.length < 2) return shown;
    const differing = new Set(differingColumns(this.runs, shown).map((c) => c.key));
    return shown.filter((c) => differing.has(c.key) || c.key === 'run_name');
  }

  private sortedRuns(): RunRecord[] {
    const column = COMPARE_COLUMNS.find((c) => c.key === this.sortKey) ?? COMPARE_COLUMNS[0];
    return [...this.runs].sort((a, b) => compareCells(column.value(a), column.value(b), this.descending));
  }

  render() {
    const columns = this.visibleColumns();
    const best = bestCells(this.runs, columns);
    return html`<div class="tools">
        <label><input type="checkbox" name="differences-only" .checked=${this.differencesOnly} @change=${(e: Event) => (this.differencesOnly = (e.target as HTMLInputElement).checked)} /> Differences only</label>
        <span class="muted">Best value of each metric in bold. Empty cell: not recorded.</span>
      </div>
      <details>
        <summary>Columns (${COMPARE_COLUMNS.length - this.hiddenColumns.size} of ${COMPARE_COLUMNS.length} shown)</summary>
        <div class="columns">
          ${COMPARE_COLUMNS.map((c) => html`<label><input type="checkbox" .checked=${!this.hiddenColumns.has(c.key)} @change=${(e: Event) => this.toggleColumn(c.key, (e.target as HTMLInputElement).checked)} />${c.label}</label>`)}
        </div>
      </details>
      <div class="scroll">
        <table aria-label="Compared runs">
          <thead><tr>${columns.map((c) => this.renderHeader(c))}<th><span class="muted">Remove</span></th></tr></thead>
          <tbody>${this.sortedRuns().map((r) => html`<tr data-run-id=${r.run_id}>
            ${columns.map((c) => html`<td class=${[c.kind === 'text' ? 'text' : '', best.get(r.run_id)?.has(c.key) ? 'best' : ''].join(' ')}>${cellText(c, r)}</td>`)}
            <td><button aria-label="Remove ${r.run_name} from the comparison" @click=${() => this.raise(r.run_id)}>×</button></td>
          </tr>`)}</tbody>
        </table>
      </div>
      ${this.differencesOnly && columns.length < COMPARE_COLUMNS.length - this.hiddenColumns.size ? html`<p class="muted">Hidden because equal for every run: ${this.equalSummary()}</p>` : nothing}`;
  }

  private equalSummary(): string {
    const shown = COMPARE_COLUMNS.filter((c) => !this.hiddenColumns.has(c.key));
    const differing = new Set(differingColumns(this.runs, shown).map((c) => c.key));
    return shown.filter((c) => !differing.has(c.key) && c.key !== 'run_name').map((c) => `${c.label} ${this.runs[0] ? cellText(c, this.runs[0]) || '(empty)' : ''}`).join(' · ');
  }

  private renderHeader(c: CompareColumn) {
    const active = this.sortKey === c.key;
    const sort = active ? (this.descending ? 'descending' : 'ascending') : 'none';
    return html`<th aria-sort=${sort}><button @click=${() => this.sortBy(c.key)}>${c.label}${active ? (this.descending ? ' ▼' : ' ▲') : ''}</button></th>`;
  }

  private sortBy(key: string) {
    if (this.sortKey === key) this.descending = !this.descending;
    else [this.sortKey, this.descending] = [key, COMPARE_COLUMNS.find((c) => c.key === key)?.better === 'higher'];
  }

  private toggleColumn(key: string, show: boolean) {
    const next = new Set(this.hiddenColumns);
    if (show) next.delete(key);
    else next.add(key);
    this.hiddenColumns = next;
  }

  private raise(runId: string) {
    this.dispatchEvent(new CustomEvent<string>('compare-remove', { detail: runId, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-compare-table': TlCompareTable;
  }
  interface HTMLElementEventMap {
    'compare-remove': CustomEvent<string>;
  }
}
