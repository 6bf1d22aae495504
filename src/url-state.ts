// The whole lab state in the URL query string (like TensorFlow Playground), so a link reproduces a
// run. Fixed names (tests drive the page with them): dataset, model, epochs, batch, lr, optimizer,
// seed, backend, autostart. Ours: samples, noise, classes, dseed, split, hidden, filters, kernel,
// dense, act, dropout (of the selected model; mlp.act, mlp.dropout, cnn.act, cnn.dropout keep the
// other model's edits), wd, sched, step, gamma, minlr, factor, lrpatience, es, patience, monitor, save (checkpoint every N epochs),
// cw (class weights: none, balanced), sseed (the split's seed when not the same as seed). With dataset=file (a person's own data): file (its name),
// fsha (its SHA-256), and the choices made for it: label, skip (unused columns), cat (numeric
// columns one-hot encoded), scale, missing, nanum (non-numbers as missing), maxcat, isize, icolor.
// A sweep (sweep-form.ts): sweep (`lr:0.001|0.01;hidden:16,16|32,32`), repeats, sweepmode (grid,
// random), draws, drawseed; written only when not the defaults, never into a run's own address.
// Parsing never throws: an unknown or invalid value keeps its default and adds a line to `errors`.
// Parameters a run needs are always written; the others only when they differ from the defaults.

import {
  DEFAULT_CNN,
  DEFAULT_MLP,
  DEFAULT_RATIOS,
  DEFAULT_SYNTHETIC,
  DEFAULT_TRAIN_CONFIG,
  validateModelSpec,
  validateRatios,
  validateSynthetic,
  validateTrainConfig,
} from './training/config';
import { DEFAULT_SCHEDULES, LR_SCHEDULE_KINDS } from './training/schedules';
import {
  ACTIVATIONS,
  BACKENDS,
  CLASS_WEIGHTINGS,
  DATASET_IDS,
  MONITORS,
  OPTIMIZERS,
  isSyntheticDataset,
  type CnnSpec,
  type DatasetId,
  type MlpSpec,
  type ModelKind,
  type ModelSpec,
  type SplitRatios,
  type SyntheticOptions,
  type TrainConfig,
} from './training/types';
import { bool, count, list, names, num, oneOf, sha256, split, text, textOrNone, type Codec } from './url-codecs';
import { defaultOwnDataSpec, DEFAULT_TABLE_SPEC, type OwnDataSpec } from './app/own-data-spec';
import { COLOR_MODES, DEFAULT_IMAGE_OPTIONS, IMAGE_SIZES } from './training/datasets/images/image-limits';
import { DEFAULT_SWEEP_FORM, SWEEP_ADDRESS_SAFE, SWEEP_MODES, defaultSweepForm, sweepParamsCodec, type SweepForm } from './app/sweep-form';

export interface LabState {
  dataset: DatasetId;
  synthetic: SyntheticOptions;
  ratios: SplitRatios;
  model: ModelKind; // which of mlp / cnn is selected; both specs are kept so switching keeps edits
  mlp: MlpSpec;
  cnn: CnnSpec;
  config: TrainConfig;
  splitSeed: number | null; // the seed of the train/val/test split; null: the same as config.seed
  own: OwnDataSpec; // used when dataset is 'file'
  autostart: boolean;
  sweep?: SweepForm; // the sweep being set up (absent: none); not part of a run's own address
}

export function defaultLabState(): LabState {
  return structuredClone({
    dataset: 'spirals',
    synthetic: DEFAULT_SYNTHETIC,
    ratios: DEFAULT_RATIOS,
    model: 'mlp',
    mlp: DEFAULT_MLP,
    cnn: DEFAULT_CNN,
    config: DEFAULT_TRAIN_CONFIG,
    splitSeed: null,
    own: defaultOwnDataSpec(),
    autostart: false,
  });
}

/** The seed the Lab splits its data with. */
export const splitSeedOf = (s: LabState): number => s.splitSeed ?? s.config.seed;

export function selectedModel(s: LabState): ModelSpec {
  return s.model === 'mlp' ? s.mlp : s.cnn;
}

// ---- parameters ------------------------------------------------------------------------------

type Group = 'synthetic' | 'ratios' | 'mlp' | 'cnn' | 'config' | null;

interface ParamDef<T> {
  name: string;
  codec: Codec<T>;
  read(s: LabState): T | undefined; // undefined: does not apply in this state (not written)
  write(s: LabState, v: T): string | null; // an error when it does not apply
  group?: (s: LabState) => Group; // the validator that checks it, and its field key
  field?: string;
  always?: (s: LabState) => boolean; // written whenever it applies; otherwise only when ≠ dflt
  dflt?: T;
}

