import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { planArchitecture } from '../training/architecture';
import { validateModelSpec, validateRatios, validateSynthetic, validateTrainConfig, type FieldErrors } from '../training/config';
import { LabData, type PreparedData } from '../app/lab-data';
import { labRunInit } from '../app/lab-run-init';
import { ownDataStore } from '../app/own-data';
import { forgetOtherOwnData } from '../app/own-data-keep';
import { listenOwnData, ownDataView } from './own-data-events';
import type { Dataset, DatasetSplit, ModelSpec, TestResult } from '../training/types';
import { isSyntheticDataset } from '../training/types';
import { tablePlane } from '../training/decision-boundary';
import { parseLabState, selectedModel, serializeLabState, type LabState, splitSeedOf } from '../url-state';
import { testBlock } from '../recorder/recorder';
import type { RunRecord, LabRunTest } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { RunAction } from './tl-run-view';
import { TrainingSession } from '../app/training-session';
import { testedWeightsNote } from '../app/tested-weights';
import { dataAccess, freeOtherCheckpoints, prepareContinuation, type DataAccess } from '../app/run-continuation';
import { SweepController, type SweepLab } from '../app/sweep-controller';
import { shownState } from '../app/sweep-definition';
import { hasSweep, type SweepForm } from '../app/sweep-form';
import type { DatasetChange } from './tl-dataset-panel';
import type { ModelChange } from './tl-model-panel';
import './tl-dataset-panel';
import './tl-hyperparams-panel';
import { trainValSeries, type LiveSeries } from './tl-live-chart';
import './tl-model-panel';
import './tl-results-panel';
import './tl-sweep-panel';
import './tl-class-dynamics';
import type { ClassRecallEpoch } from '../training/learned-types';
import { mistakesGallery, samplesFrom, type MistakesGallery } from '../app/mistakes';
import './tl-train-controls';
import './tl-try-it';


