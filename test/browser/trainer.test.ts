// Trains through the real module worker (TrainingBridge) on each tfjs backend. Tiny data: the test
// machine has 2 slow cores and a software WebGPU adapter (SwiftShader).
import { expect } from '@esm-bundle/chai';
import type { ModelSpec } from '../../src/training/types';
import { blobs, config, epochs, expectLearned, expectOrder, expectSteadyMemory, finished, MLP, of, run, started, stripes } from './train-helpers';

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

  it('reports a forced wasm CNN as a readable error', async () => {
    const cnn: ModelSpec = { kind: 'cnn', filters: [2], kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 };
    const r = await run(stripes(20), cnn, config({ backend: 'wasm' }));
    expect(r.final).to.include({ type: 'failed', kind: 'error', epoch: 0 });
    expect(r.final.type === 'failed' && r.final.message).to.match(/tfjs 4\.22 wasm has no conv backprop kernels/);
  });
});
