// Folds training events into a LabRunRecord. Pure: no DOM, no IndexedDB, no tfjs; every function
// returns a new record and leaves its input untouched.
//
// Training duration is the sum of the run's active spans: each folded event adds the time since the
// previous one (`updated_at`) while the run is 'running'. An interrupted run stops counting at its
// last stored event; resumeRecord restarts the clock, so the time the tab was closed never counts.
// Hence `updated_at` is "the last event folded in", and metadata edits (store.updateMeta) leave it.
import { confusionMatrix, perClassMetrics } from '../training/metrics';
import { isoWithOffset, pad } from '../training/time';
import type {
  BackendName,
  BackendReport,
  DatasetSplit,
  EpochMetrics,
  LayerInfo,
  ModelSpec,
  SyntheticOptions,
  TestResult,
  TrainConfig,
  TrainingEvent,
} from '../training/types';
import { SCHEMA_VERSION } from './run-record';
import type { DataFile, LabEpochRecord, LabRunRecord, LabRunTest, LabRunTraining, RunArchitecture, RunEnvironment, RunRecord } from './run-record';

export interface RunRecordInit {
  split: DatasetSplit;
  datasetName: string;
  datasetSource: string;
  datasetSha256: string;
  model: ModelSpec;
  config: TrainConfig;
  synthetic: SyntheticOptions | null;
  standardized: boolean;
  urlQuery: string;
  layers: LayerInfo[]; // planned; replaced by the built model's table on 'started'
  totalParams: number;
  now: Date;
  userAgent: string;
  appVersion: string;
  hardwareConcurrency: number | null;
  /** The sweep this run is one of; null or absent when trained on its own. */
  sweepId?: string | null;
  /** A person's own data (split.datasetId 'file'): the file or folder as read and prepared; null for a built-in set. */
  dataFile: DataFile | null;
  /** The loss's per-class weights, as the trainer uses them (classWeightsFor): one per class for 'balanced', else null. */
  classWeightValues: number[] | null;
}

