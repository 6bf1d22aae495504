import { expect } from '@esm-bundle/chai';
import { asLabRecord, labRecord, migrateRunRecord, RunRecordError, validateLabRecord, validateRunRecord } from '../../src/recorder/run-record-validate';
import { SCHEMA_VERSION } from '../../src/recorder/run-record';
import { isObject } from '../../src/recorder/run-record-fields';
import { MIGRATIONS } from '../../src/recorder/run-record-migrate';
import { completedRecord, runEpochs } from '../helpers/run-fixtures';

async function fixture(name: string): Promise<unknown> {
  const res = await fetch(new URL(`../fixtures/${name}`, import.meta.url));
  if (!res.ok) throw new Error(`fixture ${name}: HTTP ${res.status}`);
  const text = await res.text();
  return name.endsWith('.json') ? JSON.parse(text) : text;
}

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** A JSON copy of `v` with the value at `path` replaced (undefined deletes it). */
function damage(v: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = json(v);
  let node: unknown = copy;
  path.slice(0, -1).forEach((k) => (node = Array.isArray(node) ? node[Number(k)] : isObject(node) ? node[k] : undefined));
  const last = path[path.length - 1];
  if (Array.isArray(node)) node[Number(last)] = value;
  else if (isObject(node)) {
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}

function expectError(x: unknown, message: string, path?: string): void {
  try {
    validateRunRecord(x);
  } catch (e) {
    expect(e).to.be.instanceOf(RunRecordError);
    expect((e as RunRecordError).message).to.equal(message);
    if (path !== undefined) expect((e as RunRecordError).path).to.equal(path);
    return;
  }
  expect.fail(`no error for: ${message}`);
}

describe('validateRunRecord', () => {
  it('accepts a record from the recorder, also after a JSON round trip, and returns a copy', () => {
    const r = completedRecord();
    const checked = validateRunRecord(r);
    expect(checked).to.deep.equal(r);
    expect(checked).to.not.equal(r);
    expect(validateRunRecord(json(r))).to.deep.equal(r);
    const running = runEpochs(2);
    expect(validateRunRecord(json(running))).to.deep.equal(running);
  });

  it('drops keys it does not know', () => {
    expect(validateRunRecord(damage(completedRecord(), ['extra'], 1))).to.not.have.property('extra');
  });

  const cases: [(string | number)[], unknown, string][] = [
    [['history', 3, 'val_acc'], 'abc', 'history[3].val_acc must be a number (got "abc")'],
    [['history', 0, 'train_loss'], null, 'history[0].train_loss must be a number (got null)'],
    [['config', 'model', 'kind'], undefined, 'config.model.kind must be one of "mlp", "cnn" (got nothing)'],
    [['config', 'lr_schedule'], { kind: 'step', stepSize: 2 }, 'config.lr_schedule.gamma must be a number (got nothing)'],
    [['status'], 'paused', 'status must be one of "running", "completed", "stopped", "diverged", "failed", "interrupted" (got "paused")'],
    [['test', 'confusion_matrix', 1, 2], -1, 'test.confusion_matrix[1][2] must be a non-negative integer (got -1)'],
    [['environment', 'webgpu_adapter', 'is_fallback_adapter'], 'yes', 'environment.webgpu_adapter.is_fallback_adapter must be true or false (got "yes")'],
    [['dataset', 'class_distribution', 'val'], 'x', 'dataset.class_distribution.val must be an array (got "x")'],
    [['checkpoints'], [{ kind: 'temp' }], 'checkpoints[0].kind must be one of "best", "periodic", "latest", "initial" (got "temp")'],
    [['start_time'], 'yesterday', 'start_time must be an ISO 8601 time (got "yesterday")'],
    [['training'], null, 'training must be an object (got null)'],
    [['tags'], ['ok', 3], 'tags[1] must be a string (got 3)'],
    [['architecture', 'layers', 0, 'outputShape', 1], 'x', 'architecture.layers[0].outputShape[1] must be a non-negative integer (got "x")'],
    [['dataset', 'class_names'], ['a', 'b'], 'dataset.class_names must have 3 entries, one per class (got 2)'],
    [['test', 'per_class_metrics', 'per_class', 'f1'], [1], 'test.per_class_metrics.per_class.f1 must have 3 entries, one per class (got 1)'],
  ];
  for (const [path, value, message] of cases) {
    it(`reports ${message.split(' ')[0]}`, () => expectError(damage(completedRecord(), path, value), `run record: ${message}`, message.split(' ')[0]));
  }

  it('reports a value that is no object at all', () => {
    expectError('abc', 'run record must be an object (got "abc")', '');
    expectError([1], 'run record must be an object (got an array)', '');
    expectError(null, 'run record must be an object (got null)', '');
  });

  it('rejects a record written by a newer TrainLab, and a malformed version', () => {
    expectError(damage(completedRecord(), ['schema_version'], 7), `run record: written by a newer TrainLab (schema 7); this version reads up to ${SCHEMA_VERSION}`, 'schema_version');
    expectError(damage(completedRecord(), ['schema_version'], '1'), 'run record: schema_version must be a non-negative integer (got "1")');
  });
});

describe('migrateRunRecord', () => {
  it('upgrades a schema 0 record (the first prototype) to the current schema, keeping all its data', async () => {
    const v0 = await fixture('run-record-v0.json');
    if (!isObject(v0)) throw new Error('fixture is not an object');
    expect(v0).to.not.have.property('schema_version');
    expect(migrateRunRecord(v0)).to.deep.include({ schema_version: SCHEMA_VERSION, origin: { kind: 'lab' } });
    const r = validateRunRecord(v0);
    expect(r.environment).to.deep.include({ backend: 'webgl', webgpu_adapter: null, tfjs_version: null, backends_skipped: [] });
    expect(r).to.deep.include({ checkpoints: [], notes: '', tags: [] });
    const stored = json(r);
    for (const [key, value] of Object.entries(v0)) expect(isObject(stored) && stored[key], key).to.deep.equal(withSchema3(key, value));
  });

  it('reads a schema 1 record (written before imports existed) as a lab run of the current schema, data unchanged', async () => {
    const v1 = await fixture('run-record-v1.json');
    if (!isObject(v1)) throw new Error('fixture is not an object');
    expect(v1).to.include({ schema_version: 1 }).and.not.have.property('origin');
    const r = validateLabRecord(v1);
    expect(r).to.deep.include({ schema_version: SCHEMA_VERSION, origin: { kind: 'lab' } });
    const stored = json(r);
    for (const [key, value] of Object.entries(v1)) if (key !== 'schema_version') expect(isObject(stored) && stored[key], key).to.deep.equal(withSchema3(key, value));
  });

  it('reads a schema 2 record as a lab run of the current schema: unweighted loss, built-in data, data unchanged', async () => {
    const v2 = await fixture('run-record-v2.json');
    if (!isObject(v2)) throw new Error('fixture is not an object');
    expect(v2).to.deep.include({ schema_version: 2, origin: { kind: 'lab' } });
    expect(v2.config).to.not.have.property('class_weights');
    const r = validateLabRecord(v2);
    expect(r.schema_version).to.equal(SCHEMA_VERSION);
    expect(r.config).to.include({ class_weights: false, class_weight_values: null });
    expect(r.dataset.data_file).to.equal(null);
    const stored = json(r);
    for (const [key, value] of Object.entries(v2)) if (key !== 'schema_version') expect(isObject(stored) && stored[key], key).to.deep.equal(withSchema3(key, value));
    expect(validateLabRecord(stored)).to.deep.equal(r);
  });

  it('reads a schema 3 record as a lab run of the current schema: split seed = its seed, in no sweep, data unchanged', async () => {
    const v3 = await fixture('run-record-v3.json');
    if (!isObject(v3) || !isObject(v3.config)) throw new Error('fixture is not a record');
    expect(v3).to.include({ schema_version: 3 }).and.not.have.property('sweep_id');
    expect(v3.config).to.not.have.property('split_seed');
    const r = validateLabRecord(v3);
    expect(r.schema_version).to.equal(SCHEMA_VERSION);
    expect(r.sweep_id).to.equal(null);
    expect(r.config.split_seed).to.equal(v3.config.seed);
    const stored = json(r);
    for (const [key, value] of Object.entries(v3)) {
      if (key === 'schema_version') continue;
      const expected = key === 'config' && isObject(value) ? { ...value, split_seed: value.seed } : value;
      expect(isObject(stored) && stored[key], key).to.deep.equal(expected);
    }
    expect(validateLabRecord(stored)).to.deep.equal(r);
  });

  it('reads a schema 4 record as a lab run of the current schema: no per-class recall recorded, data unchanged', async () => {
    const v4 = await fixture('run-record-v4.json');
    if (!isObject(v4)) throw new Error('fixture is not a record');
    expect(v4).to.include({ schema_version: 4 }).and.not.have.property('per_class_recall_history');
    const r = validateLabRecord(v4);
    expect(r.schema_version).to.equal(SCHEMA_VERSION);
    expect(r.per_class_recall_history).to.deep.equal([]);
    const stored = json(r);
    for (const [key, value] of Object.entries(v4)) if (key !== 'schema_version') expect(isObject(stored) && stored[key], key).to.deep.equal(value);
    expect(validateLabRecord(stored)).to.deep.equal(r);
  });

  it('reads a schema 5 record as a lab run of the current schema: no training step recorded, data unchanged', async () => {
    const v5 = await fixture('run-record-v5.json');
    if (!isObject(v5)) throw new Error('fixture is not a record');
    expect(v5).to.include({ schema_version: 5 });
    expect(v5.environment).to.not.have.property('training_step');
    const r = validateLabRecord(v5);
    expect(r.schema_version).to.equal(SCHEMA_VERSION);
    expect(r.environment.training_step).to.equal(undefined);
    expect(r.environment.wasm_threads).to.equal(2);
    expect(r.per_class_recall_history).to.have.length(5);
    const stored = json(r);
    for (const [key, value] of Object.entries(v5)) if (key !== 'schema_version') expect(isObject(stored) && stored[key], key).to.deep.equal(value);
    expect(validateLabRecord(stored)).to.deep.equal(r);
  });

  it('checks the training step: the dense step or tfjs, threads and fma integers and booleans or null', () => {
    const r = json(completedRecord()) as Record<string, unknown>;
    const env = r.environment as Record<string, unknown>;
    const dense = { path: 'dense', threads: 2, fma: true };
    expect(validateLabRecord({ ...r, environment: { ...env, training_step: dense } }).environment.training_step).to.deep.equal(dense);
    const tfjs = { path: 'tfjs', threads: null, fma: null };
    expect(validateLabRecord({ ...r, environment: { ...env, training_step: tfjs } }).environment.training_step).to.deep.equal(tfjs);
    expectError({ ...r, environment: { ...env, training_step: { ...dense, path: 'xnnpack' } } }, 'run record: environment.training_step.path must be one of "dense", "tfjs" (got "xnnpack")', 'environment.training_step.path');
    expectError({ ...r, environment: { ...env, training_step: { ...dense, threads: 1.5 } } }, 'run record: environment.training_step.threads must be a non-negative integer (got 1.5)', 'environment.training_step.threads');
  });

  it('checks the per-class recall history: one recall per class, percentages or null', () => {
    const r = json(completedRecord()) as Record<string, unknown>;
    const k = (r.dataset as { num_classes: number }).num_classes;
    const recall = Array.from({ length: k }, (_, c) => (c === 0 ? null : 50 + c));
    const back = validateLabRecord({ ...r, per_class_recall_history: [{ epoch: 1, recall }] });
    expect(back.per_class_recall_history).to.deep.equal([{ epoch: 1, recall }]);
    expectError({ ...r, per_class_recall_history: [{ epoch: 1, recall: recall.slice(1) }] }, `run record: per_class_recall_history[0].recall must have ${k} entries, one per class (got ${k - 1})`, 'per_class_recall_history[0].recall');
    expectError({ ...r, per_class_recall_history: [{ epoch: 1, recall: [101, ...recall.slice(1)] }] }, 'run record: per_class_recall_history[0].recall[0] must be a percentage (0 to 100) (got 101)');
    expectError({ ...r, per_class_recall_history: undefined }, 'run record: per_class_recall_history must be present in a run trained in the lab (got nothing)', 'per_class_recall_history');
  });

  it('keeps an initial-weights checkpoint (epoch 0) and a sweep id', () => {
    const r = json(completedRecord()) as Record<string, unknown>;
    r.sweep_id = 'sweep_20261201_101500';
    (r.checkpoints as unknown[]).push({ kind: 'initial', epoch: 0, key: 'x/initial', bytes: 10, with_optimizer: false });
    const back = validateLabRecord(r);
    expect(back.sweep_id).to.equal('sweep_20261201_101500');
    expect(back.checkpoints.at(-1)).to.deep.include({ kind: 'initial', epoch: 0 });
    expect(() => validateLabRecord({ ...r, sweep_id: 7 })).to.throw(/sweep_id must be a string/);
  });

  it('has one step per older schema, each raising the version by one and keeping the other fields', () => {
    expect(MIGRATIONS).to.have.length(SCHEMA_VERSION);
    MIGRATIONS.forEach((step, n) => {
      const out = step({ schema_version: n, run_id: 'r1', run_name: 'kept' });
      expect(out.schema_version, `step ${n}`).to.equal(n + 1);
      expect(out, `step ${n}`).to.include({ run_id: 'r1', run_name: 'kept' });
    });
  });

  it('leaves a current record as it is', () => {
    const r = json(completedRecord());
    expect(migrateRunRecord(r)).to.deep.equal(r);
  });
});

/** What schema 3 adds to an older lab record's top-level `key` on migration. */
/** A pre-schema-3 lab record's field as the current schema reads it (the fields schemas 3 and 4 added). */
function withSchema3(key: string, value: unknown): unknown {
  if (key === 'config' && isObject(value)) return { ...value, class_weights: false, class_weight_values: null, split_seed: value.seed };
  if (key === 'dataset' && isObject(value)) return { ...value, data_file: null };
  return value;
}

/** A record as the compare importer builds it from a reference folder: what that layout lacks is absent or null. */
function importedReferenceRecord(): Record<string, unknown> {
  const lab = json(completedRecord()) as Record<string, unknown>;
  const drop = (o: unknown, keys: string[]) => isObject(o) && keys.forEach((k) => delete o[k]);
  drop(lab.config, ['lr_schedule', 'early_stopping', 'backend_requested', 'model', 'synthetic', 'standardized', 'url_query', 'optimizer', 'save_freq']);
  drop(lab.dataset, ['sha256', 'input_shape', 'class_distribution', 'num_train_samples', 'num_val_samples']);
  const config = lab.config as Record<string, unknown>;
  config.device = 'cuda';
  config.dataset = 'mitdb';
  config.stratified = false;
  config.extra = { window_size: 0.8, split_mode: 'beat_wise', curated_test: '["104","105"]', class_weights: true };
  (lab.dataset as Record<string, unknown>).id = 'mitdb';
  (lab.training as Record<string, unknown>).early_stopped = null;
  return { ...lab, model_name: 'simple_cnn', architecture: null, environment: null, history: (lab.history as Record<string, unknown>[]).map((h) => ({ ...h, epoch_time_seconds: null, samples_per_second: null, test_acc: 50, test_loss: 1 })),
    origin: { kind: 'imported', file: 'checkpoints.zip', path: 'checkpoints/simple_cnn_20251128_225939', format: 'reference', imported_at: '2026-12-01T10:00:00.000+01:00' } };
}

describe('schema 2: records this lab did not train', () => {
  it('accepts an imported reference run with open strings and without the lab-only fields', () => {
    const r = validateRunRecord(importedReferenceRecord());
    expect(r.origin).to.deep.include({ kind: 'imported', format: 'reference', file: 'checkpoints.zip' });
    expect(r.config).to.include({ device: 'cuda', dataset: 'mitdb', stratified: false });
    expect(r.config.extra).to.deep.equal({ window_size: 0.8, split_mode: 'beat_wise', curated_test: '["104","105"]', class_weights: true });
    expect(r.config.model).to.equal(undefined);
    expect(r.dataset.sha256).to.equal(null);
    expect(r.history[0]).to.include({ test_acc: 50, test_loss: 1, samples_per_second: null });
    expect(validateRunRecord(json(r))).to.deep.equal(r);
  });

  it('is not lab-shaped: asLabRecord gives null, labRecord names the first missing field', () => {
    const r = validateRunRecord(importedReferenceRecord());
    expect(asLabRecord(r)).to.equal(null);
    expect(() => labRecord(r)).to.throw(RunRecordError, 'run record: config.device must be one of "webgpu", "webgl", "wasm", "cpu" (got "cuda")');
  });

  it('a record claiming to be from the lab must have every lab field', () => {
    const damaged = { ...importedReferenceRecord(), origin: { kind: 'lab' } };
    expect(() => validateRunRecord(damaged)).to.throw(RunRecordError, /must be/);
    expect(() => validateRunRecord(damage(completedRecord(), ['architecture'], null))).to.throw(RunRecordError, 'run record: architecture must be present in a run trained in the lab (got null)');
  });

  it('an imported TrainLab run.zip record keeps its lab shape', () => {
    const r = validateRunRecord({ ...json(completedRecord()) as object, origin: { kind: 'imported', file: 'mlp.zip', path: '', format: 'trainlab', imported_at: '2026-12-01T10:00:00.000+01:00' } });
    expect(asLabRecord(r)?.config.model?.kind).to.equal('mlp');
  });

  it('reports a bad origin', () => {
    expectError(damage(completedRecord(), ['origin', 'kind'], 'cloud'), 'run record: origin.kind must be one of "lab", "imported" (got "cloud")', 'origin.kind');
    expectError({ ...importedReferenceRecord(), origin: { kind: 'imported', file: 'x.zip', path: '', format: 'csv', imported_at: '2026-12-01T10:00:00Z' } }, 'run record: origin.format must be one of "trainlab", "reference" (got "csv")', 'origin.format');
  });

  it('keeps an extra config value only when it is plain', () => {
    expectError(damage(importedReferenceRecord(), ['config', 'extra', 'nested'], { a: 1 }), 'run record: config.extra.nested must be a string, number, true/false or null (got an object)', 'config.extra.nested');
  });
});

/** Key paths of `v` down to its non-object values (arrays are values). */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (!isObject(v)) return [prefix];
  return Object.entries(v).flatMap(([k, x]) => keyPaths(x, prefix ? `${prefix}.${k}` : k));
}

