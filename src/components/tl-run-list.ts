import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RunRecord } from '../recorder/run-record';
import { percentText } from './format';
import { panelStyles } from './shared-styles';
import { styleProps } from './style-props';

const MODEL_LABELS: Record<string, string> = { mlp: 'MLP', cnn: 'CNN' };

type SortKey = 'start_time' | 'run_name' | 'dataset' | 'status' | 'best_val' | 'test_acc' | 'duration' | 'backend';

export interface RunMetaChange {
  runId: string;
  run_name?: string;
  tags?: string[];
  notes?: string;
}

const SORTERS: Record<SortKey, (r: RunRecord) => string | number> = {
  start_time: (r) => Date.parse(r.start_time), // not the text: runs may carry different UTC offsets
  run_name: (r) => r.run_name.toLowerCase(),
  dataset: (r) => r.dataset.name,
  status: (r) => r.status,
  best_val: (r) => r.training.best_val_accuracy ?? -1,
  test_acc: (r) => r.test?.test_accuracy ?? -1,
  duration: (r) => r.training_duration_seconds ?? -1,
  backend: (r) => backendOf(r),
};

/** What ran it: the lab's backend, or the device an imported run names ('cuda'). */
const backendOf = (r: RunRecord): string => r.environment?.backend ?? r.config.device ?? '';
/** The model filter's key: the lab's preset (mlp, cnn), or an imported run's model name. */
export const modelKindOf = (r: RunRecord): string => r.config.model?.kind ?? r.model_name;
/** Where a record came from, in words. */
export const originText = (r: RunRecord): string => (r.origin.kind === 'lab' ? 'lab' : `imported: ${r.origin.file}${r.origin.path ? ` › ${r.origin.path}` : ''}`);

/**
 * Up to this many rows are all in the page (find-in-page sees them, long names wrap); a longer list
 * is windowed: its rows are one line each, all of the same height, and only those in and near the
 * viewport exist (the list scrolls with the page), so a thousand runs open and scroll at once.
 */
export const WINDOW_ABOVE = 60;
/** Rows drawn beyond each edge of the viewport. */
const OVERSCAN = 12;
/** Rows drawn before the list's place on the page is known (more than a screen). */
const FIRST_WINDOW = 60;
/** The height of a windowed row, in rem (its pixels are measured once drawn, for font settings). */
const ROW_REM = 2.1;
const remPx = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'run_name', label: 'Run' },
  { key: 'dataset', label: 'Dataset' },
  { key: 'status', label: 'Status' },
  { key: 'best_val', label: 'Best val. acc.' },
  { key: 'test_acc', label: 'Test acc.' },
  { key: 'duration', label: 'Duration' },
  { key: 'backend', label: 'Backend' },
  { key: 'start_time', label: 'Started' },
];

/** The recorded runs: sortable, filterable by dataset and model; rename, tag, open, delete (confirmed). */
@customElement('tl-run-list')
export class TlRunList extends LitElement {
  static styles = [
    panelStyles,
    css`
      .filters { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; align-items: end; }
      /* A grid of rows laid out alike: every row is its own CSS grid, with widths that depend on the
         list's width only, never on content, so that the rows of a window line up with the header. */
      table.grid, table.grid thead, table.grid tbody { display: block; }
      /* A window: rows of one line and one height; the body keeps the whole list's height (set with its
         padding above the first row drawn, in windowedBody). */
      tbody.window { box-sizing: border-box; }
      tbody.window tr { height: ${ROW_REM}rem; }
      tbody.window td { white-space: nowrap; }
      tbody.window td br { display: none; }
      tbody.window .origin::before { content: ' · '; }
      tbody.window form.edit { flex-wrap: nowrap; }
      tbody.window form.edit input { min-width: 4em; flex: 1 1 4em; }
      table.grid { min-width: 88em; }
      table.grid tr {
        display: grid; align-items: center; width: 100%; box-sizing: border-box; border-bottom: 1px solid #e4e8ec;
        grid-template-columns: 2.2em minmax(12em, 2.4fr) minmax(8em, 1.4fr) minmax(7em, 1fr) 7.5em 6em 6.5em 6em 12em 20.5em;
      }
      table.grid thead tr { align-items: end; }
      table.grid th, table.grid td { display: block; min-width: 0; border-bottom: none; }
      table.grid thead { position: sticky; top: 0; z-index: 1; background: #fff; }
      table.grid tr[aria-selected='true'] { background: #eef5fc; }
      th button { all: unset; cursor: pointer; font-weight: 600; }
      th button:focus-visible { outline: 2px solid #0b5cad; }
      td.actions { white-space: nowrap; }
      td.actions button, .confirm button { font: inherit; font-size: 0.8rem; padding: 1px 8px; margin-left: 4px; }
      .status-running { color: #0b5cad; } .status-interrupted, .status-diverged, .status-failed { color: #b3261e; }
      .origin { font-size: 0.75rem; color: #5b6570; overflow-wrap: anywhere; }
      .tag { display: inline-block; background: #e8eef5; border-radius: 8px; padding: 0 6px; margin: 0 2px; font-size: 0.75rem; }
      .confirm { background: #fff4f3; border: 1px solid #b3261e; border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
      td.text, th.text { text-align: left; overflow-wrap: anywhere; }
      td:not(.text) { white-space: nowrap; }
      td:not(.pick):not(.actions):not(.editing) { overflow: hidden; text-overflow: ellipsis; } /* focus rings stay whole */
      button.compare { font: inherit; font-size: 0.85rem; padding: 2px 10px; }
      form.edit { display: flex; flex-wrap: wrap; gap: 4px; }
      form.edit input { font: inherit; font-size: 0.85rem; flex: 1 1 12em; }
      form.edit button { font: inherit; font-size: 0.8rem; padding: 1px 8px; white-space: nowrap; }
    `,
  ];