/** The lab: state in the URL, panels wired to the dataset loader, the planner and the training session. */
@customElement('tl-lab')
export class TlLab extends LitElement implements SweepLab {
  static styles = css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    .layout { display: grid; grid-template-columns: minmax(340px, 5fr) 7fr; gap: 12px; align-items: start; }
    .column { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
    .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px; }
    .notices { color: #8a5a00; font-size: 0.85rem; }
    .dynamics { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px; }
    .dynamics h3 { font-size: 0.95rem; margin: 0 0 6px; }
    @media (max-width: 900px) { .layout, .charts { grid-template-columns: 1fr; } }
  `;

  /** The run store once open; undefined when this browser cannot store runs (training still works). */
  /** Progress text of a run.zip being built for this lab's run (set by the shell). */
  @property() exportBusy = '';
  @property({ attribute: false }) storeReady: Promise<RunStore | undefined> = Promise.resolve(undefined);
  private store?: RunStore;
  @state() private lab: LabState;
  private readonly urlNotices: string[];
  readonly session = new TrainingSession(this);
  /** Sweeps: runs one after another through `session` (src/app/sweep-controller.ts). */
  private readonly sweep = new SweepController(this, this);
  private autostarted = false;
  private results?: { test: TestResult; block: LabRunTest; gallery: MistakesGallery | null };
  /** The whole dataset the session's run was started from (null: a stored run continued); its split is the session's. */
  private trainedDataset: Dataset | null = null;
  private settings?: { key: unknown[]; errors: ReturnType<TlLab['fieldErrors']>; arch: ReturnType<TlLab['architecture']>; canTrain: boolean };
  private charts?: { history: unknown; epochs: number[]; loss: LiveSeries[]; accuracy: LiveSeries[]; recall: ClassRecallEpoch[] };

  /** The dataset (built-in or the person's own), its split and its hash, made off the main thread. */
  private readonly data: LabData;
  /** Where a stored run's data is found again: built-in sets rebuilt, own data open here or kept (resume, exports). */
  readonly runData: DataAccess = dataAccess((sha256) => this.data.own.findInput(sha256));

  private get prepared(): PreparedData | undefined {
    return this.data.prepared;
  }
  private get split(): DatasetSplit | undefined {
    return this.prepared?.split ?? undefined;
  }
  private get splitError(): string {
    return this.prepared?.splitError ?? '';
  }

  constructor() {
    super();
    this.session.onRecordStored = (record) => {
      this.sweep.onRunStored(record);
      this.dispatchEvent(new CustomEvent<RunRecord>('run-stored', { detail: record, bubbles: true, composed: true }));
    };
    const { state, errors } = parseLabState(location.search);
    this.lab = state;
    this.urlNotices = errors;
    this.data = new LabData(this, () => this.lab, (own) => this.update_({ own }));
    listenOwnData(this, this.data.own, (image) => this.update_({ own: { ...this.lab.own, image } }));
  }

  private update_(patch: Partial<LabState>) {
    this.lab = { ...this.lab, ...patch };
  }

  protected willUpdate(changed: PropertyValues) {
    if (changed.has('storeReady')) {
      void this.storeReady.then((store) => {
        if (!store || this.store) return;
        this.store = this.session.store = store; // its interrupted runs are marked: a sweep a reload cut short can go on
        void this.sweep.recover((r) => this.sweep.asksFor(this.lab, r));
      });
    }
    if (changed.has('lab')) {
      history.replaceState(null, '', serializeLabState({ ...this.lab, autostart: false }) + location.hash);
      this.data.follow();
    }
  }

  private get model(): ModelSpec {
    return selectedModel(this.lab);
  }

  private fieldErrors(ds?: Dataset): { dataset: FieldErrors; model: FieldErrors; config: FieldErrors } {
    const synthetic = isSyntheticDataset(this.lab.dataset) ? validateSynthetic(this.lab.synthetic) : {};
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

  private async startTraining() {
    try {
      await this.startRecordedTraining();
    } catch (e) {
      this.session.failToStart((e as Error).message);
    }
  }

  private async startRecordedTraining(sweepId: string | null = null) {
    const prepared = this.prepared;
    const split = prepared?.split;
    if (!prepared || !split || !this.data.ready) return;
    const ds = prepared.dataset;
    this.results = undefined;
    await this.storeReady;
    const init = labRunInit(prepared, split, this.lab, this.architecture(ds, {}), sweepId);
    this.trainedDataset = ds;
    await this.session.start(split, this.model, this.lab.config, init);
  }

  /**
   * Resumes a stored run from its last stored epoch, or restarts one that stored none, from its typed
   * configuration. Its data and split are rebuilt and checked first: the Lab's fields change only
   * once the run can go on; a failure leaves the Lab as it was and says why (the promise rejects).
   */
  async continueRun(stored: RunRecord): Promise<void> {
    if (this.sweep.active) throw new Error('A sweep is running in this tab: end it before resuming or restarting another run.');
    return this.continueStored(stored);
  }

  // ---- SweepLab: what a sweep's runs need of the Lab ----
  async continueStored(stored: RunRecord): Promise<void> {
    if (this.session.running) throw new Error('A run is training in this tab: stop it before resuming or restarting another.');
    if (this.session.saving) throw new Error('The run that just ended is still being saved: try again in a moment.');
    const p = await prepareContinuation(stored, this.lab, this.runData);
    this.trainedDataset = null;
    if (p.how === 'resume') await this.session.resume(p.record, p.split, p.model, p.config);
    else await this.session.restart(p.record, p.split, p.model, p.config);
    this.results = undefined;
    if (p.own) this.data.own.adopt(p.own, { spec: p.state.own, ratios: p.state.ratios, seed: splitSeedOf(p.state) });
    this.lab = p.state;
  }

  labState = () => this.lab;
  runStore = () => this.storeReady;
  show = (query: string) => void (this.lab = shownState(query, this.lab));
  startRecorded = (sweepId: string) => this.startRecordedTraining(sweepId);
  readiness(): boolean | string {
    const { canTrain, errors, arch } = this.settingsView();
    if (canTrain || this.data.loadError) return canTrain || this.data.loadError;
    if (!this.data.ready) return this.lab.dataset === 'file' && !this.data.own.busy && !this.data.prepared && this.blockedReason();
    return [arch.problem, ...[errors.dataset, errors.model, errors.config].flatMap(Object.values)].find(Boolean) ?? this.blockedReason();
  }

  private requestExport(action: 'download-zip' | 'export-pytorch') {
    const runId = this.session.recording?.record.run_id;
    if (runId) this.dispatchEvent(new CustomEvent<RunAction>('run-action', { detail: { runId, action }, bubbles: true, composed: true }));
  }

  private async freeCheckpoints() {
    const store = this.store;
    if (!store) return;
    try {
      await freeOtherCheckpoints(store, this.session.recording?.record.run_id);
      await forgetOtherOwnData(await ownDataStore(), this.session.recording?.record.dataset.data_file?.sha256);
    } catch (e) {
      this.session.storageProblem = `Could not free space: ${(e as Error).message}`;
      this.requestUpdate();
      return;
    }
    this.session.retrySave();
  }

  private testResults() {
    const s = this.session;
    if (!s.test) return undefined;
    if (this.results?.test !== s.test) {
      const split = s.split;
      const gallery = split && split.test.indices.length === s.test.yTrue.length
        ? mistakesGallery({ ...s.test, rowIndex: s.test.rowIndex ?? split.test.indices }, s.classNames.length, samplesFrom({ split, dataset: this.trainedDataset }))
        : null;
      this.results = { test: s.test, block: testBlock(s.test, s.classNames, s.testWeights, s.testEpoch), gallery };
    }
    return this.results;
  }

  private resultsNote(): string {
    const s = this.session;
    return testedWeightsNote({
      evaluated: s.testWeights,
      epoch: s.testEpoch,
      selection: this.lab.config.earlyStopping.monitor === 'val_acc' ? 'validation_accuracy' : 'validation_loss',
      finalTestAcc: s.finalTest?.accuracy ?? null,
      lastEpoch: s.history.at(-1)?.epoch ?? 0,
    });
  }

  /** Validation and the planned architecture, recomputed only when the settings, data or split change. */
  private settingsView() {
    const ds = this.prepared?.dataset;
    const key = [this.lab, ds, this.split, this.splitError, this.data.ready];
    if (this.settings?.key.every((k, i) => k === key[i])) return this.settings;
    const errors = this.fieldErrors(ds);
    const arch = this.architecture(ds, errors.model);
    const canTrain = !!this.split && this.data.ready && !arch.problem && [errors.dataset, errors.model, errors.config].every((e) => Object.keys(e).length === 0);
    return (this.settings = { key, errors, arch, canTrain });
  }

  /** Chart series, rebuilt once per finished epoch rather than on every progress event. */
  private chartView() {
    const h = this.session.history;
    if (this.charts?.history !== h) {
      this.charts = {
        history: h,
        epochs: h.map((m) => m.epoch),
        loss: trainValSeries(h.map((m) => m.trainLoss), h.map((m) => m.valLoss)),
        accuracy: trainValSeries(h.map((m) => m.trainAcc), h.map((m) => m.valAcc)),
        recall: h.flatMap((m) => (m.classRecall ? [{ epoch: m.epoch, recall: m.classRecall }] : [])),
      };
    }
    return this.charts;
  }

  private blockedReason(): string {
    if (this.lab.dataset === 'file' && !this.data.own.busy && !this.data.prepared) return 'Choose your data (a table or images) to train.';
    return this.data.ready ? 'Fix the highlighted settings to train.' : 'Preparing the data…';
  }

  protected updated() {
    if (this.lab.autostart && !this.autostarted && this.settingsView().canTrain) {
      this.autostarted = true;
      if (hasSweep(this.lab.sweep)) void this.sweep.start(this.sweep.plan(this.lab));
      else this.startTraining();
    }
  }

  render() {
    const ds = this.prepared?.dataset;
    const { errors, arch, canTrain } = this.settingsView();
    const s = this.session;
    const charts = this.chartView();
    const results = this.testResults();
    return html`${this.urlNotices.length ? html`<p class="notices">${this.urlNotices.join(' · ')}</p>` : nothing}
      <div class="layout">
        <div class="column">
          <tl-dataset-panel
            .datasetId=${this.lab.dataset}
            .synthetic=${this.lab.synthetic}
            .ratios=${this.lab.ratios}
            .errors=${errors.dataset}
            .data=${ds}
            .split=${this.split}
            .boundary=${this.session.boundaryFor(this.split)}
            .testPredicted=${this.session.testPredictedFor(this.split)}
            .ownPlane=${tablePlane(this.prepared?.dataFile?.kind === 'table' ? this.prepared.dataFile.preprocessing : null)}
            .loading=${this.data.loading}
            .loadError=${this.data.loadError}
            .own=${this.lab.dataset === 'file' ? ownDataView(this.data.own, this.lab.own.image) : undefined}
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
            .canTrain=${canTrain && !s.running && !s.saving && !this.sweep.active}
            .blockedReason=${this.sweep.active ? 'A sweep is running: End sweep first to train on your own.' : canTrain || s.running ? '' : this.blockedReason()}
            .phase=${s.phase}
            .message=${s.message}
            .progress=${s.progress}
            .backend=${s.backend}
            .storageProblem=${s.storageProblem}
            .saving=${s.saving}
            .retryable=${s.waitingForRetry}
            @train-start=${() => this.startTraining()}
            @train-stop=${() => (this.sweep.active ? this.sweep.stop() : s.stop())}
            @storage-retry=${() => s.retrySave()}
            @storage-free=${() => this.freeCheckpoints()}
            .runId=${s.recording?.record.run_id ?? ''}
            .exportBusy=${this.exportBusy}
            @run-download=${() => this.requestExport('download-zip')}
            @run-export-pytorch=${() => this.requestExport('export-pytorch')}
          ></tl-train-controls>
          <tl-sweep-panel .view=${this.sweep.view(this.lab, this.split?.train.n ?? null, canTrain ? '' : this.blockedReason())}
            @sweep-change=${(e: CustomEvent<SweepForm>) => this.update_({ sweep: e.detail })} @sweep-start=${() => this.sweep.start(this.sweep.plan(this.lab))}
            @sweep-end=${() => this.sweep.endSweep()} @sweep-resume=${() => this.sweep.resume()}></tl-sweep-panel>
          <div class="charts">
            <tl-live-chart chartTitle="Loss" yLabel="cross-entropy" .epochs=${charts.epochs} .series=${charts.loss}></tl-live-chart>
            <tl-live-chart chartTitle="Accuracy" yLabel="accuracy (%)" .epochs=${charts.epochs} .series=${charts.accuracy}></tl-live-chart>
          </div>
          ${charts.recall.length
            ? html`<section class="dynamics" aria-label="Learning dynamics"><h3>Validation recall per class</h3>
                <tl-class-dynamics .classNames=${s.classNames} .history=${charts.recall}></tl-class-dynamics></section>`
            : nothing}
          ${results
            ? html`<tl-results-panel .testLoss=${results.block.test_loss} .report=${{ ...results.block.per_class_metrics, accuracy: results.block.test_accuracy }}
                .confusion=${results.block.confusion_matrix} .classNames=${s.classNames} .note=${this.resultsNote()} .gallery=${results.gallery}></tl-results-panel>`
            : nothing}
          ${results && s.recording && !s.running ? html`<tl-try-it .record=${s.recording.record} .store=${this.storeReady} .data=${this.runData}></tl-try-it>` : nothing}
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-lab': TlLab;
  }
  interface HTMLElementEventMap {
    'run-stored': CustomEvent<RunRecord>;
  }
}
