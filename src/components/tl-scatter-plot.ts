import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { classColor } from '../palette';
import { misclassified, pointsExtent, type PlaneExtent, type PlotPoints } from '../training/decision-boundary';
import { boundaryRgba } from '../training/decision-boundary-image';
import type { BoundaryGrid } from '../training/learned-types';
import { styleProps } from './style-props';

const PAD = 6; // px of the canvas around the plane

/**
 * Scatter plot of a 2-D dataset, one colour per class, drawn on a canvas; with a model's decision
 * boundary (`grid`) under the points: the predicted class's colour, lighter where it is less sure.
 * Train points are filled circles, validation points small squares, test points hollow triangles;
 * a misclassified test point is ringed.
 */
@customElement('tl-scatter-plot')
export class TlScatterPlot extends LitElement {
  static styles = css`
    :host { display: inline-block; max-width: 100%; }
    canvas { width: 260px; height: 260px; border: 1px solid #e4e8ec; border-radius: 4px; background: #fff; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 0.8rem; margin-top: 4px; max-width: 262px; align-items: center; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 3px; }
    .mark { font-size: 0.9rem; margin-right: 2px; color: #333; }
    .note { flex-basis: 100%; color: #555; }
  `;

  @property({ attribute: false }) points?: PlotPoints;
  @property({ attribute: false }) classNames: string[] = [];
  /** The model's map over the plane, when there is one: its extent is the plot's. */
  @property({ attribute: false }) grid?: BoundaryGrid;

  @query('canvas') private canvas!: HTMLCanvasElement;
  /** The map's pixels, kept between draws of the same grid. */
  private mapImage?: { grid: BoundaryGrid; canvas: HTMLCanvasElement };

  render() {
    const parts = !!this.points?.part;
    const label = `Scatter plot of the dataset, coloured by class${this.grid ? `, over the model's decision boundary after epoch ${this.grid.epoch}` : ''}`;
    return html`<canvas width="520" height="520" role="img" aria-label=${label}></canvas>
      <div class="legend">
        ${this.classNames.map((n, i) => html`<span><span class="swatch" ${styleProps({ background: classColor(i) })}></span>${n}</span>`)}
        ${parts
          ? html`<span><span class="mark">●</span>train</span><span><span class="mark">■</span>validation</span><span><span class="mark">△</span>test</span>${this.grid
              ? html`<span><span class="mark">◯</span>misclassified test point (ringed)</span>`
              : nothing}`
          : nothing}
        ${this.grid
          ? html`<span class="note">Shading: the class the model predicts (epoch ${this.grid.epoch}), lighter where it is less sure.</span>`
          : nothing}
      </div>`;
  }

  protected updated(_changed: PropertyValues) {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    ctx.clearRect(0, 0, width, height);
    const p = this.points;
    if (!p || p.label.length === 0) return;
    const extent: PlaneExtent = this.grid ?? pointsExtent(p.x, p.y);
    const sx = (x: number) => PAD + ((x - extent.xMin) / (extent.xMax - extent.xMin)) * (width - 2 * PAD);
    const sy = (y: number) => height - PAD - ((y - extent.yMin) / (extent.yMax - extent.yMin)) * (height - 2 * PAD);
    if (this.grid) ctx.drawImage(this.mapCanvas(this.grid), PAD, PAD, width - 2 * PAD, height - 2 * PAD);
    ctx.lineWidth = 1.5;
    for (let i = 0; i < p.label.length; i++) drawPoint(ctx, p.part?.[i] ?? 0, sx(p.x[i]), sy(p.y[i]), classColor(p.label[i]));
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = 1.8;
    for (let i = 0; i < p.label.length; i++) {
      if (!misclassified(p, i, this.grid)) continue;
      ctx.beginPath();
      ctx.arc(sx(p.x[i]), sy(p.y[i]), 8, 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  /** The grid as a size × size image (putImageData once per grid), which drawImage scales onto the plot. */
  private mapCanvas(grid: BoundaryGrid): HTMLCanvasElement {
    if (this.mapImage?.grid === grid) return this.mapImage.canvas;
    const canvas = this.mapImage?.canvas ?? document.createElement('canvas');
    canvas.width = canvas.height = grid.size;
    canvas.getContext('2d')!.putImageData(new ImageData(boundaryRgba(grid, this.classNames.length), grid.size, grid.size), 0, 0);
    this.mapImage = { grid, canvas };
    return canvas;
  }
}

/** Train: a filled circle; validation: a small filled square; test: a hollow triangle. */
function drawPoint(ctx: CanvasRenderingContext2D, part: number, x: number, y: number, color: string): void {
  ctx.fillStyle = color;
  ctx.strokeStyle = color;
  ctx.beginPath();
  if (part === 0) {
    ctx.arc(x, y, 3.5, 0, Math.PI * 2);
    ctx.fill();
  } else if (part === 1) {
    ctx.fillRect(x - 3, y - 3, 6, 6);
  } else {
    ctx.moveTo(x, y - 5);
    ctx.lineTo(x + 4.5, y + 3.5);
    ctx.lineTo(x - 4.5, y + 3.5);
    ctx.closePath();
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.stroke();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-scatter-plot': TlScatterPlot;
  }
}
