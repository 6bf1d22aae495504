// The decision boundary through the real training worker: Moons for 2 epochs emits a map after each
// epoch (they differ: the model learns), and the finished event carries the tested weights' map with
// every point; the test rows keep their dataset index. The maps' cost is measured by
// `npm run bench:boundary` (bench/boundary-bench.ts), not here.
import { expect } from '@esm-bundle/chai';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { splitDataset } from '../../src/training/split';
import type { ModelSpec } from '../../src/training/types';
import { config, finished, of, RATIOS, run } from './train-helpers';

// Maps are drawn only within 5 % of the training time: on wasm's dense step an epoch of a few thousand
// rows is a few milliseconds, shorter than 20 maps, so the epochs here are long (many small batches).
const MOONS_MLP: ModelSpec = { kind: 'mlp', hidden: [16, 16], activation: 'relu', dropout: 0 };
const moons = (samples: number) => splitDataset(makeSynthetic('moons', { samples, noise: 0.1, classes: 2, seed: 1 }), RATIOS, 1, { standardize: true });

describe('decision boundary while training (worker)', () => {
  it('Moons, 2 epochs: a 100×100 map after each epoch, different at epoch 2; the final one with every point', async () => {
    const split = moons(20_000);
    const r = await run(split, MOONS_MLP, config({ backend: 'wasm', epochs: 2, batchSize: 4, learningRate: 0.01 }));
    const f = finished(r);
    const grids = of(r, 'epoch').map((e) => e.boundary);
    expect(grids.map((g) => g?.epoch)).to.deep.equal([1, 2]);
    const [g1, g2] = grids as NonNullable<(typeof grids)[number]>[];
    expect([g1.size, g1.classes.length, g1.confidence.length]).to.deep.equal([100, 10_000, 10_000]);
    // In the dataset's own units, around every point, not the standardised ones (mean 0, std 1 per axis).
    const xs = [split.train, split.val, split.test].flatMap((p) => [...p.x].filter((_, i) => i % 2 === 0));
    const s = split.standardization!;
    const [lo, hi] = [Math.min(...xs) * s.std[0] + s.mean[0], Math.max(...xs) * s.std[0] + s.mean[0]];
    expect(g1.xMin).to.be.lessThan(lo).and.greaterThan(lo - (hi - lo) * 0.5);
    expect(g1.xMax).to.be.greaterThan(hi).and.lessThan(hi + (hi - lo) * 0.5);
    const changed = g1.classes.reduce((n, c, i) => n + (c !== g2.classes[i] ? 1 : 0), 0);
    const moved = g1.confidence.reduce((s, c, i) => s + Math.abs(c - g2.confidence[i]), 0) / 10_000;
    console.log(`moons: ${changed} of 10,000 cells changed class from epoch 1 to 2; mean confidence change ${moved.toFixed(3)}`);
    expect(moved).to.be.greaterThan(0.001);
    expect(new Set(g2.classes).size, 'both classes on the map').to.equal(2);

    const b = f.boundary!;
    expect(b.grid.epoch).to.equal(f.testEpoch);
    expect(b.points.x.length).to.equal(20_000);
    const test = [...b.points.part.keys()].filter((i) => b.points.part[i] === 2);
    expect(test.map((i) => b.points.predicted[i])).to.deep.equal([...f.test!.yPred]);
    expect(test.map((i) => b.points.label[i])).to.deep.equal([...split.test.y]);
    expect([...f.test!.rowIndex!]).to.deep.equal([...split.test.indices]);
  });

  it('no map for a model that does not take two features (image data)', async () => {
    const { stripes } = await import('./train-helpers');
    const r = await run(stripes(40), { kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, config({ epochs: 1 }));
    expect(of(r, 'epoch')[0].boundary).to.equal(undefined);
    expect(finished(r).boundary).to.equal(undefined);
  });
});
