// A typed row, or every row of a table file, → the model's inputs (Try it, Predict a file), with the
// preprocessing the run was trained with. A person's table has its FittedPreprocessing recorded; a
// built-in tabular set (Iris, the 2-D sets) is standardised with its train split's mean and std
// (split.ts), expressed here as the same FittedPreprocessing so one code path (transformRow) encodes
// both. Bad input throws a TableError that names the row and the column. Pure: no DOM, no tfjs.
import type { FittedPreprocessing } from './datasets/table/preprocess-types';
import { transformRow } from './datasets/table/preprocess-transform';
import type { ParsedTable } from './datasets/table/table';
import { count, TableError } from './datasets/table/table-error';
import { isMissingCell } from './datasets/table/cells';
import type { DatasetSplit } from './types';

/** Rows named in a message about a file before "…". */
const LISTED = 5;

/** The train split's standardisation of a built-in tabular set as a FittedPreprocessing over `columns`. */
export function standardizedPreprocessing(
  columns: readonly string[],
  stats: { mean: ArrayLike<number>; std: ArrayLike<number> },
  split: Pick<DatasetSplit, 'classNames' | 'train' | 'val' | 'test'>,
): FittedPreprocessing {
  if (columns.length !== stats.mean.length) throw new RangeError(`${columns.length} column names for ${stats.mean.length} features`);
  const n = { train: split.train.n, val: split.val.n, test: split.test.n };
  const total = n.train + n.val + n.test;
  return {
    fittedOn: 'train',
    label: { column: 'label', classes: [...split.classNames] },
    options: { scaling: 'standard', missing: 'drop', notNumbersAsMissing: false, maxCategories: 0 },
    cells: { missingMarkers: [], decimalComma: false },
    unseenCategory: 'all zeros',
    inputs: columns.map((column, i) => ({ column, kind: 'numeric', impute: null, scaler: { scaling: 'standard', mean: stats.mean[i], std: stats.std[i] } })),
    outputNames: [...columns],
    rows: { total, droppedNoLabel: 0, droppedMissing: 0, droppedByColumn: [], notNumbers: [], imputed: [], kept: total, ...n },
  };
}

/** One typed row → the model's input, and notes on what was filled in or not known in training. */
export function encodeRow(pre: FittedPreprocessing, fields: Readonly<Record<string, string>>): { x: Float32Array; notes: string[] } {
  const notes: string[] = [];
  for (const input of pre.inputs) {
    const cell = (fields[input.column] ?? '').trim();
    if (isMissingCell(cell)) {
      if (input.impute === null) throw new TableError(`"${input.column}" is empty: give a value (training had no rows without one)`);
      notes.push(`"${input.column}" is empty: filled with ${input.impute} from the training rows`);
    } else if (input.kind === 'categorical' && !input.categories.includes(cell)) {
      notes.push(`"${input.column}" = "${cell}" never occurred in training: it counts as none of ${input.categories.length === 1 ? 'the category' : `the ${input.categories.length} categories`}`);
    }
  }
  return { x: transformRow(pre, fields), notes };
}

/** Every row of a table → n × outputs inputs; a feature column the table lacks, or rows that cannot be encoded, throw one TableError. */
export function encodeTable(pre: FittedPreprocessing, table: Pick<ParsedTable, 'header' | 'columns' | 'rowCount' | 'rowNumbers'>): Float32Array {
  const absent = pre.inputs.filter((i) => i.impute === null && !table.header.includes(i.column)).map((i) => `"${i.column}"`);
  if (absent.length) throw new TableError(`the file has no column ${absent.join(', ')} (its columns: ${table.header.join(', ')})`);
  const width = pre.outputNames.length;
  const x = new Float32Array(table.rowCount * width);
  const bad: string[] = [];
  let badCount = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const cells = Object.fromEntries(table.header.map((h, c) => [h, table.columns[c][r]]));
    try {
      x.set(transformRow(pre, cells), r * width);
    } catch (e) {
      if (!(e instanceof TableError)) throw e;
      if (++badCount <= LISTED) bad.push(`row ${count(table.rowNumbers[r])}: ${e.message}`);
    }
  }
  if (badCount) throw new TableError(`${count(badCount)} ${badCount === 1 ? 'row' : 'rows'} cannot be predicted: ${bad.join('; ')}${badCount > LISTED ? '; …' : ''}`);
  return x;
}
