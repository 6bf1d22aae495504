import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { planArchitecture } from '../training/architecture';
import { validateModelSpec, validateRatios, validateSynthetic, validateTrainConfig, type FieldErrors } from '../training/config';
import { loadDataset } from '../training/datasets/index';
import { confusionMatrix, perClassMetrics } from '../training/metrics';
import { splitDataset } from '../training/split';
import type { Dataset, DatasetSplit, ModelSpec, TestResult } from '../training/types';
import { SYNTHETIC_DATASETS } from '../training/types';
import { parseLabState, selectedModel, serializeLabState, type LabState } from '../url-state';
import { SERIES_COLORS } from '../palette';
import { TrainingSession } from './training-session';
import type { DatasetChange } from './tl-dataset-panel';
import type { ModelChange } from './tl-model-panel';
import './tl-dataset-panel';
import './tl-hyperparams-panel';
import './tl-live-chart';
import './tl-model-panel';
import './tl-results-panel';
import './tl-train-controls';

const isSynthetic = (id: string) => (SYNTHETIC_DATASETS as readonly string[]).includes(id);

/** The lab: state in the URL, panels wired to the dataset loader, the planner and the training session. */
@customElement('tl-app')
export class TlApp extends LitElement {
  static styles = css`
    :host { display: block; max-width: 1400px; margin: 0 auto; padding: 12px 16px 40px; }
    header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
    h1 { font-size: 1.4rem; margin: 4px 0 12px; }
    .tagline { color: #5b6570; font-size: 0.9rem; }
    .layout { display: grid; grid-template-columns: minmax(340px, 5fr) 7fr; gap: 12px; align-items: start; }
    .column { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
    .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px; }
    .notices { color: #8a5a00; font-size: 0.85rem; }
    @media (max-width: 900px) { .layout, .charts { grid-template-columns: 1fr; } }
  `;

  @state() private lab: LabState;
  private readonly urlNotices: string[];
  private readonly session = new TrainingSession(this);
  private split?: DatasetSplit;
  private splitError = '';
  private autostarted = false;
  private results?: { test: TestResult; cm: number[][]; report: ReturnType<typeof perClassMetrics> };

  private readonly datasetTask = new Task(this, {
    task: ([id, synthetic]) => loadDataset(id, synthetic),
    args: () => [this.lab.dataset, this.lab.synthetic] as const,
  });

  constructor() {
    super();
    const { state, errors } = parseLabState(location.search);
    this.lab = state;
    this.urlNotices = errors;
  }

  private update_(patch: Partial<LabState>) {
    this.lab = { ...this.lab, ...patch };
  }

  protected willUpdate(changed: PropertyValues) {
    if (changed.has('lab')) history.replaceState(null, '', serializeLabState({ ...this.lab, autostart: false }) + location.hash);
    this.recomputeSplit();
  }

  private lastSplitKey = '';
  private recomputeSplit() {
    const ds = this.datasetTask.value;
    const key = ds ? `${ds.source}|${JSON.stringify(this.lab.ratios)}|${this.lab.config.seed}` : '';
    if (key === this.lastSplitKey) return;
    this.lastSplitKey = key;
    this.split = undefined;
    this.splitError = '';
    if (!ds || Object.keys(validateRatios(this.lab.ratios)).length) return;
    try {
      this.split = splitDataset(ds, this.lab.ratios, this.lab.config.seed, { standardize: ds.kind === 'tabular' });
    } catch (e) {
      this.splitError = (e as Error).message;
    }
  }

  private get model(): ModelSpec {
    return selectedModel(this.lab);
  }

  private fieldErrors(ds?: Dataset): { dataset: FieldErrors; model: FieldErrors; config: FieldErrors } {
    const synthetic = isSynthetic(this.lab.dataset) ? validateSynthetic(this.lab.synthetic) : {};
    const ratios = validateRatios(this.lab.ratios);
    const dataset: FieldErrors = { ...synthetic, ...(synthetic.seed ? { dseed: synthetic.seed } : {}) };
    const splitMsg = ratios.sum ?? ratios.train ?? ratios.val ?? ratios.test ?? this.splitError;
    if (splitMsg) dataset.split = splitMsg;
    const model = ds ? validateModelSpec(this.model, ds.kind, ds.name, ds.inputShape.length === 1 ? ds.inputShape[0] : undefined) : {};
    return { dataset, model, config: validateTrainConfig(this.lab.config) };
  }

  private architecture(ds: Dataset | undefined, modelErrors: FieldErrors) {
    if (!ds || Object.keys(modelErrors).length) return { layers: [], totalParams: 0, problem: modelErrors.kind ?? '' };
    try {
      return { ...planArchitecture(this.model, ds.inputShape, ds.classNames.length), problem: '' };
    } catch (e) {
      return { layers: [], totalParams: 0, problem: (e as Error).message };
    }
  }

