// Descriptive statistics over groups of runs, Welch's t-test between two groups, and mean learning
// curves. Pure: no DOM, no tfjs.
import ttest2 from '@stdlib/stats-ttest2';

/** A statistic that cannot be computed from the given runs: the message is meant for the user, as is. */
export class StatisticsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatisticsError';
  }
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); null for a single value. */
  std: number | null;
  min: number;
  max: number;
}

/**
 * Summary of the values that are numbers. Missing values (null, undefined) and values that are not
 * finite (NaN, and the ±Infinity of a diverged run) are skipped: one of them would turn the mean and
 * the std of the whole group into NaN. Null when nothing is left.
 */
export function summarize(values: readonly (number | null | undefined)[]): Summary | null {
  // Loops, not filter / reduce / Math.min(...xs): a mean curve of a few hundred runs calls this per epoch.
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return null;
  const mean = sum / n;
  // Two passes (deviations from the mean) rather than Σx² − n·mean²: no cancellation for accuracies near 100.
  let ss = 0;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) ss += (v - mean) ** 2;
  return { n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : null, min, max };
}

export interface WelchResult {
  /** t statistic of meanA − meanB. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  meanA: number;
  meanB: number;
  nA: number;
  nB: number;
}

function checkGroup(values: readonly number[], name: string): void {
  const bad = values.find((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad !== undefined) throw new StatisticsError(`group ${name} has a value that is not a finite number: ${String(bad)}`);
}

/** Two-sided Welch's t-test (unequal variances) of group A against group B. */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  if (a.length < 2 || b.length < 2) {
    throw new StatisticsError(`Welch's t-test needs at least 2 runs in each group (got ${a.length} and ${b.length})`);
  }
  checkGroup(a, 'A');
  checkGroup(b, 'B');
  // Compared exactly: a computed variance of identical values can be a rounding error away from 0.
  const constant = (xs: readonly number[]) => xs.every((x) => x === xs[0]);
  if (constant(a) && constant(b)) {
    throw new StatisticsError("Welch's t-test is undefined when every run in both groups has the same value (both variances are 0)");
  }
  const r = ttest2([...a], [...b], { variance: 'unequal', alternative: 'two-sided' });
  return { t: r.statistic, df: r.df, pValue: r.pValue, meanA: r.xmean, meanB: r.ymean, nA: a.length, nB: b.length };
}

export interface CurvePoint {
  epoch: number;
  mean: number;
  /** Sample std over the runs that have a value at this epoch; null when only one has. */
  std: number | null;
  /** How many runs have a value at this epoch. */
  n: number;
}

/**
 * Mean curve over runs, epoch by epoch. Runs stopped early have shorter curves: each epoch averages
 * the runs that reached it (n says how many), and epochs where no run has a value are left out.
 */
export function meanCurve(series: readonly (readonly { epoch: number; value: number | null }[])[]): CurvePoint[] {
  const byEpoch = new Map<number, (number | null)[]>();
  series.forEach((run, i) => {
    const seen = new Set<number>();
    for (const { epoch, value } of run) {
      if (!Number.isFinite(epoch)) throw new StatisticsError(`run ${i + 1} has an epoch that is not a number: ${String(epoch)}`);
      if (seen.has(epoch)) throw new StatisticsError(`run ${i + 1} has epoch ${epoch} twice`);
      seen.add(epoch);
      const values = byEpoch.get(epoch) ?? [];
      values.push(value);
      byEpoch.set(epoch, values);
    }
  });
  const points: CurvePoint[] = [];
  for (const [epoch, values] of byEpoch) {
    const s = summarize(values);
    if (s) points.push({ epoch, mean: s.mean, std: s.std, n: s.n });
  }
  return points.sort((p, q) => p.epoch - q.epoch);
}
