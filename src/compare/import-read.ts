// Reading fields of a parsed JSON file that is not ours (the reference script's results_summary.json,
// config.json) without casting: each read checks the value and names the file and field when it
// does not fit. Absent and null both read as null: the reference layout leaves many things out.
import type { ExtraValue } from '../recorder/run-record';
import { ImportFormatError } from './import-text';

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** A short description of a JSON value for a message: what was found where something else was wanted. */
export function describeJson(v: unknown): string {
  if (v === undefined) return 'nothing: the key is missing';
  // Python writes a value it could not compute as NaN or Infinity; the reader takes those as null.
  if (v === null) return 'null, NaN or Infinity';
  if (Array.isArray(v)) return 'an array';
  if (isJsonObject(v)) return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export class JsonReader {
  constructor(
    readonly value: JsonObject,
    readonly file: string,
    readonly path = '',
  ) {}

  /** A reader over `v` when it is an object, null when it is absent; an error for anything else. */
  static of(v: unknown, file: string, path = ''): JsonReader | null {
    if (v === undefined || v === null) return null;
    if (!isJsonObject(v)) throw new ImportFormatError(`${file}: ${path || 'the file'} must be an object (got ${describeJson(v)})`);
    return new JsonReader(v, file, path);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, what: string): never {
    throw new ImportFormatError(`${this.file}: ${this.at(key)} must be ${what} (got ${describeJson(this.value[key])})`);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  private read<T>(key: string, ok: (v: unknown) => v is T, what: string): T | null {
    const v = this.value[key];
    if (v === undefined || v === null) return null;
    return ok(v) ? v : this.fail(key, what);
  }

  num(key: string): number | null {
    return this.read(key, (v): v is number => typeof v === 'number' && Number.isFinite(v), 'a number');
  }

  count(key: string): number | null {
    return this.read(key, isCount, 'a whole number ≥ 0');
  }

  str(key: string): string | null {
    return this.read(key, (v): v is string => typeof v === 'string', 'text');
  }

  bool(key: string): boolean | null {
    return this.read(key, (v): v is boolean => typeof v === 'boolean', 'true or false');
  }

  /** An array read element by element; an element that does not fit names its index. */
  list<T>(key: string, item: (v: unknown) => v is T, what: string): T[] | null {
    const v = this.value[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) return this.fail(key, `an array of ${what}`);
    return v.map((x: unknown, i) => (item(x) ? x : this.failAt(`${this.at(key)}[${i}]`, what, x)));
  }

  private failAt(path: string, what: string, got: unknown): never {
    throw new ImportFormatError(`${this.file}: ${path} must be ${what} (got ${describeJson(got)})`);
  }

  nums(key: string): number[] | null {
    return this.list(key, (v): v is number => typeof v === 'number' && Number.isFinite(v), 'a number');
  }

  counts(key: string): number[] | null {
    return this.list(key, isCount, 'a whole number ≥ 0');
  }

  strs(key: string): string[] | null {
    return this.list(key, (v): v is string => typeof v === 'string', 'text');
  }

  /** A table of whole numbers (a confusion matrix). */
  countTable(key: string): number[][] | null {
    const rows = this.list(key, (v): v is unknown[] => Array.isArray(v), 'a row (an array)');
    return rows && rows.map((row, i) => row.map((x, j) => (isCount(x) ? x : this.failAt(`${this.at(key)}[${i}][${j}]`, 'a whole number ≥ 0', x))));
  }

  sub(key: string): JsonReader | null {
    return JsonReader.of(this.value[key], this.file, this.at(key));
  }

  /**
   * The keys not in `skip`, as plain values: arrays and objects become JSON text. Built with
   * Object.fromEntries, so keys such as `__proto__` and `constructor` stay plain data (an assignment
   * `out[k] = v` would set the prototype for `__proto__`, or drop the key).
   */
  extras(skip: ReadonlySet<string>): Record<string, ExtraValue> {
    return Object.fromEntries(
      Object.entries(this.value)
        .filter(([k, v]) => !skip.has(k) && v !== undefined)
        .map(([k, v]): [string, ExtraValue] => [k, v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : JSON.stringify(v)]),
    );
  }
}

/** The first non-null value a reader gives for `key` (e.g. results_summary.json's config before config.json). */
export function firstOf<T>(readers: readonly (JsonReader | null)[], key: string, read: (r: JsonReader, key: string) => T | null): T | null {
  for (const r of readers) {
    const v = r && read(r, key);
    if (v !== null && v !== undefined) return v;
  }
  return null;
}
