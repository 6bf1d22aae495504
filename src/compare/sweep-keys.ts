// A sweep's keys are the Lab's address keys (`lr`, `batch`, `optimizer`, `hidden`, …). Here each
// one is read back from a run's record, written as the address writes it ("0.01", "16,16"), so the
// Compare view groups a sweep's runs by what each run actually trained with. The keys that have a
// comparison column (lr → learning rate, batch → batch size…) read it from there. Pure: no DOM.
import type { RunRecord } from '../recorder/run-record';
import { fmtNum } from '../url-codecs';
import { columnByKey } from './run-columns';

export interface SweepKeyInfo {
  /** The axis title and the page's name for it. */
  label: string;
  /** A number the plots place on a scale; otherwise a category placed in order. */
  numeric: boolean;
  value(r: RunRecord): string | null;
}

const number = (v: number | null | undefined): string | null => (typeof v === 'number' && Number.isFinite(v) ? fmtNum(v) : null);
const column = (key: string) => (r: RunRecord): string | null => {
  const v = columnByKey(key).value(r);
  return typeof v === 'number' ? number(v) : v;
};
const mlp = (r: RunRecord) => (r.config.model?.kind === 'mlp' ? r.config.model : null);
const cnn = (r: RunRecord) => (r.config.model?.kind === 'cnn' ? r.config.model : null);
const schedule = (r: RunRecord) => r.config.lr_schedule ?? null;
const scheduleField = (field: 'stepSize' | 'gamma' | 'minLr' | 'factor' | 'patience') => (r: RunRecord) => {
  const s = schedule(r) as Record<string, unknown> | null;
  return s && typeof s[field] === 'number' ? number(s[field] as number) : null;
};

/** Every address key a sweep may vary that a record can answer. */
export const SWEEP_KEYS: Readonly<Record<string, SweepKeyInfo>> = {
  lr: { label: 'Learning rate', numeric: true, value: column('learning_rate') },
  batch: { label: 'Batch size', numeric: true, value: column('batch_size') },
  optimizer: { label: 'Optimizer', numeric: false, value: column('optimizer') },
  wd: { label: 'Weight decay', numeric: true, value: column('weight_decay') },
  epochs: { label: 'Epochs', numeric: true, value: (r) => number(r.config.epochs) },
  seed: { label: 'Seed', numeric: true, value: column('seed') },
  sseed: { label: 'Split seed', numeric: true, value: (r) => number(r.config.split_seed) },
  model: { label: 'Model', numeric: false, value: (r) => r.config.model?.kind ?? null },
  hidden: { label: 'Hidden units', numeric: false, value: (r) => mlp(r)?.hidden.map(fmtNum).join(',') ?? null },
  filters: { label: 'Conv. filters', numeric: false, value: (r) => cnn(r)?.filters.map(fmtNum).join(',') ?? null },
  kernel: { label: 'Kernel size', numeric: true, value: (r) => number(cnn(r)?.kernelSize) },
  dense: { label: 'Dense units', numeric: true, value: (r) => number(cnn(r)?.dense) },
  act: { label: 'Activation', numeric: false, value: (r) => r.config.model?.activation ?? null },
  dropout: { label: 'Dropout', numeric: true, value: (r) => number(r.config.model?.dropout) },
  sched: { label: 'LR schedule', numeric: false, value: (r) => schedule(r)?.kind ?? null },
  step: { label: 'LR step (epochs)', numeric: true, value: scheduleField('stepSize') },
  gamma: { label: 'LR step factor', numeric: true, value: scheduleField('gamma') },
  minlr: { label: 'Minimum LR', numeric: true, value: scheduleField('minLr') },
  factor: { label: 'Plateau factor', numeric: true, value: scheduleField('factor') },
  lrpatience: { label: 'Plateau patience', numeric: true, value: scheduleField('patience') },
  es: { label: 'Early stopping', numeric: false, value: (r) => (r.config.early_stopping ? (r.config.early_stopping.enabled ? '1' : '0') : null) },
  patience: { label: 'Patience', numeric: true, value: (r) => number(r.config.early_stopping?.patience) },
  monitor: { label: 'Monitored metric', numeric: false, value: (r) => r.config.early_stopping?.monitor ?? null },
  cw: { label: 'Class weights', numeric: false, value: (r) => (typeof r.config.class_weights === 'boolean' ? (r.config.class_weights ? 'balanced' : 'none') : null) },
  samples: { label: 'Samples', numeric: true, value: (r) => number(r.config.synthetic?.samples) },
  noise: { label: 'Noise', numeric: true, value: (r) => number(r.config.synthetic?.noise) },
  classes: { label: 'Classes', numeric: true, value: (r) => number(r.config.synthetic?.classes) },
  dseed: { label: 'Data seed', numeric: true, value: (r) => number(r.config.synthetic?.seed) },
};

/** The key's label ("Learning rate"), or the key itself for one this module does not know. */
export const sweepKeyLabel = (key: string): string => SWEEP_KEYS[key]?.label ?? key;

/**
 * Run `r`'s value of the address key `key`, as the address writes it: from its record, else (a key
 * the record has no field for) from the address it was trained from; null when neither says.
 */
export function sweepValue(r: RunRecord, key: string): string | null {
  const known = SWEEP_KEYS[key];
  if (known) return known.value(r);
  const query = r.config.url_query;
  return query ? new URLSearchParams(query).get(key) : null;
}

/** The run's values of `keys` as "lr = 0.01, batch = 32". */
export function sweepValuesText(values: Readonly<Record<string, string | null>>, keys: readonly string[]): string {
  return keys.map((k) => `${k} = ${values[k] ?? '(none)'}`).join(', ');
}

/**
 * The keys that vary between `runs` (for a sweep whose record this browser does not have): the
 * known keys, in SWEEP_KEYS order, but the seeds (a sweep repeats each configuration over seeds).
 */
export function varyingSweepKeys(runs: readonly RunRecord[]): string[] {
  const skip = new Set(['seed', 'sseed']);
  return Object.keys(SWEEP_KEYS).filter((k) => !skip.has(k) && new Set(runs.map((r) => sweepValue(r, k))).size > 1);
}
