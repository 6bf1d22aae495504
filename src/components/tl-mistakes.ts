import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { mistakeCaption, mistakesOfCell, sampleOf, sampleRow, sortMistakes, type ConfidenceOrder, type ConfusionCell, type Mistake, type MistakesGallery } from '../app/mistakes';
import { buttonStyles, panelStyles } from './shared-styles';
import { sampleImageData } from './tl-image-samples';
import { Memo } from '../compare/memo';

/** Thumbnails (or table rows) shown at first, and added per "Show more". */
export const MISTAKES_PAGE = 60;
/** A table's feature columns shown at most. */
const MAX_FEATURE_COLUMNS = 16;

/**
 * The misclassified test rows: for images, thumbnails captioned "true → predicted (confidence %)";
 * for tables, the rows' feature values. Sorted by confidence; `cell` (a confusion-matrix cell the
 * results panel chose) filters them, and "Show all" raises `mistakes-cell` with null to clear it.
 */
@customElement('tl-mistakes')
export class TlMistakes extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      .bar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; font-size: 0.85rem; }
      .bar button { padding: 2px 10px; font-size: 0.85rem; }
      ul.thumbs { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(92px, 1fr)); gap: 8px; }
      figure { margin: 0; text-align: center; }
      canvas { width: 64px; height: 64px; image-rendering: pixelated; border: 1px solid #e4e8ec; border-radius: 3px; }
      figcaption { font-size: 0.75rem; overflow-wrap: anywhere; }
      .scroll { overflow: auto; max-height: 420px; }
    `,
  ];

  @property({ attribute: false }) gallery: MistakesGallery | null = null;
  @property({ attribute: false }) classNames: string[] = [];
  @property({ attribute: false }) cell: ConfusionCell | null = null;
  @state() private order: ConfidenceOrder = 'most-confident';
  @state() private limit = MISTAKES_PAGE;
  private readonly memo = new Memo();

  private get shown(): Mistake[] {
    return this.memo.get('shown', [this.gallery, this.cell, this.order], () => sortMistakes(mistakesOfCell(this.gallery?.mistakes ?? [], this.cell), this.order));
  }

  protected willUpdate(changed: Map<string, unknown>) {
    if (changed.has('cell') || changed.has('gallery')) this.limit = MISTAKES_PAGE;
  }

  render() {
    const g = this.gallery;
    if (!g) return nothing;
    const list = this.shown;
    const name = (c: number) => this.classNames[c] ?? String(c);
    const cell = this.cell;
    const what = cell ? `true ${name(cell.trueClass)}, predicted ${name(cell.predicted)}` : 'all classes';
    return html`<section aria-label="Misclassified test rows">
      <h3>Misclassified test ${g.samples?.kind === 'tabular' ? 'rows' : 'images'}</h3>
      ${g.unavailable
        ? html`<p class="muted" role="status">${g.unavailable}</p>`
        : html`<div class="bar">
              <span role="status" data-testid="mistakes-count">${list.length.toLocaleString('en-US')} of ${g.mistakes.length.toLocaleString('en-US')} mistakes (${what})</span>
              <label class="checkbox">Sort
                <select aria-label="Sort by confidence" .value=${this.order} @change=${(e: Event) => (this.order = (e.target as HTMLSelectElement).value as ConfidenceOrder)}>
                  <option value="most-confident">most confident first</option>
                  <option value="least-confident">least confident first</option>
                </select></label>
              ${cell ? html`<button class="secondary" @click=${() => this.clearCell()}>Show all</button>` : nothing}
            </div>
            ${list.length === 0 ? html`<p class="muted">${cell && cell.trueClass === cell.predicted ? 'This cell holds the correct predictions: no mistakes.' : 'No mistakes here.'}</p>` : this.renderList(list.slice(0, this.limit))}
            ${list.length > this.limit ? html`<button class="secondary" @click=${() => (this.limit += MISTAKES_PAGE)}>Show more (${(list.length - this.limit).toLocaleString('en-US')} left)</button>` : nothing}`}
    </section>`;
  }

  private renderList(list: Mistake[]) {
    const s = this.gallery!.samples!;
    if (s.kind === 'image') {
      const [h, w] = s.inputShape;
      return html`<ul class="thumbs">${list.map((m) => html`<li><figure data-testid="mistake">
          <canvas data-row=${sampleRow(s, m)} width=${w} height=${h} aria-hidden="true"></canvas>
          <figcaption>${mistakeCaption(m, this.classNames)}</figcaption></figure></li>`)}</ul>`;
    }
    const d = s.inputShape.reduce((a, b) => a * b, 1);
    const shownCols = Math.min(d, MAX_FEATURE_COLUMNS);
    const names = Array.from({ length: shownCols }, (_, i) => s.featureNames?.[i] ?? `x${i + 1}`);
    return html`<div class="scroll"><table aria-label="Misclassified test rows">
        <thead><tr><th>test row</th><th>true → predicted (confidence)</th>${names.map((n) => html`<th>${n}</th>`)}${d > shownCols ? html`<th>…</th>` : nothing}</tr></thead>
        <tbody>${list.map((m) => {
          const x = sampleOf(s, m);
          return html`<tr data-testid="mistake"><td>${m.position}</td><td>${mistakeCaption(m, this.classNames)}</td>${names.map((_, i) => html`<td>${x ? Number(x[i].toPrecision(4)) : '–'}</td>`)}${d > shownCols ? html`<td>${d - shownCols} more</td>` : nothing}</tr>`;
        })}</tbody>
      </table></div>${d > shownCols ? html`<p class="muted">The first ${shownCols} of ${d} features are shown.</p>` : nothing}`;
  }

  protected updated() {
    const s = this.gallery?.samples;
    if (!s || s.kind !== 'image') return;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-row]')) {
      const row = Number(canvas.dataset.row); // sampleRow's: -1 when the row is not in the features
      if (row < 0) continue;
      canvas.getContext('2d')?.putImageData(sampleImageData(s.features, row, s.inputShape, s.invert), 0, 0);
    }
  }

  private clearCell() {
    this.dispatchEvent(new CustomEvent<ConfusionCell | null>('mistakes-cell', { detail: null, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-mistakes': TlMistakes;
  }
  interface HTMLElementEventMap {
    'mistakes-cell': CustomEvent<ConfusionCell | null>;
  }
}
