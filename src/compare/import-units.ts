// Units of imported numbers. A RunRecord keeps accuracy in percent and precision/recall/F1 as
// fractions; other scripts write either. The scale is decided once per file from all of its values,
// never value by value: a file whose accuracies are all ≤ 1 writes fractions (a run whose every
// accuracy is at most 1 % is not a run anyone compares), and a single value above 1 means percent.

export type Scale = 'fraction' | 'percent';

const finite = (values: readonly (number | null | undefined)[]): number[] =>
  values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** The scale of a file's values; null when it holds none (nothing to convert). */
export function scaleOf(values: readonly (number | null | undefined)[]): Scale | null {
  const known = finite(values);
  if (known.length === 0) return null;
  return known.some((v) => v > 1) ? 'percent' : 'fraction';
}

/** Multiplies accuracies given as fractions by 100 (percent, as the record stores them). */
export function accuracyFactor(values: readonly (number | null | undefined)[]): { factor: number; note: string | null } {
  return scaleOf(values) === 'fraction'
    ? { factor: 100, note: 'accuracies given as fractions (0–1); shown in percent' }
    : { factor: 1, note: null };
}

/** Divides precision/recall/F1 given in percent by 100 (fractions, as the record stores them). */
export function metricFactor(values: readonly (number | null | undefined)[]): { factor: number; note: string | null } {
  return scaleOf(values) === 'percent'
    ? { factor: 0.01, note: 'precision, recall and F1 given in percent; shown as fractions (0–1)' }
    : { factor: 1, note: null };
}

/** `v * factor`, keeping null; the product is rounded to 15 significant digits so 0.985 × 100 reads 98.5. */
export function scaled(v: number, factor: number): number;
export function scaled(v: number | null, factor: number): number | null;
export function scaled(v: number | null, factor: number): number | null {
  if (v === null || factor === 1) return v;
  return Number((v * factor).toPrecision(15));
}
