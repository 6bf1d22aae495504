// Per-class test metrics of an imported run, from results_summary.json's test.per_class_metrics or
// from per_class_metrics.csv: precision/recall/F1 as fractions, macro as given, weighted computed
// from the support (the reference writes no weighted average).
import type { AveragedMetricsRecord, PerClassMetricsRecord } from '../recorder/run-record';
import { JsonReader } from './import-read';
import { cellNumber, countLines, csvTable, ImportFormatError } from './import-text';
import { metricFactor, scaled } from './import-units';

export interface PerClass {
  metrics: PerClassMetricsRecord;
  note: string | null; // the unit conversion made, starting with the file name
}

/** More classes than any classifier here is compared on: past it, a file is refused (its lists would stall the page). */
export const MAX_CLASSES = 100_000;
export const tooManyClasses = (file: string, what: string, n: number) =>
  new ImportFormatError(`${file}: ${what} ${n.toLocaleString('en-US')} classes, more than the ${MAX_CLASSES.toLocaleString('en-US')} a run may have`);

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Support-weighted averages; all zero when no class has support (nothing was tested). */
export function weightedAverages(pc: PerClassMetricsRecord['per_class']): AveragedMetricsRecord {
  const total = pc.support.reduce((a, b) => a + b, 0);
  const avg = (xs: readonly number[]) => (total > 0 ? xs.reduce((sum, x, i) => sum + x * pc.support[i], 0) / total : 0);
  return { precision: avg(pc.precision), recall: avg(pc.recall), f1: avg(pc.f1) };
}

function finish(
  file: string,
  columns: { class_name: string[]; precision: number[]; recall: number[]; f1: number[]; support: number[] },
  macroGiven: AveragedMetricsRecord | null,
): PerClass {
  const { precision, recall, f1 } = columns;
  const n = columns.class_name.length;
  if (n > MAX_CLASSES) throw tooManyClasses(file, 'per-class metrics of', n);
  for (const [key, list] of Object.entries({ precision, recall, f1, support: columns.support })) {
    if (list.length !== n) throw new ImportFormatError(`${file}: ${key} has ${list.length} values for ${n} classes`);
  }
  const macroValues = macroGiven ? [macroGiven.precision, macroGiven.recall, macroGiven.f1] : [];
  const { factor, note } = metricFactor([...precision, ...recall, ...f1, ...macroValues]);
  const per_class = {
    class_name: columns.class_name,
    precision: precision.map((v) => scaled(v, factor)),
    recall: recall.map((v) => scaled(v, factor)),
    f1: f1.map((v) => scaled(v, factor)),
    support: columns.support,
  };
  const macro = macroGiven
    ? { precision: scaled(macroGiven.precision, factor), recall: scaled(macroGiven.recall, factor), f1: scaled(macroGiven.f1, factor) }
    : { precision: mean(per_class.precision), recall: mean(per_class.recall), f1: mean(per_class.f1) };
  return { metrics: { per_class, macro, weighted: weightedAverages(per_class) }, note: note && `${file}: ${note}` };
}

/** From results_summary.json's test.per_class_metrics; class names from the dataset when the block has none. */
export function perClassFromSummary(block: JsonReader, classNames: readonly string[]): PerClass {
  const pc = block.sub('per_class');
  if (!pc) block.fail('per_class', 'an object');
  const need = (list: number[] | null, key: string) => list ?? pc.fail(key, 'an array of numbers');
  const precision = need(pc.nums('precision'), 'precision');
  const f1 = pc.has('f1') ? pc.nums('f1') : pc.nums('f1_score');
  const names = pc.strs('class_name') ?? (classNames.length > 0 ? [...classNames] : precision.map((_, i) => String(i)));
  const m = block.sub('macro');
  const macro = m && { precision: m.num('precision'), recall: m.num('recall'), f1: m.num('f1') ?? m.num('f1_score') };
  return finish(
    block.file,
    {
      class_name: names,
      precision,
      recall: need(pc.nums('recall'), 'recall'),
      f1: need(f1, 'f1'),
      support: pc.counts('support') ?? pc.fail('support', 'an array of whole numbers'),
    },
    macro && macro.precision !== null && macro.recall !== null && macro.f1 !== null ? { precision: macro.precision, recall: macro.recall, f1: macro.f1 } : null,
  );
}

/** From per_class_metrics.csv (class_name, class_id, precision, recall, f1_score, support). */
export function perClassFromCsv(text: string, file = 'per_class_metrics.csv'): PerClass {
  const rows = countLines(text) - 1;
  if (rows > MAX_CLASSES) throw tooManyClasses(file, 'has rows for', rows);
  const table = csvTable(text, file, ['class_name', 'precision', 'recall', 'support']);
  const f1Column = table.columns.includes('f1_score') ? 'f1_score' : table.columns.includes('f1') ? 'f1' : null;
  if (!f1Column) throw new ImportFormatError(`${file}: missing column f1_score`);
  const value = (row: Record<string, string>, r: number, column: string) => {
    const v = cellNumber(row[column], file, `row ${r + 2}, column ${column}`);
    if (v === null) throw new ImportFormatError(`${file}: row ${r + 2}, column ${column} is empty`);
    return v;
  };
  const support = table.rows.map((row, r) => {
    const v = value(row, r, 'support');
    if (!Number.isInteger(v) || v < 0) throw new ImportFormatError(`${file}: row ${r + 2}, column support must be a whole number (got ${v})`);
    return v;
  });
  return finish(
    file,
    {
      class_name: table.rows.map((row) => row.class_name),
      precision: table.rows.map((row, r) => value(row, r, 'precision')),
      recall: table.rows.map((row, r) => value(row, r, 'recall')),
      f1: table.rows.map((row, r) => value(row, r, f1Column)),
      support,
    },
    null,
  );
}
