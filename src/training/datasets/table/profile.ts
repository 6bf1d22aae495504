// ParsedTable → one ColumnProfile per column (what the preview shows and preprocessing needs), and
// the TableChoice proposed before the person changes anything. Pure.
import { cellValue, isMissingCell } from './cells';
import type { ColumnProfile, ColumnType, ParsedTable, TableChoice } from './table';

/** Distinct values shown per column. */
export const EXAMPLES = 5;
/** Cells that are not numbers listed in a numeric column's profile. */
export const NOT_NUMBERS_LISTED = 5;
/**
 * A column stays numeric with some cells that are not numbers ("n/k", "12 kg") when at least 80 %
 * of its non-missing cells are numbers and the others are a handful (at most 3) or at most 5 % of
 * them: a few typing slips, not a text column.
 */
export const NOT_NUMBERS_HANDFUL = 3;
export const NOT_NUMBERS_SHARE = 0.05;
/**
 * A numeric column looks like a regression target (not classes) when its values are not all whole
 * numbers and it has more than 20 distinct values, more than 5 % of its non-missing cells: 0.5,
 * 1.5, 2.5 as three classes is fine, 900 distinct prices are not classes. Whole numbers may be class
 * codes, however many.
 */
export const REGRESSION_MIN_DISTINCT = 20;
export const REGRESSION_MIN_SHARE = 0.05;
/** Names that propose a column as the label (compared case-insensitively). */
export const LABEL_NAMES = ['label', 'class', 'target', 'y', 'species'] as const;
export const DEFAULT_MAX_CATEGORIES = 50;

export const isLabelName = (name: string): boolean => (LABEL_NAMES as readonly string[]).includes(name.trim().toLowerCase());

export const numbersOnlyWithFew = (numbers: number, notNumbers: number): boolean =>
  numbers > 0 && notNumbers <= 0.25 * numbers && notNumbers <= Math.max(NOT_NUMBERS_HANDFUL, NOT_NUMBERS_SHARE * (numbers + notNumbers));

export function profileColumn(table: ParsedTable, index: number): ColumnProfile {
  const cells = table.columns[index];
  // One pass: numbers go to a typed array (distinct counted by sorting it: far faster than a Set
  // on a million cells), other cells to a Set of strings.
  const values = new Float64Array(cells.length);
  const texts = new Set<string>();
  const examples: string[] = [];
  const notNumbers: { row: number; value: string }[] = [];
  let missing = 0;
  let numbers = 0;
  let fractional = false;
  for (let r = 0; r < cells.length; r++) {
    const cell = cells[r];
    if (isMissingCell(cell)) {
      missing++;
      continue;
    }
    if (examples.length < EXAMPLES && !examples.includes(cell)) examples.push(cell);
    const v = cellValue(cell);
    if (Number.isNaN(v)) {
      texts.add(cell);
      if (notNumbers.length < NOT_NUMBERS_LISTED) notNumbers.push({ row: table.rowNumbers[r], value: cell });
    } else {
      values[numbers++] = v;
      if (!fractional && !Number.isInteger(v)) fractional = true;
    }
  }
  const present = cells.length - missing;
  const notNumberCount = present - numbers;
  const type: ColumnType = present === 0 ? 'empty' : numbersOnlyWithFew(numbers, notNumberCount) ? 'numeric' : 'categorical';
  let distinct: number;
  if (type === 'numeric') {
    // "1" and "1.0" are one value
    distinct = distinctSorted(values.subarray(0, numbers)) + texts.size;
  } else {
    // Categories are strings as written: the numbers among them join the text
    if (numbers > 0) for (const cell of cells) if (!isMissingCell(cell) && !Number.isNaN(cellValue(cell))) texts.add(cell);
    distinct = texts.size;
  }
  const name = table.header[index];
  const profile: ColumnProfile = {
    name,
    index,
    type,
    missing,
    distinct,
    examples,
    labelCandidate: isLabelName(name),
    regressionLike: type === 'numeric' && fractional && distinct - texts.size > REGRESSION_MIN_DISTINCT && distinct - texts.size > REGRESSION_MIN_SHARE * numbers,
  };
  if (type === 'numeric' && notNumberCount > 0) profile.notNumbers = { count: notNumberCount, first: notNumbers };
  return profile;
}

/** Distinct values of an array, sorted in place. */
function distinctSorted(values: Float64Array): number {
  values.sort();
  let n = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) n++;
  return n;
}

/** Profiles of every column; `onColumn` after each (progress). */
export function profileTable(table: ParsedTable, onColumn?: (done: number, total: number) => void): ColumnProfile[] {
  return table.header.map((_, c) => {
    const p = profileColumn(table, c);
    onColumn?.(c + 1, table.header.length);
    return p;
  });
}

/**
 * The proposed label: a column named label, class, target, y or species, in that order of preference
 * (so "label" beats a coordinate "y"), else the last column that is not empty.
 */
export function proposeLabel(profiles: readonly ColumnProfile[]): ColumnProfile | undefined {
  const rank = (p: ColumnProfile) => (LABEL_NAMES as readonly string[]).indexOf(p.name.trim().toLowerCase());
  const named = profiles.filter((p) => p.labelCandidate && p.type !== 'empty').sort((a, b) => rank(a) - rank(b));
  return named[0] ?? [...profiles].reverse().find((p) => p.type !== 'empty');
}

/**
 * The choice before the person changes it: the proposed label; every other column that is not
 * empty as a feature, one-hot encoded when profiled categorical; standard scaling; rows with a
 * missing feature dropped; cells that are not numbers refused; at most 50 categories per feature.
 */
export function proposeChoice(profiles: readonly ColumnProfile[]): TableChoice {
  const label = proposeLabel(profiles);
  const features = profiles.filter((p) => p !== label && p.type !== 'empty');
  return {
    label: label?.name ?? '',
    features: features.map((p) => p.name),
    categorical: features.filter((p) => p.type === 'categorical').map((p) => p.name),
    scaling: 'standard',
    missing: 'drop',
    notNumbersAsMissing: false,
    maxCategories: DEFAULT_MAX_CATEGORIES,
  };
}
