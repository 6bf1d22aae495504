import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ColumnProfile, TableChoice } from '../training/datasets/table/table';
import { selectField } from './fields';
import { buttonStyles, panelStyles } from './shared-styles';

// The edits a person makes to a TableChoice. Pure: each returns a new choice whose features are in
// table order, never hold the label, and whose categorical columns are features.

/** The label column chosen: it stops being a feature. */
export function withLabel(choice: TableChoice, label: string): TableChoice {
  return { ...choice, label, features: choice.features.filter((f) => f !== label), categorical: choice.categorical.filter((f) => f !== label) };
}

/** Columns made features (on) or not: a column profiled categorical that becomes a feature is one-hot encoded. */
export function withFeatures(choice: TableChoice, profiles: readonly ColumnProfile[], names: readonly string[], on: boolean): TableChoice {
  const changed = new Set(names);
  const used = new Set(choice.features);
  const categorical = new Set(choice.categorical);
  for (const p of profiles) {
    if (!changed.has(p.name) || used.has(p.name) === on) continue;
    if (!on) used.delete(p.name);
    else if (p.name !== choice.label) {
      used.add(p.name);
      if (p.type === 'categorical') categorical.add(p.name);
    }
  }
  const features = profiles.map((p) => p.name).filter((n) => used.has(n));
  return { ...choice, features, categorical: features.filter((n) => categorical.has(n)) };
}

/** A feature one-hot encoded (on) or read as a number. */
export function withCategorical(choice: TableChoice, name: string, on: boolean): TableChoice {
  const categorical = new Set(choice.categorical);
  if (on && choice.features.includes(name)) categorical.add(name);
  else categorical.delete(name);
  return { ...choice, categorical: choice.features.filter((n) => categorical.has(n)) };
}

/** Rows drawn at first and added by each "Show more": a table of thousands of columns opens at once. */
export const PICKER_PAGE = 200;

/** One line on a column: its type, distinct values and missing cells. */
export const columnSummary = (p: ColumnProfile): string => `${p.type} · ${p.distinct.toLocaleString('en-US')} distinct · ${p.missing.toLocaleString('en-US')} missing`;

/**
 * Which column is the label, which are features, which features are one-hot encoded. Every column
 * is reachable: the list filters by name and draws PICKER_PAGE rows at a time. Raises `table-choice`.
 */
@customElement('tl-column-picker')
export class TlColumnPicker extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      .bar { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; margin: 8px 0; }
      .bar button { padding: 3px 10px; font-size: 0.85rem; }
      .list { max-height: 24rem; overflow: auto; border: 1px solid #e4e8ec; border-radius: 4px; }
      .list table { width: 100%; }
      .list thead th { position: sticky; top: 0; background: #f5f7fa; z-index: 1; }
      th, td { text-align: left; }
      td.box, th.box { text-align: center; }
      td.name { max-width: 24rem; overflow-wrap: anywhere; }
      tr.label td { background: #eef5fc; }
      .flag { font-size: 0.75rem; border-radius: 3px; padding: 0 4px; background: #0b5cad; color: #fff; margin-left: 4px; }
      p { margin: 6px 0; }
    `,
  ];

  @property({ attribute: false }) profiles: ColumnProfile[] = [];
  @property({ attribute: false }) choice!: TableChoice;
  @state() private filter = '';
  @state() private limit = PICKER_PAGE;

  render() {
    const c = this.choice;
    const q = this.filter.trim().toLowerCase();
    const matching = q ? this.profiles.filter((p) => p.name.toLowerCase().includes(q)) : this.profiles;
    const shown = matching.slice(0, this.limit);
    const used = new Set(c.features);
    const oneHot = new Set(c.categorical);
    const names = () => matching.map((p) => p.name);
    return html`<div class="bar">
        ${selectField({ label: 'Label column', name: 'label-column', value: c.label, options: this.profiles.map((p) => p.name), onValue: (label) => this.raise(withLabel(c, label)) })}
        <label>Filter columns
          <input type="search" name="column-filter" .value=${live(this.filter)} @input=${(e: Event) => this.setFilter((e.target as HTMLInputElement).value)} />
        </label>
        <button class="secondary" @click=${() => this.raise(withFeatures(c, this.profiles, names(), true))} ?disabled=${!matching.length}>Use all ${q ? 'matching' : 'columns'}</button>
        <button class="secondary" @click=${() => this.raise(withFeatures(c, this.profiles, names(), false))} ?disabled=${!matching.length}>${q ? 'Use none matching' : 'Use no columns'}</button>
      </div>
      <p class="muted" role="status">${c.features.length} of ${this.profiles.length - 1} columns used as features${c.categorical.length ? `, ${c.categorical.length} one-hot encoded` : ''}.
        ${q ? `${matching.length} match “${this.filter.trim()}”.` : ''}</p>
      <div class="list" tabindex="0" role="region" aria-label="Columns">
        <table>
          <thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col" class="box">Use as feature</th><th scope="col" class="box">Categorical (one-hot)</th></tr></thead>
          <tbody>${repeat(shown, (p) => p.index, (p) => this.renderRow(p, used.has(p.name), oneHot.has(p.name)))}</tbody>
        </table>
      </div>
      ${shown.length < matching.length
        ? html`<p class="muted">Showing ${shown.length} of ${matching.length} columns.
            <button class="secondary" @click=${() => (this.limit += PICKER_PAGE)}>Show ${Math.min(PICKER_PAGE, matching.length - shown.length)} more</button></p>`
        : nothing}
      <p class="muted">A numeric column with at most ${c.maxCategories} distinct values may be one-hot encoded as categories; text columns always are.</p>`;
  }

  private renderRow(p: ColumnProfile, used: boolean, oneHot: boolean) {
    const isLabel = p.name === this.choice.label;
    // Text columns are always one-hot; a numeric one may be when it has few enough distinct values.
    const mayBeCategorical = p.type === 'numeric' && used && (oneHot || p.distinct <= this.choice.maxCategories);
    return html`<tr class=${isLabel ? 'label' : ''}>
      <td class="name">${p.name} ${isLabel ? html`<span class="flag">label</span>` : nothing}</td>
      <td>${columnSummary(p)}</td>
      <td class="box"><input type="checkbox" aria-label="Use as feature: ${p.name}" .checked=${live(used)} ?disabled=${isLabel}
        @change=${(e: Event) => this.raise(withFeatures(this.choice, this.profiles, [p.name], (e.target as HTMLInputElement).checked))} /></td>
      <td class="box">${p.type === 'empty' || isLabel // the label is no input: it is never one-hot encoded
        ? nothing
        : html`<input type="checkbox" aria-label="Categorical: ${p.name}" .checked=${live(p.type === 'categorical' || oneHot)} ?disabled=${!mayBeCategorical}
            @change=${(e: Event) => this.raise(withCategorical(this.choice, p.name, (e.target as HTMLInputElement).checked))} />`}</td>
    </tr>`;
  }

  private setFilter(text: string) {
    this.filter = text;
    this.limit = PICKER_PAGE;
  }

  private raise(choice: TableChoice) {
    this.dispatchEvent(new CustomEvent<TableChoice>('table-choice', { detail: choice, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-column-picker': TlColumnPicker;
  }
  interface HTMLElementEventMap {
    'table-choice': CustomEvent<TableChoice>;
  }
}
