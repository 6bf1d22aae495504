import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { isSyntheticDataset, type Dataset, type DatasetId, type DatasetSplit, type SplitRatios, type SyntheticOptions } from '../training/types';
import { classCounts } from '../training/split';
import { datasetPoints, toPlane, type PlaneTransform, type PlotPoints } from '../training/decision-boundary';
import type { BoundaryGrid } from '../training/learned-types';
import { numberField, selectField } from './fields';
import { panelStyles } from './shared-styles';
import type { OwnDataView } from './tl-own-data-panel';
import './tl-digit-grid';
import './tl-scatter-plot';
import { Memo } from '../compare/memo';

export interface DatasetChange {
  dataset?: DatasetId;
  synthetic?: SyntheticOptions;
  ratios?: SplitRatios;
}

const DATASET_OPTIONS: { value: DatasetId; label: string }[] = [
  { value: 'spirals', label: 'Spirals (2-D)' },
  { value: 'moons', label: 'Moons (2-D)' },
  { value: 'circles', label: 'Circles (2-D)' },
  { value: 'xor', label: 'XOR (2-D)' },
  { value: 'blobs', label: 'Gaussian blobs (2-D)' },
  { value: 'iris', label: 'Iris (150 flowers)' },
  { value: 'mnist', label: 'MNIST digits (10k)' },
  { value: 'file', label: 'Your data (table or images)' },
];

/** Samples per class of a whole dataset, counted once per dataset rather than on every render. */
const countsOf = new WeakMap<Dataset, number[]>();
function datasetClassCounts(ds: Dataset): number[] {
  let counts = countsOf.get(ds);
  if (!counts) countsOf.set(ds, (counts = classCounts(ds.labels, ds.classNames.length)));
  return counts;
}

/** Dataset choice, synthetic options, split ratios, and a look at the data and its split. */
@customElement('tl-dataset-panel')
export class TlDatasetPanel extends LitElement {
  static styles = [
    panelStyles,
    css`
      .preview { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 8px; align-items: flex-start; }
      /* The dataset's name is the longest option ("Your data (table or images)"): two columns show it whole. */
      .fields > label:first-child { grid-column: span 2; }
      /* A source may hold a 64-digit SHA-256: break it rather than run out of the card. */
      .info { overflow-wrap: anywhere; }
    `,
  ];

  @property() datasetId: DatasetId = 'spirals';
  @property({ attribute: false }) synthetic!: SyntheticOptions;
  @property({ attribute: false }) ratios!: SplitRatios;
  @property({ attribute: false }) errors: Record<string, string> = {};
  @property({ attribute: false }) data?: Dataset;
  @property({ attribute: false }) split?: DatasetSplit;
  @property() loadError = '';
  @property({ type: Boolean }) loading = false;
  /** A person's own data (datasetId 'file'). */
  @property({ attribute: false }) own?: OwnDataView;
  /** A 2-feature model's latest decision boundary over this data, drawn under the scatter plot's points. */
  @property({ attribute: false }) boundary?: BoundaryGrid;
  /** After a test: each test row's predicted class (in split.test's order), to ring the misclassified ones. */
  @property({ attribute: false }) testPredicted?: Int32Array | null;
  /** A person's own 2-feature table: how its rows (as the model sees them) go back to the file's units; its scatter plot shows then. */
  @property({ attribute: false }) ownPlane?: PlaneTransform | null;
  /** The scatter plot's points, made again only when the data, the split or the predictions change. */
  private readonly memo = new Memo();

  render() {
    const synthetic = isSyntheticDataset(this.datasetId);
    const s = this.synthetic;
    const r = this.ratios;
    return html`<section class="card" aria-label="Dataset">
      <h2>Dataset</h2>
      <div class="fields">
        ${selectField({ label: 'Dataset', name: 'dataset', value: this.datasetId, options: DATASET_OPTIONS, onValue: (dataset) => this.raise({ dataset }) })}
        ${synthetic
          ? html`${numberField({ label: 'Samples', name: 'samples', value: s.samples, step: '1', error: this.errors.samples, onValue: (samples) => this.raise({ synthetic: { ...s, samples } }) })}
            ${numberField({ label: 'Noise', name: 'noise', value: s.noise, step: '0.05', error: this.errors.noise, onValue: (noise) => this.raise({ synthetic: { ...s, noise } }) })}
            ${this.datasetId === 'spirals' || this.datasetId === 'blobs'
              ? numberField({ label: 'Classes', name: 'classes', value: s.classes, step: '1', error: this.errors.classes, onValue: (classes) => this.raise({ synthetic: { ...s, classes } }) })
              : nothing}
            ${numberField({ label: 'Data seed', name: 'dseed', value: s.seed, step: '1', error: this.errors.dseed, onValue: (seed) => this.raise({ synthetic: { ...s, seed } }) })}`
          : nothing}
        ${numberField({ label: 'Train ratio', name: 'train', value: r.train, step: '0.05', onValue: (train) => this.raise({ ratios: { ...r, train } }) })}
        ${numberField({ label: 'Validation ratio', name: 'val', value: r.val, step: '0.05', onValue: (val) => this.raise({ ratios: { ...r, val } }) })}
        ${numberField({ label: 'Test ratio', name: 'test', value: r.test, step: '0.05', error: this.errors.split, onValue: (test) => this.raise({ ratios: { ...r, test } }) })}
      </div>
      ${this.datasetId === 'file' ? this.renderOwn() : nothing}
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      ${this.loading ? html`<p class="muted">Loading ${this.datasetId}…</p>` : nothing}
      ${this.data && !this.loading ? this.renderInfo(this.data) : nothing}
    </section>`;
  }