function valueAt(v: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (isObject(node) ? node[k] : undefined), v);
}

const kindOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

// The reference's ECG-specific keys: its signal windowing and the patient recordings in each
// split. TrainLab's datasets have neither; their counterparts are dataset.num_*_samples.
const NOT_APPLICABLE = [
  'config.window_size',
  'config.lead',
  ...['train', 'val', 'test'].flatMap((s) => [`dataset.num_${s}_records`, `dataset.${s}_records`]),
];

describe('the reference results_summary.json', () => {
  it('is not a RunRecord', async () => {
    const ref = await fixture('reference-results-summary.json');
    expect(() => validateRunRecord(ref)).to.throw(RunRecordError, /run_id must be a string/);
  });

  it('has only keys that a completed record has too, with the same kinds of value and units', async () => {
    const ref = await fixture('reference-results-summary.json');
    const ours = json(completedRecord());
    const paths = keyPaths(ref).filter((p) => !NOT_APPLICABLE.includes(p));
    expect(paths).to.include.members(['test.per_class_metrics.per_class.f1', 'test.per_class_metrics.macro.precision', 'training.final_test_acc']);
    for (const p of paths) expect(kindOf(valueAt(ours, p)), p).to.equal(kindOf(valueAt(ref, p)));
    for (const v of [ref, ours]) {
      expect(valueAt(v, 'test.test_accuracy')).to.be.within(1, 100); // percent
      expect(valueAt(v, 'test.per_class_metrics.macro.f1')).to.be.within(0, 1); // fraction
    }
  });

  it('has history columns that a record epoch has too, except the per-epoch test metrics', async () => {
    const csv = await fixture('reference-training-history.csv');
    const columns = String(csv).split('\n')[0].split(',');
    const ours = Object.keys(completedRecord().history[0]);
    expect(columns.filter((c) => !['test_loss', 'test_acc'].includes(c))).to.have.length(6);
    expect(ours).to.include.members(columns.filter((c) => !['test_loss', 'test_acc'].includes(c)));
  });
});
