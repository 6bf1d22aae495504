// The Lab's scatter plot with a decision boundary: the map under the points (one image, scaled),
// parts marked and the legend saying so; a person's own 2-feature table shown in its own units.
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-scatter-plot';
import '../../src/components/tl-dataset-panel';
import type { TlScatterPlot } from '../../src/components/tl-scatter-plot';
import type { TlDatasetPanel } from '../../src/components/tl-dataset-panel';
import { datasetPoints, gridFromProbabilities } from '../../src/training/decision-boundary';
import { splitDataset } from '../../src/training/split';
import type { Dataset } from '../../src/training/types';

function data(id: Dataset['id'] = 'blobs'): Dataset {
  const n = 40;
  const features = Float32Array.from({ length: 2 * n }, (_, j) => (j % 2 === 0 ? (j >> 1) / 10 : Math.sin(j)));
  const labels = Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
  return { id, name: 'two', kind: 'tabular', source: 'test', inputShape: [2], classNames: ['left', 'right'], features, labels, numSamples: n };
}

/** Left half class 0, right half class 1, over x ∈ [−1, 5]. */
const halves = () => {
  const size = 10;
  const probs = new Float32Array(size * size * 2);
  for (let i = 0; i < size * size; i++) probs.set(i % size < size / 2 ? [0.9, 0.1] : [0.1, 0.9], 2 * i);
  return gridFromProbabilities(probs, 2, { xMin: -1, xMax: 5, yMin: -3, yMax: 3 }, size, 4);
};

async function mount<T extends HTMLElement & { updateComplete: Promise<boolean> }>(el: T): Promise<T> {
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const pixel = (canvas: HTMLCanvasElement, x: number, y: number) => [...canvas.getContext('2d')!.getImageData(x, y, 1, 1).data];

describe('tl-scatter-plot with a decision boundary', () => {
  afterEach(() => document.body.replaceChildren());

  it('shades the plane by the predicted class under the points, and the legend says how points are marked', async () => {
    const ds = data();
    const split = splitDataset(ds, { train: 0.5, val: 0.25, test: 0.25 }, 1);
    const plot = document.createElement('tl-scatter-plot') as TlScatterPlot;
    plot.points = datasetPoints(ds.features, ds.labels, split);
    plot.classNames = ds.classNames;
    await mount(plot);
    const canvas = plot.shadowRoot!.querySelector('canvas')!;
    expect(pixel(canvas, 20, 260)[3], 'no map: the background is empty').to.equal(0);
    expect(plot.shadowRoot!.textContent).to.contain('train').and.contain('validation').and.contain('test');
    expect(plot.shadowRoot!.textContent).not.to.contain('misclassified');

    plot.grid = halves();
    await plot.updateComplete;
    const [left, right] = [pixel(canvas, 20, 260), pixel(canvas, 500, 260)];
    // Class 0 is Okabe-Ito blue (#0072B2), class 1 orange (#E69F00): blue dominates left, red right.
    expect(left[2]).to.be.greaterThan(left[0]);
    expect(right[0]).to.be.greaterThan(right[2]);
    expect(canvas.getAttribute('aria-label')).to.contain('after epoch 4');
    expect(plot.shadowRoot!.textContent).to.contain('misclassified test point (ringed)');
  });

  it("a person's own 2-feature table: the scatter plot shows its rows back in the file's units", async () => {
    const ds = data('file');
    const panel = document.createElement('tl-dataset-panel') as TlDatasetPanel;
    Object.assign(panel, { datasetId: 'file', synthetic: { samples: 40, noise: 0, classes: 2, seed: 1 }, ratios: { train: 0.5, val: 0.25, test: 0.25 }, data: ds });
    await mount(panel);
    expect(panel.shadowRoot!.querySelector('tl-scatter-plot'), 'no plane known: no plot').to.equal(null);
    panel.ownPlane = { offset: [100, 0], scale: [10, 1] };
    await panel.updateComplete;
    const plot = panel.shadowRoot!.querySelector('tl-scatter-plot')!;
    expect(plot.points!.x[3]).to.be.closeTo(0.3 * 10 + 100, 1e-5);
  });
});
