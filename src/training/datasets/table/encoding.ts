// Which text encoding a table file is in, and whether it is text at all. Detection: a byte order
// mark (UTF-8, UTF-16 LE/BE); else UTF-16 without a mark when every other byte of the start is 0;
// else UTF-8 when the bytes are valid UTF-8; else Windows-1252 (what spreadsheets export on Windows).
// Pure: bytes in, names and messages out; the decoding itself is TextDecoder's.
import type { TextEncodingName } from './table';
import { count } from './table-error';

/** The encoding a byte order mark at the start names, with the mark's length; null without one. */
export function byteOrderMark(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a BOM: ASCII text has a 0 byte beside every character (after it in LE, before in BE). */
function utf16WithoutBom(bytes: Uint8Array): TextEncodingName | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > 0.7 * pairs && evenZeros === 0) return 'utf-16le';
  if (evenZeros > 0.7 * pairs && oddZeros === 0) return 'utf-16be';
  return null;
}

/**
 * Index of the first byte of an invalid UTF-8 sequence (overlong forms, surrogates and code points
 * past U+10FFFF are invalid), or -1. With `complete` false a sequence cut off by the end is not
 * an error (the rest of the file may finish it).
 */
export function firstInvalidUtf8(bytes: Uint8Array, complete: boolean): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return complete ? i : -1;
      const c = bytes[i + k];
      let lo = 0x80;
      let hi = 0xbf;
      if (k === 1) {
        if (b === 0xe0) lo = 0xa0;
        else if (b === 0xed) hi = 0x9f;
        else if (b === 0xf0) lo = 0x90;
        else if (b === 0xf4) hi = 0x8f;
      }
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The encoding of a file from its first bytes (`complete`: they are the whole file). */
export function detectEncoding(head: Uint8Array, complete: boolean): TextEncodingName {
  const bom = byteOrderMark(head);
  if (bom) return bom.encoding;
  const utf16 = utf16WithoutBom(head);
  if (utf16) return utf16;
  return firstInvalidUtf8(head, complete) < 0 ? 'utf-8' : 'windows-1252';
}

/** Line (1-based) of a byte offset in a file whose newline is the byte 0x0A (UTF-8, Windows-1252). */
export function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Line (1-based) of a character index in text. */
export function lineAtChar(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Files that are not text, by their first bytes. */
const SIGNATURES: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (an Excel .xlsx or OpenDocument .ods workbook is one: save the sheet as CSV)' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an Excel .xls workbook (save the sheet as CSV)' },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { magic: [0x1f, 0x8b], what: 'a gzip-compressed file (decompress it first)' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

/** Characters no text table holds: C0 controls but tab, newline, form feed, carriage return; DEL. */
const isControl = (c: number): boolean => (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f;

/** Share of control characters past which decoded text is "mostly not text". */
export const MAX_CONTROL_SHARE = 0.05;

/**
 * Why the start of a file is not a text table, or null: a known binary signature, a NUL character,
 * or more than MAX_CONTROL_SHARE control characters among the first 64 K characters.
 */
export function notTextReason(head: Uint8Array, text: string): string | null {
  const known = SIGNATURES.find((s) => s.magic.every((m, i) => head[i] === m));
  if (known) return `this does not look like a text table: it is ${known.what}`;
  const nul = text.indexOf('\0');
  if (nul >= 0) return `this does not look like a text table: it holds NUL characters (the first on line ${count(lineAtChar(text, nul))})`;
  const n = Math.min(text.length, 65536);
  let controls = 0;
  for (let i = 0; i < n; i++) if (isControl(text.charCodeAt(i))) controls++;
  if (controls > MAX_CONTROL_SHARE * n) {
    return `this does not look like a text table: ${Math.round((100 * controls) / n)} % of its first ${count(n)} characters are control characters`;
  }
  return null;
}
