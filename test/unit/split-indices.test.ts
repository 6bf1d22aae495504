import { expect } from '@esm-bundle/chai';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { columnMeanStd, computeStandardization, SplitError, splitByIndices, splitDataset, stratifiedSplitIndices } from '../../src/training/split';

const ratios = { train: 0.7, val: 0.15, test: 0.15 };

describe('stratifiedSplitIndices', () => {
  it("is splitDataset's split, as row indices from the labels alone", () => {
    for (const seed of [1, 2, 99]) {
      const ds = makeSynthetic('blobs', { samples: 301, noise: 0.3, classes: 3, seed });
      const s = splitDataset(ds, ratios, seed);
      const idx = stratifiedSplitIndices(ds.labels, ds.classNames, ratios, seed);
      for (const part of ['train', 'val', 'test'] as const) expect(idx[part], part).to.deep.equal(Array.from(s[part].indices));
      expect(splitByIndices(ds, idx, ratios, seed)).to.deep.equal(s);
    }
  });

  it('refuses bad ratios and a class too small, naming it and its count', () => {
    expect(() => stratifiedSplitIndices([0, 1], ['a', 'b'], { train: 0.5, val: 0.5, test: 0.5 }, 1)).to.throw(SplitError, 'train, val and test fractions must add up to 1 (got 1.5)');
    expect(() => stratifiedSplitIndices([0, 0, 0, 0, 0, 0, 1, 1], ['big', 'rare'], { train: 0.2, val: 0.4, test: 0.4 }, 1)).to.throw(
      SplitError,
      'class "rare" has 2 samples: too few for one in train at ratio 0.2',
    );
    expect(() => stratifiedSplitIndices([0, 2], ['a', 'b'], ratios, 1)).to.throw(SplitError, 'row 1 has label 2, outside 0..1');
  });
});

describe('columnMeanStd', () => {
  it('gives float64 per-column means and population stds; a constant column gets std 1', () => {
    const { mean, std } = columnMeanStd([1, 5, 2, 5, 3, 5, 6, 5], 2); // columns [1, 2, 3, 6] and [5, 5, 5, 5]
    expect(Array.from(mean)).to.deep.equal([3, 5]);
    expect(std[0]).to.equal(Math.sqrt((4 + 1 + 0 + 9) / 4));
    expect(std[1]).to.equal(1);
    const s = computeStandardization(Float32Array.from([0.1, 0.2, 0.4]), 1);
    expect(s.mean[0]).to.equal(Math.fround(columnMeanStd(Float32Array.from([0.1, 0.2, 0.4]), 1).mean[0]));
  });
});
