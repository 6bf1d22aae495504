// Trains through the real module worker (TrainingBridge) on each tfjs backend. Tiny data: the test
// machine has 2 slow cores and a software WebGPU adapter (SwiftShader).
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/training/models';
import { createRng } from '../../src/training/rng';
import { classCounts, splitDataset } from '../../src/training/split';
import type { Dataset, DatasetSplit, ModelSpec, SplitPart } from '../../src/training/types';
import { blobs, config, epochs, expectLearned, expectOrder, expectSteadyMemory, finished, MLP, of, run, started, stripes } from './train-helpers';

/** Two overlapping Gaussian classes in 2-D, `minority` of `n` rows in class 1 (centred at (1, 1)). */
function imbalanced(n: number, minority: number, seed: number): Dataset {
  const rng = createRng(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => (i < minority ? 1 : 0));
  const features = Float32Array.from({ length: 2 * n }, (_, j) => labels[j >> 1] + rng.normal());
  return { id: 'blobs', name: 'imbalanced', kind: 'tabular', source: 'test:imbalanced', inputShape: [2], classNames: ['common', 'rare'], features, labels, numSamples: n };
}

/**
 * Train is the whole dataset; val and test are its rows followed by the rows in `extra` once more, so
 * their class mix differs from train's (with train's balanced weights, Σ wᵢ over train is n; not there).
 */
function trainAndMore(ds: Dataset, extra: number[]): DatasetSplit {
  const part = (rows: number[]): SplitPart => {
    const y = Int32Array.from(rows, (r) => ds.labels[r]);
    const x = new Float32Array(rows.length * 2);
    rows.forEach((r, i) => x.set(ds.features.subarray(2 * r, 2 * r + 2), 2 * i));
    return { x, y, n: rows.length, indices: Int32Array.from(rows), classCounts: classCounts(y, ds.classNames.length) };
  };
  const all = Array.from({ length: ds.numSamples }, (_, i) => i);
  const ratios = { train: 0.7, val: 0.15, test: 0.15 };
  return { datasetId: ds.id, kind: ds.kind, inputShape: ds.inputShape, classNames: ds.classNames, seed: 0, ratios, train: part(all), val: part([...all, ...extra]), test: part([...all, ...extra]) };
}

const recall = (yTrue: Int32Array, yPred: Int32Array, c: number): number => {
  const of_c = Array.from(yTrue.keys()).filter((i) => yTrue[i] === c);
  return of_c.filter((i) => yPred[i] === c).length / of_c.length;
};

