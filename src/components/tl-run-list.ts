import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import { percentText } from './format';
import { panelStyles } from './shared-styles';

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
      th button { all: unset; cursor: pointer; font-weight: 600; }
      th button:focus-visible { outline: 2px solid #0b5cad; }
      td.actions { white-space: nowrap; }
      td.actions button, .confirm button { font: inherit; font-size: 0.8rem; padding: 1px 8px; margin-left: 4px; }
      .status-running { color: #0b5cad; } .status-interrupted, .status-diverged, .status-failed { color: #b3261e; }
      .origin { font-size: 0.75rem; color: #5b6570; overflow-wrap: anywhere; }
      .tag { display: inline-block; background: #e8eef5; border-radius: 8px; padding: 0 6px; margin: 0 2px; font-size: 0.75rem; }
      .confirm { background: #fff4f3; border: 1px solid #b3261e; border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
      td.pick { width: 1.5em; }
      td:nth-child(2) { max-width: 280px; min-width: 16em; overflow-wrap: anywhere; }
      td:not(:nth-child(2)):not(:nth-child(3)) { white-space: nowrap; }
      button.compare { font: inherit; font-size: 0.85rem; padding: 2px 10px; }
      form.edit { display: flex; flex-wrap: wrap; gap: 4px; }
      form.edit input { font: inherit; font-size: 0.85rem; flex: 1 1 12em; }
      form.edit button { font: inherit; font-size: 0.8rem; padding: 1px 8px; white-space: nowrap; }
    `,
  ];

  @property({ attribute: false }) runs: RunRecord[] = [];
  @property() selectedId = '';
  @state() private sortKey: SortKey = 'start_time';
  @state() private descending = true;
  @state() private datasetFilter = '';
  @state() private modelFilter = '';
  @state() private confirmDelete = '';
  /** Runs ticked for Compare. */
  @state() private selected = new Set<string>();
  /** The run whose name or tags are being edited in place. */
  @state() private editing: { runId: string; field: 'name' | 'tags' } | null = null;

  private visibleRuns(): RunRecord[] {
    const key = SORTERS[this.sortKey];
    const sign = this.descending ? -1 : 1;
    return this.runs
      .filter((r) => (!this.datasetFilter || r.config.dataset === this.datasetFilter) && (!this.modelFilter || modelKindOf(r) === this.modelFilter))
      .sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
  }

  render() {
    const datasets = [...new Set(this.runs.map((r) => r.config.dataset))].sort();
    const models = [...new Set(['mlp', 'cnn', ...this.runs.map(modelKindOf)])];
    const runs = this.visibleRuns();
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
        <button class="compare" @click=${() => this.compareSelected()} ?disabled=${this.selectedIn(this.runs).length === 0}>Compare selected (${this.selectedIn(this.runs).length})</button>
      </div>
      ${this.confirmDelete ? this.renderConfirm(this.confirmDelete) : nothing}
      ${this.runs.length === 0
        ? html`<p class="muted">No runs yet. Every run appears here from the moment you press Train.</p>`
        : html`<table aria-label="Recorded runs">
            <thead><tr><th>${this.renderSelectAll(runs)}</th>${COLUMNS.map((c) => this.renderHeader(c.key, c.label))}<th>Actions</th></tr></thead>
            <tbody>${runs.map((r) => this.renderRow(r))}</tbody>
          </table>`}
    </section>`;
  }

  private renderHeader(key: SortKey, label: string) {
    const active = this.sortKey === key;
    const sort = active ? (this.descending ? 'descending' : 'ascending') : 'none';
    return html`<th aria-sort=${sort}><button @click=${() => this.sortBy(key)}>${label}${active ? (this.descending ? ' ▼' : ' ▲') : ''}</button></th>`;
  }

  private renderRow(r: RunRecord) {
    return html`<tr aria-selected=${r.run_id === this.selectedId ? 'true' : 'false'} data-run-id=${r.run_id}>
      <td class="pick"><input type="checkbox" aria-label="Select ${r.run_name} for Compare" .checked=${this.selected.has(r.run_id)} @change=${(e: Event) => this.select([r.run_id], (e.target as HTMLInputElement).checked)} /></td>
      <td>${this.editing?.runId === r.run_id ? this.renderEditor(r, this.editing.field) : html`${r.run_name}${r.tags.map((t) => html`<span class="tag">${t}</span>`)}`}</td>
      <td>${r.dataset.name}${r.origin.kind === 'imported' ? html`<br /><span class="origin">${originText(r)}</span>` : nothing}</td>
      <td class="status-${r.status}">${r.status}${r.status === 'running' || r.status === 'interrupted' ? ` (${r.history.length} epochs)` : ''}</td>
      <td>${percentText(r.training.best_val_accuracy)}</td>
      <td>${percentText(r.test?.test_accuracy)}</td>
      <td>${r.training_duration_formatted}</td>
      <td>${backendOf(r) || '–'}</td>
      <td>${r.start_time.slice(0, 19).replace('T', ' ')}</td>
      <td class="actions">
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

  private selectedIn(runs: RunRecord[]): string[] {
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
  }
}
