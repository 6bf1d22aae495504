import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConfusionCell, MistakesGallery } from '../app/mistakes';
import type { ClassificationMetrics } from '../training/metrics';
import { percentText } from './format';
import { panelStyles } from './shared-styles';
import { styleProps } from './style-props';
import './tl-mistakes';

const frac = (v: number) => v.toFixed(4);

/** Test-set results: loss, accuracy, confusion matrix (count + row %), per-class metrics. */
@customElement('tl-results-panel')
export class TlResultsPanel extends LitElement {
  static styles = [
    panelStyles,
    css`
      .headline { display: flex; gap: 24px; font-size: 1.1rem; margin-bottom: 8px; }
      .headline strong { font-variant-numeric: tabular-nums; }
      .grid { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
      table.cm td { text-align: center; min-width: 46px; line-height: 1.1; padding: 4px; border: 1px solid #fff; }
      table.cm td small { display: block; font-size: 0.7rem; }
      table.cm th { font-weight: 500; }
      .axis { font-size: 0.8rem; color: #5b6570; }
      table.cm td.pick { padding: 0; }
      table.cm td button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 4px; cursor: pointer; text-align: center; }
      table.cm td button:focus-visible { outline: 2px solid #d55e00; outline-offset: -2px; }
      table.cm td button[aria-pressed='true'] { box-shadow: inset 0 0 0 3px #d55e00; }
    `,
  ];

  @property({ type: Number }) testLoss = Number.NaN;
  @property({ attribute: false }) report?: ClassificationMetrics;
  @property({ attribute: false }) confusion: number[][] = [];
  @property({ attribute: false }) classNames: string[] = [];
  @property() note = '';
  /** The misclassified test rows with their data (issue 12): the matrix's cells become buttons that filter them. */
  @property({ attribute: false }) gallery: MistakesGallery | null = null;
  /** The confusion-matrix cell whose test rows the gallery shows; null: all mistakes. */
  @state() private cell: ConfusionCell | null = null;

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has('gallery') || changed.has('confusion')) this.cell = null;
  }

  render() {
    const r = this.report;
    if (!r) return html``;
    return html`<section class="card" aria-label="Test results">
      <h2>Test results</h2>
      <div class="headline">
        <span>Test accuracy: <strong data-testid="test-accuracy">${percentText(r.accuracy)}</strong></span>
        <span>Test loss: <strong>${this.testLoss.toFixed(4)}</strong></span>
      </div>
      ${this.note ? html`<p class="muted">${this.note}</p>` : ''}
      <div class="grid">
        <div>
          <h3>Confusion matrix</h3>
          <div class="axis">rows: true class · columns: predicted class · cell: count (row %)${this.gallery ? ' · choose a cell to see its test rows' : ''}</div>
          ${this.renderConfusion()}
        </div>
        <div>
          <h3>Per-class metrics</h3>
          ${this.renderPerClass(r)}
        </div>
      </div>
      ${this.gallery
        ? html`<tl-mistakes .gallery=${this.gallery} .classNames=${this.classNames} .cell=${this.cell} @mistakes-cell=${(e: CustomEvent<ConfusionCell | null>) => (this.cell = e.detail)}></tl-mistakes>`
        : nothing}
    </section>`;
  }

  private renderConfusion() {
    const cm = this.confusion;
    return html`<table class="cm" aria-label="Confusion matrix">
      <thead><tr><th>true \\ pred</th>${this.classNames.map((n) => html`<th>${n}</th>`)}</tr></thead>
      <tbody>
        ${cm.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0);
          return html`<tr>
            <th scope="row">${this.classNames[i]}</th>
            ${row.map((count, j) => {
              const share = total ? count / total : 0;
              // Blue scale; white text once the cell is dark enough to keep contrast.
              const light = Math.round(97 - share * 62);
              const colours = { background: `hsl(207 70% ${light}%)`, color: light < 60 ? '#fff' : '#1d232b' };
              const pct = `${(share * 100).toFixed(1)}%`;
              const text = html`${count} <small>${pct}</small>`;
              if (!this.gallery) return html`<td ${styleProps(colours)}>${text}</td>`;
              const pressed = this.cell?.trueClass === i && this.cell.predicted === j;
              // The visible text ("12 8.0%") within the name, as WCAG 2.5.3 asks.
              const label = `true ${this.classNames[i]}, predicted ${this.classNames[j]}: ${count} ${pct} of the true class; show these test rows`;
              return html`<td class="pick" ${styleProps(colours)}><button aria-label=${label} aria-pressed=${pressed ? 'true' : 'false'}
                @click=${() => (this.cell = pressed ? null : { trueClass: i, predicted: j })}>${text}</button></td>`;
            })}
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private renderPerClass(r: ClassificationMetrics) {
    const pc = r.per_class;
    return html`<table aria-label="Per-class metrics">
      <thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead>
      <tbody>
        ${pc.class_name.map(
          (name, i) => html`<tr><td>${name}</td><td>${frac(pc.precision[i])}</td><td>${frac(pc.recall[i])}</td><td>${frac(pc.f1[i])}</td><td>${pc.support[i]}</td></tr>`,
        )}
      </tbody>
      <tfoot>
        <tr><td>macro avg</td><td>${frac(r.macro.precision)}</td><td>${frac(r.macro.recall)}</td><td>${frac(r.macro.f1)}</td><td>${sum(pc.support)}</td></tr>
        <tr><td>weighted avg</td><td>${frac(r.weighted.precision)}</td><td>${frac(r.weighted.recall)}</td><td>${frac(r.weighted.f1)}</td><td>${sum(pc.support)}</td></tr>
      </tfoot>
    </table>`;
  }
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-results-panel': TlResultsPanel;
  }
}
