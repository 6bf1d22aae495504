// A sweep in the Compare view: which runs it has, what its header says (from its record, or from its
// runs when this browser does not have the record), the metrics a configuration can be judged by and
// the best configuration by one of them (mean over its seeds), and the sweep's part of the exports
// (summary_statistics.json, SUMMARY.txt, README.txt). Pure: no DOM, no IndexedDB.
import type { RunRecord } from '../recorder/run-record';
import type { SweepDefinition, SweepRecord, SweepStatus } from '../recorder/sweep-record';
import { GROUP_METRICS, type GroupMetric } from './group-metrics';
import type { RunGroup } from './groups';
import { columnByKey, formatValue } from './run-columns';
import { sweepValue, varyingSweepKeys } from './sweep-keys';

/** What the Compare view shows of a sweep. */
export interface SweepInfo {
  sweep_id: string;
  name: string;
  /** null: not known (this browser has the sweep's runs but not its record). */
  status: SweepStatus | null;
  status_reason: string;
  definition: SweepDefinition | null;
  /** The address keys the sweep varies (its record's; else those that vary between its runs). */
  swept_keys: string[];
  runs_planned: number | null;
  runs_done: number;
  runs_failed: number;
  /** The record as stored (written as is into comparison.zip as sweep.json); null when not stored here. */
  record: SweepRecord | null;
}

/** A sweep record that does not belong where it was asked for. */
export class SweepCompareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepCompareError';
  }
}

/** Runs that name the sweep but its record does not list (or all of them, without a record), oldest first. */
function unlisted(id: string, listed: ReadonlySet<string>, stored: readonly RunRecord[]): RunRecord[] {
  return stored.filter((r) => r.sweep_id === id && !listed.has(r.run_id)).sort((a, b) => a.start_time.localeCompare(b.start_time));
}

/** The ids of a sweep's runs: its record's, in training order, then stored runs that name the sweep the record does not list. */
export function sweepRunIds(id: string, record: SweepRecord | null, stored: readonly RunRecord[]): string[] {
  if (record && record.sweep_id !== id) throw new SweepCompareError(`sweep record ${record.sweep_id} is not sweep ${id}`);
  const listed = (record?.runs ?? []).slice().sort((a, b) => a.index - b.index).flatMap((r) => (r.run_id ? [r.run_id] : []));
  const seen = new Set(listed);
  return [...new Set([...listed, ...unlisted(id, seen, stored).map((r) => r.run_id)])];
}

/** The sweep's header: from its record when there is one, else from its runs (swept keys: those that vary). */
export function sweepInfo(id: string, record: SweepRecord | null, runs: readonly RunRecord[]): SweepInfo {
  if (record) {
    if (record.sweep_id !== id) throw new SweepCompareError(`sweep record ${record.sweep_id} is not sweep ${id}`);
    return {
      sweep_id: id,
      name: record.name || id,
      status: record.status,
      status_reason: record.status_reason,
      definition: record.definition,
      swept_keys: [...record.swept_keys],
      runs_planned: record.runs.length,
      runs_done: record.runs.filter((r) => r.status === 'done').length,
      runs_failed: record.runs.filter((r) => r.status === 'failed').length,
      record,
    };
  }
  const own = runs.filter((r) => r.sweep_id === id);
  return {
    sweep_id: id,
    name: id,
    status: null,
    status_reason: '',
    definition: null,
    swept_keys: varyingSweepKeys(own),
    runs_planned: null,
    runs_done: own.filter((r) => r.status === 'completed').length,
    runs_failed: own.filter((r) => r.status === 'failed' || r.status === 'diverged').length,
    record: null,
  };
}

/** "grid of lr × batch, 2 seeds each, split seed 7" (what the header and the exports say of the definition). */
export function definitionText(info: SweepInfo): string {
  const d = info.definition;
  if (!d) return `swept keys ${info.swept_keys.join(', ') || '(none vary)'} (read from the runs: this browser has no record of the sweep)`;
  const params = d.params.map((p) =>
    'values' in p ? `${p.key} ∈ {${p.values.join('; ')}}` : `${p.key} ∈ [${p.range.min}, ${p.range.max}]${p.range.scale === 'log' ? ' (log)' : ''}${p.range.integer ? ' (integers)' : ''}`);
  const what = d.mode === 'grid' ? 'grid' : `${d.draws ?? '?'} random draws (draw seed ${d.draw_seed})`;
  return `${what} of ${params.join(', ')}; ${d.repeats} seed${d.repeats === 1 ? '' : 's'} each; split seed ${d.split_seed}`;
}

