// A person's table file (or pasted text) → ParsedTable. Reads the first MiB to detect the encoding,
// the delimiter, the header and decimal commas (each may be forced by ReadOptions) and to refuse
// early what is not a text table or is too large; then decodes and parses the file a MiB at a time,
// yielding between pieces so that an AbortSignal stops it, and hashes its bytes (SHA-256) meanwhile.
// Meant for a worker (table-worker.ts); nothing here touches the DOM.
import { sha256Hex } from '../images/image-provenance';
import { tick } from '../../../app/backup-util';
import type { Progress } from '../../worker-rpc';
import { detectDecimalComma, detectDelimiter, detectHeader, sampleRecords } from './detect';
import { detectEncoding, firstInvalidUtf8, lineAtByte, lineAtChar, notTextReason } from './encoding';
import { checkMemory, TABLE_LIMITS, type TableLimits } from './limits';
import { normalizeNewlines, parseRecords } from './records';
import type { Delimiter, ParsedTable, ReadOptions, TableSource, TextEncodingName } from './table';
import { TableBuilder } from './table-builder';
import { count, TableError } from './table-error';

/** Bytes read first, for the guesses and the early checks. */
export const HEAD_BYTES = 1 << 20;
/** Bytes decoded and parsed at a time. */
export const CHUNK_BYTES = 1 << 20;
export const PASTED_NAME = 'pasted text';

export interface ReadControl {
  signal?: AbortSignal;
  /** Bytes parsed so far of the file's size (label 'reading'). */
  onProgress?: (p: Progress) => void;
  /** Smaller limits (tests); TABLE_LIMITS otherwise. */
  limits?: Partial<TableLimits>;
}

interface Layout {
  delimiter: Delimiter;
  hasHeader: boolean;
  decimalComma: boolean;
}

/** Valid UTF-8 expected, and not found at `offset`. */
class InvalidUtf8 extends Error {
  constructor(readonly offset: number) {
    super('invalid UTF-8');
  }
}

/** Reads a table file (File or Blob) or pasted text. Throws TableError on bad input, the signal's reason when aborted. */
export async function readTable(input: Blob | string, options: ReadOptions = {}, control: ReadControl = {}): Promise<ParsedTable> {
  const limits: TableLimits = { ...TABLE_LIMITS, ...control.limits };
  const { signal } = control;
  signal?.throwIfAborted();
  const pasted = typeof input === 'string';
  const blob = pasted ? new Blob([input]) : input;
  const fileName = pasted ? PASTED_NAME : input instanceof File ? input.name : 'table';
  if (blob.size === 0) throw new TableError(pasted ? 'the pasted text is empty' : `${fileName} is empty (0 bytes)`);
  const what = pasted ? 'the pasted text' : 'the file';

  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const complete = head.length === blob.size;
  const forced: TextEncodingName | undefined = pasted ? 'utf-8' : options.encoding;
  let encoding = forced ?? detectEncoding(head, complete);
  const layout = detectLayout(head, encoding, complete, options, forced !== undefined);
  signal?.throwIfAborted();

  const bytes = complete ? head : new Uint8Array(await blob.arrayBuffer());
  const hashing = sha256Hex(bytes);
  hashing.catch(() => undefined); // awaited below; a read that throws first must not leave it unhandled
  let parsed: Omit<ParsedTable, 'source'>;
  try {
    parsed = await parseBytes(bytes, encoding, { ...layout, what }, limits, control);
  } catch (e) {
    if (!(e instanceof InvalidUtf8)) throw e;
    if (forced) throw notUtf8(bytes, e.offset);
    encoding = 'windows-1252'; // valid UTF-8 at the start, not further on: a spreadsheet export
    parsed = await parseBytes(bytes, encoding, { ...layout, what }, limits, control);
  }
  const source: TableSource = { fileName, bytes: blob.size, sha256: await hashing, encoding, ...layout };
  return { ...parsed, source };
}

