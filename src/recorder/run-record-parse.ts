// The current schema, field by field: parseCurrent builds a new, fully typed RunRecord from what it
// checked (unknown keys are dropped), checkShapes checks the per-class tables against the class count.
// Older schemas reach these only through run-record-migrate.ts.
import { LR_SCHEDULE_KINDS } from '../training/schedules';
import { ACTIVATIONS, BACKENDS, MONITORS } from '../training/types';
import type { ClassRecallEpoch } from '../training/learned-types';
import type { LayerInfo, LrSchedule, ModelSpec, SyntheticOptions, TrainingStep } from '../training/types';
import { CHECKPOINT_KINDS, IMPORT_FORMATS, RUN_STATUSES, SCHEMA_VERSION } from './run-record';
import type {
  AveragedMetricsRecord,
  BackendProbeRecord,
  BackendSwitch,
  CheckpointRef,
  ClassDistribution,
  EpochRecord,
  ExtraValue,
  PerClassMetricsRecord,
  RunArchitecture,
  RunConfig,
  RunDataset,
  RunEnvironment,
  RunOrigin,
  RunRecord,
  RunTest,
  RunTraining,
} from './run-record';
import { arrayOf, bool, defined, Fields, fail, int, isObject, nullable, num, oneOf, optional, orNull, RunRecordError, str, time } from './run-record-fields';
import type { Parser } from './run-record-fields';
import { dataFile } from './run-record-data-file';

/** A backend we know (also the lab-record narrowing's check of config.device). */
export const backend = oneOf(BACKENDS);
const ints = arrayOf(int);
const nums = arrayOf(num);
const numOrNull = nullable(num);

const extraValue: Parser<ExtraValue> = (v, p) =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : fail(p, 'a string, number, true/false or null', v);
const extras: Parser<Record<string, ExtraValue>> = (v, p) => {
  if (!isObject(v)) fail(p, 'an object', v);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, extraValue(x, `${p}.${k}`)]));
};

const lrSchedule: Parser<LrSchedule> = (v, p) => {
  const f = Fields.of(v, p);
  const kind = f.get('kind', oneOf(LR_SCHEDULE_KINDS));
  if (kind === 'constant') return { kind };
  if (kind === 'step') return { kind, stepSize: f.int('stepSize'), gamma: f.num('gamma') };
  if (kind === 'cosine') return { kind, minLr: f.num('minLr') };
  return { kind, factor: f.num('factor'), patience: f.int('patience'), minLr: f.num('minLr') };
};

const modelSpec: Parser<ModelSpec> = (v, p) => {
  const f = Fields.of(v, p);
  const kind = f.get('kind', oneOf(['mlp', 'cnn'] as const));
  const activation = f.get('activation', oneOf(ACTIVATIONS));
  if (kind === 'mlp') return { kind, hidden: f.get('hidden', ints), activation, dropout: f.num('dropout') };
  return { kind, filters: f.get('filters', ints), kernelSize: f.int('kernelSize'), dense: f.int('dense'), activation, dropout: f.num('dropout') };
};

const synthetic: Parser<SyntheticOptions> = (v, p) => {
  const f = Fields.of(v, p);
  return { samples: f.int('samples'), noise: f.num('noise'), classes: f.int('classes'), seed: f.num('seed') };
};

const earlyStopping: Parser<NonNullable<RunConfig['early_stopping']>> = (v, p) => {
  const es = Fields.of(v, p);
  return { enabled: es.bool('enabled'), patience: es.int('patience'), monitor: es.get('monitor', oneOf(MONITORS)) };
};