interface Param {
  name: string;
  keep?: RegExp; // escapes written back as they were (the sweep's `|`, `:`, `;`); commas always
  serialize(s: LabState): string | undefined;
  apply(s: LabState, raw: string): string | null;
}

function def<T>(p: ParamDef<T>): Param {
  return {
    name: p.name,
    serialize(s) {
      const v = p.read(s);
      if (v === undefined) return undefined;
      const text = p.codec.format(v);
      const keep = p.always?.(s) ?? true;
      return keep || p.dflt === undefined || text !== p.codec.format(p.dflt) ? text : undefined;
    },
    apply(s, raw) {
      const parsed = p.codec.parse(raw);
      if ('error' in parsed) return parsed.error;
      const before = structuredClone(s);
      const notApplicable = p.write(s, parsed.value);
      if (notApplicable) return notApplicable;
      const problem = p.group && p.field !== undefined ? validate(s, p.group(s), p.field) : null;
      if (problem) Object.assign(s, before);
      return problem;
    },
  };
}

function validate(s: LabState, group: Group, field: string): string | null {
  const errors =
    group === 'synthetic' ? validateSynthetic(s.synthetic)
    : group === 'ratios' ? validateRatios(s.ratios)
    : group === 'mlp' ? validateModelSpec(s.mlp, 'image')
    : group === 'cnn' ? validateModelSpec(s.cnn, 'image')
    : group === 'config' ? validateTrainConfig(s.config)
    : {};
  return field === '*' ? (Object.values(errors)[0] ?? null) : (errors[field] ?? null);
}

const isSynthetic = (s: LabState): boolean => isSyntheticDataset(s.dataset);
const always = (): boolean => true;
const cfg = (): Group => 'config';

const synth = (name: string, key: keyof SyntheticOptions): Param =>
  def({ name, codec: num, read: (s) => s.synthetic[key], write: (s, v) => ((s.synthetic[key] = v), null),
    group: () => 'synthetic', field: key, always: isSynthetic, dflt: DEFAULT_SYNTHETIC[key] });

/** A field of one model kind: `own` is written when that kind is selected, as `{kind}.{name}` otherwise. */
function modelField<K extends 'activation' | 'dropout'>(name: string, key: K, codec: Codec<MlpSpec[K]>): Param[] {
  const other = (kind: ModelKind): Param =>
    def({ name: `${kind}.${name}`, codec, read: (s) => (s.model === kind ? undefined : s[kind][key]),
      write: (s, v) => ((s[kind][key] = v), null), group: () => kind, field: key, always: () => false,
      dflt: (kind === 'mlp' ? DEFAULT_MLP : DEFAULT_CNN)[key] });
  const own = def({ name, codec, read: (s) => s[s.model][key], write: (s, v) => ((s[s.model][key] = v), null),
    group: (s) => s.model, field: key, always });
  return [other('mlp'), other('cnn'), own];
}

/** A parameter of one schedule kind: applies only when `sched` selects that kind. */
function schedField(name: string, key: 'stepSize' | 'gamma' | 'minLr' | 'factor' | 'patience', kinds: string[]): Param {
  return def({
    name, codec: num, group: cfg, field: `schedule.${key}`, always,
    read: (s) => (kinds.includes(s.config.schedule.kind) ? (s.config.schedule as unknown as Record<string, number>)[key] : undefined),
    write: (s, v) => {
      if (!kinds.includes(s.config.schedule.kind)) return `only used with sched=${kinds.join(' or sched=')}`;
      (s.config.schedule as unknown as Record<string, number>)[key] = v;
      return null;
    },
  });
}

const esOn = (s: LabState): boolean => s.config.earlyStopping.enabled;

