import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';

/** Thumbnails of the first images of each class (grayscale, values in [0, 1]). */
@customElement('tl-digit-grid')
export class TlDigitGrid extends LitElement {
  static styles = css`
    :host { display: block; }
    canvas { image-rendering: pixelated; border: 1px solid #e4e8ec; border-radius: 4px; width: 100%; max-width: 420px; }
  `;

  @property({ attribute: false }) features: Float32Array = new Float32Array();
  @property({ attribute: false }) labels: Int32Array = new Int32Array();
  @property({ attribute: false }) imageShape: number[] = [28, 28, 1];
  @property({ type: Number }) perClass = 6;
  @property({ type: Number }) numClasses = 10;

  @query('canvas') private canvas!: HTMLCanvasElement;

  render() {
    return html`<canvas role="img" aria-label="Sample images, one row per class"></canvas>`;
  }

  protected updated(_changed: PropertyValues) {
    const [h, w] = this.imageShape;
    const rows = this.samplesByClass();
    const cols = this.perClass;
    this.canvas.width = cols * (w + 2);
    this.canvas.height = this.numClasses * (h + 2);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const img = ctx.createImageData(w, h);
    rows.forEach((indices, r) =>
      indices.forEach((sample, c) => {
        const base = sample * h * w;
        for (let p = 0; p < h * w; p++) {
          const v = 255 - Math.round(this.features[base + p] * 255);
          img.data.set([v, v, v, 255], p * 4);
        }
        ctx.putImageData(img, c * (w + 2) + 1, r * (h + 2) + 1);
      }),
    );
  }

  private samplesByClass(): number[][] {
    const rows: number[][] = Array.from({ length: this.numClasses }, () => []);
    for (let i = 0; i < this.labels.length; i++) {
      const row = rows[this.labels[i]];
      if (row && row.length < this.perClass) row.push(i);
    }
    return rows;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-digit-grid': TlDigitGrid;
  }
}
