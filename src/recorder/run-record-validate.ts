// The gate every RunRecord passes when it enters from outside the type system (IndexedDB read, zip
// import): migrate older schema versions, then check the structure field by field and build a new,
// fully typed record from what was checked. Nothing is cast; unknown keys are dropped.
import { LR_SCHEDULE_KINDS } from '../training/schedules';
import { ACTIVATIONS, BACKENDS, DATASET_IDS, MONITORS, OPTIMIZERS } from '../training/types';
import type { LayerInfo, LrSchedule, ModelSpec, SyntheticOptions } from '../training/types';
import { IMPORT_FORMATS, RUN_STATUSES, SCHEMA_VERSION } from './run-record';
import type {
  AveragedMetricsRecord,
  BackendSwitch,
  CheckpointRef,
  ClassDistribution,
  EpochRecord,
  ExtraValue,
  LabRunRecord,
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

/** A record that is not a RunRecord; `path` names the offending field (`history[3].val_acc`). */
export class RunRecordError extends Error {
  override name = 'RunRecordError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
type Parser<T> = (v: unknown, path: string) => T;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'number') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function fail(path: string, what: string, got: unknown): never {
  const where = path ? `run record: ${path}` : 'run record';
  throw new RunRecordError(`${where} must be ${what} (got ${show(got)})`, path);
}

const num: Parser<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'a number', v));
const int: Parser<number> = (v, p) => (Number.isInteger(v) && typeof v === 'number' && v >= 0 ? v : fail(p, 'a non-negative integer', v));
const str: Parser<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v));
const bool: Parser<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'true or false', v));
const time: Parser<string> = (v, p) =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : fail(p, 'an ISO 8601 time', v);
const nullable =
  <T>(parse: Parser<T>): Parser<T | null> =>
  (v, p) => (v === null ? null : parse(v, p));
const arrayOf =
  <T>(parse: Parser<T>): Parser<T[]> =>
  (v, p) => (Array.isArray(v) ? v.map((x, i) => parse(x, `${p}[${i}]`)) : fail(p, 'an array', v));
