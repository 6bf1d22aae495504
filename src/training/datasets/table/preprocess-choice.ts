// The checks a TableChoice must pass against its table before any row is read, and the label
// column's: which classes, in which order, and whether it is a classification target at all.
import { isMissingCell } from './cells';
import { naturalSort } from './preprocess-cells';
import { MAX_CLASSES } from './preprocess-types';
import type { ColumnProfile, ParsedTable, TableChoice } from './table';
import { count, TableError } from './table-error';

export interface ChosenFeature {
  column: string;
  index: number; // in table.columns
  kind: 'numeric' | 'categorical';
}

const SCALINGS: readonly TableChoice['scaling'][] = ['standard', 'minmax', 'none'];
const MISSING: readonly TableChoice['missing'][] = ['drop', 'impute'];
const LIST_MAX = 10;
const listed = (names: readonly string[]): string =>
  names.length <= LIST_MAX ? names.join(', ') : `${names.slice(0, LIST_MAX).join(', ')} … (${names.length} in all)`;

/** The label's column index and the features', or the first thing wrong with the choice. */
export function checkChoice(table: ParsedTable, choice: TableChoice): { label: number; features: ChosenFeature[] } {
  const columnOf = (name: string, role: string): number => {
    const i = table.header.indexOf(name);
    if (i < 0) throw new TableError(`${role} column "${name}" is not in the table (columns: ${listed(table.header)})`);
    const j = table.header.indexOf(name, i + 1);
    if (j >= 0) throw new TableError(`${role} column "${name}" is ambiguous: columns ${i + 1} and ${j + 1} both have that name`);
    return i;
  };
  const label = columnOf(choice.label, 'label');
  if (choice.features.length === 0) throw new TableError('choose at least one feature column besides the label');
  const seen = new Set<string>();
  for (const f of choice.features) {
    if (f === choice.label) throw new TableError(`column "${f}" is the label; it cannot also be a feature`);
    if (seen.has(f)) throw new TableError(`feature column "${f}" is chosen twice`);
    seen.add(f);
  }
  for (const c of choice.categorical) {
    if (!seen.has(c)) throw new TableError(`categorical column "${c}" is not among the features (${listed(choice.features)})`);
  }
  if (!SCALINGS.includes(choice.scaling)) throw new TableError(`scaling must be one of ${SCALINGS.join(', ')} (got ${String(choice.scaling)})`);
  if (!MISSING.includes(choice.missing)) throw new TableError(`missing values must be handled by one of ${MISSING.join(', ')} (got ${String(choice.missing)})`);
  if (!Number.isInteger(choice.maxCategories) || choice.maxCategories < 1) {
    throw new TableError(`the category limit must be an integer ≥ 1 (got ${String(choice.maxCategories)})`);
  }
  const categorical = new Set(choice.categorical);
  const features = choice.features.map((column) => ({
    column,
    index: columnOf(column, 'feature'),
    kind: categorical.has(column) ? ('categorical' as const) : ('numeric' as const),
  }));
  return { label, features };
}

/**
 * Refuses a label column profiled as a regression target. The profile (profile.ts) calls a numeric
 * column that only when its values are many and not all whole numbers: few values pass as classes.
 */
export function checkLabelValues(table: ParsedTable, labelIndex: number, profiles: readonly ColumnProfile[]): void {
  const name = table.header[labelIndex];
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new TableError(`no profile for the label column "${name}": read the table again`);
  if (profile.type === 'numeric' && profile.regressionLike) {
    throw new TableError(`label column "${name}" looks like a regression target (${count(profile.distinct)} distinct numeric values); this lab trains classifiers`);
  }
}

/** The rows whose label is not missing. */
export function rowsWithLabel(table: ParsedTable, labelIndex: number): number[] {
  const cells = table.columns[labelIndex];
  const rows: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (!isMissingCell(cells[r])) rows.push(r);
  return rows;
}

/** Classes in natural order, and each row's class index; one class, or more than MAX_CLASSES, is refused. */
export function classesOf(table: ParsedTable, labelIndex: number, rows: readonly number[]): { classes: string[]; labels: Int32Array } {
  const cells = table.columns[labelIndex];
  const name = table.header[labelIndex];
  const classes = naturalSort(rows.map((r) => cells[r]));
  if (classes.length > MAX_CLASSES) {
    throw new TableError(`label column "${name}" has ${count(classes.length)} classes; at most ${count(MAX_CLASSES)} are supported`);
  }
  if (classes.length < 2) {
    const which = classes.length === 1 ? ` ("${classes[0]}")` : '';
    throw new TableError(`label column "${name}" has ${classes.length} class${which} in the ${count(rows.length)} rows kept; a classifier needs at least 2`);
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, labels: Int32Array.from(rows, (r) => index.get(cells[r])!) };
}