  /** The own-data panel's code loads the first time it is shown: the Lab's first load stays small. */
  private ownLoaded = false;
  private ownError = '';
  private renderOwn() {
    if (!this.ownLoaded && !this.ownError) {
      import('./tl-own-data-panel').then(
        () => ((this.ownLoaded = true), this.requestUpdate()),
        (e: Error) => ((this.ownError = `The panel for your data could not load: ${e.message}`), this.requestUpdate()),
      );
    }
    if (this.ownError) return html`<p class="error" role="alert">${this.ownError}</p>`;
    return html`<tl-own-data-panel .view=${this.own}></tl-own-data-panel>`;
  }

  private renderInfo(ds: Dataset) {
    const counts = datasetClassCounts(ds);
    const split = this.split;
    return html`<p class="muted info">${ds.name}: ${ds.numSamples.toLocaleString('en-US')} samples, ${ds.classNames.length} classes, input shape [${ds.inputShape.join('×')}]. Source: ${ds.source}</p>
      <table aria-label="Class distribution">
        <thead><tr><th>class</th><th>all</th>${split ? html`<th>train</th><th>validation</th><th>test</th>` : nothing}</tr></thead>
        <tbody>
          ${ds.classNames.map(
            (name, c) => html`<tr><td>${name}</td><td>${counts[c]}</td>${split
              ? html`<td>${split.train.classCounts[c]}</td><td>${split.val.classCounts[c]}</td><td>${split.test.classCounts[c]}</td>`
              : nothing}</tr>`,
          )}
        </tbody>
        ${split
          ? html`<tfoot><tr><td>total</td><td>${ds.numSamples}</td><td>${split.train.n}</td><td>${split.val.n}</td><td>${split.test.n}</td></tr></tfoot>`
          : nothing}
      </table>
      ${ds.id === 'file' && !this.ownPlane ? nothing : html`<div class="preview">${this.renderPreview(ds)}</div>`}`;
  }

  private renderPreview(ds: Dataset) {
    if (ds.kind === 'image') {
      return html`<tl-digit-grid .features=${ds.features} .labels=${ds.labels} .imageShape=${ds.inputShape} .numClasses=${ds.classNames.length}></tl-digit-grid>`;
    }
    if (ds.inputShape[0] === 2) {
      return html`<tl-scatter-plot .points=${this.plotPoints(ds)} .grid=${this.boundary} .classNames=${ds.classNames}></tl-scatter-plot>`;
    }
    const f = ds.inputShape[0];
    const rows = Array.from({ length: Math.min(5, ds.numSamples) }, (_, i) => i);
    return html`<table aria-label="First rows">
      <thead><tr><th>#</th>${Array.from({ length: f }, (_, j) => html`<th>x${j + 1}</th>`)}<th>class</th></tr></thead>
      <tbody>${rows.map((i) => html`<tr><td>${i + 1}</td>${Array.from({ length: f }, (_, j) => html`<td>${ds.features[i * f + j].toFixed(2)}</td>`)}<td>${ds.classNames[ds.labels[i]]}</td></tr>`)}</tbody>
    </table>`;
  }

  private plotPoints(ds: Dataset): PlotPoints {
    const plane = ds.id === 'file' ? this.ownPlane : null;
    return this.memo.get('points', [ds, this.split, this.testPredicted, plane], () => {
      const features = plane ? toPlane(ds.features, plane) : ds.features; // own tables: back in the file's units
      return datasetPoints(features, ds.labels, this.split, this.testPredicted);
    });
  }

  private raise(detail: DatasetChange) {
    this.dispatchEvent(new CustomEvent<DatasetChange>('dataset-change', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-dataset-panel': TlDatasetPanel;
  }
  interface HTMLElementEventMap {
    'dataset-change': CustomEvent<DatasetChange>;
  }
}
