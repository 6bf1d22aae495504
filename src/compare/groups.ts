// Groups of compared runs: by one configuration key or by "everything but the seed", with n,
// mean ± std (n − 1), min and max per metric, mean curves, and the warnings that say when runs'
// numbers are not comparable. Pure: no DOM.
import type { RunRecord } from '../recorder/run-record';
import { columnByKey } from './run-columns';
import { meanCurve, summarize, type CurvePoint, type Summary } from './statistics';
import { sweepValue } from './sweep-keys';

/** `key`: one setting (settingsOf's keys); `keys`: a sweep's swept keys, by their Lab address names (sweep-keys.ts). */
export type GroupBy = { kind: 'none' } | { kind: 'all-but-seed' } | { kind: 'key'; key: string } | { kind: 'keys'; keys: string[] };

/** The metrics a group summarises (column keys of run-columns.ts). */
import { GROUP_METRICS, type GroupMetric } from './group-metrics';
export { GROUP_METRICS, type GroupMetric } from './group-metrics';

export interface RunGroup {
  id: string;
  label: string;
  runs: RunRecord[];
  stats: Record<GroupMetric, Summary | null>;
  curves: { valAcc: CurvePoint[]; valLoss: CurvePoint[]; trainAcc: CurvePoint[]; trainLoss: CurvePoint[] };
}

const text = (v: number | boolean | null): string | null => (v === null ? null : String(v));
const json = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/**
 * A run's settings as key → text: what defines the experiment. Run ids, names, times and the lab
 * address are never settings (they differ for every run); nor is the checkpoint frequency.
 */
export function settingsOf(r: RunRecord): Record<string, string> {
  const c = r.config;
  const s: Record<string, string | undefined | null> = {
    model: r.model_name,
    architecture: c.model && json(c.model),
    dataset: c.dataset,
    dataset_sha256: r.dataset.sha256,
    synthetic: c.synthetic && json(c.synthetic),
    epochs: String(c.epochs),
    batch_size: text(c.batch_size),
    learning_rate: text(c.learning_rate),
    weight_decay: text(c.weight_decay),
    optimizer: c.optimizer,
    lr_schedule: c.lr_schedule && json(c.lr_schedule),
    early_stopping: c.early_stopping && json(c.early_stopping),
    split: [c.train_ratio, c.val_ratio, c.test_ratio].some((x) => x !== null) ? [c.train_ratio, c.val_ratio, c.test_ratio].join('/') : null,
    stratified: text(c.stratified),
    standardized: c.standardized === undefined ? null : String(c.standardized),
    device: r.environment?.backend ?? c.device,
    seed: text(c.seed),
  };
  for (const [k, v] of Object.entries(c.extra ?? {})) s[`extra.${k}`] = json(v);
  return Object.fromEntries(Object.entries(s).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

type Settings = Record<string, string>;

/** Every key of `settings`, in a stable order (first seen first). */
function keysOf(settings: readonly Settings[]): string[] {
  const keys = new Set<string>();
  for (const s of settings) for (const k of Object.keys(s)) keys.add(k);
  return [...keys];
}

const varying = (settings: readonly Settings[]): string[] => keysOf(settings).filter((k) => new Set(settings.map((s) => s[k] ?? '')).size > 1);

/** Every setting key any of the runs has, in a stable order (the grouping menu). */
export function settingKeys(runs: readonly RunRecord[]): string[] {
  return keysOf(runs.map(settingsOf));
}

/** Keys whose value differs between some of the runs. */
export function varyingKeys(runs: readonly RunRecord[]): string[] {
  return varying(runs.map(settingsOf));
}

/** The grouping to start with: everything but the seed when some runs differ only by their seed. */
export function defaultGroupBy(runs: readonly RunRecord[]): GroupBy {
  const settings = runs.map(settingsOf);
  const bucket = bucketOf({ kind: 'all-but-seed' }, settings);
  const keys = new Set(runs.map((r, i) => bucket(r, settings[i])));
  return keys.size < runs.length ? { kind: 'all-but-seed' } : { kind: 'none' };
}

/**
 * The bucket of a run (whose settings are `s`) in the grouping `by`, among runs whose settings are
 * `all`: by everything but the seed, the values of every key any run has (missing ones as null).
 */
function bucketOf(by: GroupBy, all: readonly Settings[]): (r: RunRecord, s: Settings) => string {
  if (by.kind === 'key') return (_, s) => s[by.key] ?? '';
  if (by.kind === 'keys') return (r) => JSON.stringify(by.keys.map((k) => sweepValue(r, k)));
  if (by.kind === 'none') return (r) => r.run_id;
  const keys = keysOf(all).filter((k) => k !== 'seed');
  return (_, s) => JSON.stringify(keys.map((k) => s[k] ?? null));
}

// The settings a group label names first: the ones people vary most.
const LABEL_ORDER = ['model', 'dataset', 'learning_rate', 'batch_size', 'optimizer', 'epochs', 'weight_decay', 'architecture', 'lr_schedule', 'early_stopping', 'device'];
const LABEL_KEYS = 3;
const LABEL_VALUE = 28;

/** A value cut in the middle to `max` characters ("[16,16]…relu"), so both its ends stay readable. */
export function shorten(text: string, max = LABEL_VALUE): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (max - 1 - head)).join('')}`;
}

/** The settings that tell groups apart, most telling first, at most three named ("+ 2 more"). */
function labelOf(first: RunRecord, s: Settings, by: GroupBy, varying: string[]): string {
  if (by.kind === 'key') return `${by.key} = ${shorten(s[by.key] ?? '(none)')}`;
  if (by.kind === 'keys') return by.keys.map((k) => `${k} = ${shorten(sweepValue(first, k) ?? '(none)')}`).join(', ');
  const rank = (k: string) => (LABEL_ORDER.includes(k) ? LABEL_ORDER.indexOf(k) : LABEL_ORDER.length);
  const shown = varying.filter((k) => k !== 'seed' && k !== 'dataset_sha256').sort((a, b) => rank(a) - rank(b));
  if (shown.length === 0) return `${first.model_name} (all settings but the seed)`;
  const named = shown.slice(0, LABEL_KEYS).map((k) => `${k} = ${shorten(s[k] ?? '(none)')}`).join(', ');
  return shown.length > LABEL_KEYS ? `${named} + ${shown.length - LABEL_KEYS} more` : named;
}

/** Labels made unique: a repeated one gets " #2", " #3"… (groups that differ only in settings the label leaves out). */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} #${n}`;
  });
}

