// What one cell of a person's table holds: missing (empty or a marker), a number, or text. Shared by
// reading (header and decimal-comma detection), profiling and preprocessing, so they agree.

/** Cells that mean "no value", compared case-insensitively: NA, N/A, NaN, null, ?, -. */
export const MISSING_MARKERS = ['na', 'n/a', 'nan', 'null', '?', '-'] as const;
const MISSING = new Set<string>(MISSING_MARKERS);

/** Empty, or a missing marker (cells are trimmed when read). */
export const isMissingCell = (cell: string): boolean => cell === '' || (cell.length <= 4 && MISSING.has(cell.toLowerCase()));

/**
 * A decimal number as spreadsheets write it: optional sign, digits with an optional '.', optional
 * exponent ("3", "-0.5", ".5", "1e-3"). Not hex, not "Infinity", not thousands separators.
 */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
export const isNumberCell = (cell: string): boolean => NUMBER.test(cell);

/** The cell's number, or NaN when isNumberCell says it is none. */
export const cellValue = (cell: string): number => (NUMBER.test(cell) ? Number(cell) : NaN);

/** "3,14", "-0,5", ",5": a number written with a decimal comma (one comma, no thousands separators). */
const DECIMAL_COMMA = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;
export const isDecimalCommaCell = (cell: string): boolean => DECIMAL_COMMA.test(cell);

/** A number with a decimal point but no comma ("3.14"): in a decimal-comma file it would not appear. */
const DECIMAL_POINT = /^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$/;
export const isDecimalPointCell = (cell: string): boolean => DECIMAL_POINT.test(cell);
