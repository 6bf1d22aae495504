// The decision boundary through the real training worker: Moons for 2 epochs emits a map after each
// epoch (they differ: the model learns), and the finished event carries the tested weights' map with
// every point; the test rows keep their dataset index. Then the cost of one map (one predict of the
// 10,000 grid points) against an epoch's training time, measured in the page on each CPU backend.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/training/backend';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { BoundaryProbe } from '../../src/training/decision-boundary-model';
import { buildModel } from '../../src/training/models';
import { splitDataset } from '../../src/training/split';
import { train } from '../../src/training/trainer';
import type { ModelSpec, TrainingEvent } from '../../src/training/types';
import { config, finished, of, RATIOS, run, WASM_PATH } from './train-helpers';

const MOONS_MLP: ModelSpec = { kind: 'mlp', hidden: [16, 16], activation: 'tanh', dropout: 0 };
const moons = (samples: number) => splitDataset(makeSynthetic('moons', { samples, noise: 0.1, classes: 2, seed: 1 }), RATIOS, 1, { standardize: true });

describe('decision boundary while training (worker)', () => {
  it('Moons, 2 epochs: a 100×100 map after each epoch, different at epoch 2; the final one with every point', async () => {
    const split = moons(3000);
    const r = await run(split, MOONS_MLP, config({ backend: 'wasm', epochs: 2, batchSize: 8, learningRate: 0.01 }));
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
    expect(b.points.x.length).to.equal(3000);
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

describe('decision boundary: cost of one map', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: one predict of 10,000 points against the epoch time of Moons (1,000 samples, batch 32, 8 epochs)`, async () => {
      const split = moons(1000);
      const events: TrainingEvent[] = [];
      await train({ split, model: MOONS_MLP, config: config({ backend, epochs: 8, batchSize: 32 }), wasmPath: WASM_PATH }, (e) => void events.push(e), new AbortController().signal);
      const epochs = events.filter((e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch');
      const epochMs = (1000 * epochs.slice(1).reduce((s, e) => s + e.metrics.seconds, 0)) / (epochs.length - 1);
      await initBackend(backend, 'mlp', WASM_PATH);
      const model = buildModel(MOONS_MLP, [2], 2, 1);
      const probe = BoundaryProbe.create(split)!;
      try {
        await probe.grid(model, 0); // warm-up
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          await probe.grid(model, i);
          times.push(performance.now() - t0);
        }
        const mapMs = times.sort((a, b) => a - b)[2];
        const mapped = epochs.filter((e) => e.boundary).length;
        const overhead = (mapped * mapMs) / (epochMs * epochs.length);
        console.log(`${backend}: map ${mapMs.toFixed(1)} ms (median of 5), epoch ${epochMs.toFixed(0)} ms: ${((100 * mapMs) / epochMs).toFixed(1)} % of an epoch; maps after ${mapped} of ${epochs.length} epochs: about ${(100 * overhead).toFixed(1)} % of the training time (budget 5 %, the first map always)`);
        expect(mapped).to.be.greaterThan(0);
      } finally {
        probe.dispose();
        model.dispose();
        tf.disposeVariables();
      }
    });
  }
});