const config: Parser<RunConfig> = (v, p) => {
  const f = Fields.of(v, p);
  return defined({
    epochs: f.int('epochs'), batch_size: f.get('batch_size', orNull(int)), learning_rate: f.get('learning_rate', orNull(num)),
    weight_decay: f.get('weight_decay', orNull(num)), seed: f.get('seed', orNull(num)),
    device: f.get('device', orNull(str)), optimizer: f.get('optimizer', orNull(str)), dataset: f.str('dataset'),
    train_ratio: f.get('train_ratio', orNull(num)), val_ratio: f.get('val_ratio', orNull(num)), test_ratio: f.get('test_ratio', orNull(num)),
    stratified: f.get('stratified', orNull(bool)), save_freq: f.get('save_freq', orNull(int)),
    split_seed: f.get('split_seed', optional(nullable(num))),
    class_weights: f.get('class_weights', optional(nullable(bool))), class_weight_values: f.get('class_weight_values', optional(nullable(nums))),
    lr_schedule: f.get('lr_schedule', optional(lrSchedule)),
    early_stopping: f.get('early_stopping', optional(earlyStopping)),
    backend_requested: f.get('backend_requested', optional(oneOf([...BACKENDS, 'auto'] as const))),
    model: f.get('model', optional(modelSpec)),
    synthetic: f.get('synthetic', optional(nullable(synthetic))),
    standardized: f.get('standardized', optional(bool)), url_query: f.get('url_query', optional(str)),
    extra: f.get('extra', optional(extras)),
  });
};

const classDistribution: Parser<ClassDistribution> = (v, p) => {
  const f = Fields.of(v, p);
  return { train: f.get('train', ints), val: f.get('val', ints), test: f.get('test', ints) };
};

const dataset: Parser<RunDataset> = (v, p) => {
  const f = Fields.of(v, p);
  return defined({
    num_classes: f.int('num_classes'),
    class_names: f.get('class_names', arrayOf(str)),
    num_train_samples: f.get('num_train_samples', orNull(int)), num_val_samples: f.get('num_val_samples', orNull(int)), num_test_samples: f.get('num_test_samples', orNull(int)),
    id: f.str('id'), name: f.str('name'), source: f.str('source'), sha256: f.get('sha256', orNull(str)),
    input_shape: f.get('input_shape', orNull(ints)),
    class_distribution: f.get('class_distribution', orNull(classDistribution)),
    data_file: f.get('data_file', optional(nullable(dataFile))),
    extra: f.get('extra', optional(extras)),
  });
};

const layer: Parser<LayerInfo> = (v, p) => {
  const f = Fields.of(v, p);
  return { name: f.str('name'), type: f.str('type'), outputShape: f.get('outputShape', arrayOf(nullable(int))), params: f.int('params'), trainable: f.bool('trainable') };
};

const architecture: Parser<RunArchitecture> = (v, p) => {
  const f = Fields.of(v, p);
  return { layers: f.get('layers', arrayOf(layer)), total_params: f.int('total_params'), trainable_params: f.int('trainable_params'), non_trainable_params: f.int('non_trainable_params') };
};

const adapter: Parser<RunEnvironment['webgpu_adapter']> = nullable((v, p) => {
  const f = Fields.of(v, p);
  return { vendor: f.str('vendor'), architecture: f.str('architecture'), device: f.str('device'), description: f.str('description'), is_fallback_adapter: f.bool('is_fallback_adapter') };
});

const skipped: Parser<RunEnvironment['backends_skipped'][number]> = (v, p) => {
  const f = Fields.of(v, p);
  return { name: f.get('name', backend), reason: f.str('reason') };
};

const backendSwitch: Parser<BackendSwitch> = (v, p) => {
  const f = Fields.of(v, p);
  return { from: f.get('from', backend), to: f.get('to', backend), after_epoch: f.int('after_epoch'), reason: f.str('reason'), time: f.get('time', time) };
};

const probeRate: Parser<BackendProbeRecord['rates'][number]> = (v, p) => {
  const f = Fields.of(v, p);
  return { name: f.get('name', backend), samples_per_sec: f.get('samples_per_sec', nullable(num)), upper_bound: f.bool('upper_bound'), error: f.str('error') };
};

const backendProbe: Parser<BackendProbeRecord> = (v, p) => {
  const f = Fields.of(v, p);
  return { summary: f.str('summary'), cached: f.bool('cached'), ms: f.num('ms'), rates: f.get('rates', arrayOf(probeRate)) };
};

