// The limits on a person's table, in one place: how many rows and columns we read, how much memory
// the parsed table may take, and how long one record may grow. Tests inject smaller limits through
// readTable's options; the page uses TABLE_LIMITS.
import { formatBytes } from '../../../units';
import { count, TableError } from './table-error';

/** Data rows (the header and skipped blank lines not counted). */
export const MAX_ROWS = 1_000_000;
export const MAX_COLUMNS = 1_000;
/**
 * Estimated bytes a parsed cell costs in the worker beyond its characters: the string's header, its
 * slot in the column array, and its share of the file's bytes held while parsing and of profiling.
 * Measured with bench/run-table-bench.mjs: 900,000 rows × 12 columns (10.8 million cells, 100.7 MB)
 * raised the renderer's memory by 0.69 GB at its peak; this estimate says 0.79 GB.
 */
export const BYTES_PER_CELL = 64;
/**
 * A table whose estimated memory (cells × BYTES_PER_CELL + its text) passes this is refused: about
 * 20 million short cells (1,000,000 rows × 20 columns), twice the measured 100 MB file, leaving room
 * for preprocessing and training in the same tab.
 */
export const MEMORY_BUDGET_BYTES = 1.5e9;
/** One record (a row, newlines in quoted cells included): longer is a quote never closed. */
export const MAX_RECORD_CHARS = 1_000_000;

export interface TableLimits {
  maxRows: number;
  maxColumns: number;
  memoryBudgetBytes: number;
  bytesPerCell: number;
  maxRecordChars: number;
}

export const TABLE_LIMITS: Readonly<TableLimits> = Object.freeze({
  maxRows: MAX_ROWS,
  maxColumns: MAX_COLUMNS,
  memoryBudgetBytes: MEMORY_BUDGET_BYTES,
  bytesPerCell: BYTES_PER_CELL,
  maxRecordChars: MAX_RECORD_CHARS,
});

/** Estimated memory of a parsed table: its cells' overhead and its text (one byte a character). */
export const estimateTableBytes = (cells: number, textBytes: number, limits: TableLimits): number =>
  cells * limits.bytesPerCell + textBytes;

export function checkColumns(columns: number, limits: TableLimits): void {
  if (columns > limits.maxColumns) {
    throw new TableError(`the table has ${count(columns)} columns, more than the limit of ${count(limits.maxColumns)} columns`);
  }
}

export function checkRows(rows: number, limits: TableLimits): void {
  if (rows > limits.maxRows) {
    throw new TableError(`the table has more than ${count(limits.maxRows)} data rows, the limit: use a sample of its rows`);
  }
}

/**
 * Refuses a table whose estimated memory passes the budget. `rows` is a count, or an estimate from
 * the first part of the file (`estimated` says so in the message).
 */
export function checkMemory(rows: number, columns: number, textBytes: number, limits: TableLimits, estimated: boolean): void {
  const cells = rows * columns;
  const bytes = estimateTableBytes(cells, textBytes, limits);
  if (bytes <= limits.memoryBudgetBytes) return;
  const about = estimated ? 'about ' : '';
  const from = estimated ? ', estimated from the start of the file,' : '';
  throw new TableError(
    `the table is too large to hold in memory: ${about}${count(Math.round(rows))} rows × ${count(columns)} columns${from} ` +
      `need about ${formatBytes(bytes)} (${limits.bytesPerCell} bytes a cell plus the text), ` +
      `more than the memory budget of ${formatBytes(limits.memoryBudgetBytes)}: use fewer rows or columns`,
  );
}
