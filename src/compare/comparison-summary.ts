// summary_statistics.json and SUMMARY.txt of a comparison: the statistics the reference's
// compare_models.py prints (runs compared, best test accuracy and its run, average test accuracy,
// smallest and largest model), plus per-group statistics and the t-test shown in the page.
import { padEnd, table, thousands } from '../export/text-format';
import type { RunRecord } from '../recorder/run-record';
import { GROUP_METRICS, type GroupBy, type RunGroup } from './groups';
import type { Summary, WelchResult } from './statistics';
import { summarize } from './statistics';
import { sweepSummaryLines, type SweepSummary } from './sweep-compare';

export interface TTestShown {
  metric: string;
  groupA: string;
  groupB: string;
  result: WelchResult;
}

export interface ComparisonSummary {
  runs_compared: number;
  runs_with_test_results: number;
  best_test_accuracy: { value: number; run_id: string; run_name: string; model_name: string } | null;
  average_test_accuracy: number | null;
  test_accuracy: Summary | null;
  smallest_model: { parameters: number; run_id: string; model_name: string } | null;
  largest_model: { parameters: number; run_id: string; model_name: string } | null;
  grouped_by: string;
  groups: { label: string; n: number; run_ids: string[]; statistics: Record<string, Summary | null> }[];
  t_test: { metric: string; group_a: string; group_b: string; t: number; df: number; p_value: number; mean_a: number; mean_b: number; n_a: number; n_b: number } | null;
  warnings: string[];
  /** A sweep's comparison: what was swept and the best configuration. */
  sweep?: SweepSummary;
}

export function groupByText(by: GroupBy): string {
  if (by.kind === 'keys') return `the swept keys (${by.keys.join(', ')})`;
  return by.kind === 'none' ? 'none (one row per run)' : by.kind === 'all-but-seed' ? 'everything but the seed' : by.key;
}

export function comparisonSummary(records: readonly RunRecord[], groups: readonly RunGroup[], by: GroupBy, tTest: TTestShown | null, warnings: string[], sweep: SweepSummary | null = null): ComparisonSummary {
  const tested = records.filter((r) => r.test && Number.isFinite(r.test.test_accuracy));
  const best = tested.reduce<RunRecord | null>((b, r) => (!b || r.test!.test_accuracy > b.test!.test_accuracy ? r : b), null);
  const sized = records.filter((r) => r.model_parameters !== null);
  const pick = (cmp: (a: number, b: number) => boolean) =>
    sized.reduce<RunRecord | null>((m, r) => (!m || cmp(r.model_parameters!, m.model_parameters!) ? r : m), null);
  const model = (r: RunRecord | null) => r && { parameters: r.model_parameters!, run_id: r.run_id, model_name: r.model_name };
  const accuracy = summarize(tested.map((r) => r.test!.test_accuracy));
  return {
    runs_compared: records.length,
    runs_with_test_results: tested.length,
    best_test_accuracy: best && { value: best.test!.test_accuracy, run_id: best.run_id, run_name: best.run_name, model_name: best.model_name },
    average_test_accuracy: accuracy?.mean ?? null,
    test_accuracy: accuracy,
    smallest_model: model(pick((a, b) => a < b)),
    largest_model: model(pick((a, b) => a > b)),
    grouped_by: groupByText(by),
    groups: by.kind === 'none' ? [] : groups.map((g) => ({ label: g.label, n: g.runs.length, run_ids: g.runs.map((r) => r.run_id), statistics: { ...g.stats } })),
    t_test: tTest && {
      metric: tTest.metric, group_a: tTest.groupA, group_b: tTest.groupB,
      t: tTest.result.t, df: tTest.result.df, p_value: tTest.result.pValue,
      mean_a: tTest.result.meanA, mean_b: tTest.result.meanB, n_a: tTest.result.nA, n_b: tTest.result.nB,
    },
    warnings,
    ...(sweep ? { sweep } : {}),
  };
}

export function summaryStatisticsJson(s: ComparisonSummary): string {
  return JSON.stringify(s, null, 2) + '\n';
}

const RULE = '='.repeat(70);
const THIN = '-'.repeat(70);
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(2)}%`);
const stat = (s: Summary | null, digits: number) => (s ? `${s.mean.toFixed(digits)} ± ${s.std === null ? '—' : s.std.toFixed(digits)}` : '—');

export function comparisonSummaryTxt(s: ComparisonSummary, createdAt: string): string {
  const lines = [RULE, 'MODEL COMPARISON - SUMMARY STATISTICS', RULE, '', `Created: ${createdAt}`, `Runs compared: ${s.runs_compared} (${s.runs_with_test_results} with test results)`];
  if (s.best_test_accuracy) lines.push(`Best test accuracy: ${pct(s.best_test_accuracy.value)} (${s.best_test_accuracy.model_name}, ${s.best_test_accuracy.run_id})`);
  lines.push(`Average test accuracy: ${pct(s.average_test_accuracy)}${s.test_accuracy?.std != null ? ` (std ${s.test_accuracy.std.toFixed(2)}, n = ${s.test_accuracy.n})` : ''}`);
  if (s.smallest_model) lines.push(`Smallest model: ${thousands(s.smallest_model.parameters)} parameters (${s.smallest_model.model_name}, ${s.smallest_model.run_id})`);
  if (s.largest_model) lines.push(`Largest model: ${thousands(s.largest_model.parameters)} parameters (${s.largest_model.model_name}, ${s.largest_model.run_id})`);
  if (s.sweep) lines.push('', THIN, 'SWEEP', THIN, ...sweepSummaryLines(s.sweep));
  if (s.warnings.length) lines.push('', 'WARNING: the numbers may not be comparable:', ...s.warnings.map((w) => `  - ${w}`));
  if (s.groups.length) {
    lines.push('', THIN, `GROUPS (grouped by ${s.grouped_by}; mean ± sample std, n − 1)`, THIN);
    const header = ['Group', 'n', 'Test acc. %', 'Best val. acc. %', 'Test loss', 'Macro F1'];
    const rows = s.groups.map((g) => [g.label, String(g.n), stat(g.statistics.test_acc, 2), stat(g.statistics.best_val_acc, 2), stat(g.statistics.test_loss, 4), stat(g.statistics.macro_f1, 4)]);
    lines.push(...table([header, ...rows], 'lrrrrr', 100));
    lines.push('', 'Per metric (n, mean, std, min, max):');
    for (const g of s.groups) {
      lines.push(`  ${g.label}`);
      for (const m of GROUP_METRICS) {
        const v = g.statistics[m];
        if (v) lines.push(`    ${padEnd(m, 16)} n=${v.n}  mean=${v.mean.toPrecision(6)}  std=${v.std === null ? '—' : v.std.toPrecision(4)}  min=${v.min.toPrecision(6)}  max=${v.max.toPrecision(6)}`);
      }
    }
  }
  if (s.t_test) {
    const t = s.t_test;
    lines.push('', THIN, "WELCH'S T-TEST (two-sided, unequal variances)", THIN,
      `Metric: ${t.metric}`, `A: ${t.group_a} (n = ${t.n_a}, mean ${t.mean_a.toPrecision(6)})`, `B: ${t.group_b} (n = ${t.n_b}, mean ${t.mean_b.toPrecision(6)})`,
      `t = ${t.t.toFixed(4)}, df = ${t.df.toFixed(2)}, p = ${t.p_value.toPrecision(4)}`);
  }
  lines.push(RULE, '');
  return lines.join('\n');
}