const trainingStep: Parser<TrainingStep> = (v, p) => {
  const f = Fields.of(v, p);
  return { path: f.get('path', oneOf(['dense', 'tfjs'] as const)), threads: f.get('threads', nullable(int)), fma: f.get('fma', nullable(bool)) };
};

const environment: Parser<RunEnvironment> = (v, p) => {
  const f = Fields.of(v, p);
  const step = f.get('training_step', optional(nullable(trainingStep)));
  const switches = f.get('backend_switches', optional(arrayOf(backendSwitch)));
  const threads = f.get('wasm_threads', optional(nullable(int)));
  const probe = f.get('backend_probe', optional(nullable(backendProbe)));
  return {
    user_agent: f.str('user_agent'), backend: f.get('backend', nullable(backend)), backend_forced: f.bool('backend_forced'),
    backends_skipped: f.get('backends_skipped', arrayOf(skipped)),
    webgpu_adapter: f.get('webgpu_adapter', adapter),
    webgl_renderer: f.get('webgl_renderer', nullable(str)), tfjs_version: f.get('tfjs_version', nullable(str)),
    app_version: f.str('app_version'), hardware_concurrency: f.get('hardware_concurrency', nullable(int)),
    ...(switches ? { backend_switches: switches } : {}),
    ...(threads !== undefined ? { wasm_threads: threads } : {}),
    ...(probe !== undefined ? { backend_probe: probe } : {}),
    ...(step !== undefined ? { training_step: step } : {}),
  };
};

const epochRecord: Parser<EpochRecord> = (v, p) => {
  const f = Fields.of(v, p);
  const record: EpochRecord = {
    epoch: f.int('epoch'), train_loss: f.num('train_loss'), train_acc: f.num('train_acc'), val_loss: f.num('val_loss'), val_acc: f.num('val_acc'),
    learning_rate: f.get('learning_rate', orNull(num)), epoch_time_seconds: f.get('epoch_time_seconds', orNull(num)), samples_per_second: f.get('samples_per_second', orNull(num)),
  };
  const testLoss = f.get('test_loss', optional(numOrNull));
  const testAcc = f.get('test_acc', optional(numOrNull));
  if (testLoss !== undefined) record.test_loss = testLoss;
  if (testAcc !== undefined) record.test_acc = testAcc;
  return record;
};

const percent: Parser<number> = (v, p) => {
  const x = num(v, p);
  return x >= 0 && x <= 100 ? x : fail(p, 'a percentage (0 to 100)', v);
};

const classRecallEpoch: Parser<ClassRecallEpoch> = (v, p) => {
  const f = Fields.of(v, p);
  return { epoch: f.int('epoch'), recall: f.get('recall', arrayOf(nullable(percent))) };
};

const training: Parser<RunTraining> = (v, p) => {
  const f = Fields.of(v, p);
  const n = (k: string) => f.get(k, orNull(num));
  return {
    model_selection_method: f.get('model_selection_method', orNull(str)),
    best_epoch: f.int('best_epoch'), best_val_accuracy: n('best_val_accuracy'), best_val_loss: n('best_val_loss'),
    epochs_completed: f.int('epochs_completed'), early_stopped: f.get('early_stopped', orNull(bool)),
    final_train_loss: n('final_train_loss'), final_train_acc: n('final_train_acc'), final_val_loss: n('final_val_loss'), final_val_acc: n('final_val_acc'),
    final_learning_rate: n('final_learning_rate'), final_test_loss: n('final_test_loss'), final_test_acc: n('final_test_acc'),
  };
};

const averaged: Parser<AveragedMetricsRecord> = (v, p) => {
  const f = Fields.of(v, p);
  return { precision: f.num('precision'), recall: f.num('recall'), f1: f.num('f1') };
};

const perClassMetrics: Parser<PerClassMetricsRecord> = (v, p) => {
  const m = Fields.of(v, p);
  const pc = m.sub('per_class');
  return {
    per_class: { class_name: pc.get('class_name', arrayOf(str)), precision: pc.get('precision', nums), recall: pc.get('recall', nums), f1: pc.get('f1', nums), support: pc.get('support', ints) },
    macro: m.get('macro', averaged),
    weighted: m.get('weighted', averaged),
  };
};

