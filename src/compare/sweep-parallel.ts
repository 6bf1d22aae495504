// A sweep's configurations → the parallel-coordinates figure's neutral input: one axis per swept key
// (its values in order: the sweep's own order for listed values, else by number or naturally), one
// line per configuration with the chosen metric's mean over its seeds, the best one marked.
import type { ParallelAxisInput, SweepFigureInput } from '../export/figures/compare/types';
import type { GroupMetric, RunGroup } from './groups';
import { columnByKey } from './run-columns';
import { bestGroup, metricBetter, type SweepInfo } from './sweep-compare';
import { SWEEP_KEYS, sweepKeyLabel, sweepValue } from './sweep-keys';

const NATURAL = new Intl.Collator(undefined, { numeric: true });
const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

/** Digits a metric prints with: percentages 2, losses and fractions 4. */
export const metricDigits = (metric: GroupMetric): number => (columnByKey(metric).kind === 'percent' ? 2 : 4);

function axisOf(key: string, values: readonly (string | null)[], info: SweepInfo): ParallelAxisInput {
  const present = [...new Set(values.filter((v): v is string => v !== null))];
  const numeric = (SWEEP_KEYS[key]?.numeric ?? true) && present.length > 0 && present.every(isNumber);
  const param = info.definition?.params.find((p) => p.key === key);
  const title = SWEEP_KEYS[key] ? `${sweepKeyLabel(key)} (${key})` : key;
  if (numeric) return { key, title, numeric, order: present.sort((a, b) => Number(a) - Number(b)) };
  // A categorical axis keeps the order the sweep lists its values in (the person's order), then any other value.
  const listed = param && 'values' in param ? [...new Set(param.values)].filter((v) => present.includes(v)) : [];
  const rest = present.filter((v) => !listed.includes(v)).sort(NATURAL.compare);
  return { key, title, numeric, order: [...listed, ...rest] };
}

/** The figure's input: `groups` are the sweep's runs grouped by its swept keys (groupRuns with kind 'keys'). */
export function sweepFigureInput(info: SweepInfo, groups: readonly RunGroup[], metric: GroupMetric): SweepFigureInput {
  const keys = info.swept_keys;
  const best = bestGroup(groups, metric);
  const rows = groups.map((g) => keys.map((k) => sweepValue(g.runs[0], k)));
  return {
    name: info.name,
    axes: keys.map((k, i) => axisOf(k, rows.map((r) => r[i]), info)),
    metric: { key: metric, title: columnByKey(metric).label, better: metricBetter(metric), digits: metricDigits(metric) },
    lines: groups.map((g, i) => {
      const s = g.stats[metric];
      return { label: g.label, values: rows[i], metric: s?.mean ?? null, std: s?.std ?? null, n: s?.n ?? 0, best: g === best };
    }),
  };
}
