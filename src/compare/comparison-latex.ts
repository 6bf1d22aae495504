// comparison_table.tex from the compared runs or groups: the reference's caption, label and, by
// default, its five columns; the person may pick other columns in the page. Groups print mean ± std.
import type { RunRecord } from '../recorder/run-record';
import type { GroupMetric, RunGroup } from './groups';
import { latexTable, type LatexColumn, type LatexValue } from './latex-table';
import { byTestAccuracy } from './comparison-csv';
import { columnByKey } from './run-columns';
import { formatDuration } from '../recorder/recorder';

/** Columns the LaTeX table can hold: the reference's five first (its headers), then ours. */
export const LATEX_COLUMNS = [
  { key: 'model', header: 'Model' },
  { key: 'run_name', header: 'Run' },
  { key: 'parameters', header: 'Parameters' },
  { key: 'test_acc', header: 'Test_Acc_%' },
  { key: 'best_val_acc', header: 'Val_Acc_%' },
  { key: 'duration', header: 'Training_Time' },
  { key: 'test_loss', header: 'Test_Loss' },
  { key: 'macro_f1', header: 'Macro_F1' },
  { key: 'weighted_f1', header: 'Weighted_F1' },
  { key: 'final_val_acc', header: 'Final_Val_Acc_%' },
  { key: 'best_epoch', header: 'Best_Epoch' },
  { key: 'batch_size', header: 'Batch_Size' },
  { key: 'learning_rate', header: 'Learning_Rate' },
  { key: 'optimizer', header: 'Optimizer' },
  { key: 'seed', header: 'Seed' },
  { key: 'dataset', header: 'Dataset' },
] as const;
export type LatexColumnKey = (typeof LATEX_COLUMNS)[number]['key'];

export const DEFAULT_LATEX_COLUMNS: LatexColumnKey[] = ['model', 'parameters', 'test_acc', 'best_val_acc', 'duration'];

export interface LatexOptions {
  columns: readonly LatexColumnKey[];
  precision: number; // decimals of accuracies, losses and F1
}

const CAPTION = 'Model Performance Comparison';
const LABEL = 'tab:model_comparison';

function columnSpec(key: LatexColumnKey): LatexColumn {
  const c = columnByKey(key);
  const header = LATEX_COLUMNS.find((x) => x.key === key)!.header;
  const numeric = c.kind !== 'text' && c.kind !== 'duration' && c.kind !== 'time';
  return { header, align: numeric || c.kind === 'duration' ? 'r' : 'l', better: c.better, ...(c.kind === 'int' ? { decimals: 0 } : {}) };
}

function runValue(key: LatexColumnKey, r: RunRecord): LatexValue {
  const c = columnByKey(key);
  if (c.kind === 'duration') return { kind: 'text', text: r.training_duration_formatted };
  const v = c.value(r);
  if (typeof v === 'number') return c.kind === 'number' ? { kind: 'text', text: String(v) } : { kind: 'number', value: v };
  return { kind: 'text', text: v ?? '' };
}

/** The table for individual runs, sorted by test accuracy like model_comparison.csv. */
export function runsLatex(records: readonly RunRecord[], opts: LatexOptions): string {
  return latexTable({
    caption: CAPTION,
    label: LABEL,
    precision: opts.precision,
    columns: opts.columns.map(columnSpec),
    rows: byTestAccuracy(records).map((r) => opts.columns.map((k) => runValue(k, r))),
  });
}

const GROUP_STAT: Partial<Record<LatexColumnKey, GroupMetric>> = {
  test_acc: 'test_acc', best_val_acc: 'best_val_acc', final_val_acc: 'final_val_acc', test_loss: 'test_loss', macro_f1: 'macro_f1', weighted_f1: 'weighted_f1',
};

function groupValue(key: LatexColumnKey, g: RunGroup): LatexValue {
  const metric = GROUP_STAT[key];
  if (metric) {
    const s = g.stats[metric];
    return { kind: 'meanStd', mean: s?.mean ?? null, std: s?.std ?? null };
  }
  if (key === 'run_name') return { kind: 'text', text: `${g.label} (n = ${g.runs.length})` };
  if (key === 'duration') {
    const s = g.stats.duration;
    return { kind: 'text', text: s ? formatDuration(s.mean) + (s.std === null ? '' : ` (sd ${Math.round(s.std)} s)`) : '' };
  }
  // A setting shared by the whole group prints once; one that varies inside it (e.g. the seed) lists its values.
  const texts = [...new Set(g.runs.map((r) => textOf(runValue(key, r))))];
  return texts.length === 1 ? runValue(key, g.runs[0]) : { kind: 'text', text: texts.join(', ') };
}

function textOf(v: LatexValue): string {
  if (v.kind === 'text') return v.text;
  if (v.kind === 'number') return v.value === null ? '' : String(v.value);
  return v.mean === null ? '' : String(v.mean);
}

/** The table for groups: mean $\pm$ std of each metric; the group's label as its Run. */
export function groupsLatex(groups: readonly RunGroup[], opts: LatexOptions): string {
  const columns = opts.columns.includes('run_name') ? opts.columns : (['run_name', ...opts.columns] as LatexColumnKey[]);
  const sorted = [...groups].sort((a, b) => (b.stats.test_acc?.mean ?? -Infinity) - (a.stats.test_acc?.mean ?? -Infinity));
  return latexTable({
    caption: CAPTION,
    label: LABEL,
    precision: opts.precision,
    columns: columns.map((k) => ({ ...columnSpec(k), header: k === 'run_name' ? 'Group' : columnSpec(k).header })),
    rows: sorted.map((g) => columns.map((k) => groupValue(k, g))),
  });
}
