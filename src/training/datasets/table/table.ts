// The shapes a person's own CSV/TSV table takes between reading (csv-read, in a worker), profiling
// (column types, missing values) and preprocessing (fitted on the training split only). Plain data:
// everything here crosses a worker boundary by structured clone, and the fitted preprocessing is
// written to config.json as it is.

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The encodings we read; detected from a BOM or the bytes, changeable by the person. */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** Where a table came from, and how its bytes were read. */
export interface TableSource {
  fileName: string; // "pasted text" for pasted input
  bytes: number; // size of the file as read
  sha256: string; // hex SHA-256 of the file's bytes (of the UTF-8 text when pasted)
  encoding: TextEncodingName;
  delimiter: Delimiter;
  decimalComma: boolean; // "3,14" read as 3.14 (semicolon files from spreadsheets)
  hasHeader: boolean; // false: columns are named "column 1", "column 2", ...
}

/** Options a person may change after the first read; undefined = detect. */
export interface ReadOptions {
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
  decimalComma?: boolean;
  hasHeader?: boolean;
}

/** A table's text cells, column by column. A cell is trimmed; '' means missing. */
export interface ParsedTable {
  header: string[];
  columns: string[][]; // columns[c][r]; every column has rowCount cells
  rowCount: number;
  rowNumbers: Int32Array; // per row, its record number in the file (the header is 1), for messages
  skippedBlankRows: number;
  source: TableSource;
}

export type ColumnType = 'numeric' | 'categorical' | 'empty';

/** What a preview shows per column, and what preprocessing needs to know of it. */
export interface ColumnProfile {
  name: string;
  index: number;
  type: ColumnType;
  missing: number; // cells that are empty or a missing marker (NA, N/A, NaN, null, ?, -)
  distinct: number; // distinct non-missing values
  examples: string[]; // up to 5 distinct values, in order of first appearance
  // A column whose cells are numbers but for a few: those cells (first 5) and their count.
  // Such a column is typed 'numeric'; preprocessing refuses it with this list unless told to treat
  // them as missing, or the person makes the column categorical.
  notNumbers?: { count: number; first: { row: number; value: string }[] };
  labelCandidate: boolean; // named label/class/target/y/species (case-insensitive)
  regressionLike: boolean; // numeric with many distinct values: a regression target, not classes
}

/**
 * What the person chose in the preview: the label column, the feature columns, and how to prepare
 * them. Preprocessing (preprocess.ts) turns a ParsedTable and this into a Dataset, its split, and the
 * fitted preprocessing (fitted on the training split only; recorded in the run and config.json).
 */
export interface TableChoice {
  label: string; // column name
  features: string[]; // column names, in table order; never the label
  categorical: string[]; // features one-hot encoded (by default the columns profiled 'categorical')
  scaling: 'standard' | 'minmax' | 'none'; // numeric features; fitted on train
  missing: 'drop' | 'impute'; // rows with a missing feature: dropped before the split, or imputed (mean / most frequent, fitted on train)
  notNumbersAsMissing: boolean; // cells that are not numbers in a numeric column count as missing instead of refusing
  maxCategories: number; // per categorical feature; more distinct values is refused with a message
}