/** The metrics a configuration can be judged by: those with a better direction. */
export const SWEEP_METRICS: readonly GroupMetric[] = GROUP_METRICS.filter((m) => columnByKey(m).better);
/** Chosen on validation data, so that the test set stays an unbiased estimate of the chosen configuration. */
export const DEFAULT_SWEEP_METRIC: GroupMetric = 'best_val_acc';

export const metricBetter = (metric: GroupMetric): 'higher' | 'lower' => columnByKey(metric).better ?? 'higher';

/** The best group by the mean of `metric` over its runs (ties: more runs, then the first); null when no group has a value. */
export function bestGroup(groups: readonly RunGroup[], metric: GroupMetric): RunGroup | null {
  const sign = metricBetter(metric) === 'higher' ? 1 : -1;
  let best: RunGroup | null = null;
  for (const g of groups) {
    const s = g.stats[metric];
    if (!s) continue;
    const b = best?.stats[metric];
    if (!b || sign * (s.mean - b.mean) > 0 || (s.mean === b.mean && s.n > b.n)) best = g;
  }
  return best;
}

/** "91.25 ± 0.88" in the metric's own format ("—" for the std of one run). */
export function metricText(metric: GroupMetric, mean: number, std: number | null): string {
  const kind = columnByKey(metric).kind;
  return `${formatValue(kind, mean)} ± ${std === null ? '—' : formatValue(kind, std)}`;
}

export interface SweepSummary {
  sweep_id: string;
  name: string;
  status: SweepStatus | null;
  definition: string;
  swept_keys: string[];
  configurations: number;
  runs: number;
  runs_planned: number | null;
  runs_done: number;
  metric: GroupMetric;
  better: 'higher' | 'lower';
  best: { label: string; values: Record<string, string | null>; mean: number; std: number | null; n: number; run_ids: string[] } | null;
}

/** The sweep's part of summary_statistics.json: `groups` are its runs grouped by the swept keys. */
export function sweepSummary(info: SweepInfo, groups: readonly RunGroup[], metric: GroupMetric): SweepSummary {
  const best = bestGroup(groups, metric);
  const s = best?.stats[metric];
  return {
    sweep_id: info.sweep_id,
    name: info.name,
    status: info.status,
    definition: definitionText(info),
    swept_keys: [...info.swept_keys],
    configurations: groups.length,
    runs: groups.reduce((a, g) => a + g.runs.length, 0),
    runs_planned: info.runs_planned,
    runs_done: info.runs_done,
    metric,
    better: metricBetter(metric),
    best: best && s ? {
      label: best.label,
      values: Object.fromEntries(info.swept_keys.map((k) => [k, sweepValue(best.runs[0], k)])),
      mean: s.mean,
      std: s.std,
      n: s.n,
      run_ids: best.runs.map((r) => r.run_id),
    } : null,
  };
}

/** The sweep's lines in SUMMARY.txt and README.txt. */
export function sweepSummaryLines(s: SweepSummary): string[] {
  const metric = columnByKey(s.metric).label;
  return [
    `Sweep: ${s.name} (${s.sweep_id})${s.status ? `, ${s.status}` : ''}; ${s.runs_done}${s.runs_planned === null ? '' : ` of ${s.runs_planned}`} runs done`,
    `Definition: ${s.definition}`,
    `Swept keys: ${s.swept_keys.join(', ') || '(none)'}; ${s.configurations} configuration${s.configurations === 1 ? '' : 's'}, ${s.runs} runs compared`,
    s.best
      ? `Best configuration by mean ${metric} (${s.better} is better, over ${s.best.n} seed${s.best.n === 1 ? '' : 's'}): ${s.best.label}: ${metricText(s.metric, s.best.mean, s.best.std)}`
      : `Best configuration: none (no run has ${metric})`,
  ];
}
