// Text → records (arrays of fields) with PapaParse's own parser, in pieces: a piece's last record
// may be cut off, so it is left for the next piece (`cursor` says where it starts). RFC 4180 quoting:
// a quoted field may hold the delimiter, doubled quotes and newlines. Line ends are '\n' only:
// normalizeNewlines turns CRLF and CR into LF first.
import Papa from 'papaparse';
import type { Delimiter } from './table';

export interface RecordsPiece {
  records: string[][];
  /** Where the unfinished last record starts (text.length when `complete`). */
  cursor: number;
  /** Quote errors, by index into `records` (a record that is cut off is not judged). */
  errors: { code: 'MissingQuotes' | 'InvalidQuotes'; record: number }[];
}

interface PapaResult {
  data: string[][];
  errors: { code: string; row: number }[];
  meta: { cursor: number };
}

/**
 * Parses `text`. `complete`: it runs to the end of the file (else the last record is left out,
 * unfinished). `preview`: stop after that many records.
 */
export function parseRecords(text: string, delimiter: Delimiter, complete: boolean, preview = 0): RecordsPiece {
  const parser = new Papa.Parser({ delimiter, newline: '\n', quoteChar: '"', preview });
  const r = parser.parse(text, 0, !complete) as PapaResult;
  const errors: RecordsPiece['errors'] = [];
  for (const e of r.errors) {
    if ((e.code === 'MissingQuotes' || e.code === 'InvalidQuotes') && e.row < r.data.length) errors.push({ code: e.code, record: e.row });
  }
  return { records: r.data, cursor: complete ? text.length : r.meta.cursor, errors };
}

/** CRLF and lone CR become LF. */
export const normalizeNewlines = (text: string): string => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/** A record of nothing but empty or blank fields: a blank line. */
export function isBlankRecord(record: string[]): boolean {
  for (const field of record) if (field.trim() !== '') return false;
  return true;
}

/** Newlines inside a record's quoted fields: the lines it takes beyond its first. */
export function extraLines(record: string[]): number {
  let n = 0;
  for (const field of record) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  return n;
}
