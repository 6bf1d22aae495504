import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ClassificationMetrics } from '../training/metrics';
import { percentText } from './format';
import { panelStyles } from './shared-styles';
import { styleProps } from './style-props';

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
    `,
  ];

  @property({ type: Number }) testLoss = Number.NaN;
  @property({ attribute: false }) report?: ClassificationMetrics;
  @property({ attribute: false }) confusion: number[][] = [];
  @property({ attribute: false }) classNames: string[] = [];
  @property() note = '';

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
          <div class="axis">rows: true class · columns: predicted class · cell: count (row %)</div>
          ${this.renderConfusion()}
        </div>
        <div>
          <h3>Per-class metrics</h3>
          ${this.renderPerClass(r)}
        </div>
      </div>
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
            ${row.map((count) => {
              const share = total ? count / total : 0;
              // Blue scale; white text once the cell is dark enough to keep contrast.
              const light = Math.round(97 - share * 62);
              const colours = { background: `hsl(207 70% ${light}%)`, color: light < 60 ? '#fff' : '#1d232b' };
              return html`<td ${styleProps(colours)}>${count}<small>${(share * 100).toFixed(1)}%</small></td>`;
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
