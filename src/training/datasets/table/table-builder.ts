// Records → a ParsedTable's columns: the header (or "column N" names), data rows trimmed cell by
// cell, blank lines skipped and counted, rows with the wrong number of fields collected for one
// message, the row and column limits checked as rows arrive. Row numbers are lines of the file
// (the first line is 1), counting the extra lines of quoted fields that hold newlines.
import { isDecimalCommaCell } from './cells';
import { checkColumns, checkRows, type TableLimits } from './limits';
import { extraLines, isBlankRecord, type RecordsPiece } from './records';
import type { Delimiter, ParsedTable } from './table';
import { count, TableError } from './table-error';

export interface BuildOptions {
  hasHeader: boolean;
  decimalComma: boolean; // "3,14" cells become "3.14"
  delimiter: Delimiter; // for the hint of a message
  limits: TableLimits;
  what: string; // "the file" or "the pasted text", in messages
}

/** Ragged rows listed in the message. */
const RAGGED_LISTED = 5;

const delimiterName = (d: Delimiter): string => (d === '\t' ? 'tab' : `"${d}"`);

export class TableBuilder {
  /** Line of the next record. */
  line = 1;
  header: string[] | null = null;
  rowCount = 0;
  private columns: string[][] = [];
  private rowNumbers = new Int32Array(1024);
  private skipped = 0;
  private raggedCount = 0;
  private raggedFirst: { row: number; fields: number }[] = [];

  constructor(private readonly o: BuildOptions) {}

  get width(): number {
    return this.header?.length ?? 0;
  }

  /** Adds a piece's records; `multiline`: its text has quotes, so a record may span lines. */
  add(piece: RecordsPiece, multiline: boolean): void {
    const errors = new Map<number, RecordsPiece['errors'][number]['code']>();
    for (const e of piece.errors) if (!errors.has(e.record)) errors.set(e.record, e.code); // the first error of a record says most
    const { records } = piece;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const line = this.line;
      this.line += multiline ? 1 + extraLines(record) : 1;
      const error = errors.get(i);
      if (error) throw quoteError(error, line);
      if (isBlankRecord(record)) this.skipped++;
      else if (!this.header) this.start(record, line);
      else this.row(record, line);
    }
  }

  finish(): Omit<ParsedTable, 'source'> {
    if (!this.header) {
      const empty = `${this.o.what} is empty`;
      throw new TableError(this.skipped === 0 ? empty : `${empty}: it holds only blank lines (${count(this.skipped)})`);
    }
    if (this.raggedCount > 0) throw this.raggedError();
    if (this.rowCount === 0) {
      throw new TableError(`${this.o.what} has a header row (${this.header.join(', ')}) but no data rows`);
    }
    return {
      header: this.header,
      columns: this.columns,
      rowCount: this.rowCount,
      rowNumbers: this.rowNumbers.slice(0, this.rowCount),
      skippedBlankRows: this.skipped,
    };
  }

  private start(record: string[], line: number): void {
    checkColumns(record.length, this.o.limits);
    const names = record.map((h, i) => (this.o.hasHeader ? h.trim() : '') || `column ${i + 1}`);
    if (this.o.hasHeader) checkNames(names);
    this.header = names;
    this.columns = names.map(() => []);
    if (!this.o.hasHeader) this.row(record, line);
  }

  private row(record: string[], line: number): void {
    const { columns } = this;
    if (record.length !== columns.length) {
      if (this.raggedFirst.length < RAGGED_LISTED) this.raggedFirst.push({ row: line, fields: record.length });
      this.raggedCount++;
      checkRows(this.rowCount + this.raggedCount, this.o.limits);
      return;
    }
    const n = this.rowCount;
    if (n === this.rowNumbers.length) {
      const grown = new Int32Array(n * 2);
      grown.set(this.rowNumbers);
      this.rowNumbers = grown;
    }
    this.rowNumbers[n] = line;
    const comma = this.o.decimalComma;
    for (let c = 0; c < columns.length; c++) {
      let cell = record[c].trim();
      if (comma && cell.includes(',') && isDecimalCommaCell(cell)) cell = cell.replace(',', '.');
      columns[c].push(cell);
    }
    this.rowCount = n + 1;
    checkRows(this.rowCount + this.raggedCount, this.o.limits);
  }

  private raggedError(): TableError {
    const n = this.raggedCount;
    const what = this.o.hasHeader ? 'the header' : 'the first row';
    const listed = this.raggedFirst.map((r) => `row ${count(r.row)} has ${r.fields}`).join(', ');
    const more = n > this.raggedFirst.length ? ', …' : '';
    const hint =
      n > this.rowCount ? `; most rows differ: is the delimiter right (read as ${delimiterName(this.o.delimiter)})?` : '; a cell that holds the delimiter must be quoted';
    return new TableError(
      `${count(n)} ${n === 1 ? 'row has' : 'rows have'} a different number of fields than ${what} (${this.width}): ${listed}${more}${hint}`,
    );
  }
}

/** Duplicate column names, each with the columns that bear it. */
function checkNames(names: string[]): void {
  const where = new Map<string, number[]>();
  names.forEach((name, i) => where.set(name, [...(where.get(name) ?? []), i + 1]));
  const dups = [...where].filter(([, cols]) => cols.length > 1);
  if (dups.length === 0) return;
  const list = dups.map(([name, cols]) => `"${name}" (columns ${cols.slice(0, -1).join(', ')} and ${cols[cols.length - 1]})`);
  throw new TableError(`the header names ${dups.length === 1 ? 'a column' : 'columns'} twice: ${list.join(', ')}; every column needs its own name`);
}

function quoteError(code: RecordsPiece['errors'][number]['code'], line: number): TableError {
  return new TableError(
    code === 'MissingQuotes'
      ? `row ${count(line)}: a quoted field is never closed (a '"' opens it and no '"' ends it)`
      : `row ${count(line)}: a quoted field is malformed: its closing '"' is followed by more text (a '"' inside a quoted field is written '""')`,
  );
}