describe('train() in the worker', () => {
  it('trains an MLP on forced webgpu (software adapter) and the loss falls', async () => {
    const r = await run(blobs(), MLP, config({ backend: 'webgpu', epochs: 4 }));
    const s = started(r);
    expect(s.backend.forced).to.equal(true);
    expect(s.backend.adapter?.isFallbackAdapter).to.equal(true);
    expect(s.backend.tfjsVersion).to.equal('4.22.0');
    expectLearned(r, 'webgpu');
  });

  it('auto skips software WebGPU and, for an MLP, software WebGL, saying why; the loss falls', async () => {
    const r = await run(blobs(), MLP, config({ backend: 'auto', epochs: 3 }));
    const b = started(r).backend;
    expect(b.forced).to.equal(false);
    expect(b.webglRenderer).to.be.a('string').and.not.equal('');
    // This machine has no GPU: both WebGPU and WebGL run on SwiftShader, and wasm is faster for an MLP.
    const gpuless = /swiftshader/i.test(b.webglRenderer ?? '');
    if (gpuless) {
      expect(b.skipped).to.deep.include({ name: 'webgpu', reason: 'software adapter (SwiftShader), slower than wasm; force it with ?backend=webgpu' });
      expect(b.skipped.map((s) => s.name)).to.include('webgl');
      expectLearned(r, 'wasm');
    } else {
      expect(b.name).to.be.oneOf(['webgpu', 'webgl']);
      expectLearned(r, b.name);
    }
  });

  it('trains on webgl when forced and the loss falls', async () => {
    expectLearned(await run(blobs(), MLP, config({ backend: 'webgl', epochs: 3 })), 'webgl');
  });

  it('trains on wasm (single-threaded SIMD build) and the loss falls', async () => {
    expectLearned(await run(blobs(), MLP, config({ backend: 'wasm', epochs: 3 })), 'wasm');
  });

  it('trains on cpu and the loss falls', async () => {
    expectLearned(await run(blobs(), MLP, config({ backend: 'cpu', epochs: 3 })), 'cpu');
  });

  it('trains a tiny CNN on forced webgpu', async () => {
    const cnn: ModelSpec = { kind: 'cnn', filters: [4], kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 };
    const r = await run(stripes(60), cnn, config({ backend: 'webgpu', epochs: 3, batchSize: 8, learningRate: 0.02 }));
    expect(started(r).layers.map((l) => l.type)).to.deep.equal(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    expectLearned(r, 'webgpu');
  });

  it('emits events in the documented order, with consistent test metrics', async () => {
    const split = blobs();
    const r = await run(split, { ...MLP, dropout: 0.1 }, config({ epochs: 3, earlyStopping: { enabled: false, patience: 2, monitor: 'val_acc' } }));
    expectOrder(r);
    const s = started(r);
    expect(s.startTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(s.batchesPerEpoch).to.equal(Math.ceil(split.train.n / 16));
    expect(s.totalParams).to.equal(s.layers.reduce((a, l) => a + l.params, 0));
    expect(of(r, 'best').length).to.be.greaterThan(0);
    expect(of(r, 'best').every((b) => b.monitor === 'val_acc')).to.equal(true);
    const f = finished(r);
    const t = f.test!;
    const n = split.test.n;
    expect(Array.from(t.yTrue)).to.deep.equal(Array.from(split.test.y));
    expect(t.yPred.length).to.equal(n);
    expect(t.probabilities.length).to.equal(n * 3);
    const agree = Array.from(t.yTrue).filter((y, i) => y === t.yPred[i]).length;
    expect(t.accuracy).to.be.closeTo((100 * agree) / n, 1e-9);
    for (let i = 0; i < n; i++) {
      const row = Array.from(t.probabilities.slice(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-4);
      expect(row.indexOf(Math.max(...row))).to.equal(t.yPred[i]);
    }
    expect(t.loss).to.be.a('number').and.satisfy(Number.isFinite);
    expect(f.bestEpoch).to.be.within(1, 3);
    expect(f.testEpoch).to.equal(f.bestEpoch);
    expect(f.finalTest?.loss).to.be.a('number').and.satisfy(Number.isFinite);
    expect(f.endTime).to.match(/[+-]\d\d:\d\d$/);
    for (const e of of(r, 'epoch')) {
      expect(e.snapshot.model.weightData).to.be.instanceOf(ArrayBuffer);
      expect(e.snapshot.model.weightData.byteLength).to.be.greaterThan(0);
      expect(e.snapshot.resume.epoch).to.equal(e.metrics.epoch);
      expect(e.snapshot.model.weightSpecs.some((w) => w.group === 'optimizer')).to.equal(true);
    }
  });

  it('emits throttled progress events with batch, samples/s and ETA', async () => {
    const split = blobs(3000);
    const r = await run(split, MLP, config({ epochs: 2, batchSize: 2 }));
    expectOrder(r);
    const progress = of(r, 'progress');
    const perEpoch = Math.ceil(split.train.n / 2);
    expect(progress.length, 'progress events').to.be.greaterThan(0);
    for (const p of progress) {
      expect(p.batchesPerEpoch).to.equal(perEpoch);
      expect(p.batch).to.be.within(1, perEpoch);
      expect(p.samplesPerSec).to.be.greaterThan(0);
      expect(p.etaSeconds).to.be.at.least(0);
    }
    const seconds = epochs(r).reduce((a, m) => a + m.seconds, 0);
    expect(progress.length, 'at most one per 250 ms').to.be.at.most(Math.ceil(seconds / 0.25) + 2);
  });

  it('stop mid-run gives status stopped with the epochs so far and a test result', async () => {
    let asked = false;
    const r = await run(blobs(), MLP, config({ epochs: 200, batchSize: 4 }), (e, bridge) => {
      if (e.type === 'epoch' && e.metrics.epoch === 2 && !asked) {
        asked = true;
        bridge.stop();
      }
    });
    expectOrder(r);
    const f = finished(r);
    expect(f.status).to.equal('stopped');
    const done = epochs(r).length;
    expect(done).to.be.within(2, 4); // the stop lands after the current batch
    expect(f.reason).to.match(/stopped by the user/);
    expect(f.test?.yPred.length).to.equal(blobs().test.n);
    expectSteadyMemory(r);
  });

  it('early stopping ends the run with status early_stopped and the best epoch', async () => {
    // val accuracy reaches its maximum at once here, so it cannot strictly improve for 2 epochs
    const es = { enabled: true, patience: 2, monitor: 'val_acc' as const };
    const r = await run(blobs(), MLP, config({ epochs: 30, earlyStopping: es }));
    expectOrder(r);
    const f = finished(r);
    expect(f.status).to.equal('early_stopped');
    const bests = of(r, 'best');
    expect(f.bestEpoch).to.equal(bests[bests.length - 1].epoch);
    expect(epochs(r).length).to.equal(f.bestEpoch + 2);
    expect(f.reason).to.match(/val_acc did not improve for 2 epochs/);
  });

  it('a huge learning rate fails as diverged at epoch 1', async () => {
    const r = await run(blobs(), MLP, config({ optimizer: 'sgd', learningRate: 1e30, epochs: 3, weightDecay: 0 }));
    expectOrder(r);
    expect(r.final.type).to.equal('failed');
    if (r.final.type !== 'failed') return;
    expect(r.final.kind).to.equal('diverged');
    expect(r.final.epoch).to.equal(1);
    expect(r.final.message).to.match(/^diverged at epoch 1: loss is (NaN|-?Infinity)$/);
    expect(of(r, 'epoch')).to.have.length(0);
  });

  it('trains a CNN on wasm (the lab registers the conv gradients tfjs 4.22 wasm lacks)', async () => {
    const cnn: ModelSpec = { kind: 'cnn', filters: [2], kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 };
    expectLearned(await run(stripes(40), cnn, config({ backend: 'wasm' })), 'wasm');
  });

  it("balanced class weights: every loss is PyTorch's weighted mean Σ wᵢ·lᵢ / Σ wᵢ, w = n / (k × n_c) from the train counts", async () => {
    // A learning rate too small to move the weights: both runs measure their losses on the initial
    // model, so the formula can be checked from the test probabilities. Test (= val) holds every
    // train row (the first 48), then the 6 rare rows three times more: 42 common, 24 rare.
    const ds = imbalanced(48, 6, 2);
    const rare = [0, 1, 2, 3, 4, 5];
    const split = () => trainAndMore(ds, [...rare, ...rare, ...rare]);
    const cfg = { epochs: 1, optimizer: 'sgd' as const, learningRate: 1e-12, weightDecay: 0 };
    const plain = await run(split(), MLP, config({ ...cfg, classWeights: 'none' }));
    const weighted = await run(split(), MLP, config({ ...cfg, classWeights: 'balanced' }));
    const [p, w] = [finished(plain).test!, finished(weighted).test!];
    p.probabilities.forEach((v, i) => expect(w.probabilities[i]).to.be.closeTo(v, 1e-6));
    const loss = Array.from(p.yTrue, (y, i) => -Math.log(Math.min(Math.max(p.probabilities[i * 2 + y], 1e-7), 1 - 1e-7)));
    const classWeight = [48 / (2 * 42), 48 / (2 * 6)]; // 0.5714…, 4: from the train counts 42 and 6
    const mean = (rows: number, weightOf: (y: number) => number) => {
      const ws = Array.from(p.yTrue.subarray(0, rows), weightOf);
      return ws.reduce((a, wi, i) => a + wi * loss[i], 0) / ws.reduce((a, b) => a + b, 0);
    };
    const [plainTrain, plainTest] = [mean(48, () => 1), mean(66, () => 1)];
    const [weightedTrain, weightedTest] = [mean(48, (y) => classWeight[y]), mean(66, (y) => classWeight[y])];
    expect(Math.abs(weightedTest - plainTest), 'the weighting changes this loss').to.be.greaterThan(0.02);
    const [pe, we] = [epochs(plain)[0], epochs(weighted)[0]];
    for (const [name, got, want] of [
      ['none: test', p.loss, plainTest], ['none: val', pe.valLoss, plainTest], ['none: train', pe.trainLoss, plainTrain],
      ['balanced: test', w.loss, weightedTest], ['balanced: val', we.valLoss, weightedTest], ['balanced: train', we.trainLoss, weightedTrain],
    ] as const) expect(got, name).to.be.closeTo(want, 1e-5);
    expectSteadyMemory(weighted);
  });

  it('balanced class weights raise the minority class recall on an imbalanced set', async () => {
    const split = splitDataset(imbalanced(400, 40, 3), { train: 0.5, val: 0.2, test: 0.3 }, 1);
    const cfg = { epochs: 12, batchSize: 32, learningRate: 0.05, weightDecay: 0 };
    const plain = finished(await run(split, MLP, config({ ...cfg, classWeights: 'none' }))).test!;
    const r = await run(split, MLP, config({ ...cfg, classWeights: 'balanced' }));
    const balanced = finished(r).test!;
    const [before, after] = [recall(plain.yTrue, plain.yPred, 1), recall(balanced.yTrue, balanced.yPred, 1)];
    console.log(`minority recall on test (${split.test.classCounts[1]} rows): none ${before.toFixed(2)}, balanced ${after.toFixed(2)}`);
    expect(after - before).to.be.at.least(0.4); // 0 → 0.58 here; model selection alone (unweighted training) moves it 0.25
    expectSteadyMemory(r);
  });

  it("'started' carries the model's initial weights (the seed's, before any step: the optimizer's counter at 0); a resumed run's carries none", async () => {
    const split = blobs();
    const cfg = config({ epochs: 2, optimizer: 'adam' });
    const r = await run(split, MLP, cfg, (e, bridge) => {
      if (e.type === 'epoch' && e.metrics.epoch === 1) bridge.stop();
    });
    expectSteadyMemory(r);
    const initial = started(r).initial!;
    expect(initial.resume).to.include({ epoch: 0, bestEpoch: 0 });
    expect(initial.model.weightSpecs.map((w) => w.name)).to.deep.equal(['dense_1/kernel', 'dense_1/bias', 'output/kernel', 'output/bias', 'iter']);
    expect(initial.model.weightSpecs.filter((w) => w.group === 'optimizer').map((w) => w.name)).to.deep.equal(['iter']);
    expect((initial.model.modelTopology as { config: { name: string } }).config.name).to.equal('mlp');
    // The same spec and seed built here: the very same numbers (and epoch 1 moved them).
    const model = buildModel(MLP, split.inputShape, split.classNames.length, cfg.seed);
    const got = tf.io.decodeWeights(initial.model.weightData, initial.model.weightSpecs as tf.io.WeightsManifestEntry[]);
    expect(Array.from(got.iter.dataSync()), 'no step taken').to.deep.equal([0]);
    const after1 = tf.io.decodeWeights(of(r, 'epoch')[0].snapshot.model.weightData, of(r, 'epoch')[0].snapshot.model.weightSpecs as tf.io.WeightsManifestEntry[]);
    try {
      model.weights.forEach((w) => {
        expect(Array.from(got[w.originalName].dataSync()), w.originalName).to.deep.equal(Array.from(w.read().dataSync()));
      });
      expect(Array.from(after1['dense_1/kernel'].dataSync())).to.not.deep.equal(Array.from(got['dense_1/kernel'].dataSync()));
    } finally {
      model.dispose();
      tf.dispose([...Object.values(got), ...Object.values(after1)]);
    }
    const snap = of(r, 'epoch')[0].snapshot;
    const resumed = await run(split, MLP, cfg, undefined, { resume: { model: snap.model, state: snap.resume } });
    expect(finished(resumed).status).to.equal('completed');
    expect(started(resumed).initial).to.equal(undefined);
  });
});