  @property({ attribute: false }) runs: readonly RunRecord[] = [];
  @property() selectedId = '';
  /** False while the list is not shown: it does not re-render then (the lab stores an epoch a few times a second). */
  @property({ type: Boolean }) active = true;
  @state() private sortKey: SortKey = 'start_time';
  @state() private descending = true;
  @state() private datasetFilter = '';
  @state() private modelFilter = '';
  @state() private confirmDelete = '';
  /** Runs ticked for Compare. */
  @state() private selected = new Set<string>();
  /** The rows drawn of a windowed list: [first, last). */
  @state() private rowWindow = { first: 0, last: FIRST_WINDOW };
  /** The height of a windowed row in pixels (measured; all are alike), and the one the body was last drawn with. */
  private rowPx = 0;
  private drawnRowPx = 0;
  /** The run whose name or tags are being edited in place. */
  @state() private editing: { runId: string; field: 'name' | 'tags' } | null = null;

  protected shouldUpdate(): boolean {
    return this.active || !this.hasUpdated;
  }

  private keys = new Map<SortKey, WeakMap<RunRecord, string | number>>();
  /** The sort key of `r` (each record's computed once: an epoch changes one record, the others keep theirs). */
  private keyOf(key: SortKey, r: RunRecord): string | number {
    const cache = this.keys.get(key) ?? this.keys.set(key, new WeakMap()).get(key)!;
    let k = cache.get(r);
    if (k === undefined) cache.set(r, (k = SORTERS[key](r)));
    return k;
  }

  private shown?: { inputs: unknown[]; runs: RunRecord[] };
  /** The runs the filters let through, sorted; the same array until the runs, the sort or a filter change. */
  private visibleRuns(): RunRecord[] {
    const inputs = [this.runs, this.sortKey, this.descending, this.datasetFilter, this.modelFilter];
    if (this.shown && inputs.every((x, i) => x === this.shown!.inputs[i])) return this.shown.runs;
    const key = this.sortKey;
    const sign = this.descending ? -1 : 1;
    const runs = this.runs
      .filter((r) => (!this.datasetFilter || r.config.dataset === this.datasetFilter) && (!this.modelFilter || modelKindOf(r) === this.modelFilter))
      .sort((a, b) => {
        const [x, y] = [this.keyOf(key, a), this.keyOf(key, b)];
        return x < y ? -sign : x > y ? sign : 0;
      });
    this.shown = { inputs, runs };
    return runs;
  }

  private choices?: { runs: readonly RunRecord[]; datasets: string[]; models: string[] };
  /** The filters' options, from the runs (again only when they change). */
  private filterChoices() {
    if (this.choices?.runs !== this.runs) {
      const datasets = [...new Set(this.runs.map((r) => r.config.dataset))].sort();
      this.choices = { runs: this.runs, datasets, models: [...new Set(['mlp', 'cnn', ...this.runs.map(modelKindOf)])] };
    }
    return this.choices;
  }

