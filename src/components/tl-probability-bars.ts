import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { percentages } from '../app/try-it-mode';
import { classColor } from '../palette';
import { styleProps } from './style-props';

/** One labelled bar per class: the model's probability in percent (rounded so that they add up to 100 %), the most likely class first in weight. */
@customElement('tl-probability-bars')
export class TlProbabilityBars extends LitElement {
  static styles = css`
    :host { display: block; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: minmax(2em, max-content) 1fr 4.5em; gap: 3px 8px; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    li { display: grid; grid-column: 1 / -1; grid-template-columns: subgrid; align-items: center; }
    li.top { font-weight: 700; }
    .name { overflow-wrap: anywhere; }
    .track { height: 14px; background: #eef1f4; border-radius: 3px; overflow: hidden; }
    .bar { height: 100%; min-width: 1px; }
    .value { text-align: right; }
  `;

  @property({ attribute: false }) classNames: string[] = [];
  /** One per class; null: nothing predicted yet. */
  @property({ attribute: false }) probabilities: number[] | null = null;

  render() {
    const p = this.probabilities;
    if (!p) return nothing;
    const pct = percentages(p);
    const top = pct.indexOf(Math.max(...pct));
    return html`<ol aria-label="Class probabilities">
      ${this.classNames.map(
        (name, i) => html`<li class=${i === top ? 'top' : ''} aria-label="${name}: ${pct[i].toFixed(1)} %">
          <span class="name">${name}</span>
          <span class="track"><span class="bar" role="presentation" ${styleProps({ display: 'block', width: `${pct[i]}%`, background: classColor(i) })}></span></span>
          <span class="value">${pct[i].toFixed(1)} %</span>
        </li>`,
      )}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-probability-bars': TlProbabilityBars;
  }
}
