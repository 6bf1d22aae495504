// Defaults and validation of everything the user sets: training config, model spec, synthetic
// dataset options and split ratios. Validators return a per-field error map (empty when valid)
// with specific, readable messages that the UI shows beside each field. Pure: no DOM, no tfjs.

import { validateScheduleFields } from './schedules';
import {
  ACTIVATIONS,
  BACKENDS,
  CLASS_WEIGHTINGS,
  MONITORS,
  OPTIMIZERS,
  type CnnSpec,
  type DatasetKind,
  type MlpSpec,
  type ModelSpec,
  type SplitRatios,
  type SyntheticOptions,
  type TrainConfig,
} from './types';

export type FieldErrors = Record<string, string>;

/** Deep-frozen so a shared default can never be mutated by accident; copy with structuredClone. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = frozen({
  epochs: 20,
  batchSize: 32,
  optimizer: 'adam',
  learningRate: 0.01,
  weightDecay: 0,
  schedule: { kind: 'constant' },
  earlyStopping: { enabled: false, patience: 5, monitor: 'val_loss' },
  seed: 42,
  backend: 'auto',
  saveFreq: 5,
  classWeights: 'none',
});
export const DEFAULT_RATIOS: SplitRatios = frozen({ train: 0.7, val: 0.15, test: 0.15 });
export const DEFAULT_MLP: MlpSpec = frozen({ kind: 'mlp', hidden: [16, 16], activation: 'relu', dropout: 0 });
export const DEFAULT_CNN: CnnSpec = frozen({
  kind: 'cnn',
  filters: [8, 16],
  kernelSize: 3,
  dense: 32,
  activation: 'relu',
  dropout: 0,
});
export const DEFAULT_SYNTHETIC: SyntheticOptions = frozen({ samples: 600, noise: 0.1, classes: 3, seed: 42 });

export const LIMITS = {
  epochs: [1, 1000],
  maxLearningRate: 1e6, // generous on purpose: showing a run diverge is a lesson too
  maxWeightDecay: 1,
  seed: [0, 4294967295],
  patience: [1, 1000],
  saveFreq: [1, 1000],
  maxHiddenLayers: 8,
  units: [1, 4096],
  maxConvBlocks: 4, // 28 → 14 → 7 → 3 → 1 with 2×2 pooling
  filters: [1, 256],
  kernelSizes: [3, 5],
  dense: [0, 4096],
  dropout: [0, 0.9],
  samples: [50, 20000],
  noise: [0, 1],
  classes: [2, 5],
} as const;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown, [min, max]: readonly [number, number]): boolean =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const got = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
const intMsg = (label: string, v: unknown, [min, max]: readonly [number, number]): string =>
  `${label} must be an integer in ${min}..${max} (got ${got(v)})`;
const oneOf = (label: string, v: unknown, options: readonly string[]): string =>
  `${label} must be one of ${options.join(', ')} (got ${got(v)})`;

export function validateTrainConfig(c: TrainConfig): FieldErrors {
  const e: FieldErrors = {};
  if (!isInt(c.epochs, LIMITS.epochs)) e.epochs = intMsg('epochs', c.epochs, LIMITS.epochs);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) e.batchSize = `batch size must be an integer ≥ 1 (got ${got(c.batchSize)})`;
  if (!(OPTIMIZERS as readonly unknown[]).includes(c.optimizer)) e.optimizer = oneOf('optimizer', c.optimizer, OPTIMIZERS);
  if (!isNum(c.learningRate) || c.learningRate <= 0) e.learningRate = `learning rate must be > 0 (got ${got(c.learningRate)})`;
  else if (c.learningRate > LIMITS.maxLearningRate) {
    e.learningRate = `learning rate must be ≤ ${LIMITS.maxLearningRate} (got ${c.learningRate})`;
  }
  if (!isNum(c.weightDecay) || c.weightDecay < 0) e.weightDecay = `weight decay must be ≥ 0 (got ${got(c.weightDecay)})`;
  else if (c.weightDecay > LIMITS.maxWeightDecay) e.weightDecay = `weight decay must be ≤ ${LIMITS.maxWeightDecay} (got ${c.weightDecay})`;

  const s = c.schedule;
  if (!s || typeof s !== 'object') e['schedule.kind'] = `schedule is missing (got ${got(s)})`;
  else {
    for (const [field, msg] of Object.entries(validateScheduleFields(s))) e[`schedule.${field}`] = msg;
    if ((s.kind === 'cosine' || s.kind === 'plateau') && !e['schedule.minLr'] && !e.learningRate && s.minLr > c.learningRate) {
      e['schedule.minLr'] = `minimum learning rate must not exceed the learning rate (got ${s.minLr} > ${c.learningRate})`;
    }
  }

  const es = c.earlyStopping;
  if (!es || typeof es !== 'object') e['earlyStopping.enabled'] = `early stopping is missing (got ${got(es)})`;
  else {
    if (typeof es.enabled !== 'boolean') e['earlyStopping.enabled'] = `early stopping must be on or off (got ${got(es.enabled)})`;
    if (!isInt(es.patience, LIMITS.patience)) {
      e['earlyStopping.patience'] = intMsg('early-stopping patience', es.patience, LIMITS.patience);
    }
    if (!(MONITORS as readonly unknown[]).includes(es.monitor)) e['earlyStopping.monitor'] = oneOf('monitor', es.monitor, MONITORS);
  }
  if (!isInt(c.seed, LIMITS.seed)) e.seed = intMsg('seed', c.seed, LIMITS.seed);
  if (!isInt(c.saveFreq, LIMITS.saveFreq)) e.saveFreq = intMsg('checkpoint frequency', c.saveFreq, LIMITS.saveFreq);
  if (c.backend !== 'auto' && !(BACKENDS as readonly unknown[]).includes(c.backend)) {
    e.backend = oneOf('backend', c.backend, ['auto', ...BACKENDS]);
  }
  if (!(CLASS_WEIGHTINGS as readonly unknown[]).includes(c.classWeights)) e.classWeights = oneOf('class weights', c.classWeights, CLASS_WEIGHTINGS);
  return e;
}

/**
 * Errors per field of a model spec (`kind`, `hidden`, `filters`, `kernelSize`, `dense`, `activation`,
 * `dropout`). `kind` also reports an invalid combination with the dataset, e.g. a CNN on tabular data.
 */