  private startTraining() {
    if (!this.split) return;
    this.results = undefined;
    this.session.start(this.split, this.model, this.lab.config);
  }

  private testResults() {
    const test = this.session.test;
    if (!test) return undefined;
    if (this.results?.test !== test) {
      const cm = confusionMatrix(test.yTrue, test.yPred, this.session.classNames.length);
      this.results = { test, cm, report: perClassMetrics(cm, this.session.classNames) };
    }
    return this.results;
  }

  protected updated() {
    if (this.lab.autostart && !this.autostarted && this.split && this.canTrain()) {
      this.autostarted = true;
      this.startTraining();
    }
  }

  private canTrain(): boolean {
    const ds = this.datasetTask.value;
    const errors = this.fieldErrors(ds);
    const arch = this.architecture(ds, errors.model);
    return !!this.split && !arch.problem && [errors.dataset, errors.model, errors.config].every((e) => Object.keys(e).length === 0);
  }

  render() {
    const ds = this.datasetTask.value;
    const errors = this.fieldErrors(ds);
    const arch = this.architecture(ds, errors.model);
    const s = this.session;
    const epochs = s.history.map((h) => h.epoch);
    const canTrain = this.canTrain();
    const results = this.testResults();
    return html`<header>
        <h1>TrainLab</h1>
        <span class="tagline">Train a classifier on your own GPU, in this tab. Your data never leaves the browser.</span>
      </header>
      ${this.urlNotices.length ? html`<p class="notices">${this.urlNotices.join(' · ')}</p>` : nothing}
      <div class="layout">
        <div class="column">
          <tl-dataset-panel
            .datasetId=${this.lab.dataset}
            .synthetic=${this.lab.synthetic}
            .ratios=${this.lab.ratios}
            .errors=${errors.dataset}
            .data=${ds}
            .split=${this.split}
            .loading=${this.datasetTask.status === 1}
            .loadError=${this.datasetTask.status === 3 ? String((this.datasetTask.error as Error)?.message ?? this.datasetTask.error) : ''}
            @dataset-change=${(e: CustomEvent<DatasetChange>) => this.update_(e.detail)}
          ></tl-dataset-panel>
          <tl-model-panel
            .kind=${this.lab.model}
            .mlp=${this.lab.mlp}
            .cnn=${this.lab.cnn}
            .errors=${errors.model}
            .layers=${arch.layers}
            .totalParams=${arch.totalParams}
            .problem=${arch.problem}
            @model-change=${(e: CustomEvent<ModelChange>) =>
              this.update_({ ...(e.detail.kind ? { model: e.detail.kind } : {}), ...(e.detail.mlp ? { mlp: e.detail.mlp } : {}), ...(e.detail.cnn ? { cnn: e.detail.cnn } : {}) })}
          ></tl-model-panel>
          <tl-hyperparams-panel .config=${this.lab.config} .errors=${errors.config} @config-change=${(e: CustomEvent) => this.update_({ config: e.detail })}></tl-hyperparams-panel>
        </div>
        <div class="column">
          <tl-train-controls
            .canTrain=${canTrain && !s.running}
            .blockedReason=${canTrain || s.running ? '' : 'Fix the highlighted settings to train.'}
            .phase=${s.phase}
            .message=${s.message}
            .progress=${s.progress}
            .backend=${s.backend}
            @train-start=${() => this.startTraining()}
            @train-stop=${() => s.stop()}
          ></tl-train-controls>
          <div class="charts">
            <tl-live-chart chartTitle="Loss" yLabel="cross-entropy" .epochs=${epochs}
              .series=${[
                { label: 'train', color: SERIES_COLORS.train, values: s.history.map((h) => h.trainLoss) },
                { label: 'validation', color: SERIES_COLORS.val, values: s.history.map((h) => h.valLoss), dash: [6, 4] },
              ]}></tl-live-chart>
            <tl-live-chart chartTitle="Accuracy" yLabel="accuracy (%)" .epochs=${epochs}
              .series=${[
                { label: 'train', color: SERIES_COLORS.train, values: s.history.map((h) => h.trainAcc) },
                { label: 'validation', color: SERIES_COLORS.val, values: s.history.map((h) => h.valAcc), dash: [6, 4] },
              ]}></tl-live-chart>
          </div>
          ${results
            ? html`<tl-results-panel .testLoss=${results.test.loss} .report=${results.report} .confusion=${results.cm} .classNames=${s.classNames}
                .note=${s.bestEpoch ? `Best validation epoch: ${s.bestEpoch}.` : ''}></tl-results-panel>`
            : nothing}
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-app': TlApp;
  }
}
