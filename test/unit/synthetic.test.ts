import { expect } from '@esm-bundle/chai';
import { DatasetError } from '../../src/training/datasets/errors';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { SYNTHETIC_DATASETS, type Dataset, type SyntheticOptions } from '../../src/training/types';

const base: SyntheticOptions = { samples: 600, noise: 0.15, classes: 3, seed: 1 };
const counts = (ds: Dataset): number[] => {
  const c = ds.classNames.map(() => 0);
  ds.labels.forEach((l) => c[l]++);
  return c;
};
const point = (ds: Dataset, i: number): [number, number] => [ds.features[2 * i], ds.features[2 * i + 1]];
const rows = (ds: Dataset, cls: number): [number, number][] =>
  Array.from({ length: ds.numSamples }, (_, i) => i).filter((i) => ds.labels[i] === cls).map((i) => point(ds, i));

function expectError(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DatasetError);
    expect((e as Error).name).to.equal('DatasetError');
    expect((e as Error).message).to.equal(message);
    return;
  }
  expect.fail(`expected DatasetError: ${message}`);
}

describe('makeSynthetic', () => {
  for (const id of SYNTHETIC_DATASETS) {
    describe(id, () => {
      const k = id === 'spirals' || id === 'blobs' ? 3 : 2;

      it('has consistent shapes, labels and metadata', () => {
        const ds = makeSynthetic(id, { ...base, samples: 101 });
        expect(ds.id).to.equal(id);
        expect(ds.kind).to.equal('tabular');
        expect(ds.inputShape).to.deep.equal([2]);
        expect(ds.numSamples).to.equal(101);
        expect(ds.features).to.be.instanceOf(Float32Array);
        expect(ds.features.length).to.equal(202);
        expect(ds.labels).to.be.instanceOf(Int32Array);
        expect(ds.labels.length).to.equal(101);
        expect(ds.classNames.length).to.equal(k);
        expect(ds.name).to.match(new RegExp(`\\(${k} classes\\)$`));
        expect(ds.source).to.equal(`synthetic:${id} classes=${k} samples=101 noise=0.15 seed=1`);
        expect(Array.from(ds.features).every(Number.isFinite)).to.equal(true);
      });

      it('is balanced (counts differ by at most 1)', () => {
        const c = counts(makeSynthetic(id, { ...base, samples: 101 }));
        expect(c.reduce((a, b) => a + b, 0)).to.equal(101);
        expect(Math.max(...c) - Math.min(...c)).to.be.at.most(1);
      });

      it('is deterministic for a seed and differs across seeds', () => {
        const a = makeSynthetic(id, base);
        expect(Array.from(makeSynthetic(id, base).features)).to.deep.equal(Array.from(a.features));
        expect(Array.from(makeSynthetic(id, { ...base, seed: 2 }).features)).to.not.deep.equal(Array.from(a.features));
      });

      it('stays in about [-1.5, 1.5]', () => {
        const clean = makeSynthetic(id, { ...base, noise: 0 });
        expect(Array.from(clean.features).every((v) => Math.abs(v) <= 1.5)).to.equal(true);
        const noisy = Array.from(makeSynthetic(id, base).features);
        expect(noisy.filter((v) => Math.abs(v) <= 1.6).length / noisy.length).to.be.greaterThan(0.98);
      });
    });
  }

  it('spirals and blobs honour the class count (2..5)', () => {
    for (const classes of [2, 4, 5]) {
      expect(makeSynthetic('spirals', { ...base, classes }).classNames.length).to.equal(classes);
      expect(makeSynthetic('blobs', { ...base, classes }).name).to.equal(`Blobs (${classes} classes)`);
    }
    expect(makeSynthetic('spirals', base).name).to.equal('Spirals (3 classes)');
  });

  it('moons, circles and xor are always 2-class', () => {
    expect(makeSynthetic('moons', { ...base, classes: 5 }).classNames).to.deep.equal(['upper', 'lower']);
    expect(makeSynthetic('circles', base).classNames).to.deep.equal(['inner', 'outer']);
    expect(makeSynthetic('xor', base).classNames.length).to.equal(2);
  });

  it('circles: the inner ring lies inside the outer one', () => {
    const ds = makeSynthetic('circles', { ...base, noise: 0 });
    const radius = ([x, y]: [number, number]): number => Math.hypot(x, y);
    expect(rows(ds, 0).every((p) => Math.abs(radius(p) - 0.5) < 1e-5)).to.equal(true);
    expect(rows(ds, 1).every((p) => Math.abs(radius(p) - 1.1) < 1e-5)).to.equal(true);
  });

  it('xor: without noise the class is the sign of x*y', () => {
    const ds = makeSynthetic('xor', { ...base, noise: 0 });
    for (let i = 0; i < ds.numSamples; i++) {
      const [x, y] = point(ds, i);
      expect(ds.labels[i]).to.equal(x * y > 0 ? 0 : 1);
    }
    const quadrants = new Set(rows(ds, 0).map(([x, y]) => `${Math.sign(x)},${Math.sign(y)}`));
    expect([...quadrants].sort()).to.deep.equal(['-1,-1', '1,1']);
  });

  it('blobs: each class centres on its own point of the unit circle, spread set by noise', () => {
    const ds = makeSynthetic('blobs', { ...base, classes: 4, noise: 0.2, samples: 4000 });
    const centres = [0, 1, 2, 3].map((c) => {
      const r = rows(ds, c);
      const mx = r.reduce((s, p) => s + p[0], 0) / r.length;
      const my = r.reduce((s, p) => s + p[1], 0) / r.length;
      const sd = Math.sqrt(r.reduce((s, p) => s + (p[0] - mx) ** 2, 0) / r.length);
      expect(Math.hypot(mx, my)).to.be.closeTo(1, 0.05);
      expect(sd).to.be.closeTo(0.1, 0.01); // 0.5 * noise
      return Math.atan2(my, mx);
    });
    expect(new Set(centres.map((a) => Math.round(a * 10))).size).to.equal(4);
  });

  it('spirals: noise-free arms wind outwards', () => {
    const arm = rows(makeSynthetic('spirals', { ...base, noise: 0 }), 1).map(([x, y]) => Math.hypot(x, y));
    expect(arm.every((r, i) => i === 0 || r > arm[i - 1])).to.equal(true);
  });

  it('more noise, more spread', () => {
    const spread = (noise: number): number => {
      const inner = rows(makeSynthetic('circles', { ...base, noise }), 0);
      return inner.reduce((s, [x, y]) => s + Math.abs(Math.hypot(x, y) - 0.5), 0) / inner.length;
    };
    expect(spread(0.4)).to.be.greaterThan(spread(0.1) * 2);
  });

  it('rejects bad options with readable DatasetErrors', () => {
    expectError(() => makeSynthetic('spirals', { ...base, samples: 0 }), 'invalid spirals options: samples must be an integer in 50..20000 (got 0)');
    expectError(() => makeSynthetic('moons', { ...base, samples: 20001 }), 'invalid moons options: samples must be an integer in 50..20000 (got 20001)');
    expectError(() => makeSynthetic('moons', { ...base, samples: 100.5 }), 'invalid moons options: samples must be an integer in 50..20000 (got 100.5)');
    expectError(() => makeSynthetic('spirals', { ...base, classes: 7 }), 'invalid spirals options: classes must be an integer in 2..5 (got 7)');
    expectError(() => makeSynthetic('blobs', { ...base, classes: 1 }), 'invalid blobs options: classes must be an integer in 2..5 (got 1)');
    expectError(() => makeSynthetic('xor', { ...base, noise: -1 }), 'invalid xor options: noise must be in [0, 1] (got -1)');
    expect(makeSynthetic('moons', { ...base, classes: 7 }).classNames).to.have.length(2); // two-class sets ignore classes
    expectError(() => makeSynthetic('xor', { ...base, noise: Number.NaN }), 'invalid xor options: noise must be in [0, 1] (got NaN)');
    expectError(() => makeSynthetic('circles', { ...base, seed: 1.5 }), 'invalid circles options: dataset seed must be an integer in 0..4294967295 (got 1.5)');
    expectError(
      () => makeSynthetic('nope' as never, base),
      'unknown synthetic dataset: nope (one of spirals, moons, circles, xor, blobs)',
    );
  });
});
