// What preprocessing a table produces (preprocess.ts): the dataset, its split, and the fitted
// preprocessing. FittedPreprocessing is plain JSON (numbers, strings, arrays; no typed arrays, no
// objects keyed by column names, which are the file's text): it goes to config.json as it is, and
// transformRow turns a new row of text cells into the model's input with it.
// A choice that cannot be prepared throws a TableError (table-error.ts) saying what and where.
import type { Dataset, DatasetSplit } from '../../types';
import type { TableChoice } from './table';

/** Classes beyond this are refused: a classifier over more is rarely what a table means. */
export const MAX_CLASSES = 1000;

/** How a numeric feature is scaled, with the train split's statistics. */
export type NumericScaler =
  | { scaling: 'standard'; mean: number; std: number } // (x − mean) / std; population std, 1 for a constant column
  | { scaling: 'minmax'; min: number; max: number } // (x − min) / (max − min); range 1 for a constant column
  | { scaling: 'none' };

export interface NumericInput {
  column: string;
  kind: 'numeric';
  impute: number | null; // the train mean put in missing cells (missing 'impute'); null: such rows were dropped
  scaler: NumericScaler; // fitted after imputation (as sklearn's SimpleImputer → scaler pipeline)
}

export interface CategoricalInput {
  column: string;
  kind: 'categorical';
  impute: string | null; // the train's most frequent value (ties: first in natural order); null: rows dropped
  categories: string[]; // seen in train, natural order: one output "column=category" each
}

export type FittedInput = NumericInput | CategoricalInput;

/** What happened to the table's rows and cells on the way to the dataset. */
export interface RowCounts {
  total: number; // data rows in the table
  droppedNoLabel: number; // rows without a label, dropped before the split
  droppedMissing: number; // rows dropped for a missing feature value (missing 'drop'), each counted once
  droppedByColumn: { column: string; rows: number }[]; // per feature: dropped rows missing it (a row may count in several)
  notNumbers: { column: string; cells: number }[]; // per numeric feature: cells that were not numbers, read as missing
  imputed: { column: string; train: number; val: number; test: number }[]; // per feature: cells filled (missing 'impute')
  kept: number; // rows in the dataset
  train: number;
  val: number;
  test: number;
}

export interface FittedPreprocessing {
  fittedOn: 'train'; // every fitted value comes from the train split's rows only
  label: { column: string; classes: string[] }; // class i is classes[i]: the natural order of the names
  options: Pick<TableChoice, 'scaling' | 'missing' | 'notNumbersAsMissing' | 'maxCategories'>;
  cells: { missingMarkers: string[]; decimalComma: boolean }; // how a text cell is read ('' is missing too; cells.ts)
  unseenCategory: 'all zeros'; // a category not seen in train encodes as all zeros
  inputs: FittedInput[]; // the chosen features, in table order
  outputNames: string[]; // one per model input: "age", "color=red"
  rows: RowCounts;
}

export interface PreparedTable {
  dataset: Dataset; // every kept row, in table order, transformed
  split: DatasetSplit; // the same rows split, transformed with the train-fitted preprocessing
  preprocessing: FittedPreprocessing;
  counts: RowCounts; // = preprocessing.rows
}