  render() {
    const { datasets, models } = this.filterChoices();
    const runs = this.visibleRuns();
    const picked = this.selectedIn(this.runs).length;
    return html`<section class="card" aria-label="Runs">
      <h2>Runs</h2>
      <div class="filters">
        <label>Dataset
          <select name="filter-dataset" @change=${(e: Event) => (this.datasetFilter = (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            ${datasets.map((d) => html`<option value=${d} ?selected=${d === this.datasetFilter}>${d}</option>`)}
          </select>
        </label>
        <label>Model
          <select name="filter-model" @change=${(e: Event) => (this.modelFilter = (e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            ${models.map((m) => html`<option value=${m} ?selected=${m === this.modelFilter}>${MODEL_LABELS[m] ?? m}</option>`)}
          </select>
        </label>
        <span class="muted">${runs.length} of ${this.runs.length} runs</span>
        <button class="compare" @click=${() => this.compareSelected()} ?disabled=${picked === 0}>Compare selected (${picked})</button>
      </div>
      ${this.confirmDelete ? this.renderConfirm(this.confirmDelete) : nothing}
      ${this.runs.length === 0
        ? html`<p class="muted">No runs yet. Every run appears here from the moment you press Train.</p>`
        : html`<table class="grid" role="grid" aria-label="Recorded runs" aria-rowcount=${runs.length + 1} @keydown=${this.onGridKey}>
            <thead role="rowgroup"><tr role="row" aria-rowindex="1">
              <th role="columnheader">${this.renderSelectAll(runs)}</th>${COLUMNS.map((c) => this.renderHeader(c.key, c.label))}<th role="columnheader">Actions</th>
            </tr></thead>
            ${runs.length > WINDOW_ABOVE ? this.windowedBody(runs) : html`<tbody role="rowgroup">${runs.map((r, i) => this.renderRow(r, i))}</tbody>`}
          </table>`}
    </section>`;
  }

  private renderHeader(key: SortKey, label: string) {
    const active = this.sortKey === key;
    const sort = active ? (this.descending ? 'descending' : 'ascending') : 'none';
    return html`<th role="columnheader" class=${key === 'run_name' || key === 'dataset' || key === 'status' ? 'text' : ''} aria-sort=${sort}><button @click=${() => this.sortBy(key)}>${label}${active ? (this.descending ? ' ▼' : ' ▲') : ''}</button></th>`;
  }

  /** The rows of the window only; the body's padding and height stand for the rows above and below it. */
  private windowedBody(runs: RunRecord[]) {
    const rowPx = (this.drawnRowPx = this.rowPx || (this.rowPx = ROW_REM * remPx()));
    const last = Math.min(runs.length, this.rowWindow.last);
    const first = Math.min(this.rowWindow.first, last);
    const box = { 'padding-top': `${first * rowPx}px`, height: `${runs.length * rowPx}px` };
    return html`<tbody role="rowgroup" class="window" ${styleProps(box)}>${repeat(runs.slice(first, last), (r) => r.run_id, (r, i) => this.renderRow(r, first + i))}</tbody>`;
  }

  /** Row `i` of the runs shown (aria-rowindex counts the header row as 1). */
  private renderRow(r: RunRecord, i: number) {
    return html`<tr role="row" aria-rowindex=${i + 2} aria-selected=${r.run_id === this.selectedId ? 'true' : 'false'} data-run-id=${r.run_id}>
      <td role="gridcell" class="pick"><input type="checkbox" aria-label="Select ${r.run_name} for Compare" .checked=${this.selected.has(r.run_id)} @change=${(e: Event) => this.select([r.run_id], (e.target as HTMLInputElement).checked)} /></td>
      ${this.editing?.runId === r.run_id
        ? html`<td role="gridcell" class="text editing">${this.renderEditor(r, this.editing.field)}</td>`
        : html`<td role="gridcell" class="text" title=${r.run_name}>${r.run_name}${r.tags.map((t) => html`<span class="tag">${t}</span>`)}</td>`}
      <td role="gridcell" class="text">${r.dataset.name}${r.origin.kind === 'imported' ? html`<br /><span class="origin">${originText(r)}</span>` : nothing}</td>
      <td role="gridcell" class="text status-${r.status}">${r.status}${r.status === 'running' || r.status === 'interrupted' ? ` (${r.history.length} epochs)` : ''}</td>
      <td role="gridcell">${percentText(r.training.best_val_accuracy)}</td>
      <td role="gridcell">${percentText(r.test?.test_accuracy)}</td>
      <td role="gridcell">${r.training_duration_formatted}</td>
      <td role="gridcell">${backendOf(r) || '–'}</td>
      <td role="gridcell">${r.start_time.slice(0, 19).replace('T', ' ')}</td>
      <td role="gridcell" class="actions">
        <button @click=${() => this.raise('run-open', r.run_id)}>Open</button>
        <button @click=${() => (this.editing = { runId: r.run_id, field: 'name' })}>Rename</button>
        <button @click=${() => (this.editing = { runId: r.run_id, field: 'tags' })}>Tags</button>
        <button @click=${() => (this.confirmDelete = r.run_id)} ?disabled=${r.status === 'running'}>Delete</button>
      </td>
    </tr>`;
  }

