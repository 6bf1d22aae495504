import { expect } from '@esm-bundle/chai';
import { progressAfterEpoch, sameSplit } from '../../src/app/session-progress';
import { splitDataset } from '../../src/training/split';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import type { EpochMetrics } from '../../src/training/types';

const epoch = (n: number, seconds: number): EpochMetrics =>
  ({ epoch: n, trainLoss: 1, trainAcc: 50, valLoss: 1, valAcc: 50, seconds, samplesPerSec: 1000 * n, learningRate: 0.01 / n }) as EpochMetrics;

describe('session progress', () => {
  it('after an epoch: that epoch whole, its rate and rate of learning, the ETA from the mean epoch time', () => {
    const p = progressAfterEpoch([epoch(1, 2), epoch(2, 4)], 5, 40);
    expect(p).to.deep.equal({ epoch: 2, epochs: 5, batch: 40, batchesPerEpoch: 40, samplesPerSec: 2000, etaSeconds: 9, learningRate: 0.005 });
  });

  it('a split made again alike is the same split; another seed or test part is not', () => {
    const ds = makeSynthetic('moons', { samples: 200, noise: 0.1, classes: 2, seed: 1 });
    const ratios = { train: 0.7, val: 0.15, test: 0.15 };
    const a = splitDataset(ds, ratios, 1, { standardize: true });
    expect(sameSplit(a, a)).to.equal(true);
    expect(sameSplit(a, splitDataset(ds, ratios, 1, { standardize: true }))).to.equal(true);
    expect(sameSplit(a, splitDataset(ds, ratios, 2, { standardize: true }))).to.equal(false);
    expect(sameSplit(a, splitDataset(ds, { train: 0.6, val: 0.2, test: 0.2 }, 1, { standardize: true }))).to.equal(false);
  });
});