function oneOf<T extends string | number | boolean>(values: readonly T[]): Parser<T> {
  return (v, p) => {
    const hit = values.find((x) => x === v);
    return hit !== undefined ? hit : fail(p, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
  };
}

/** Reads the fields of one object, each at its own path. */
class Fields {
  private constructor(
    private readonly o: Json,
    private readonly path: string,
  ) {}
  static of(v: unknown, path: string): Fields {
    return isObject(v) ? new Fields(v, path) : fail(path, 'an object', v);
  }
  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
  get<T>(key: string, parse: Parser<T>): T {
    return parse(this.o[key], this.at(key));
  }
  /** The fields of a nested object. */
  sub(key: string): Fields {
    return Fields.of(this.o[key], this.at(key));
  }
  num = (k: string) => this.get(k, num);
  int = (k: string) => this.get(k, int);
  str = (k: string) => this.get(k, str);
  bool = (k: string) => this.get(k, bool);
}

const backend = oneOf(BACKENDS);
const ints = arrayOf(int);
const nums = arrayOf(num);
const numOrNull = nullable(num);

/** Reads an optional field: absent (or undefined) stays undefined, anything else must parse. */
const optional =
  <T>(parse: Parser<T>): Parser<T | undefined> =>
  (v, p) => (v === undefined ? undefined : parse(v, p));
/** A field the reference layout may lack: absent reads as null. */
const orNull =
  <T>(parse: Parser<T>): Parser<T | null> =>
  (v, p) => (v === undefined || v === null ? null : parse(v, p));

/** `o` without its undefined values: an absent optional field stays absent (deep-equal to what was stored). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

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

const environment: Parser<RunEnvironment> = (v, p) => {
  const f = Fields.of(v, p);
  const switches = f.get('backend_switches', optional(arrayOf(backendSwitch)));
  return {
    user_agent: f.str('user_agent'), backend: f.get('backend', nullable(backend)), backend_forced: f.bool('backend_forced'),
    backends_skipped: f.get('backends_skipped', arrayOf(skipped)),
    webgpu_adapter: f.get('webgpu_adapter', adapter),
    webgl_renderer: f.get('webgl_renderer', nullable(str)), tfjs_version: f.get('tfjs_version', nullable(str)),
    app_version: f.str('app_version'), hardware_concurrency: f.get('hardware_concurrency', nullable(int)),
    ...(switches ? { backend_switches: switches } : {}),
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
  return { kind: f.get('kind', oneOf(['best', 'periodic', 'latest'] as const)), epoch: f.int('epoch'), key: f.str('key'), bytes: f.int('bytes'), with_optimizer: f.bool('with_optimizer') };
};

const origin: Parser<RunOrigin> = (v, p) => {
  const f = Fields.of(v, p);
  const kind = f.get('kind', oneOf(['lab', 'imported'] as const));
  if (kind === 'lab') return { kind };
  return { kind, file: f.str('file'), path: f.str('path'), format: f.get('format', oneOf(IMPORT_FORMATS)), imported_at: f.get('imported_at', time) };
};

function parseCurrent(v: unknown): RunRecord {
  const f = Fields.of(v, '');
  f.get('schema_version', oneOf([SCHEMA_VERSION]));
  return {
    schema_version: SCHEMA_VERSION,
    run_id: f.str('run_id'), run_name: f.str('run_name'), origin: f.get('origin', origin),
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
    checkpoints: f.get('checkpoints', arrayOf(checkpoint)),
    notes: f.str('notes'), tags: f.get('tags', arrayOf(str)), updated_at: f.get('updated_at', time),
  };
}

/** `v` itself when it is present; the path names the field that is missing. */
function present<T>(v: T | null | undefined, path: string): T {
  return v === null || v === undefined ? fail(path, 'present in a run trained in the lab', v) : v;
}

/**
 * The record as a LabRunRecord: every field a run trained here has, with our known values. Throws
 * RunRecordError naming the first field that does not fit (an imported reference run never does).
 */
export function labRecord(r: RunRecord): LabRunRecord {
  const c = r.config;
  const d = r.dataset;
  const t = r.test;
  return {
    ...r,
    model_parameters: present(r.model_parameters, 'model_parameters'),
    training_duration_seconds: present(r.training_duration_seconds, 'training_duration_seconds'),
    config: {
      ...c,
      batch_size: present(c.batch_size, 'config.batch_size'), learning_rate: present(c.learning_rate, 'config.learning_rate'),
      weight_decay: present(c.weight_decay, 'config.weight_decay'), seed: present(c.seed, 'config.seed'),
      device: nullable(backend)(c.device, 'config.device'), optimizer: oneOf(OPTIMIZERS)(c.optimizer, 'config.optimizer'),
      dataset: oneOf(DATASET_IDS)(c.dataset, 'config.dataset'),
      train_ratio: present(c.train_ratio, 'config.train_ratio'), val_ratio: present(c.val_ratio, 'config.val_ratio'), test_ratio: present(c.test_ratio, 'config.test_ratio'),
      stratified: oneOf([true] as const)(c.stratified, 'config.stratified'), save_freq: present(c.save_freq, 'config.save_freq'),
      lr_schedule: present(c.lr_schedule, 'config.lr_schedule'), early_stopping: present(c.early_stopping, 'config.early_stopping'),
      backend_requested: present(c.backend_requested, 'config.backend_requested'), model: present(c.model, 'config.model'),
      synthetic: c.synthetic === undefined ? fail('config.synthetic', 'present in a run trained in the lab', undefined) : c.synthetic,
      standardized: present(c.standardized, 'config.standardized'), url_query: present(c.url_query, 'config.url_query'),
    },
    dataset: {
      ...d,
      num_train_samples: present(d.num_train_samples, 'dataset.num_train_samples'), num_val_samples: present(d.num_val_samples, 'dataset.num_val_samples'),
      num_test_samples: present(d.num_test_samples, 'dataset.num_test_samples'), id: oneOf(DATASET_IDS)(d.id, 'dataset.id'),
      sha256: present(d.sha256, 'dataset.sha256'), input_shape: present(d.input_shape, 'dataset.input_shape'),
      class_distribution: present(d.class_distribution, 'dataset.class_distribution'),
    },
    training: {
      ...r.training,
      model_selection_method: oneOf(['validation_loss', 'validation_accuracy'] as const)(r.training.model_selection_method, 'training.model_selection_method'),
      early_stopped: present(r.training.early_stopped, 'training.early_stopped'),
    },
    test: t && {
      ...t,
      test_loss: present(t.test_loss, 'test.test_loss'), evaluated_model: present(t.evaluated_model, 'test.evaluated_model'),
      evaluated_epoch: present(t.evaluated_epoch, 'test.evaluated_epoch'), per_class_metrics: present(t.per_class_metrics, 'test.per_class_metrics'),
      confusion_matrix: present(t.confusion_matrix, 'test.confusion_matrix'),
    },
    architecture: present(r.architecture, 'architecture'),
    environment: present(r.environment, 'environment'),
    history: r.history.map((h, i) => ({
      ...h,
      learning_rate: present(h.learning_rate, `history[${i}].learning_rate`),
      epoch_time_seconds: present(h.epoch_time_seconds, `history[${i}].epoch_time_seconds`),
      samples_per_second: present(h.samples_per_second, `history[${i}].samples_per_second`),
    })),
  };
}

/** The lab-shaped record, or null for a record that is not (e.g. an imported reference run). */
export function asLabRecord(r: RunRecord): LabRunRecord | null {
  try {
    return labRecord(r);
  } catch (e) {
    if (e instanceof RunRecordError) return null;
    throw e;
  }
}

/** Per-class tables must match the class count, or exporters would index past them. */
function checkShapes(r: RunRecord): void {
  const k = r.dataset.num_classes;
  const expectLength = (path: string, length: number) => {
    if (length !== k) throw new RunRecordError(`run record: ${path} must have ${k} entries, one per class (got ${length})`, path);
  };
  expectLength('dataset.class_names', r.dataset.class_names.length);
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

/** One step per schema version: MIGRATIONS[n] turns a version-n record into version n + 1. */
const MIGRATIONS: ((r: Json) => Json)[] = [v0ToV1, v1ToV2];

/** Schema 0 (the first prototype) to 1: adds schema_version, environment, checkpoints, notes and tags. */
function v0ToV1(r: Json): Json {
  const device = isObject(r.config) ? r.config.device : null;
  const environment: Json = {
    user_agent: 'unknown (recorded before schema 1)',
    backend: typeof device === 'string' ? device : null,
    backend_forced: false,
    backends_skipped: [],
    webgpu_adapter: null,
    webgl_renderer: null,
    tfjs_version: null,
    app_version: 'unknown',
    hardware_concurrency: null,
  };
  return { ...r, schema_version: 1, environment, checkpoints: [], notes: '', tags: [] };
}

/**
 * Schema 1 to 2: every schema-1 record was trained here, so its origin is the lab. Schema 2 only
 * widened types and made fields optional, so the rest of a schema-1 record reads unchanged.
 */
function v1ToV2(r: Json): Json {
  return { ...r, schema_version: 2, origin: { kind: 'lab' } };
}

/** The schema version a raw record declares; a record without one is version 0. */
function versionOf(r: Json): number {
  if (!('schema_version' in r)) return 0;
  const v = int(r.schema_version, 'schema_version');
  if (v > SCHEMA_VERSION) {
    throw new RunRecordError(`run record: written by a newer TrainLab (schema ${v}); this version reads up to ${SCHEMA_VERSION}`, 'schema_version');
  }
  return v;
}

/** Upgrades a raw record of any older schema to the current one (not yet validated). */
export function migrateRunRecord(x: unknown): Json {
  if (!isObject(x)) fail('', 'an object', x);
  let r: Json = x;
  for (let v = versionOf(r); v < SCHEMA_VERSION; v++) r = MIGRATIONS[v](r);
  return r;
}

/** Migrates and checks `x`; returns a new RunRecord or throws RunRecordError naming the bad field. */
export function validateRunRecord(x: unknown): RunRecord {
  const record = parseCurrent(migrateRunRecord(x));
  checkShapes(record);
  if (record.origin.kind === 'lab') labRecord(record); // a lab record that lost a lab field is damaged
  return record;
}

/** validateRunRecord for a record that must be lab-shaped (the recorder's, resume's and run.zip's input). */
export function validateLabRecord(x: unknown): LabRunRecord {
  return labRecord(validateRunRecord(x));
}
