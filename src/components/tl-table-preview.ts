import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { plural } from '../units';
import { isMissingCell } from '../training/datasets/table/cells';
import { TEXT_ENCODINGS, type ColumnProfile, type Delimiter, type ParsedTable, type ReadOptions, type TableChoice, type TableSource, type TextEncodingName } from '../training/datasets/table/table';
import { checkboxField, numberField, selectField } from './fields';
import { panelStyles } from './shared-styles';
import './tl-column-picker';

/** How the table was read: what the read options show (a TableSource fits). */
export type ReadOptionsShown = Pick<TableSource, 'encoding' | 'delimiter' | 'decimalComma' | 'hasHeader'>;

/** The preview shows the first rows and columns only: the column picker reaches every column. */
export const PREVIEW_ROWS = 10;
export const PREVIEW_COLUMNS = 50;

const ENCODING_LABELS: Record<TextEncodingName, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'windows-1252': 'Windows-1252 (Western)' };
// Option values are names: a tab in an attribute is easy to lose.
const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const satisfies Record<Delimiter, string>;
type DelimiterName = (typeof DELIMITER_NAMES)[Delimiter];
const DELIMITER_OPTIONS: { value: DelimiterName; label: string; delimiter: Delimiter }[] = [
  { value: 'comma', label: 'Comma (,)', delimiter: ',' },
  { value: 'semicolon', label: 'Semicolon (;)', delimiter: ';' },
  { value: 'tab', label: 'Tab', delimiter: '\t' },
];
const SCALING_OPTIONS: { value: TableChoice['scaling']; label: string }[] = [
  { value: 'standard', label: 'Standardise (train mean, SD)' },
  { value: 'minmax', label: 'Min–max (train range)' },
  { value: 'none', label: 'None' },
];
const MISSING_OPTIONS: { value: TableChoice['missing']; label: string }[] = [
  { value: 'drop', label: 'Drop them before the split' },
  { value: 'impute', label: 'Impute (train mean or mode)' },
];

/** "3 cells are not numbers: row 7 'abc', row 9 '?', …" (rows are record numbers in the file). */
export function notNumbersText(n: NonNullable<ColumnProfile['notNumbers']>): string {
  const listed = n.first.map((f) => `row ${f.row} '${f.value}'`).join(', ');
  return `${plural(n.count, 'cell')} ${n.count === 1 ? 'is not a number' : 'are not numbers'}: ${listed}${n.count > n.first.length ? ', …' : ''}`;
}

/**
 * A person's own table before training: how it is read (encoding, delimiter, header, decimal
 * comma), its first rows with a profile per column, the column picker and the preparation options.
 * Parses nothing: raises `table-read-options` (the option changed) and `table-choice` (the whole choice).
 */
@customElement('tl-table-preview')
export class TlTablePreview extends LitElement {
  static styles = [
    panelStyles,
    css`
      fieldset { border: 1px solid #e4e8ec; border-radius: 6px; margin: 8px 0; padding: 6px 10px 10px; }
      legend { font-size: 0.85rem; font-weight: 600; }
      .scroll { overflow: auto; max-width: 100%; border: 1px solid #e4e8ec; border-radius: 4px; }
      .scroll table { font-size: 0.8rem; }
      thead th { vertical-align: bottom; text-align: left; min-width: 5.5rem; max-width: 14rem; font-weight: normal; }
      th .name { display: block; font-weight: 600; overflow-wrap: anywhere; }
      th .stat { display: block; color: #5b6570; }
      .flag { display: inline-block; font-size: 0.75rem; border-radius: 3px; padding: 0 4px; margin: 1px 2px 0 0; background: #eef1f4; }
      .flag.label { background: #0b5cad; color: #fff; }
      .flag.warn { background: #fff4e0; color: #6b4700; }
      th.unused, td.unused { color: #5b6570; }
      td { text-align: left; max-width: 14rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      td.label { background: #eef5fc; }
      td.missing { background: #f7f7f7; }
      .prep { grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); }
      p { margin: 6px 0; }
    `,
  ];

  @property({ attribute: false }) table: ParsedTable | null = null;
  /** Rows of the whole table when `table` holds only its first rows (the table worker sends a head). */
  @property({ attribute: false }) totalRows?: number;
  @property({ attribute: false }) profiles: ColumnProfile[] = [];
  @property({ attribute: false }) choice: TableChoice | null = null;
  /** The read options in effect (the table's source when not given). */
  @property({ attribute: false }) readOptions: ReadOptionsShown | null = null;
  @property({ attribute: false }) problems: string[] = [];
  @state() private maxCategoriesError = '';

  render() {
    const t = this.table;
    if (!t) return nothing;
    return html`${this.renderReadOptions(this.readOptions ?? t.source)}
      ${this.problems.map((p) => html`<p class="error" role="alert">${p}</p>`)}
      ${this.renderRows(t)}
      ${this.choice
        ? html`<h3>Columns</h3><tl-column-picker .profiles=${this.profiles} .choice=${this.choice}></tl-column-picker>${this.renderPreparation(this.choice)}`
        : nothing}`;
  }

