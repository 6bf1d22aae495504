import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PropertyValues } from 'lit';
import type { RunRecord } from '../recorder/run-record';
import type { SourceFile } from '../compare/import-sources';
import { percentText } from './format';
import { panelStyles } from './shared-styles';
import { styleProps } from './style-props';
import { backendOf, COLUMNS, isTextColumn, MODEL_LABELS, modelKindOf, originText, SORTERS, type SortKey } from './run-list-columns';
import { RowWindowController, WINDOW_ABOVE } from './run-list-window';
import { runListStyles } from './run-list-styles';

export { modelKindOf, originText } from './run-list-columns';
export { WINDOW_ABOVE } from './run-list-window';

export interface RunMetaChange {
  runId: string;
  run_name?: string;
  tags?: string[];
  notes?: string;
}

/** The recorded runs: sortable, filterable by dataset and model; rename, tag, open, delete (confirmed). */
@customElement('tl-run-list')
export class TlRunList extends LitElement {
  static styles = [panelStyles, runListStyles];

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
  private readonly rowWindow = new RowWindowController(this, () => this.visibleRuns().length, () => this.active);
  /** The run whose name or tags are being edited in place. */
  @state() private editing: { runId: string; field: 'name' | 'tags' } | null = null;

  protected shouldUpdate(): boolean {
    return this.active || !this.hasUpdated;
  }

  /** A run that went (deleted, here or in another tab) takes its confirmation or editor with it. */
  protected willUpdate(changed: PropertyValues<this>) {
    if (!changed.has('runs') || (!this.confirmDelete && !this.editing)) return;
    const ids = new Set(this.runs.map((r) => r.run_id));
    if (this.confirmDelete && !ids.has(this.confirmDelete)) this.confirmDelete = '';
    if (this.editing && !ids.has(this.editing.runId)) this.editing = null;
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
        <button @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[name=import-run]')?.click()} title="A run zip with its best_model/ (e.g. what train.py writes): stored with its weights">Import run…</button>
        <button @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[name=import-run-folder]')?.click()}>Import run folder…</button>
        <input type="file" name="import-run" aria-label="Import run (zip)" accept=".zip,application/zip" hidden @change=${this.onImportPicked} />
        <input type="file" name="import-run-folder" aria-label="Import run (folder)" webkitdirectory hidden @change=${this.onImportPicked} />
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
    return html`<th role="columnheader" class=${isTextColumn(key) ? 'text' : ''} aria-sort=${sort}><button @click=${() => this.sortBy(key)}>${label}${active ? (this.descending ? ' ▼' : ' ▲') : ''}</button></th>`;
  }

  /** The rows of the window only; the body's padding and height stand for the rows above and below it. */
  private windowedBody(runs: RunRecord[]) {
    const { first, last, box } = this.rowWindow.range(runs.length);
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
  /** Import run: the files picked (a zip, or a folder's files with their webkitRelativePath), raised as 'runs-import'. */
  private onImportPicked(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])].map((f) => ({ name: f.name, path: f.webkitRelativePath || f.name, blob: f as Blob }));
    input.value = '';
    if (files.length) this.dispatchEvent(new CustomEvent('runs-import', { detail: files, bubbles: true, composed: true }));
  }

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
    if (await this.rowWindow.reveal(target - 2)) focusIn();
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

  protected updated() {
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
    'runs-import': CustomEvent<SourceFile[]>;
  }
}
