// Codecs of the Lab's address (url-state.ts): text in the URL <-> typed value. A parse never
// throws: it gives the value or a short reason.
import type { SplitRatios } from './training/types';

export interface Codec<T> {
  parse(raw: string): { value: T } | { error: string };
  format(v: T): string;
}

export const fmtNum = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
export const parseNum = (raw: string): number | null => {
  const n = raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) ? n : null;
};
export const num: Codec<number> = {
  parse: (raw) => {
    const n = parseNum(raw);
    return n === null ? { error: 'not a number' } : { value: n };
  },
  format: fmtNum,
};
export const list: Codec<number[]> = {
  parse: (raw) => {
    if (raw.trim() === '') return { value: [] };
    const xs = raw.split(',').map(parseNum);
    return xs.some((x) => x === null) ? { error: 'expected comma-separated numbers' } : { value: xs as number[] };
  },
  format: (v) => v.map(fmtNum).join(','),
};
export const oneOf = <T extends string>(options: readonly T[], what: string): Codec<T> => ({
  parse: (raw) =>
    (options as readonly string[]).includes(raw)
      ? { value: raw as T }
      : { error: `unknown ${what} (expected one of ${options.join(', ')})` },
  format: (v) => v,
});
export const bool: Codec<boolean> = {
  parse: (raw) =>
    raw === '1' || raw === 'true' ? { value: true } : raw === '0' || raw === 'false' ? { value: false } : { error: 'expected 1 or 0' },
  format: (v) => (v ? '1' : '0'),
};
/** `70,15,15` (percent) or `0.7,0.15,0.15` (fractions); written as percent when that is exact. */
export const split: Codec<SplitRatios> = {
  parse: (raw) => {
    const xs = list.parse(raw);
    if ('error' in xs || xs.value.length !== 3) return { error: 'expected train,val,test such as 70,15,15' };
    const [train, val, test] = xs.value;
    const k = train + val + test > 2 ? 100 : 1;
    return { value: { train: train / k, val: val / k, test: test / k } };
  },
  format: (r) => {
    const parts = [r.train, r.val, r.test];
    const pct = parts.map((x) => Number((x * 100).toFixed(6)));
    return (pct.every((p, i) => p / 100 === parts[i]) ? pct : parts).map(fmtNum).join(',');
  },
};

/** Column names (any text, commas included): each URI-encoded, then joined with commas. */
export const names: Codec<string[]> = {
  parse: (raw) => {
    if (raw === '') return { value: [] };
    try {
      return { value: raw.split(',').map((n) => decodeURIComponent(n)) };
    } catch {
      return { error: 'expected comma-separated names' };
    }
  },
  format: (v) => v.map((n) => encodeURIComponent(n)).join(','),
};

export const text: Codec<string> = { parse: (raw) => ({ value: raw }), format: (v) => v };

export const sha256: Codec<string> = {
  parse: (raw) => (/^[0-9a-f]{64}$/i.test(raw) ? { value: raw.toLowerCase() } : { error: 'expected 64 hexadecimal digits (a SHA-256)' }),
  format: (v) => v,
};

/** A whole number ≥ 1 (a count such as a cap). */
export const count: Codec<number> = {
  parse: (raw) => {
    const n = parseNum(raw);
    return n !== null && Number.isInteger(n) && n >= 1 ? { value: n } : { error: 'expected a whole number of at least 1' };
  },
  format: fmtNum,
};

/** Text where empty means "none" (null). */
export const textOrNone: Codec<string | null> = { parse: (raw) => ({ value: raw === '' ? null : raw }), format: (v) => v ?? '' };
