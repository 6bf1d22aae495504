// Reading the text files of a run folder: JSON as Python's json module writes it (bare NaN and
// Infinity tokens, which JSON.parse rejects) and CSV as Python's csv module writes it.
import Papa from 'papaparse';

/** A file of a run folder that cannot be read as what it should be; the message names the file. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

const utf8 = new TextDecoder('utf-8');

export const decodeText = (bytes: Uint8Array): string => utf8.decode(bytes);

/**
 * `text` with every bare NaN, Infinity and -Infinity token outside strings replaced by null, so a
 * value Python could not write as a number reads as missing rather than failing the whole file.
 */
export function nullNonFinite(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    const token = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : '';
    if (!token) continue;
    out += text.slice(from, i) + 'null';
    i += token.length - 1;
    from = i + 1;
  }
  return out + text.slice(from);
}

/** How deep a run file's JSON may nest: real ones nest about 5 deep; what reads them (and JSON.stringify) recurses. */
export const MAX_JSON_DEPTH = 64;

/** Whether arrays and objects nest deeper than `max` anywhere in `text` (strings skipped); counted without recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Parses Python-written JSON; throws ImportFormatError naming `file`. The result is unknown: validate
 * it. Nesting past MAX_JSON_DEPTH is refused before parsing. A `__proto__` key stays an own data
 * property (JSON.parse never sets a prototype); readers copy keys with Object.fromEntries.
 */
export function parseJson(text: string, file: string): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ImportFormatError(`${file}: arrays and objects nest more than ${MAX_JSON_DEPTH} levels deep; a run's files nest a few levels`);
  }
  try {
    return JSON.parse(nullNonFinite(text));
  } catch (e) {
    throw new ImportFormatError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Lines holding something (blank ones are not rows; CRLF, LF or CR ends), counted without parsing: a cap checked before a costly parse. */
export function countLines(text: string): number {
  let n = 0;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a || ch === 0x0d) {
      if (!empty) n++;
      empty = true;
    } else {
      empty = false;
    }
  }
  return empty ? n : n + 1;
}

/** RFC 4180 rows (LF or CRLF line ends, quoted fields) read by PapaParse; blank lines are skipped. */
export function parseCsv(text: string, file: string): string[][] {
  // One line end for the whole file: files edited on other systems mix CRLF and LF.
  const parsed = Papa.parse<string[]>(text.replace(/\r\n?/g, '\n'), { header: false, delimiter: ',', newline: '\n', skipEmptyLines: true });
  if (parsed.errors.some((e) => e.type === 'Quotes')) throw new ImportFormatError(`${file}: a quoted field is never closed`);
  return parsed.data;
}

/** A CSV as named columns; throws naming the missing ones (sorted) or a short row. */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

export function csvTable(text: string, file: string, required: readonly string[]): CsvTable {
  const [header, ...body] = parseCsv(text, file);
  if (!header) throw new ImportFormatError(`${file}: the file is empty`);
  const columns = header.map((h) => h.trim());
  const missing = required.filter((c) => !columns.includes(c)).sort();
  if (missing.length > 0) throw new ImportFormatError(`${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const rows = body.map((cells, r) => {
    if (cells.length !== columns.length) {
      throw new ImportFormatError(`${file}: row ${r + 2} has ${cells.length} fields, the header has ${columns.length}`);
    }
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
  });
  return { columns, rows };
}

/**
 * A numeric cell: a number, or null for an empty cell and for what Python writes for a value it
 * could not compute (nan, inf). Anything else is an error naming the file, row and column.
 */
export function cellNumber(cell: string, file: string, where: string): number | null {
  const s = cell.trim();
  if (s === '' || /^[+-]?(nan|inf|infinity)$/i.test(s)) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new ImportFormatError(`${file}: ${where} is not a number (${JSON.stringify(s.slice(0, 40))})`);
  return n;
}