export function validateModelSpec(
  spec: ModelSpec,
  datasetKind: DatasetKind,
  datasetName = 'this dataset',
  numFeatures?: number,
): FieldErrors {
  const e: FieldErrors = {};
  if (!spec || (spec.kind !== 'mlp' && spec.kind !== 'cnn')) {
    e.kind = `model must be mlp or cnn (got ${got((spec as { kind?: unknown } | undefined)?.kind)})`;
    return e;
  }
  if (spec.kind === 'mlp') {
    const h: unknown = spec.hidden;
    if (!Array.isArray(h)) e.hidden = `hidden layers must be a list of unit counts (got ${got(h)})`;
    else if (h.length > LIMITS.maxHiddenLayers) e.hidden = `at most ${LIMITS.maxHiddenLayers} hidden layers (got ${h.length})`;
    else {
      const bad = h.findIndex((u) => !isInt(u, LIMITS.units));
      if (bad >= 0) e.hidden = `hidden units must be integers in ${LIMITS.units.join('..')} (layer ${bad + 1} has ${got(h[bad])})`;
    }
  } else {
    if (datasetKind !== 'image') {
      const shape = numFeatures === undefined ? '' : ` (${numFeatures} feature${numFeatures === 1 ? '' : 's'})`;
      e.kind = `A CNN needs image data; ${datasetName} is tabular${shape}. Choose MLP or an image dataset such as MNIST.`;
    }
    const f: unknown = spec.filters;
    if (!Array.isArray(f) || f.length < 1) e.filters = `a CNN needs at least 1 convolution block (got ${got(f)})`;
    else if (f.length > LIMITS.maxConvBlocks) e.filters = `at most ${LIMITS.maxConvBlocks} convolution blocks (got ${f.length})`;
    else {
      const bad = f.findIndex((n) => !isInt(n, LIMITS.filters));
      if (bad >= 0) e.filters = `filters must be integers in ${LIMITS.filters.join('..')} (block ${bad + 1} has ${got(f[bad])})`;
    }
    if (!(LIMITS.kernelSizes as readonly unknown[]).includes(spec.kernelSize)) {
      e.kernelSize = `kernel size must be 3 or 5 (got ${got(spec.kernelSize)})`;
    }
    if (!isInt(spec.dense, LIMITS.dense)) e.dense = intMsg('dense units', spec.dense, LIMITS.dense);
  }
  if (!(ACTIVATIONS as readonly unknown[]).includes(spec.activation)) e.activation = oneOf('activation', spec.activation, ACTIVATIONS);
  const [dmin, dmax] = LIMITS.dropout;
  if (!isNum(spec.dropout) || spec.dropout < dmin || spec.dropout > dmax) {
    e.dropout = `dropout must be in [${dmin}, ${dmax}] (got ${got(spec.dropout)})`;
  }
  return e;
}

export function validateSynthetic(o: SyntheticOptions): FieldErrors {
  const e: FieldErrors = {};
  if (!isInt(o.samples, LIMITS.samples)) e.samples = intMsg('samples', o.samples, LIMITS.samples);
  const [nmin, nmax] = LIMITS.noise;
  if (!isNum(o.noise) || o.noise < nmin || o.noise > nmax) e.noise = `noise must be in [${nmin}, ${nmax}] (got ${got(o.noise)})`;
  if (!isInt(o.classes, LIMITS.classes)) e.classes = intMsg('classes', o.classes, LIMITS.classes);
  if (!isInt(o.seed, LIMITS.seed)) e.seed = intMsg('dataset seed', o.seed, LIMITS.seed);
  return e;
}

/** Train, validation and test fractions: each in (0, 1), adding up to 1 (±1e-6). */
export function validateRatios(r: SplitRatios): FieldErrors {
  const e: FieldErrors = {};
  for (const part of ['train', 'val', 'test'] as const) {
    const v = r[part];
    if (!isNum(v) || v <= 0 || v >= 1) e[part] = `${part} fraction must be in (0, 1) (got ${got(v)})`;
  }
  if (!e.train && !e.val && !e.test) {
    const sum = r.train + r.val + r.test;
    if (Math.abs(sum - 1) > 1e-6) e.sum = `train, val and test fractions must add up to 1 (got ${+sum.toFixed(6)})`;
  }
  return e;
}