  private renderReadOptions(o: ReadOptionsShown) {
    return html`<fieldset><legend>How the file is read</legend><div class="fields">
      ${selectField({ label: 'Encoding', name: 'encoding', value: o.encoding, options: TEXT_ENCODINGS.map((value) => ({ value, label: ENCODING_LABELS[value] })), onValue: (encoding) => this.raiseRead({ encoding }) })}
      ${selectField({ label: 'Delimiter', name: 'delimiter', value: DELIMITER_NAMES[o.delimiter], options: DELIMITER_OPTIONS, onValue: (name) => this.raiseRead({ delimiter: DELIMITER_OPTIONS.find((d) => d.value === name)!.delimiter }) })}
      ${checkboxField({ label: 'Header row', name: 'has-header', value: o.hasHeader, onValue: (hasHeader) => this.raiseRead({ hasHeader }) })}
      ${checkboxField({ label: 'Decimal comma (3,14)', name: 'decimal-comma', value: o.decimalComma, onValue: (decimalComma) => this.raiseRead({ decimalComma }) })}
    </div></fieldset>`;
  }

  private renderRows(t: ParsedTable) {
    const rows = Math.min(PREVIEW_ROWS, t.rowCount);
    const columns = Math.min(PREVIEW_COLUMNS, t.header.length);
    const more = t.header.length - columns;
    const byIndex = new Map(this.profiles.map((p) => [p.index, p]));
    const kinds = Array.from({ length: columns }, (_, c) => this.kindOf(t.header[c]));
    return html`<h3>First rows</h3>
      <p class="muted">${t.source.fileName}: ${plural(this.totalRows ?? t.rowCount, 'row')} (the first ${rows} shown), ${plural(t.header.length, 'column')}${t.skippedBlankRows ? `; ${plural(t.skippedBlankRows, 'blank row')} skipped` : ''}.
        ${more > 0 ? html`<strong>+${more.toLocaleString('en-US')} more ${more === 1 ? 'column' : 'columns'}</strong> not shown here: the column list below has them all.` : nothing}</p>
      <div class="scroll" tabindex="0" role="region" aria-label="First rows of the table">
        <table>
          <thead><tr><th scope="col">Row</th>${kinds.map((kind, c) => this.renderHead(t.header[c], byIndex.get(c), kind))}</tr></thead>
          <tbody>${Array.from({ length: rows }, (_, r) => html`<tr><th scope="row">${t.rowNumbers[r]}</th>${kinds.map((kind, c) => {
            const cell = t.columns[c][r];
            return html`<td class="${kind} ${isMissingCell(cell) ? 'missing' : ''}" title=${cell.length > 24 ? cell : nothing}>${cell}</td>`;
          })}</tr>`)}</tbody>
        </table>
      </div>`;
  }

  /** A column's part in the choice: the label, a feature, or not used. */
  private kindOf(name: string): 'label' | 'feature' | 'unused' {
    const c = this.choice;
    return c?.label === name ? 'label' : !c || c.features.includes(name) ? 'feature' : 'unused';
  }

  private renderHead(name: string, p: ColumnProfile | undefined, kind: 'label' | 'feature' | 'unused') {
    const oneHot = this.choice?.categorical.includes(name);
    return html`<th scope="col" class=${kind}>
      <span class="name">${name}</span>
      ${p ? html`<span class="stat">${p.type}</span> <span class="stat">${p.missing.toLocaleString('en-US')} missing</span> <span class="stat">${p.distinct.toLocaleString('en-US')} distinct</span>` : nothing}
      ${kind === 'label' ? html`<span class="flag label">label</span>` : kind === 'unused' ? html`<span class="flag">not used</span>` : nothing}
      ${oneHot ? html`<span class="flag">one-hot</span>` : nothing}
      ${p?.regressionLike && kind !== 'feature' ? html`<span class="flag warn">looks like a regression target</span>` : nothing}
      ${p?.notNumbers ? html`<span class="flag warn">${notNumbersText(p.notNumbers)}</span>` : nothing}
    </th>`;
  }

  private renderPreparation(c: TableChoice) {
    const notNumbers = this.profiles.some((p) => p.notNumbers);
    return html`<fieldset><legend>Preparation (fitted on the training split only)</legend><div class="fields prep">
      ${selectField({ label: 'Scaling', name: 'scaling', value: c.scaling, options: SCALING_OPTIONS, onValue: (scaling) => this.raiseChoice({ ...c, scaling }) })}
      ${selectField({ label: 'Rows with missing features', name: 'missing', value: c.missing, options: MISSING_OPTIONS, onValue: (missing) => this.raiseChoice({ ...c, missing }) })}
      ${notNumbers ? checkboxField({ label: 'Treat non-numbers as missing', name: 'not-numbers-missing', value: c.notNumbersAsMissing, onValue: (notNumbersAsMissing) => this.raiseChoice({ ...c, notNumbersAsMissing }) }) : nothing}
      ${numberField({ label: 'Max categories', name: 'max-categories', value: c.maxCategories, step: '1', error: this.maxCategoriesError, onValue: (v) => this.setMaxCategories(c, v) })}
    </div></fieldset>`;
  }

  private setMaxCategories(c: TableChoice, v: number) {
    if (Number.isInteger(v) && v >= 1) {
      this.maxCategoriesError = '';
      this.raiseChoice({ ...c, maxCategories: v });
    } else this.maxCategoriesError = 'Max categories: a whole number, at least 1';
  }

  private raiseRead(detail: ReadOptions) {
    this.dispatchEvent(new CustomEvent<ReadOptions>('table-read-options', { detail, bubbles: true, composed: true }));
  }

  private raiseChoice(detail: TableChoice) {
    this.dispatchEvent(new CustomEvent<TableChoice>('table-choice', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-table-preview': TlTablePreview;
  }
  interface HTMLElementEventMap {
    'table-read-options': CustomEvent<ReadOptions>;
  }
}
