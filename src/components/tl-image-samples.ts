import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Dataset } from '../training/types';
import { panelStyles } from './shared-styles';
import { sampleRgba } from '../training/datasets/images/sample-rgba';

/** What the grid needs of a data set: samples [h, w, c] (c = 1 or 3, values in [0, 1]) and labels. */
export type ImageSamplesData = Pick<Dataset, 'features' | 'labels' | 'inputShape' | 'classNames'>;

/**
 * Sample `index` of `features` (row-major [h, w, c] floats in [0, 1]; c = 3 is RGB, any other c is
 * drawn from its first channel as gray) as canvas pixels; `invert` draws 1 as black (MNIST ink).
 */
export function sampleImageData(features: Float32Array, index: number, shape: readonly number[], invert = false): ImageData {
  const [h, w] = shape;
  return new ImageData(sampleRgba(features, index, shape, invert), w, h);
}

const imagesText = (n: number) => `${n.toLocaleString('en-US')} image${n === 1 ? '' : 's'}`;

/** Per class: its name, how many images it has, and its first `perClass` images as thumbnails. */
@customElement('tl-image-samples')
export class TlImageSamples extends LitElement {
  static styles = [
    panelStyles,
    css`
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      figure { margin: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; }
      figcaption { min-width: 120px; font-size: 0.85rem; overflow-wrap: anywhere; }
      figcaption .count { display: block; color: #5b6570; font-variant-numeric: tabular-nums; }
      .thumbs { display: flex; flex-wrap: wrap; gap: 4px; }
      canvas { width: 48px; height: 48px; image-rendering: pixelated; border: 1px solid #e4e8ec; border-radius: 3px; }
    `,
  ];

  /** The whole data set (a Dataset will do; `dataset` is HTMLElement's); or set the four below one by one. */
  @property({ attribute: false }) data?: ImageSamplesData;
  @property({ attribute: false }) features: Float32Array = new Float32Array();
  @property({ attribute: false }) labels: Int32Array = new Int32Array();
  @property({ attribute: false }) inputShape: number[] = [28, 28, 1];
  @property({ attribute: false }) classNames: string[] = [];
  @property({ type: Number }) perClass = 8;

  private get shown(): ImageSamplesData {
    return this.data ?? { features: this.features, labels: this.labels, inputShape: this.inputShape, classNames: this.classNames };
  }

  /** Per class, its count and its first samples' indices. */
  private groups(): { name: string; count: number; samples: number[] }[] {
    const { labels, classNames } = this.shown;
    const groups = classNames.map((name) => ({ name, count: 0, samples: [] as number[] }));
    labels.forEach((label, i) => {
      const g = groups[label];
      if (!g) return;
      g.count++;
      if (g.samples.length < this.perClass) g.samples.push(i);
    });
    return groups;
  }

  render() {
    const [h, w] = this.shown.inputShape;
    return html`<ul aria-label="Sample images per class">
      ${this.groups().map(
        (g) => html`<li>
          <figure role="img" aria-label=${`${g.name}: ${imagesText(g.count)}`}>
            <figcaption><span class="name">${g.name}</span> <span class="count">${imagesText(g.count)}</span></figcaption>
            <div class="thumbs">${g.samples.map((i) => html`<canvas data-sample=${i} width=${w} height=${h}></canvas>`)}</div>
          </figure>
        </li>`,
      )}
    </ul>`;
  }

  protected updated() {
    const { features, inputShape } = this.shown;
    const per = inputShape.reduce((a, b) => a * b, 1);
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-sample]')) {
      const index = Number(canvas.dataset.sample);
      if ((index + 1) * per > features.length) continue;
      canvas.getContext('2d')?.putImageData(sampleImageData(features, index, inputShape), 0, 0);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-image-samples': TlImageSamples;
  }
}
