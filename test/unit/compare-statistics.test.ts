// Reference values computed independently with SciPy 1.17 / NumPy:
// scipy.stats.ttest_ind(a, b, equal_var=False) and numpy.std(x, ddof=1).
import { expect } from '@esm-bundle/chai';
import { meanCurve, StatisticsError, summarize, welchTTest } from '../../src/compare/statistics';

const close = (actual: number | null | undefined, expected: number, rel = 1e-9) => {
  expect(actual, `expected ≈ ${expected}`).to.be.a('number');
  expect(Math.abs((actual as number) - expected)).to.be.at.most(rel * Math.max(1, Math.abs(expected)));
};

function expectStatisticsError(fn: () => unknown, message: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(StatisticsError);
    expect((e as Error).name).to.equal('StatisticsError');
    if (typeof message === 'string') expect((e as Error).message).to.include(message);
    else expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected StatisticsError: ${message}`);
}

describe('summarize', () => {
  it('gives n, mean, sample std (n − 1), min and max', () => {
    const s = summarize([98.95, 91.54, 82.06, 84.02])!;
    expect(s.n).to.equal(4);
    close(s.mean, 89.1425);
    close(s.std, 7.71009889690139);
    expect(s.min).to.equal(82.06);
    expect(s.max).to.equal(98.95);
  });

  it('stays accurate for values close together far from 0', () => {
    const s = summarize([99.99, 99.98, 99.97, 99.96, 99.95])!;
    close(s.mean, 99.97);
    close(s.std, 0.015811388300840997, 1e-7);
  });

  it('skips null, undefined, NaN and infinities', () => {
    const s = summarize([0.1, null, 0.2, undefined, Number.NaN, 0.4, Number.POSITIVE_INFINITY])!;
    expect(s.n).to.equal(3);
    close(s.mean, 0.23333333333333336);
    close(s.std, 0.1527525231651947);
    expect(s.min).to.equal(0.1);
    expect(s.max).to.equal(0.4);
  });

  it('has a null std for a single value', () => {
    expect(summarize([2.5])).to.deep.equal({ n: 1, mean: 2.5, std: null, min: 2.5, max: 2.5 });
    expect(summarize([null, 2.5, Number.NaN])).to.deep.equal({ n: 1, mean: 2.5, std: null, min: 2.5, max: 2.5 });
  });

  it('is null when no value is left', () => {
    expect(summarize([])).to.equal(null);
    expect(summarize([null, undefined, Number.NaN])).to.equal(null);
  });
});

describe("welchTTest (Welch's two-sided t-test)", () => {
  const cases = [
    { name: 'equal sizes, no significant difference', a: [98.95, 91.54, 82.06], b: [98.36, 90.03, 89.74],
      t: -0.32942634580284813, p: 0.7622125336006198, df: 3.2028581380718397, meanA: 90.85000000000001, meanB: 92.71 },
    { name: 'n = 3 against n = 5', a: [81.48, 80.01, 72.29], b: [98.36, 90.03, 89.74, 84.02, 83.88],
      t: -2.900337002996833, p: 0.033340737695401544, df: 5.055468209438309, meanA: 77.92666666666668, meanB: 89.20599999999999 },
    { name: 'strongly significant', a: [0.912, 0.915, 0.909, 0.918, 0.913, 0.911], b: [0.851, 0.848, 0.856, 0.853, 0.849, 0.852],
      t: 35.214797560302806, p: 9.571340952137549e-12, df: 9.914441352359523, meanA: 0.9129999999999999, meanB: 0.8515 },
    { name: 'one group without variance', a: [5, 5, 5, 5], b: [4, 6, 5.5],
      t: -0.2773500981126151, p: 0.8075499102701245, df: 2.0, meanA: 5.0, meanB: 5.166666666666667 },
    { name: 'n = 2 against n = 7', a: [1, 2], b: [3.1, 4.7, 2.9, 5.5, 3.3, 4.1, 6.2],
      t: -3.9818508521607856, p: 0.024763255653076716, df: 3.225224424063752, meanA: 1.5, meanB: 4.257142857142857 },
  ];
  for (const c of cases) {
    it(`matches SciPy: ${c.name}`, () => {
      const r = welchTTest(c.a, c.b);
      close(r.t, c.t, 1e-9);
      close(r.df, c.df, 1e-9);
      // p is relative to its own size: the strongly significant case is ~1e-11.
      expect(Math.abs(r.pValue - c.p)).to.be.at.most(1e-6 * c.p);
      close(r.meanA, c.meanA);
      close(r.meanB, c.meanB);
      expect([r.nA, r.nB]).to.deep.equal([c.a.length, c.b.length]);
    });
  }

  it('is antisymmetric: swapping the groups flips t and keeps p and df', () => {
    const ab = welchTTest([81.48, 80.01, 72.29], [98.36, 90.03, 89.74, 84.02, 83.88]);
    const ba = welchTTest([98.36, 90.03, 89.74, 84.02, 83.88], [81.48, 80.01, 72.29]);
    close(ba.t, -ab.t);
    close(ba.pValue, ab.pValue);
    close(ba.df, ab.df);
  });

  it('refuses a group with fewer than 2 runs, saying how many each has', () => {
    expectStatisticsError(() => welchTTest([90], [91, 92, 93]), 'needs at least 2 runs in each group (got 1 and 3)');
    expectStatisticsError(() => welchTTest([90, 91], []), 'needs at least 2 runs in each group (got 2 and 0)');
  });

  it('refuses two groups without any variance', () => {
    expectStatisticsError(() => welchTTest([0.1, 0.1, 0.1], [0.2, 0.2]), /both variances are 0/);
    expectStatisticsError(() => welchTTest([1, 1], [1, 1]), /both variances are 0/);
  });

  it('refuses values that are not finite numbers', () => {
    expectStatisticsError(() => welchTTest([1, Number.NaN, 3], [1, 2]), 'group A has a value that is not a finite number: NaN');
    expectStatisticsError(() => welchTTest([1, 2], [1, Number.POSITIVE_INFINITY]), 'group B has a value that is not a finite number: Infinity');
  });
});

describe('meanCurve', () => {
  // Three runs: the second stopped early after epoch 3, the third has no value at epoch 2 and stopped after 4.
  const runs = [
    [1, 2, 3, 4, 5].map((epoch, i) => ({ epoch, value: [0.52, 0.61, 0.7, 0.74, 0.77][i] })),
    [{ epoch: 3, value: 0.69 }, { epoch: 1, value: 0.48 }, { epoch: 2, value: 0.66 }],
    [{ epoch: 1, value: 0.55 }, { epoch: 2, value: null }, { epoch: 3, value: 0.72 }, { epoch: 4, value: 0.71 }],
  ];

  it('averages each epoch over the runs that reached it, sorted by epoch', () => {
    const curve = meanCurve(runs);
    expect(curve.map((p) => p.epoch)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(curve.map((p) => p.n)).to.deep.equal([3, 2, 3, 2, 1]);
    const expected = [
      [0.5166666666666667, 0.03511884584284249],
      [0.635, 0.03535533905932741],
      [0.7033333333333333, 0.01527525231651948],
      [0.725, 0.021213203435596444],
    ];
    expected.forEach(([mean, std], i) => {
      close(curve[i].mean, mean);
      close(curve[i].std, std, 1e-8);
    });
    close(curve[4].mean, 0.77);
    expect(curve[4].std).to.equal(null);
  });

  it('skips NaN values and leaves out epochs where no run has a value', () => {
    const curve = meanCurve([
      [{ epoch: 0, value: Number.NaN }, { epoch: 1, value: 2 }],
      [{ epoch: 0, value: null }, { epoch: 1, value: 4 }, { epoch: 2, value: Number.NaN }],
    ]);
    expect(curve).to.have.length(1);
    expect(curve[0].epoch).to.equal(1);
    expect(curve[0].n).to.equal(2);
    close(curve[0].mean, 3);
    close(curve[0].std, Math.SQRT2);
  });

  it('is empty for no runs', () => {
    expect(meanCurve([])).to.deep.equal([]);
    expect(meanCurve([[], []])).to.deep.equal([]);
  });

  it('refuses a run that lists an epoch twice', () => {
    expectStatisticsError(() => meanCurve([[{ epoch: 1, value: 1 }], [{ epoch: 2, value: 1 }, { epoch: 2, value: 3 }]]), 'run 2 has epoch 2 twice');
  });
});
