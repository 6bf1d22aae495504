import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PlanePoints } from '../app/try-it-data';
import { classColor } from '../palette';

const SIZE = 240;
const PAD = 4;

/** A 2-D set's points on its plane; a click raises `plane-pick` with the point's coordinates, which is marked. */
@customElement('tl-try-it-plane')
export class TlTryItPlane extends LitElement {
  static styles = css`
    :host { display: inline-block; }
    svg { width: ${SIZE}px; height: ${SIZE}px; border: 1px solid #d8dee4; border-radius: 4px; background: #fff; cursor: crosshair; }
  `;

  @property({ attribute: false }) plane: PlanePoints | null = null;
  @property({ attribute: false }) picked: [number, number] | null = null;

  private sx(v: number) {
    const [lo, hi] = this.plane!.bounds.x;
    return PAD + ((v - lo) / (hi - lo)) * (SIZE - 2 * PAD);
  }
  private sy(v: number) {
    const [lo, hi] = this.plane!.bounds.y;
    return SIZE - PAD - ((v - lo) / (hi - lo)) * (SIZE - 2 * PAD);
  }

  render() {
    const p = this.plane;
    if (!p) return nothing;
    const pick = this.picked;
    return html`<svg viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="The dataset's plane: click a point to see its class probabilities" @click=${this.onClick}>
      ${p.x.map((x, i) => svg`<circle cx=${this.sx(x)} cy=${this.sy(p.y[i])} r="2.2" fill=${classColor(p.label[i])} fill-opacity="0.55"></circle>`)}
      ${pick ? svg`<g role="img" aria-label="the chosen point (${pick[0]}, ${pick[1]})"><circle cx=${this.sx(pick[0])} cy=${this.sy(pick[1])} r="6" fill="none" stroke="#000" stroke-width="2"></circle>
        <circle cx=${this.sx(pick[0])} cy=${this.sy(pick[1])} r="1.5" fill="#000"></circle></g>` : nothing}
    </svg>`;
  }

  private readonly onClick = (e: MouseEvent) => {
    const p = this.plane;
    if (!p) return;
    const r = (e.currentTarget as SVGElement).getBoundingClientRect();
    const fx = ((e.clientX - r.left) / r.width) * SIZE;
    const fy = ((e.clientY - r.top) / r.height) * SIZE;
    const [xl, xh] = p.bounds.x;
    const [yl, yh] = p.bounds.y;
    const x = xl + ((fx - PAD) / (SIZE - 2 * PAD)) * (xh - xl);
    const y = yl + ((SIZE - PAD - fy) / (SIZE - 2 * PAD)) * (yh - yl);
    const round = (v: number) => Number(v.toPrecision(4));
    this.dispatchEvent(new CustomEvent<[number, number]>('plane-pick', { detail: [round(x), round(y)], bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-try-it-plane': TlTryItPlane;
  }
}
