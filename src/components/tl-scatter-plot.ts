import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { classColor } from '../palette';
import { styleProps } from './style-props';

/** Scatter plot of a 2-D dataset, one colour per class, drawn on a canvas. */
@customElement('tl-scatter-plot')
export class TlScatterPlot extends LitElement {
  static styles = css`
    :host { display: inline-block; }
    canvas { width: 260px; height: 260px; border: 1px solid #e4e8ec; border-radius: 4px; background: #fff; }
    .legend { display: flex; flex-wrap: wrap; gap: 8px; font-size: 0.8rem; margin-top: 4px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 3px; }
  `;

  @property({ attribute: false }) features: Float32Array = new Float32Array();
  @property({ attribute: false }) labels: Int32Array = new Int32Array();
  @property({ attribute: false }) classNames: string[] = [];

  @query('canvas') private canvas!: HTMLCanvasElement;

  render() {
    return html`<canvas width="520" height="520" role="img" aria-label="Scatter plot of the dataset, coloured by class"></canvas>
      <div class="legend">
        ${this.classNames.map((n, i) => html`<span><span class="swatch" ${styleProps({ background: classColor(i) })}></span>${n}</span>`)}
      </div>`;
  }

  protected updated(_changed: PropertyValues) {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    ctx.clearRect(0, 0, width, height);
    const n = this.labels.length;
    if (n === 0) return;
    let lim = 0;
    for (let i = 0; i < n * 2; i++) lim = Math.max(lim, Math.abs(this.features[i]));
    const scale = (width / 2 - 12) / (lim || 1);
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = classColor(this.labels[i]);
      ctx.beginPath();
      ctx.arc(width / 2 + this.features[2 * i] * scale, height / 2 - this.features[2 * i + 1] * scale, 3.5, 0, Math.PI * 2);
      ctx.fill();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-scatter-plot': TlScatterPlot;
  }
}