const test: Parser<RunTest> = (v, p) => {
  const f = Fields.of(v, p);
  return {
    test_loss: f.get('test_loss', orNull(num)), test_accuracy: f.num('test_accuracy'),
    evaluated_model: f.get('evaluated_model', orNull(oneOf(['best', 'final'] as const))), evaluated_epoch: f.get('evaluated_epoch', orNull(int)),
    per_class_metrics: f.get('per_class_metrics', orNull(perClassMetrics)),
    confusion_matrix: f.get('confusion_matrix', orNull(arrayOf(ints))),
  };
};

const checkpoint: Parser<CheckpointRef> = (v, p) => {
  const f = Fields.of(v, p);
  return { kind: f.get('kind', oneOf(CHECKPOINT_KINDS)), epoch: f.int('epoch'), key: f.str('key'), bytes: f.int('bytes'), with_optimizer: f.bool('with_optimizer') };
};

const origin: Parser<RunOrigin> = (v, p) => {
  const f = Fields.of(v, p);
  const kind = f.get('kind', oneOf(['lab', 'imported'] as const));
  if (kind === 'lab') return { kind };
  return { kind, file: f.str('file'), path: f.str('path'), format: f.get('format', oneOf(IMPORT_FORMATS)), imported_at: f.get('imported_at', time) };
};

/** The current-schema record `v` as a new RunRecord; throws RunRecordError naming the first bad field. */
export function parseCurrent(v: unknown): RunRecord {
  const f = Fields.of(v, '');
  f.get('schema_version', oneOf([SCHEMA_VERSION]));
  return {
    schema_version: SCHEMA_VERSION,
    run_id: f.str('run_id'), run_name: f.str('run_name'), origin: f.get('origin', origin),
    ...defined({ sweep_id: f.get('sweep_id', optional(nullable(str))) }),
    status: f.get('status', oneOf(RUN_STATUSES)), status_reason: f.str('status_reason'),
    model_name: f.str('model_name'), model_parameters: f.get('model_parameters', orNull(int)),
    start_time: f.get('start_time', time), end_time: f.get('end_time', nullable(time)),
    training_duration_seconds: f.get('training_duration_seconds', orNull(num)), training_duration_formatted: f.str('training_duration_formatted'),
    config: f.get('config', config),
    dataset: f.get('dataset', dataset),
    training: f.get('training', training),
    test: f.get('test', nullable(test)),
    architecture: f.get('architecture', orNull(architecture)),
    environment: f.get('environment', orNull(environment)),
    history: f.get('history', arrayOf(epochRecord)),
    ...defined({ per_class_recall_history: f.get('per_class_recall_history', optional(arrayOf(classRecallEpoch))) }),
    checkpoints: f.get('checkpoints', arrayOf(checkpoint)),
    notes: f.str('notes'), tags: f.get('tags', arrayOf(str)), updated_at: f.get('updated_at', time),
  };
}

/** Per-class tables must match the class count, or exporters would index past them. */
export function checkShapes(r: RunRecord): void {
  const k = r.dataset.num_classes;
  const expectLength = (path: string, length: number) => {
    if (length !== k) throw new RunRecordError(`run record: ${path} must have ${k} entries, one per class (got ${length})`, path);
  };
  expectLength('dataset.class_names', r.dataset.class_names.length);
  const weights = r.config.class_weight_values;
  if (weights) expectLength('config.class_weight_values', weights.length);
  r.per_class_recall_history?.forEach((e, i) => expectLength(`per_class_recall_history[${i}].recall`, e.recall.length));
  if (!r.test) return;
  const pc = r.test.per_class_metrics?.per_class;
  if (pc) for (const key of ['class_name', 'precision', 'recall', 'f1', 'support'] as const) {
    expectLength(`test.per_class_metrics.per_class.${key}`, pc[key].length);
  }
  const cm = r.test.confusion_matrix;
  if (cm) {
    expectLength('test.confusion_matrix', cm.length);
    cm.forEach((row, i) => expectLength(`test.confusion_matrix[${i}]`, row.length));
  }
}
