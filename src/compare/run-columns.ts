// The comparison table's columns: one definition per column, used by the page's table, the CSV,
// the LaTeX table and "Differences only". Missing values are null (an empty cell), never 0.
import { describeSchedule } from '../export/text-format';
import type { RunRecord } from '../recorder/run-record';

export type CellValue = number | string | null;
export type ColumnKind = 'text' | 'int' | 'number' | 'percent' | 'loss' | 'fraction' | 'duration' | 'time';

export interface CompareColumn {
  key: string;
  label: string; // the page's header
  kind: ColumnKind;
  /** Which way is better; such a column's best value is highlighted. */
  better?: 'higher' | 'lower';
  /** A setting of the run (what "Differences only" and the groups look at), not a result. */
  setting?: boolean;
  value(r: RunRecord): CellValue;
  /** The page's text when it differs from the value's (e.g. "12 / 20" epochs). */
  display?(r: RunRecord): string;
  /** Hidden until the person shows it. */
  hidden?: boolean;
}

/** Where a record came from, in a few words: "lab" or "checkpoints.zip › simple_cnn_…". */
export function sourceText(r: RunRecord): string {
  if (r.origin.kind === 'lab') return 'lab';
  return r.origin.path ? `${r.origin.file} › ${r.origin.path}` : r.origin.file;
}

/** The recorded local time of an ISO string, without its offset: "2025-11-29 20:30:41" (the reference's Finished). */
export function localTimeText(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : null;
}

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const pcm = (r: RunRecord) => r.test?.per_class_metrics ?? null;
const scheduleText = (r: RunRecord): string | null => (r.config.lr_schedule ? describeSchedule(r.config.lr_schedule) : null);

export const COMPARE_COLUMNS: readonly CompareColumn[] = [
  { key: 'model', label: 'Model', kind: 'text', setting: true, value: (r) => r.model_name },
  { key: 'run_name', label: 'Run', kind: 'text', value: (r) => r.run_name },
  { key: 'dataset', label: 'Dataset', kind: 'text', setting: true, value: (r) => r.dataset.name },
  { key: 'parameters', label: 'Parameters', kind: 'int', setting: true, value: (r) => finite(r.model_parameters) },
  { key: 'epochs', label: 'Epochs (done / planned)', kind: 'int', setting: true, value: (r) => r.training.epochs_completed, display: (r) => `${r.training.epochs_completed} / ${r.config.epochs}` },
  { key: 'batch_size', label: 'Batch size', kind: 'int', setting: true, value: (r) => r.config.batch_size },
  { key: 'learning_rate', label: 'Learning rate', kind: 'number', setting: true, value: (r) => r.config.learning_rate },
  { key: 'optimizer', label: 'Optimizer', kind: 'text', setting: true, value: (r) => r.config.optimizer },
  { key: 'schedule', label: 'LR schedule', kind: 'text', setting: true, value: scheduleText },
  { key: 'weight_decay', label: 'Weight decay', kind: 'number', setting: true, hidden: true, value: (r) => r.config.weight_decay },
  { key: 'seed', label: 'Seed', kind: 'int', setting: true, value: (r) => r.config.seed },
  { key: 'best_epoch', label: 'Best epoch', kind: 'int', value: (r) => (r.training.best_epoch > 0 ? r.training.best_epoch : null) },
  { key: 'best_val_acc', label: 'Best val. acc. (%)', kind: 'percent', better: 'higher', value: (r) => finite(r.training.best_val_accuracy) },
  { key: 'final_train_acc', label: 'Final train acc. (%)', kind: 'percent', better: 'higher', value: (r) => finite(r.training.final_train_acc) },
  { key: 'final_val_acc', label: 'Final val. acc. (%)', kind: 'percent', better: 'higher', value: (r) => finite(r.training.final_val_acc) },
  { key: 'final_train_loss', label: 'Final train loss', kind: 'loss', better: 'lower', value: (r) => finite(r.training.final_train_loss) },
  { key: 'final_val_loss', label: 'Final val. loss', kind: 'loss', better: 'lower', value: (r) => finite(r.training.final_val_loss) },
  { key: 'test_acc', label: 'Test acc. (%)', kind: 'percent', better: 'higher', value: (r) => finite(r.test?.test_accuracy) },
  { key: 'test_loss', label: 'Test loss', kind: 'loss', better: 'lower', value: (r) => finite(r.test?.test_loss) },
  { key: 'macro_f1', label: 'Macro F1', kind: 'fraction', better: 'higher', value: (r) => finite(pcm(r)?.macro.f1) },
  { key: 'weighted_f1', label: 'Weighted F1', kind: 'fraction', better: 'higher', value: (r) => finite(pcm(r)?.weighted.f1) },
  { key: 'duration', label: 'Duration', kind: 'duration', value: (r) => finite(r.training_duration_seconds), display: (r) => r.training_duration_formatted },
  { key: 'finished', label: 'Finished', kind: 'time', value: (r) => r.end_time, display: (r) => localTimeText(r.end_time) ?? '' },
  { key: 'device', label: 'Backend / device', kind: 'text', setting: true, value: (r) => r.environment?.backend ?? r.config.device },
  { key: 'source', label: 'Source', kind: 'text', value: sourceText },
];

export function columnByKey(key: string): CompareColumn {
  const c = COMPARE_COLUMNS.find((x) => x.key === key);
  if (!c) throw new RangeError(`unknown comparison column: ${key}`);
  return c;
}

/** A value as the page shows it. */
export function cellText(column: CompareColumn, r: RunRecord): string {
  if (column.display) return column.display(r);
  return formatValue(column.kind, column.value(r));
}

// One formatter and one collator for every cell (toLocaleString and localeCompare with options
// make a new one per call: tens of milliseconds for a few hundred runs).
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const NATURAL = new Intl.Collator(undefined, { numeric: true });

export function formatValue(kind: ColumnKind, v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'int':
      return INTEGER.format(Math.round(v));
    case 'percent':
      return v.toFixed(2);
    case 'loss':
    case 'fraction':
      return v.toFixed(4);
    default:
      return String(v);
  }
}

/** Compares two cell values for sorting: numbers by value, text naturally; empty cells last either way. */
export function compareCells(a: CellValue, b: CellValue, descending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : NATURAL.compare(String(a), String(b));
  return descending ? -order : order;
}

/** The keys of the best value per metric column (ties all best): run id → set of column keys. */
export function bestCells(records: readonly RunRecord[], columns: readonly CompareColumn[]): Map<string, Set<string>> {
  const best = new Map<string, Set<string>>();
  for (const c of columns) {
    if (!c.better) continue;
    const values = records.map((r) => c.value(r)).filter((v): v is number => typeof v === 'number');
    if (values.length < 2) continue;
    const target = c.better === 'higher' ? Math.max(...values) : Math.min(...values);
    for (const r of records) {
      if (c.value(r) !== target) continue;
      if (!best.has(r.run_id)) best.set(r.run_id, new Set());
      best.get(r.run_id)!.add(c.key);
    }
  }
  return best;
}

/** Columns whose value is not the same for every record (for "Differences only"). */
export function differingColumns(records: readonly RunRecord[], columns: readonly CompareColumn[]): CompareColumn[] {
  // By value and by shown text: "5 / 5" and "5 / 20" epochs sort alike but differ.
  return columns.filter((c) => new Set(records.map((r) => JSON.stringify([c.value(r), cellText(c, r)]))).size > 1);
}
