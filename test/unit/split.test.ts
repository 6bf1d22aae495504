import { expect } from '@esm-bundle/chai';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { SplitError, splitDataset } from '../../src/training/split';
import type { Dataset, DatasetSplit, SplitPart, SplitRatios } from '../../src/training/types';

const ratios: SplitRatios = { train: 0.7, val: 0.15, test: 0.15 };
// 3 classes of 101, 100, 100 samples.
const blobs = (): Dataset => makeSynthetic('blobs', { samples: 301, noise: 0.3, classes: 3, seed: 4 });
const parts = (s: DatasetSplit): SplitPart[] => [s.train, s.val, s.test];

function tiny(labels: number[], classNames: string[]): Dataset {
  return {
    id: 'blobs', name: 'tiny', kind: 'tabular', source: 'test', inputShape: [1], classNames,
    features: Float32Array.from(labels, (_, i) => i), labels: Int32Array.from(labels), numSamples: labels.length,
  };
}

function expectSplitError(fn: () => unknown, message: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(SplitError);
    expect((e as Error).name).to.equal('SplitError');
    if (typeof message === 'string') expect((e as Error).message).to.equal(message);
    else expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected SplitError: ${message}`);
}

describe('splitDataset', () => {
  it('cuts each class by the ratios (stratified)', () => {
    const s = splitDataset(blobs(), ratios, 1);
    // round(101*0.7)=71, round(101*0.15)=15, rest 15; round(100*0.7)=70, 15, 15
    expect(s.train.classCounts).to.deep.equal([71, 70, 70]);
    expect(s.val.classCounts).to.deep.equal([15, 15, 15]);
    expect(s.test.classCounts).to.deep.equal([15, 15, 15]);
    expect(parts(s).map((p) => p.n)).to.deep.equal([211, 45, 45]);
    for (const p of parts(s)) {
      const counted = [0, 0, 0];
      p.y.forEach((l) => counted[l]++);
      expect(counted).to.deep.equal(p.classCounts);
      expect(p.x.length).to.equal(p.n * 2);
      expect(p.indices.length).to.equal(p.n);
    }
    expect(s.inputShape).to.deep.equal([2]);
    expect(s.datasetId).to.equal('blobs');
    expect(s.seed).to.equal(1);
    expect(s.ratios).to.deep.equal(ratios);
  });

  it('keeps every row exactly once, with its own features and label', () => {
    const ds = blobs();
    const s = splitDataset(ds, ratios, 2);
    const all = parts(s).flatMap((p) => Array.from(p.indices)).sort((a, b) => a - b);
    expect(all).to.deep.equal(Array.from({ length: ds.numSamples }, (_, i) => i));
    for (const p of parts(s)) {
      p.indices.forEach((row, i) => {
        expect(p.y[i]).to.equal(ds.labels[row]);
        expect([p.x[2 * i], p.x[2 * i + 1]]).to.deep.equal([ds.features[2 * row], ds.features[2 * row + 1]]);
      });
    }
  });

  it('is the same for a seed, different across seeds, and shuffled within a part', () => {
    const ds = blobs();
    const a = splitDataset(ds, ratios, 7);
    const b = splitDataset(ds, ratios, 7);
    const c = splitDataset(ds, ratios, 8);
    expect(parts(a).map((p) => Array.from(p.indices))).to.deep.equal(parts(b).map((p) => Array.from(p.indices)));
    expect(Array.from(a.train.indices)).to.not.deep.equal(Array.from(c.train.indices));
    const sorted = Array.from(a.train.indices).sort((x, y) => x - y);
    expect(Array.from(a.train.indices)).to.not.deep.equal(sorted);
  });

  it('keeps class proportions on an imbalanced dataset', () => {
    const labels = [...new Array(200).fill(0), ...new Array(40).fill(1), ...new Array(10).fill(2)];
    const s = splitDataset(tiny(labels, ['a', 'b', 'c']), { train: 0.6, val: 0.2, test: 0.2 }, 3);
    expect(s.train.classCounts).to.deep.equal([120, 24, 6]);
    expect(s.val.classCounts).to.deep.equal([40, 8, 2]);
    expect(s.test.classCounts).to.deep.equal([40, 8, 2]);
  });

  it('standardises with train statistics only', () => {
    const ds = makeSynthetic('moons', { samples: 400, noise: 0.3, classes: 2, seed: 5 });
    ds.features.forEach((v, i) => (ds.features[i] = i % 2 === 0 ? v * 10 + 50 : v)); // scale one feature
    const before = Float32Array.from(ds.features);
    const plain = splitDataset(ds, ratios, 1);
    const s = splitDataset(ds, ratios, 1, { standardize: true });
    expect(Array.from(ds.features)).to.deep.equal(Array.from(before)); // source untouched
    const stats = (x: Float32Array, j: number): [number, number] => {
      const col = Array.from(x).filter((_, i) => i % 2 === j);
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      return [m, Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length)];
    };
    for (const j of [0, 1]) {
      const [m, sd] = stats(s.train.x, j);
      expect(m).to.be.closeTo(0, 1e-5);
      expect(sd).to.be.closeTo(1, 1e-5);
      const [rawMean, rawSd] = stats(plain.train.x, j);
      expect(s.standardization!.mean[j]).to.be.closeTo(rawMean, 1e-4);
      expect(s.standardization!.std[j]).to.be.closeTo(rawSd, 1e-4);
      // val and test use the train statistics, so their own mean is not exactly 0
      expect(Math.abs(stats(s.val.x, j)[0])).to.be.greaterThan(1e-4);
    }
    for (const [part, raw] of [[s.val, plain.val], [s.test, plain.test]] as const) {
      part.x.forEach((v, i) => {
        const st = s.standardization!;
        expect(v).to.be.closeTo((raw.x[i] - st.mean[i % 2]) / st.std[i % 2], 1e-4);
      });
    }
    expect(plain.standardization).to.equal(undefined);
  });

  it('leaves a constant feature centred but unscaled', () => {
    const ds = tiny(new Array(20).fill(0).map((_, i) => i % 2), ['a', 'b']);
    ds.features.fill(3);
    const s = splitDataset(ds, { train: 0.6, val: 0.2, test: 0.2 }, 1, { standardize: true });
    expect(Array.from(s.train.x).every((v) => v === 0)).to.equal(true);
    expect(s.standardization!.std[0]).to.equal(1);
  });

  it('needs a train sample of every class and non-empty parts', () => {
    expectSplitError(
      () => splitDataset(tiny([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], ['a', 'b']), { train: 0.4, val: 0.3, test: 0.3 }, 1),
      'class "b" has 1 sample: too few for one in train at ratio 0.4',
    );
    expectSplitError(
      () => splitDataset(tiny([0, 0, 0, 1, 1, 1], ['a', 'b']), { train: 0.8, val: 0.1, test: 0.1 }, 1),
      'the val part would be empty (0.1 of 6 samples)',
    );
  });

  it('rejects bad ratios', () => {
    expectSplitError(() => splitDataset(blobs(), { train: 0.7, val: 0.1, test: 0.1 }, 1), 'train, val and test fractions must add up to 1 (got 0.9)');
  });
});
