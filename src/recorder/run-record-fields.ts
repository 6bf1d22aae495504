// The generic readers behind run-record validation: each checks one value at its field path and
// either returns it typed or throws RunRecordError naming that path. Nothing here knows the schema.

/** A record that is not a RunRecord; `path` names the offending field (`history[3].val_acc`). */
export class RunRecordError extends Error {
  override name = 'RunRecordError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;
export type Parser<T> = (v: unknown, path: string) => T;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'number') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function fail(path: string, what: string, got: unknown): never {
  const where = path ? `run record: ${path}` : 'run record';
  throw new RunRecordError(`${where} must be ${what} (got ${show(got)})`, path);
}

export const num: Parser<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'a number', v));
export const int: Parser<number> = (v, p) => (Number.isInteger(v) && typeof v === 'number' && v >= 0 ? v : fail(p, 'a non-negative integer', v));
export const str: Parser<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v));
export const bool: Parser<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'true or false', v));
export const time: Parser<string> = (v, p) =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : fail(p, 'an ISO 8601 time', v);
export const nullable =
  <T>(parse: Parser<T>): Parser<T | null> =>
  (v, p) => (v === null ? null : parse(v, p));
export const arrayOf =
  <T>(parse: Parser<T>): Parser<T[]> =>
  (v, p) => (Array.isArray(v) ? v.map((x, i) => parse(x, `${p}[${i}]`)) : fail(p, 'an array', v));
export function oneOf<T extends string | number | boolean>(values: readonly T[]): Parser<T> {
  return (v, p) => {
    const hit = values.find((x) => x === v);
    return hit !== undefined ? hit : fail(p, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
  };
}

/** Reads the fields of one object, each at its own path. */
export class Fields {
  private constructor(
    private readonly o: Json,
    private readonly path: string,
  ) {}
  static of(v: unknown, path: string): Fields {
    return isObject(v) ? new Fields(v, path) : fail(path, 'an object', v);
  }
  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
  get<T>(key: string, parse: Parser<T>): T {
    return parse(this.o[key], this.at(key));
  }
  /** The fields of a nested object. */
  sub(key: string): Fields {
    return Fields.of(this.o[key], this.at(key));
  }
  num = (k: string) => this.get(k, num);
  int = (k: string) => this.get(k, int);
  str = (k: string) => this.get(k, str);
  bool = (k: string) => this.get(k, bool);
}

/** Reads an optional field: absent (or undefined) stays undefined, anything else must parse. */
export const optional =
  <T>(parse: Parser<T>): Parser<T | undefined> =>
  (v, p) => (v === undefined ? undefined : parse(v, p));
/** A field the reference layout may lack: absent reads as null. */
export const orNull =
  <T>(parse: Parser<T>): Parser<T | null> =>
  (v, p) => (v === undefined || v === null ? null : parse(v, p));

/** `o` without its undefined values: an absent optional field stays absent (deep-equal to what was stored). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