const isOwn = (s: LabState): boolean => s.dataset === 'file';
/** A parameter of a person's own data: read and written only with dataset=file. */
function ownField<T>(name: string, codec: Codec<T>, get: (o: OwnDataSpec) => T | undefined, set: (o: OwnDataSpec, v: T) => void, dflt?: T): Param {
  return def({
    name, codec, dflt, always: () => dflt === undefined,
    read: (s) => (isOwn(s) ? get(s.own) : undefined),
    write: (s, v) => (isOwn(s) ? (set(s.own, v), null) : 'only used with dataset=file'),
  });
}
const T = DEFAULT_TABLE_SPEC;
const imageSize = { parse: (raw: string) => { const n = Number(raw); return (IMAGE_SIZES as readonly number[]).includes(n) ? { value: n as (typeof IMAGE_SIZES)[number] } : { error: `expected one of ${IMAGE_SIZES.join(', ')}` }; }, format: String };
const OWN_PARAMS: Param[] = [
  ownField('file', text, (o) => o.name || undefined, (o, v) => (o.name = v)),
  ownField('fsha', sha256, (o) => o.sha256 || undefined, (o, v) => (o.sha256 = v)),
  ownField('label', textOrNone, (o) => o.table.label ?? undefined, (o, v) => (o.table.label = v)),
  ownField('skip', names, (o) => o.table.skip, (o, v) => (o.table.skip = v), []),
  ownField('cat', names, (o) => o.table.cat, (o, v) => (o.table.cat = v), []),
  ownField('scale', oneOf(['standard', 'minmax', 'none'] as const, 'scaling'), (o) => o.table.scaling, (o, v) => (o.table.scaling = v), T.scaling),
  ownField('missing', oneOf(['drop', 'impute'] as const, 'missing-value rule'), (o) => o.table.missing, (o, v) => (o.table.missing = v), T.missing),
  ownField('nanum', bool, (o) => o.table.notNumbersAsMissing, (o, v) => (o.table.notNumbersAsMissing = v), T.notNumbersAsMissing),
  ownField('maxcat', count, (o) => o.table.maxCategories, (o, v) => (o.table.maxCategories = v), T.maxCategories),
  ownField('isize', imageSize, (o) => o.image.size, (o, v) => (o.image.size = v), DEFAULT_IMAGE_OPTIONS.size),
  ownField('icolor', oneOf(COLOR_MODES, 'colour'), (o) => o.image.color, (o, v) => (o.image.color = v), DEFAULT_IMAGE_OPTIONS.color),
];
const DEFAULT_ES = DEFAULT_TRAIN_CONFIG.earlyStopping;

/** A field of the sweep being set up (sweep-form.ts). */
const sweepField = <K extends keyof SweepForm>(name: string, key: K, codec: Codec<SweepForm[K]>): Param =>
  def({ name, codec, read: (s) => s.sweep?.[key], write: (s, v) => ((s.sweep = { ...(s.sweep ?? defaultSweepForm()), [key]: v }), null),
    always: () => false, dflt: DEFAULT_SWEEP_FORM[key] });
const SWEEP_PARAMS: Param[] = [
  { ...sweepField('sweep', 'params', sweepParamsCodec), keep: SWEEP_ADDRESS_SAFE },
  sweepField('repeats', 'repeats', count),
  sweepField('sweepmode', 'mode', oneOf(SWEEP_MODES, 'sweep mode')),
  sweepField('draws', 'draws', count),
  sweepField('drawseed', 'drawSeed', num),
];