  private renderConfirm(id: string) {
    return html`<div class="confirm" role="alertdialog" aria-label="Confirm delete">
      Delete run <strong>${id}</strong> with its checkpoints? This cannot be undone.
      <button @click=${() => { this.confirmDelete = ''; this.raise('run-delete', id); }}>Delete permanently</button>
      <button @click=${() => (this.confirmDelete = '')}>Cancel</button>
    </div>`;
  }

  /** One box for every run shown (the filter applies): ticked when all of them are. */
  private renderSelectAll(shown: RunRecord[]) {
    const picked = this.selectedIn(shown).length;
    const all = shown.length > 0 && picked === shown.length;
    return html`<input type="checkbox" aria-label="Select all ${shown.length} runs shown for Compare" .checked=${all} .indeterminate=${picked > 0 && !all}
      @change=${(e: Event) => this.select(shown.map((r) => r.run_id), (e.target as HTMLInputElement).checked)} />`;
  }

  private selectedIn(runs: readonly RunRecord[]): string[] {
    if (this.selected.size === 0) return [];
    return runs.filter((r) => this.selected.has(r.run_id)).map((r) => r.run_id);
  }

  private select(ids: string[], on: boolean) {
    const next = new Set(this.selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    this.selected = next;
  }

  /** Compares the ticked runs that still exist, newest first as listed. */
  private compareSelected() {
    const ids = this.visibleRuns().filter((r) => this.selected.has(r.run_id)).map((r) => r.run_id);
    const hiddenPicked = this.selectedIn(this.runs).filter((id) => !ids.includes(id));
    this.dispatchEvent(new CustomEvent<string[]>('runs-compare', { detail: [...ids, ...hiddenPicked], bubbles: true, composed: true }));
  }

  /**
   * Up and Down arrows move between rows, to the same column's control (a row outside the window is
   * scrolled into view first). Text fields and lists keep their arrows.
   */
  private readonly onGridKey = async (e: KeyboardEvent) => {
    if ((e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = e.composedPath()[0] as HTMLElement;
    if (from instanceof HTMLInputElement ? from.type !== 'checkbox' : from.localName === 'select' || from.localName === 'textarea') return;
    const cell = from.closest('td, th');
    const row = cell?.parentElement;
    if (!cell || !row) return;
    const target = Number(row.getAttribute('aria-rowindex')) + (e.key === 'ArrowDown' ? 1 : -1);
    const count = this.visibleRuns().length + 1;
    if (target < 1 || target > count) return;
    e.preventDefault();
    const column = [...row.children].indexOf(cell);
    const controls = (c: Element | undefined) => [...(c?.querySelectorAll<HTMLElement>('button, input') ?? [])];
    const nth = Math.max(0, controls(cell).indexOf(from));
    const focusIn = () => {
      const all = controls(this.renderRoot.querySelector(`tr[aria-rowindex="${target}"]`)?.children[column]);
      const control = [all[nth], ...all].find((c) => c && !(c as HTMLButtonElement).disabled);
      control?.focus();
      return control !== undefined;
    };
    if (focusIn()) return;
    // A row outside the window: scroll it into view (its place is known: all rows are alike), then draw it.
    const body = this.renderRoot.querySelector<HTMLElement>('tbody.window');
    if (!body || target < 2 || !this.rowPx) return;
    const top = body.getBoundingClientRect().top + (target - 2) * this.rowPx;
    const header = this.renderRoot.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (top < header) scrollBy(0, top - header);
    else if (top + this.rowPx > innerHeight) scrollBy(0, top + this.rowPx - innerHeight);
    this.placeWindow();
    await this.updateComplete;
    focusIn();
  };

  private sortBy(key: SortKey) {
    if (this.sortKey === key) this.descending = !this.descending;
    else [this.sortKey, this.descending] = [key, key === 'start_time'];
  }

  private renderEditor(r: RunRecord, field: 'name' | 'tags') {
    const label = field === 'name' ? 'Run name' : 'Tags (comma-separated)';
    const value = field === 'name' ? r.run_name : r.tags.join(', ');
    return html`<form class="edit" @submit=${(e: Event) => this.saveEdit(e, r, field)} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.editing = null)}>
      <input name="edit-value" aria-label=${label} .value=${value} />
      <button type="submit">Save</button>
      <button type="button" @click=${() => (this.editing = null)}>Cancel</button>
    </form>`;
  }

  connectedCallback() {
    super.connectedCallback();
    addEventListener('scroll', this.onViewport, { passive: true });
    addEventListener('resize', this.onViewport, { passive: true });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('scroll', this.onViewport);
    removeEventListener('resize', this.onViewport);
  }

  private frame = 0;
  /** Scrolled or resized: the window follows at the next frame (once per frame, whatever the events). */
  private readonly onViewport = () => {
    if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.placeWindow()));
  };

  /**
   * The rows in the viewport and OVERSCAN beyond, from where the body is on the page: no row is
   * measured but one (all are alike), nothing is read per row.
   */
  private placeWindow() {
    const body = this.renderRoot.querySelector<HTMLElement>('tbody.window');
    if (!body || !this.active) return;
    const row = body.querySelector('tr');
    const measured = row?.getBoundingClientRect().height ?? 0;
    if (measured > 0 && Math.abs(measured - this.rowPx) > 0.5) this.rowPx = measured;
    const rect = body.getBoundingClientRect();
    if (rect.height === 0 || !this.rowPx) return; // hidden
    const count = this.visibleRuns().length;
    const first = Math.max(0, Math.min(count, Math.floor(-rect.top / this.rowPx) - OVERSCAN));
    const last = Math.max(first, Math.min(count, Math.ceil((innerHeight - rect.top) / this.rowPx) + OVERSCAN));
    if (first !== this.rowWindow.first || last !== this.rowWindow.last) this.rowWindow = { first, last };
    else if (this.drawnRowPx !== this.rowPx) this.requestUpdate(); // the row height changed (a font size)
  }

  protected updated() {
    if (this.renderRoot.querySelector('tbody.window')) this.onViewport(); // at the next frame: no update from within an update
    const input = this.renderRoot.querySelector<HTMLInputElement>('form.edit input');
    if (input && this.shadowRoot?.activeElement !== input && !input.dataset.focused) {
      input.dataset.focused = 'yes';
      input.focus();
      input.select();
    }
  }

  private saveEdit(e: Event, r: RunRecord, field: 'name' | 'tags') {
    e.preventDefault();
    const text = ((e.target as HTMLFormElement).elements.namedItem('edit-value') as HTMLInputElement).value;
    this.editing = null;
    if (field === 'name') {
      const name = text.trim();
      if (name && name !== r.run_name) this.raiseMeta({ runId: r.run_id, run_name: name });
    } else {
      const tags = [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
      if (tags.join(',') !== r.tags.join(',')) this.raiseMeta({ runId: r.run_id, tags });
    }
  }

  private raise(type: 'run-open' | 'run-delete', runId: string) {
    this.dispatchEvent(new CustomEvent<string>(type, { detail: runId, bubbles: true, composed: true }));
  }

  private raiseMeta(detail: RunMetaChange) {
    this.dispatchEvent(new CustomEvent<RunMetaChange>('run-meta', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-run-list': TlRunList;
  }
  interface HTMLElementEventMap {
    'run-open': CustomEvent<string>;
    'run-delete': CustomEvent<string>;
    'run-meta': CustomEvent<RunMetaChange>;
    'runs-compare': CustomEvent<string[]>;
  }
}
