import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RunRecord } from '../recorder/run-record';
import { bestCells, cellText, compareCells, COMPARE_COLUMNS, differingColumns, type CompareColumn } from '../compare/run-columns';
import { Memo } from '../compare/memo';
import { columnChars, rowWindow } from '../compare/table-layout';
import { panelStyles } from './shared-styles';
import { styleProps } from './style-props';

/**
 * Up to this many runs, every row is in the page (find-in-page sees them, long names wrap). More
 * are windowed: the table scrolls in its own box, its rows are one line each and all of one
 * height, and only those in and near the box exist (aria-rowcount and aria-rowindex say where).
 */
export const WINDOW_ABOVE = 60;
/** Rows drawn beyond each edge of the box. */
const OVERSCAN = 10;
/** Rows drawn before the box has been measured (more than it shows). */
const FIRST_WINDOW = 30;
/** A windowed row's height in rem (measured once drawn, for font settings). */
const ROW_REM = 1.9;
/** The Remove column's width (ch). */
const REMOVE_CH = 7;
const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

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
      th.text { text-align: left; }
      th button { all: unset; cursor: pointer; font-weight: 600; }
      th button:focus-visible, td button:focus-visible { outline: 2px solid #0b5cad; outline-offset: -2px; }
      td { white-space: nowrap; }
      td.text { text-align: left; min-width: 9em; max-width: 24em; white-space: normal; overflow-wrap: anywhere; }
      td.best { font-weight: 700; background: #e6f2e6; }
      td button { font: inherit; font-size: 0.75rem; padding: 0 6px; }
      details { font-size: 0.85rem; }
      details .columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 2px 12px; margin: 4px 0; }
      details label { flex-direction: row; gap: 4px; align-items: center; }
      /* Windowed: its own scroll box with the header kept in view; fixed column widths, one-line rows. */
      /* Always taller than the box (more than WINDOW_ABOVE rows): a fixed height, and contained, so that a scroll lays out the table only. */
      .scroll.windowed { overflow: auto; height: min(70vh, 48rem); contain: strict; }
      .windowed table { table-layout: fixed; }
      .windowed thead th { position: sticky; top: 0; z-index: 1; background: #fff; white-space: normal; overflow-wrap: anywhere; }
      .windowed tbody tr { height: ${ROW_REM}rem; }
      .windowed td, .windowed td.text { min-width: 0; max-width: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .windowed tr.spacer td { padding: 0; border: none; }
    `,
  ];

  @property({ attribute: false }) runs: RunRecord[] = [];
  @state() private sortKey = 'test_acc';
  @state() private descending = true;
  @state() private differencesOnly = false;
  @state() private hiddenColumns = new Set(COMPARE_COLUMNS.filter((c) => c.hidden).map((c) => c.key));
  /** The rows drawn of a windowed table: [first, last). */
  @state() private rowWindow = { first: 0, last: FIRST_WINDOW };
  @query('.scroll') private scroller?: HTMLElement;
  /** A windowed row's height in pixels (measured; all are alike), and the one the body was last drawn with. */
  private rowPx = 0;
  private drawnRowPx = 0;

  /** What a scroll does not change (it draws other rows of the same table). */
  private readonly memo = new Memo();

  private visibleColumns(): CompareColumn[] {
    return this.memo.get('columns', [this.runs, this.hiddenColumns, this.differencesOnly], () => {
      const shown = COMPARE_COLUMNS.filter((c) => !this.hiddenColumns.has(c.key));
      if (!this.differencesOnly || this.runs.length < 2) return shown;
      const differing = new Set(differingColumns(this.runs, shown).map((c) => c.key));
      return shown.filter((c) => differing.has(c.key) || c.key === 'run_name');
    });
  }

  private sortedRuns(): RunRecord[] {
    return this.memo.get('sorted', [this.runs, this.sortKey, this.descending], () => {
      const column = COMPARE_COLUMNS.find((c) => c.key === this.sortKey) ?? COMPARE_COLUMNS[0];
      const values = new Map(this.runs.map((r) => [r, column.value(r)]));
      return [...this.runs].sort((a, b) => compareCells(values.get(a)!, values.get(b)!, this.descending));
    });
  }

  render() {
    const columns = this.visibleColumns();
    const best = this.memo.get('best', [this.runs, columns], () => bestCells(this.runs, columns));
    const runs = this.sortedRuns();
    const windowed = runs.length > WINDOW_ABOVE;
    const row = (r: RunRecord, i: number) => html`<tr data-run-id=${r.run_id} aria-rowindex=${windowed ? i + 2 : nothing}>
      ${columns.map((c) => {
        const text = cellText(c, r);
        return html`<td class=${[c.kind === 'text' ? 'text' : '', best.get(r.run_id)?.has(c.key) ? 'best' : ''].join(' ')} title=${windowed && c.kind === 'text' ? text : nothing}>${text}</td>`;
      })}
      <td><button aria-label="Remove ${r.run_name} from the comparison" @click=${() => this.raise(r.run_id)}>×</button></td>
    </tr>`;
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
      <div class="scroll ${windowed ? 'windowed' : ''}" @scroll=${this.onScroll}>
        <table aria-label="Compared runs" aria-rowcount=${windowed ? runs.length + 1 : nothing} ${styleProps(windowed ? { width: this.tableWidth(columns) } : {})}>
          ${windowed ? this.colgroup(columns) : nothing}
          <thead><tr aria-rowindex=${windowed ? 1 : nothing}>${columns.map((c) => this.renderHeader(c))}<th><span class="muted">Remove</span></th></tr></thead>
          <tbody>${windowed ? this.windowedRows(runs, columns.length + 1, row) : runs.map(row)}</tbody>
        </table>
      </div>
      ${this.differencesOnly && columns.length < COMPARE_COLUMNS.length - this.hiddenColumns.size ? html`<p class="muted">Hidden because equal for every run: ${this.equalSummary()}</p>` : nothing}`;
  }

  /** Column widths from every run's text (not the rows drawn), so that they stay while the table scrolls. */
  private widths(columns: CompareColumn[]): number[] {
    return this.memo.get('widths', [this.runs, columns], () => columnChars(columns, this.runs));
  }

  private tableWidth(columns: CompareColumn[]): string {
    const ch = this.widths(columns).reduce((a, b) => a + b, REMOVE_CH);
    return `calc(${ch}ch + ${(columns.length + 1) * 16}px)`; // 8 px padding each side of a cell
  }

  private colgroup(columns: CompareColumn[]) {
    const widths = [...this.widths(columns), REMOVE_CH];
    return html`<colgroup>${widths.map((w) => html`<col ${styleProps({ width: `calc(${w}ch + 16px)` })} />`)}</colgroup>`;
  }

  /** The rows of the window; a spacer row above and below stands for the rows not drawn. */
  private windowedRows(runs: RunRecord[], span: number, row: (r: RunRecord, i: number) => unknown) {
    const rowPx = (this.drawnRowPx = this.rowPx || (this.rowPx = ROW_REM * remPx()));
    const last = Math.min(runs.length, this.rowWindow.last);
    const first = Math.min(this.rowWindow.first, last);
    const spacer = (rows: number) => (rows > 0 ? html`<tr class="spacer" aria-hidden="true"><td colspan=${span} ${styleProps({ height: `${rows * rowPx}px` })}></td></tr>` : nothing);
    return html`${spacer(first)}${repeat(runs.slice(first, last), (r) => r.run_id, (r, i) => row(r, first + i))}${spacer(runs.length - last)}`;
  }

  private frame = 0;
  /** Scrolled: the window follows at the next frame (once per frame, whatever the events). */
  private readonly onScroll = () => {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.placeWindow()));
  };

  /** The rows in the box and OVERSCAN beyond, from its scroll position: one row is measured, none is read per row. */
  private placeWindow() {
    const box = this.scroller;
    if (!box?.classList.contains('windowed')) return;
    const measured = box.querySelector('tbody tr[data-run-id]')?.getBoundingClientRect().height ?? 0;
    if (measured > 0 && Math.abs(measured - this.rowPx) > 0.5) this.rowPx = measured;
    const header = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    const next = rowWindow(this.sortedRuns().length, this.rowPx, box.scrollTop, box.clientHeight - header, OVERSCAN);
    if (next.first !== this.rowWindow.first || next.last !== this.rowWindow.last) this.rowWindow = next;
    else if (this.drawnRowPx !== this.rowPx) this.requestUpdate(); // the row height changed (a font size)
  }

  protected updated() {
    if (this.scroller?.classList.contains('windowed')) this.onScroll(); // at the next frame: no update from within an update
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private equalSummary(): string {
    const shown = COMPARE_COLUMNS.filter((c) => !this.hiddenColumns.has(c.key));
    const differing = new Set(differingColumns(this.runs, shown).map((c) => c.key));
    return shown.filter((c) => !differing.has(c.key) && c.key !== 'run_name').map((c) => `${c.label} ${this.runs[0] ? cellText(c, this.runs[0]) || '(empty)' : ''}`).join(' · ');
  }

  private renderHeader(c: CompareColumn) {
    const active = this.sortKey === c.key;
    const sort = active ? (this.descending ? 'descending' : 'ascending') : 'none';
    return html`<th class=${c.kind === 'text' ? 'text' : ''} aria-sort=${sort}><button @click=${() => this.sortBy(c.key)}>${c.label}${active ? (this.descending ? ' ▼' : ' ▲') : ''}</button></th>`;
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