/** In the order they are parsed and written: later ones may depend on earlier ones. */
const PARAMS: Param[] = [
  def({ name: 'dataset', codec: oneOf([...DATASET_IDS, 'file'] as const, 'dataset'), read: (s) => s.dataset, write: (s, v) => ((s.dataset = v), null) }),
  ...OWN_PARAMS,
  synth('samples', 'samples'),
  synth('noise', 'noise'),
  synth('classes', 'classes'),
  synth('dseed', 'seed'),
  def({ name: 'split', codec: split, read: (s) => s.ratios, write: (s, v) => ((s.ratios = v), null), group: () => 'ratios', field: '*' }),
  def({ name: 'model', codec: oneOf(['mlp', 'cnn'] as const, 'model'), read: (s) => s.model, write: (s, v) => ((s.model = v), null) }),
  def({ name: 'hidden', codec: list, read: (s) => s.mlp.hidden, write: (s, v) => ((s.mlp.hidden = v), null),
    group: () => 'mlp', field: 'hidden', always: (s) => s.model === 'mlp', dflt: DEFAULT_MLP.hidden }),
  def({ name: 'filters', codec: list, read: (s) => s.cnn.filters, write: (s, v) => ((s.cnn.filters = v), null),
    group: () => 'cnn', field: 'filters', always: (s) => s.model === 'cnn', dflt: DEFAULT_CNN.filters }),
  def({ name: 'kernel', codec: num, read: (s) => s.cnn.kernelSize, write: (s, v) => ((s.cnn.kernelSize = v), null),
    group: () => 'cnn', field: 'kernelSize', always: (s) => s.model === 'cnn', dflt: DEFAULT_CNN.kernelSize }),
  def({ name: 'dense', codec: num, read: (s) => s.cnn.dense, write: (s, v) => ((s.cnn.dense = v), null),
    group: () => 'cnn', field: 'dense', always: (s) => s.model === 'cnn', dflt: DEFAULT_CNN.dense }),
  ...modelField('act', 'activation', oneOf(ACTIVATIONS, 'activation')),
  ...modelField('dropout', 'dropout', num),
  def({ name: 'epochs', codec: num, read: (s) => s.config.epochs, write: (s, v) => ((s.config.epochs = v), null), group: cfg, field: 'epochs' }),
  def({ name: 'batch', codec: num, read: (s) => s.config.batchSize, write: (s, v) => ((s.config.batchSize = v), null), group: cfg, field: 'batchSize' }),
  def({ name: 'optimizer', codec: oneOf(OPTIMIZERS, 'optimizer'), read: (s) => s.config.optimizer, write: (s, v) => ((s.config.optimizer = v), null) }),
  def({ name: 'lr', codec: num, read: (s) => s.config.learningRate, write: (s, v) => ((s.config.learningRate = v), null), group: cfg, field: 'learningRate' }),
  def({ name: 'wd', codec: num, read: (s) => s.config.weightDecay, write: (s, v) => ((s.config.weightDecay = v), null), group: cfg, field: 'weightDecay' }),
  def({ name: 'cw', codec: oneOf(CLASS_WEIGHTINGS, 'class weights'), read: (s) => s.config.classWeights,
    write: (s, v) => ((s.config.classWeights = v), null), group: cfg, field: 'classWeights', always: () => false, dflt: DEFAULT_TRAIN_CONFIG.classWeights }),
  def({ name: 'sched', codec: oneOf(LR_SCHEDULE_KINDS, 'schedule'), read: (s) => s.config.schedule.kind,
    write: (s, v) => ((s.config.schedule = structuredClone(DEFAULT_SCHEDULES[v])), null) }),
  schedField('step', 'stepSize', ['step']),
  schedField('gamma', 'gamma', ['step']),
  schedField('minlr', 'minLr', ['cosine', 'plateau']),
  schedField('factor', 'factor', ['plateau']),
  schedField('lrpatience', 'patience', ['plateau']),
  def({ name: 'es', codec: bool, read: (s) => s.config.earlyStopping.enabled, write: (s, v) => ((s.config.earlyStopping.enabled = v), null),
    always: () => false, dflt: false }),
  def({ name: 'patience', codec: num, read: (s) => s.config.earlyStopping.patience, write: (s, v) => ((s.config.earlyStopping.patience = v), null),
    group: cfg, field: 'earlyStopping.patience', always: esOn, dflt: DEFAULT_ES.patience }),
  def({ name: 'monitor', codec: oneOf(MONITORS, 'monitor'), read: (s) => s.config.earlyStopping.monitor,
    write: (s, v) => ((s.config.earlyStopping.monitor = v), null), always: esOn, dflt: DEFAULT_ES.monitor }),
  def({ name: 'save', codec: num, read: (s) => s.config.saveFreq, write: (s, v) => ((s.config.saveFreq = v), null),
    group: cfg, field: 'saveFreq', always: () => false, dflt: DEFAULT_TRAIN_CONFIG.saveFreq }),
  def({ name: 'seed', codec: num, read: (s) => s.config.seed, write: (s, v) => ((s.config.seed = v), null), group: cfg, field: 'seed' }),
  def({ name: 'sseed', codec: num, read: (s) => s.splitSeed ?? undefined, write: (s, v) => ((s.splitSeed = v), null) }),
  def({ name: 'backend', codec: oneOf(BACKENDS, 'backend'), read: (s) => (s.config.backend === 'auto' ? undefined : s.config.backend),
    write: (s, v) => ((s.config.backend = v), null) }),
  def({ name: 'autostart', codec: bool, read: (s) => (s.autostart ? true : undefined), write: (s, v) => ((s.autostart = v), null) }),
  ...SWEEP_PARAMS,
];

/** The names of the address's parameters, in the order they are parsed and written. */
export const LAB_PARAM_NAMES: readonly string[] = PARAMS.map((p) => p.name);

/** Parse `?dataset=moons&epochs=50…` (leading '?' optional). Never throws. */
export function parseLabState(search: string): { state: LabState; errors: string[] } {
  const state = defaultLabState();
  const errors: string[] = [];
  const params = new URLSearchParams(search);
  const known = new Set(PARAMS.map((p) => p.name));
  for (const [name, raw] of params) {
    if (!known.has(name)) errors.push(`ignored ${name}=${raw}: unknown parameter`);
  }
  for (const p of PARAMS) {
    const raw = params.get(p.name);
    if (raw === null) continue;
    if (p.name === 'backend' && raw === 'auto') continue;
    const problem = p.apply(state, raw);
    if (problem) errors.push(`ignored ${p.name}=${raw}: ${problem}`);
  }
  return { state, errors };
}

/** The query string, starting with '?', that reproduces `state`. */
export function serializeLabState(state: LabState): string {
  const parts: string[] = [];
  for (const p of PARAMS) {
    const text = p.serialize(state);
    if (text !== undefined) parts.push(`${p.name}=${encodeURIComponent(text).replace(p.keep ?? /%2C/gi, decodeURIComponent)}`);
  }
  return `?${parts.join('&')}`;
}

/** The address of a run of `state`: what it trains, without autostart or a sweep being set up. */
export const runQueryOf = (state: LabState): string => serializeLabState({ ...state, sweep: undefined, autostart: false });