/** What every run of the group shares, for the page to show in full (the label names at most three). */
export function groupSettings(g: RunGroup): [string, string][] {
  const all = g.runs.map(settingsOf);
  return Object.entries(all[0]).filter(([k, v]) => all.every((s) => s[k] === v));
}

function curve(runs: readonly RunRecord[], pick: (h: RunRecord['history'][number]) => number | null): CurvePoint[] {
  return meanCurve(runs.map((r) => r.history.map((h) => ({ epoch: h.epoch, value: pick(h) }))));
}

/** The runs in groups (one per run when `by` is none), in the order their first run appears. */
export function groupRuns(runs: readonly RunRecord[], by: GroupBy): RunGroup[] {
  const settings = new Map(runs.map((r) => [r, settingsOf(r)]));
  const all = [...settings.values()];
  const bucket = bucketOf(by, all);
  const buckets = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const k = bucket(r, settings.get(r)!);
    const members = buckets.get(k);
    if (members) members.push(r);
    else buckets.set(k, [r]);
  }
  const differ = varying(all);
  const lists = [...buckets.values()];
  const labels = uniqueLabels(lists.map((m) => (by.kind === 'none' ? m[0].run_name : labelOf(m[0], settings.get(m[0])!, by, differ))));
  return lists.map((members, i) => {
    const stats = Object.fromEntries(
      GROUP_METRICS.map((m) => {
        const column = columnByKey(m);
        return [m, summarize(members.map((r) => column.value(r)).map((v) => (typeof v === 'number' ? v : null)))];
      }),
    ) as Record<GroupMetric, Summary | null>;
    let curves: RunGroup['curves'] | undefined;
    return {
      id: by.kind === 'none' ? members[0].run_id : `group-${i + 1}`,
      label: labels[i],
      runs: members,
      stats,
      // Computed when first read (the plots of a grouping read them; the page's tables never do).
      get curves() {
        return (curves ??= {
          valAcc: curve(members, (h) => h.val_acc),
          valLoss: curve(members, (h) => h.val_loss),
          trainAcc: curve(members, (h) => h.train_acc),
          trainLoss: curve(members, (h) => h.train_loss),
        });
      },
    };
  });
}

/** "mean ± std" with `digits` decimals; "—" for the std of a single run. */
export function meanStdText(s: Summary | null, digits: number): string {
  if (!s) return '';
  return `${s.mean.toFixed(digits)} ± ${s.std === null ? '—' : s.std.toFixed(digits)}`;
}

/** Why the compared runs' numbers may not be comparable: different data, classes or split sizes. */
export function comparabilityWarnings(runs: readonly RunRecord[]): string[] {
  const warnings: string[] = [];
  // Keyed by the whole value; `show` only words it (a hash by its first characters).
  const distinct = <T>(pick: (r: RunRecord) => T | null, show: (v: T) => string) => {
    const seen = new Map<string, { text: string; names: string[] }>();
    for (const r of runs) {
      const v = pick(r);
      if (v === null) continue;
      const k = JSON.stringify(v);
      const entry = seen.get(k) ?? { text: show(v), names: [] };
      entry.names.push(r.run_name);
      seen.set(k, entry);
    }
    return seen;
  };
  const list = (m: ReturnType<typeof distinct>) => [...m.values()].map(({ text, names }) => `${text}: ${names.join(', ')}`).join('; ');
  const hashes = distinct((r) => r.dataset.sha256, (h) => `${r0(h)}…`);
  if (hashes.size > 1) warnings.push(`The runs were trained on different data (dataset SHA-256 ${list(hashes)}).`);
  const classes = distinct((r) => r.dataset.class_names, (c) => `[${c.join(', ')}]`);
  if (classes.size > 1) warnings.push(`The runs have different class sets (${list(classes)}).`);
  const splits = distinct(
    (r) => (r.dataset.num_train_samples === null && r.dataset.num_test_samples === null ? null : [r.dataset.num_train_samples, r.dataset.num_val_samples, r.dataset.num_test_samples]),
    (s) => `train/val/test ${s.map((x) => x ?? '?').join('/')}`,
  );
  if (splits.size > 1) warnings.push(`The runs' splits have different sizes (${list(splits)}).`);
  return warnings;
}

const r0 = (h: string) => h.slice(0, 12);
