// model_comparison.csv and group_comparison.csv. The reference's ten columns come first, with its
// names, order, meanings and formats (accuracies rounded to 2 decimals, Val_Acc_% = the best
// validation accuracy, Finished = the run's local time), rows sorted by test accuracy, best first;
// then our columns in full precision. RFC 4180 with the formula-injection guard of run.zip.
import { toCsv, type CsvCell } from '../export/csv';
import type { RunRecord } from '../recorder/run-record';
import { GROUP_METRICS, type RunGroup } from './groups';
import { COMPARE_COLUMNS, localTimeText, sourceText } from './run-columns';

export const REFERENCE_COLUMNS = ['Model', 'Run_Dir', 'Parameters', 'Test_Acc_%', 'Val_Acc_%', 'Best_Epoch', 'Training_Time', 'Finished', 'Batch_Size', 'Learning_Rate'] as const;

/**
 * Python's round(x, 2) as the reference writes it: 82.3, not 82.30, and an exact tie to even
 * (82.125 → 82.12), decided on the double's exact decimal value (toFixed rounds ties up).
 */
export function pythonRound2(v: number | null | undefined): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (Math.abs(v) >= 1e21) return v; // toFixed switches to exponent notation; such values have no fraction anyway
  const exact = Math.abs(v).toFixed(100).replace(/0+$/, ''); // every digit of the binary value
  const [int, frac = ''] = exact.split('.');
  const kept = frac.slice(0, 2).padEnd(2, '0');
  const rest = frac.slice(2);
  let cents = BigInt(int + kept);
  const tie = rest === '5';
  if (rest > '5' || (rest.startsWith('5') && !tie) || (tie && cents % 2n === 1n)) cents += 1n;
  return Math.sign(v) * (Number(cents) / 100);
}
const round2 = pythonRound2;

const EXTRA_COLUMNS: { header: string; value: (r: RunRecord) => CsvCell }[] = [
  { header: 'run_name', value: (r) => r.run_name },
  { header: 'dataset', value: (r) => r.dataset.name },
  { header: 'epochs_completed', value: (r) => r.training.epochs_completed },
  { header: 'epochs_planned', value: (r) => r.config.epochs },
  { header: 'optimizer', value: (r) => r.config.optimizer },
  { header: 'lr_schedule', value: (r) => COMPARE_COLUMNS.find((c) => c.key === 'schedule')!.value(r) },
  { header: 'weight_decay', value: (r) => r.config.weight_decay },
  { header: 'seed', value: (r) => r.config.seed },
  { header: 'best_val_accuracy', value: (r) => r.training.best_val_accuracy },
  { header: 'final_train_acc', value: (r) => r.training.final_train_acc },
  { header: 'final_val_acc', value: (r) => r.training.final_val_acc },
  { header: 'final_train_loss', value: (r) => r.training.final_train_loss },
  { header: 'final_val_loss', value: (r) => r.training.final_val_loss },
  { header: 'test_accuracy', value: (r) => r.test?.test_accuracy },
  { header: 'test_loss', value: (r) => r.test?.test_loss },
  { header: 'macro_f1', value: (r) => r.test?.per_class_metrics?.macro.f1 },
  { header: 'weighted_f1', value: (r) => r.test?.per_class_metrics?.weighted.f1 },
  { header: 'training_duration_seconds', value: (r) => r.training_duration_seconds },
  { header: 'start_time', value: (r) => r.start_time },
  { header: 'end_time', value: (r) => r.end_time },
  { header: 'device', value: (r) => r.environment?.backend ?? r.config.device },
  { header: 'status', value: (r) => r.status },
  { header: 'source', value: sourceText },
];

function referenceCells(r: RunRecord): CsvCell[] {
  return [
    r.model_name,
    r.run_id,
    r.model_parameters,
    round2(r.test?.test_accuracy),
    round2(r.training.best_val_accuracy),
    r.training.best_epoch > 0 ? r.training.best_epoch : null,
    r.training_duration_formatted || null,
    localTimeText(r.end_time),
    r.config.batch_size,
    r.config.learning_rate,
  ];
}

/** By test accuracy, best first, as the reference sorts; runs without a test result last (stable). */
export function byTestAccuracy(records: readonly RunRecord[]): RunRecord[] {
  const acc = (r: RunRecord) => (r.test && Number.isFinite(r.test.test_accuracy) ? r.test.test_accuracy : -Infinity);
  return [...records].sort((a, b) => acc(b) - acc(a));
}

export function modelComparisonCsv(records: readonly RunRecord[]): string {
  const header = [...REFERENCE_COLUMNS, ...EXTRA_COLUMNS.map((c) => c.header)];
  return toCsv(header, byTestAccuracy(records).map((r) => [...referenceCells(r), ...EXTRA_COLUMNS.map((c) => c.value(r) ?? null)]));
}

/** One row per group: n, then mean, std (n − 1), min and max of each metric. */
export function groupComparisonCsv(groups: readonly RunGroup[]): string {
  const header = ['group', 'n', 'runs', ...GROUP_METRICS.flatMap((m) => [`${m}_mean`, `${m}_std`, `${m}_min`, `${m}_max`])];
  const rows = groups.map((g) => [
    g.label,
    g.runs.length,
    g.runs.map((r) => r.run_id).join(' '),
    ...GROUP_METRICS.flatMap((m) => {
      const s = g.stats[m];
      return s ? [s.mean, s.std, s.min, s.max] : [null, null, null, null];
    }),
  ]);
  return toCsv(header, rows);
}