/** The guesses (or the person's choices) from the first bytes, and the early refusals. */
function detectLayout(head: Uint8Array, encoding: TextEncodingName, complete: boolean, options: ReadOptions, forced: boolean): Layout {
  if (encoding === 'utf-8' && forced) {
    const bad = firstInvalidUtf8(head, complete);
    if (bad >= 0) throw notUtf8(head, bad);
  }
  const raw = new TextDecoder(encoding).decode(head, { stream: !complete });
  const why = notTextReason(head, raw);
  if (why) throw new TableError(why);
  const text = normalizeNewlines(raw);
  const delimiter = options.delimiter ?? detectDelimiter(text, complete);
  const sample = sampleRecords(text, delimiter, complete);
  const decimalComma = options.decimalComma ?? detectDecimalComma(sample, delimiter);
  const hasHeader = options.hasHeader ?? detectHeader(sample, decimalComma);
  return { delimiter, hasHeader, decimalComma };
}

function notUtf8(bytes: Uint8Array, offset: number): TableError {
  return new TableError(
    `the file is not valid UTF-8: the bytes at ${count(offset)} (line ${count(lineAtByte(bytes, offset))}) are no UTF-8 character; ` +
      'it may be windows-1252 (files saved by spreadsheets on Windows): choose that encoding',
  );
}

/** Decodes and parses the whole file a chunk at a time. */
async function parseBytes(bytes: Uint8Array, encoding: TextEncodingName, layout: Layout & { what: string }, limits: TableLimits, control: ReadControl): Promise<Omit<ParsedTable, 'source'>> {
  const { signal, onProgress } = control;
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  const builder = new TableBuilder({ ...layout, limits });
  const total = bytes.length;
  let carry = ''; // the unfinished last record of the previous piece, newlines normalised
  let cr = ''; // a '\r' that ended the previous chunk: its '\n' may start this one
  let checkedEstimate = false;
  for (let offset = 0; ; ) {
    const end = Math.min(offset + CHUNK_BYTES, total);
    const last = end === total;
    let decoded: string;
    try {
      decoded = decoder.decode(bytes.subarray(offset, end), { stream: !last });
    } catch {
      throw new InvalidUtf8(Math.max(0, firstInvalidUtf8(bytes.subarray(0, end), last)));
    }
    const nul = decoded.indexOf('\0');
    if (nul >= 0) {
      const line = builder.line + lineAtChar(carry, carry.length) - 1 + lineAtChar(decoded, nul) - 1;
      throw new TableError(`this does not look like a text table: it holds NUL characters (on line ${count(line)})`);
    }
    decoded = cr + decoded;
    cr = !last && decoded.endsWith('\r') ? '\r' : '';
    if (cr) decoded = decoded.slice(0, -1);
    let text = carry + normalizeNewlines(decoded);
    if (last && text.endsWith('\n')) text = text.slice(0, -1); // the file's final line end ends a record, not a blank line
    const piece = parseRecords(text, layout.delimiter, last);
    carry = text.slice(piece.cursor);
    if (carry.length > limits.maxRecordChars) {
      throw new TableError(
        `row ${count(builder.line + piece.records.length)}: one record runs past ${count(limits.maxRecordChars)} characters: ` +
          `a quoted field is probably never closed (a '"' opens it and no '"' ends it)`,
      );
    }
    builder.add(piece, text.includes('"'));
    offset = end;
    if (!checkedEstimate && builder.rowCount > 0 && !last) {
      checkedEstimate = true; // refuse a table far too large before parsing it all
      checkMemory((builder.rowCount * total) / end, builder.width, total, limits, true);
    }
    checkMemory(builder.rowCount, builder.width, total, limits, false);
    onProgress?.({ done: end, total, label: 'reading' });
    if (last) break;
    await tick();
    signal?.throwIfAborted();
  }
  return builder.finish();
}

/** The table's first `rows` rows (all of it when it has no more): what the page shows of a table kept in the worker. */
export function tableHead(table: ParsedTable, rows: number): ParsedTable {
  const n = Math.max(0, Math.min(rows, table.rowCount));
  return {
    ...table,
    columns: table.columns.map((cells) => cells.slice(0, n)),
    rowCount: n,
    rowNumbers: table.rowNumbers.slice(0, n),
  };
}
