// RFC 4180 CSV writing for the run folder. Pure: no DOM.
//
// - Fields that contain a comma, a double quote, CR or LF are quoted; quotes are doubled.
// - Records end with CRLF (RFC 4180; Python's csv module writes the same).
// - Numbers are written in full precision with String(n) ('.' decimal, shortest round-trip form);
//   NaN and ±Infinity as NaN / Infinity / -Infinity, which pandas and R read back as numbers.
// - Formula injection (OWASP "CSV injection"): a *text* cell that starts with =, +, -, @, tab or CR
//   gets a leading apostrophe so spreadsheets show it as text. Number cells are never touched, so
//   -0.5 stays the number -0.5.

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell, neutralised against formula injection and quoted when needed. */
export function csvText(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number cell in full precision. */
export function csvNumber(value: number): string {
  return String(value);
}

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvText(value);
}

export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(',');
}

/** A whole file: header then rows, each record terminated by CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [csvRow(header)];
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new RangeError(`CSV row has ${row.length} cells, header has ${header.length}`);
    }
    lines.push(csvRow(row));
  }
  return lines.join('\r\n') + '\r\n';
}