/** `${modelName}_${YYYYMMDD_HHMMSS}` in local time (the store adds `_2`, `_3`… when another run has it: RunStore.createRun). */
export function makeRunId(modelName: string, now: Date): string {
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  return `${modelName}_${date}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

/** Whole seconds as H:MM:SS, like Python's str(timedelta(seconds=int(s))) in the reference ('0:08:33'). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`invalid duration: ${seconds}`);
  const s = Math.floor(seconds);
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

function architectureOf(layers: LayerInfo[], totalParams: number): RunArchitecture {
  const trainable = layers.filter((l) => l.trainable).reduce((a, l) => a + l.params, 0);
  return { layers: layers.map((l) => ({ ...l, outputShape: [...l.outputShape] })), total_params: totalParams, trainable_params: trainable, non_trainable_params: totalParams - trainable };
}

function emptyEnvironment(init: RunRecordInit): RunEnvironment {
  return {
    user_agent: init.userAgent, backend: null, backend_forced: init.config.backend !== 'auto', backends_skipped: [],
    webgpu_adapter: null, webgl_renderer: null, tfjs_version: null,
    app_version: init.appVersion, hardware_concurrency: init.hardwareConcurrency,
  };
}

function emptyTraining(config: TrainConfig): LabRunTraining {
  return emptyTrainingFor(config.earlyStopping.monitor === 'val_loss' ? 'validation_loss' : 'validation_accuracy');
}

function emptyTrainingFor(selection: LabRunTraining['model_selection_method']): LabRunTraining {
  return {
    model_selection_method: selection,
    best_epoch: 0, best_val_accuracy: null, best_val_loss: null, epochs_completed: 0, early_stopped: false,
    final_train_loss: null, final_train_acc: null, final_val_loss: null, final_val_acc: null,
    final_learning_rate: null, final_test_loss: null, final_test_acc: null,
  };
}

/** Throws a RangeError unless the own data and the class weights agree with the split and the config. */
function checkInit(init: RunRecordInit): void {
  const { split, config, dataFile, classWeightValues: weights } = init;
  if ((split.datasetId === 'file') !== (dataFile !== null)) {
    throw new RangeError(split.datasetId === 'file' ? 'a run on its own data (dataset "file") needs its data file' : `a run on the built-in dataset "${split.datasetId}" has no data file`);
  }
  const k = split.classNames.length;
  if (config.classWeights === 'balanced' && !(weights !== null && weights.length === k && weights.every(Number.isFinite))) {
    throw new RangeError(`balanced class weights need one finite weight per class (${k}); got ${weights === null ? 'none' : weights.length}`);
  }
  if (config.classWeights !== 'balanced' && weights !== null) throw new RangeError(`class weights "${config.classWeights}" take no weight values`);
}

/** A new record with status 'running', before the worker has reported anything. */
export function createRunRecord(init: RunRecordInit): LabRunRecord {
  checkInit(init);
  const { split, config } = init;
  const runId = makeRunId(init.model.kind, init.now);
  const start = isoWithOffset(init.now);
  return {
    schema_version: SCHEMA_VERSION,
    run_id: runId,
    run_name: runId,
    origin: { kind: 'lab' },
    sweep_id: init.sweepId ?? null,
    status: 'running',
    status_reason: '',
    model_name: init.model.kind,
    model_parameters: init.totalParams,
    start_time: start,
    end_time: null,
    training_duration_seconds: 0,
    training_duration_formatted: formatDuration(0),
    config: {
      epochs: config.epochs, batch_size: config.batchSize, learning_rate: config.learningRate, weight_decay: config.weightDecay,
      seed: config.seed, split_seed: split.seed, device: null,
      optimizer: config.optimizer,
      lr_schedule: { ...config.schedule },
      early_stopping: { ...config.earlyStopping },
      save_freq: config.saveFreq,
      backend_requested: config.backend,
      model: structuredClone(init.model),
      dataset: split.datasetId,
      synthetic: init.synthetic ? { ...init.synthetic } : null,
      train_ratio: split.ratios.train, val_ratio: split.ratios.val, test_ratio: split.ratios.test, stratified: true,
      standardized: init.standardized,
      url_query: init.urlQuery,
      class_weights: config.classWeights === 'balanced',
      class_weight_values: init.classWeightValues && [...init.classWeightValues],
    },
    dataset: {
      num_classes: split.classNames.length,
      class_names: [...split.classNames],
      num_train_samples: split.train.n, num_val_samples: split.val.n, num_test_samples: split.test.n,
      id: split.datasetId,
      name: init.datasetName,
      source: init.datasetSource,
      sha256: init.datasetSha256,
      input_shape: [...split.inputShape],
      class_distribution: { train: [...split.train.classCounts], val: [...split.val.classCounts], test: [...split.test.classCounts] },
      data_file: init.dataFile && structuredClone(init.dataFile),
    },
    training: emptyTraining(config),
    test: null,
    architecture: architectureOf(init.layers, init.totalParams),
    environment: emptyEnvironment(init),
    history: [], per_class_recall_history: [], checkpoints: [], notes: '', tags: [], updated_at: start,
  };
}

/** Adds the active time since the last event and stamps `now`. */
function tick(r: LabRunRecord, now: Date): LabRunRecord {
  const since = (now.getTime() - Date.parse(r.updated_at)) / 1000;
  const seconds = r.training_duration_seconds + (r.status === 'running' ? Math.max(0, since) : 0);
  return { ...r, training_duration_seconds: seconds, training_duration_formatted: formatDuration(seconds), updated_at: isoWithOffset(now) };
}

function environmentFrom(r: LabRunRecord, b: BackendReport): RunEnvironment {
  const a = b.adapter;
  return {
    ...r.environment,
    backend: b.name,
    backend_forced: b.forced,
    backends_skipped: b.skipped.map((s) => ({ ...s })),
    webgpu_adapter: a ? { vendor: a.vendor, architecture: a.architecture, device: a.device, description: a.description, is_fallback_adapter: a.isFallbackAdapter } : null,
    webgl_renderer: b.webglRenderer ?? null,
    tfjs_version: b.tfjsVersion,
    wasm_threads: b.name === 'wasm' ? (b.wasmThreads ?? null) : null,
    backend_probe: b.probe
      ? {
          summary: b.probe.summary, cached: b.probe.cached, ms: b.probe.ms,
          rates: b.probe.rates.map((x) => ({ name: x.name, samples_per_sec: x.samplesPerSec, upper_bound: x.upperBound ?? false, error: x.error ?? '' })),
        }
      : null,
    training_step: b.trainingStep ? { ...b.trainingStep } : null,
  };
}

function epochRecord(m: EpochMetrics): LabEpochRecord {
  return {
    epoch: m.epoch, train_loss: m.trainLoss, train_acc: m.trainAcc, val_loss: m.valLoss, val_acc: m.valAcc,
    learning_rate: m.learningRate, epoch_time_seconds: m.seconds, samples_per_second: m.samplesPerSec,
  };
}

/** The inverse of epochRecord: a stored epoch as the live charts show it. */
export function epochMetrics(h: LabEpochRecord): EpochMetrics {
  return {
    epoch: h.epoch, trainLoss: h.train_loss, trainAcc: h.train_acc, valLoss: h.val_loss, valAcc: h.val_acc,
    learningRate: h.learning_rate, seconds: h.epoch_time_seconds, samplesPerSec: h.samples_per_second,
  };
}

/** The training block after `history` changed: finals from its last epoch, best from `bestEpoch`. */
function trainingFrom(t: LabRunTraining, history: LabEpochRecord[], bestEpoch: number): LabRunTraining {
  const last = history.at(-1);
  const best = history.find((h) => h.epoch === bestEpoch);
  return {
    ...t,
    best_epoch: best ? bestEpoch : 0,
    best_val_accuracy: best ? best.val_acc : null,
    best_val_loss: best ? best.val_loss : null,
    epochs_completed: last?.epoch ?? 0,
    final_train_loss: last?.train_loss ?? null,
    final_train_acc: last?.train_acc ?? null,
    final_val_loss: last?.val_loss ?? null,
    final_val_acc: last?.val_acc ?? null,
    final_learning_rate: last?.learning_rate ?? null,
  };
}

/** The test block from the test set's predictions, with metrics from training/metrics.ts. */
export function testBlock(test: TestResult, classNames: string[], evaluated: LabRunTest['evaluated_model'], epoch: number): LabRunTest {
  const cm = confusionMatrix(test.yTrue, test.yPred, classNames.length);
  const m = perClassMetrics(cm, classNames);
  return {
    test_loss: test.loss,
    test_accuracy: test.accuracy,
    evaluated_model: evaluated,
    evaluated_epoch: epoch,
    per_class_metrics: { per_class: m.per_class, macro: m.macro, weighted: m.weighted },
    confusion_matrix: cm,
  };
}

function onFinished(r: LabRunRecord, e: Extract<TrainingEvent, { type: 'finished' }>): LabRunRecord {
  const training = trainingFrom(r.training, r.history, e.bestEpoch);
  return {
    ...r,
    status: e.status === 'stopped' ? 'stopped' : 'completed',
    status_reason: e.reason,
    end_time: e.endTime,
    training: {
      ...training,
      early_stopped: e.status === 'early_stopped',
      final_test_loss: e.finalTest?.loss ?? null,
      final_test_acc: e.finalTest?.accuracy ?? null,
    },
    test: e.test ? testBlock(e.test, r.dataset.class_names, e.testWeights, e.testEpoch) : null,
  };
}

/** Folds one event into the record (a new record; 'progress' changes nothing and returns `record`). */
export function applyEvent(record: LabRunRecord, e: TrainingEvent, now: Date): LabRunRecord {
  if (e.type === 'progress') return record;
  const r = tick(record, now);
  switch (e.type) {
    case 'started':
      return {
        ...r,
        model_parameters: e.totalParams,
        architecture: architectureOf(e.layers, e.totalParams),
        environment: environmentFrom(r, e.backend),
        config: { ...r.config, device: e.backend.name },
      };
    case 'epoch': {
      const { epoch, classRecall } = e.metrics;
      const history = [...r.history.filter((h) => h.epoch < epoch), epochRecord(e.metrics)];
      const earlier = r.per_class_recall_history.filter((c) => c.epoch < epoch);
      const per_class_recall_history = classRecall ? [...earlier, { epoch, recall: [...classRecall] }] : earlier;
      const bestEpoch = e.snapshot.isBest ? epoch : r.training.best_epoch;
      return { ...r, history, per_class_recall_history, training: trainingFrom(r.training, history, bestEpoch) };
    }
    case 'best': // follows its epoch event; ignored if that epoch is not in the history
      return r.history.some((h) => h.epoch === e.epoch) ? { ...r, training: trainingFrom(r.training, r.history, e.epoch) } : r;
    case 'finished':
      return onFinished(r, e);
    case 'failed':
      return { ...r, status: e.kind === 'diverged' ? 'diverged' : 'failed', status_reason: e.message, end_time: e.endTime };
  }
}

/** A 'running' record whose tab is gone: it stopped at its last stored event (end_time = updated_at). */
export function markInterrupted<R extends RunRecord>(record: R, now: Date): R {
  const done = record.training.epochs_completed;
  const reason = done === 0
    ? `the tab running it closed or crashed before its first epoch was stored (noticed ${isoWithOffset(now)}); it can be restarted with the same configuration`
    : `the tab running it closed or crashed after epoch ${done} (noticed ${isoWithOffset(now)}); it can be resumed from its last stored epoch`;
  return { ...record, status: 'interrupted', status_reason: reason, end_time: record.updated_at };
}

/**
 * The same record started afresh with the same configuration (a run with no stored epoch to resume
 * from): no history, checkpoints or results, the clock from `now`; its id, name, notes and tags stay.
 */
export function restartRecord(record: LabRunRecord, now: Date): LabRunRecord {
  const stamp = isoWithOffset(now);
  const was = record.status_reason ? ` (was ${record.status}: ${record.status_reason})` : ` (was ${record.status})`;
  return {
    ...record,
    status: 'running',
    status_reason: `restarted ${stamp} with the same configuration${was}`,
    start_time: stamp,
    end_time: null,
    training_duration_seconds: 0,
    training_duration_formatted: formatDuration(0),
    history: [],
    per_class_recall_history: [],
    training: { ...emptyTrainingFor(record.training.model_selection_method) },
    test: null,
    checkpoints: [],
    updated_at: stamp,
  };
}

/**
 * The same record continuing from the snapshot taken after `epoch`: status 'running' again, later
 * epochs, refs and the test results dropped, and the duration clock restarted at `now`.
 */
export function resumeRecord(record: LabRunRecord, epoch: number, now: Date): LabRunRecord {
  const history = record.history.filter((h) => h.epoch <= epoch);
  const bestEpoch = record.training.best_epoch <= epoch ? record.training.best_epoch : 0;
  const was = record.status_reason ? ` (was ${record.status}: ${record.status_reason})` : ` (was ${record.status})`;
  return {
    ...record,
    status: 'running',
    status_reason: `resumed ${isoWithOffset(now)} from epoch ${epoch}${was}`,
    end_time: null,
    history,
    per_class_recall_history: record.per_class_recall_history.filter((c) => c.epoch <= epoch),
    training: { ...trainingFrom(record.training, history, bestEpoch), early_stopped: false, final_test_loss: null, final_test_acc: null },
    test: null,
    checkpoints: record.checkpoints.filter((c) => c.epoch <= epoch),
    updated_at: isoWithOffset(now),
  };
}

/** The record of a run that goes on on another backend after losing its device (the record says both). */
export function withBackendSwitch(record: LabRunRecord, to: BackendName, reason: string, now: Date): LabRunRecord {
  const from = record.environment.backend ?? record.config.device ?? 'webgpu';
  const entry = { from, to, after_epoch: record.training.epochs_completed, reason, time: isoWithOffset(now) };
  return { ...record, environment: { ...record.environment, backend_switches: [...(record.environment.backend_switches ?? []), entry] } };
}
