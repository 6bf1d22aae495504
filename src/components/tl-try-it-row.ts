import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TryItField } from '../app/try-it';
import { buttonStyles, panelStyles } from './shared-styles';

/** One field per feature column (numeric or one of its categories); Predict raises `row-submit` with the cells by column name. */
@customElement('tl-try-it-row')
export class TlTryItRow extends LitElement {
  static styles = [panelStyles, buttonStyles, css`form { display: flex; flex-direction: column; gap: 8px; }`];

  @property({ attribute: false }) fields: TryItField[] = [];
  /** Values to show (e.g. the point clicked on a plane), by column. */
  @property({ attribute: false }) values: Record<string, string> = {};
  @state() private typed: Record<string, string> = {};

  protected willUpdate(changed: Map<string, unknown>) {
    if (changed.has('values')) this.typed = { ...this.typed, ...this.values };
    if (changed.has('fields')) this.typed = {};
  }

  render() {
    return html`<form aria-label="A row to predict" @submit=${this.submit}>
      <div class="fields">
        ${this.fields.map(
          (f, i) => html`<label>${f.column}${f.optional ? html` <span class="muted">(may be empty)</span>` : nothing}
            <input name=${f.column} .value=${this.typed[f.column] ?? ''} inputmode=${f.kind === 'numeric' ? 'decimal' : 'text'} list=${f.kind === 'categorical' ? `cats-${i}` : nothing}
              placeholder=${f.kind === 'numeric' ? 'a number' : f.categories.slice(0, 3).join(', ')} @input=${(e: Event) => (this.typed = { ...this.typed, [f.column]: (e.target as HTMLInputElement).value })} />
            ${f.kind === 'categorical' ? html`<datalist id="cats-${i}">${f.categories.map((c) => html`<option value=${c}></option>`)}</datalist>` : nothing}
          </label>`,
        )}
      </div>
      <div><button type="submit">Predict</button></div>
    </form>`;
  }

  private readonly submit = (e: Event) => {
    e.preventDefault();
    const cells = Object.fromEntries(this.fields.map((f) => [f.column, this.typed[f.column] ?? '']));
    this.dispatchEvent(new CustomEvent<Record<string, string>>('row-submit', { detail: cells, bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-try-it-row': TlTryItRow;
  }
}
