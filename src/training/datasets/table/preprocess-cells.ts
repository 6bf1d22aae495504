// Reading cells for preprocessing, on top of cells.ts (what is missing, what is a number, shared
// with the reader and the profiler), and the natural order of names. Locale-independent throughout.
import { cellValue, isDecimalCommaCell, isMissingCell } from './cells';

/** A numeric feature's cell: its value, null when missing, NaN when it is not a (finite) number. */
export function readNumberCell(cell: string): number | null {
  if (isMissingCell(cell)) return null;
  const v = cellValue(cell);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** A new row's cell as the reader stores a table's cells: trimmed, and "3,14" → "3.14" in a decimal-comma file. */
export function asRead(cell: string, decimalComma: boolean): string {
  const text = cell.trim();
  return decimalComma && isDecimalCommaCell(text) ? text.replace(',', '.') : text;
}

type Chunk = string | bigint; // runs of non-digits, and runs of ASCII digits as their value
const chunks = (s: string): Chunk[] => (s.match(/\d+|\D+/g) ?? []).map((c) => (c.charCodeAt(0) <= 57 && c.charCodeAt(0) >= 48 ? BigInt(c) : c));
const firstUnit = (c: Chunk): number => (typeof c === 'bigint' ? 48 : c.charCodeAt(0)); // any digit sorts alike against text

function compareChunks(a: Chunk[], b: Chunk[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (typeof x === typeof y) return x < y ? -1 : 1; // numbers by value, text by UTF-16 code unit
    return firstUnit(x) < firstUnit(y) ? -1 : 1; // a number against text: by code unit ("-1" < "0" < "a")
  }
  return a.length - b.length;
}

/** Natural order: "class2" before "class10", "2" before "10"; digits compare by value, text by code unit. */
export function naturalCompare(a: string, b: string): number {
  return compareChunks(chunks(a), chunks(b));
}

/** The distinct values in natural order; values that compare equal ("7", "007") keep their first-seen order. */
export function naturalSort(values: Iterable<string>): string[] {
  const keyed = [...new Set(values)].map((v) => ({ v, k: chunks(v) }));
  keyed.sort((a, b) => compareChunks(a.k, b.k)); // Array.prototype.sort is stable
  return keyed.map((e) => e.v);
}
