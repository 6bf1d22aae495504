// Trains through the real module worker (TrainingBridge) on each tfjs backend. Tiny data: the test
// machine has 2 slow cores and a software WebGPU adapter (SwiftShader).
import { expect } from '@esm-bundle/chai';
import { TrainingBridge, type FinalEvent } from '../../src/training/bridge';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { splitDataset } from '../../src/training/split';
import type { BackendChoice, Dataset, DatasetSplit, ModelSpec, TrainConfig, TrainingEvent } from '../../src/training/types';

const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const RATIOS = { train: 0.7, val: 0.15, test: 0.15 };
const MLP: ModelSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };

const blobs = (samples = 200): DatasetSplit =>
  splitDataset(makeSynthetic('blobs', { samples, noise: 0.3, classes: 3, seed: 1 }), RATIOS, 1, { standardize: true });

/** 8x8 one-channel images: class 0 has a bright row, class 1 a bright column, plus noise. */
function stripes(n: number): DatasetSplit {
  const features = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const k = 1 + Math.floor(rand() * 6);
    labels[i] = c;
    for (let p = 0; p < 64; p++) {
      const [r, col] = [Math.floor(p / 8), p % 8];
      features[i * 64 + p] = ((c === 0 ? r === k : col === k) ? 1 : 0) + 0.2 * rand();
    }
  }
  const ds: Dataset = {
    id: 'mnist',
    name: 'stripes 8x8',
    kind: 'image',
    source: 'test:stripes',
    inputShape: [8, 8, 1],
    classNames: ['row', 'column'],
    features,
    labels,
    numSamples: n,
  };
  return splitDataset(ds, RATIOS, 3);
}

function config(over: Partial<TrainConfig> = {}): TrainConfig {
  return {
    epochs: 4,
    batchSize: 16,
    optimizer: 'adam',
    learningRate: 0.05,
    weightDecay: 1e-4,
    schedule: { kind: 'constant' },
    earlyStopping: { enabled: false, patience: 3, monitor: 'val_loss' },
    seed: 42,
    backend: 'cpu',
    ...over,
  };
}

interface Run {
  events: TrainingEvent[];
  final: FinalEvent;
  ms: number;
}

async function run(split: DatasetSplit, model: ModelSpec, cfg: TrainConfig, onEvent?: (e: TrainingEvent, b: TrainingBridge) => void): Promise<Run> {
  const bridge = new TrainingBridge();
  const events: TrainingEvent[] = [];
  const t0 = performance.now();
  const final = await bridge.start({ split, model, config: cfg, wasmPath: WASM_PATH }, (e) => {
    events.push(e);
    onEvent?.(e, bridge);
  });
  expect(bridge.running, 'worker terminated after the run').to.equal(false);
  return { events, final, ms: performance.now() - t0 };
}

const of = <T extends TrainingEvent['type']>(r: Run, type: T) => r.events.filter((e): e is Extract<TrainingEvent, { type: T }> => e.type === type);
const started = (r: Run) => of(r, 'started')[0];
const epochs = (r: Run) => of(r, 'epoch').map((e) => e.metrics);

function finished(r: Run): Extract<TrainingEvent, { type: 'finished' }> {
  if (r.final.type !== 'finished') throw new Error(`run failed: ${r.final.message}`);
  return r.final;
}

/** The run completed, its training loss fell, and the tensor count never changed between epochs. */
function expectLearned(r: Run, backend: BackendChoice): void {
  const f = finished(r);
  expect(f.status).to.equal('completed');
  expect(started(r).backend.name).to.equal(backend);
  const m = epochs(r);
  expect(m.length).to.be.greaterThan(1);
  expect(m[m.length - 1].trainLoss, `loss falls on ${backend}: ${m.map((x) => x.trainLoss.toFixed(3)).join(' → ')}`).to.be.lessThan(m[0].trainLoss);
  expectSteadyMemory(r);
  console.log(`${backend}: ${m.map((x) => x.trainLoss.toFixed(3)).join(' → ')}, test acc ${f.test?.accuracy.toFixed(1)}%, ${(r.ms / 1000).toFixed(1)} s`);
}

function expectSteadyMemory(r: Run): void {
  const counts = of(r, 'epoch').map((e) => e.numTensors);
  expect(counts.length).to.be.greaterThan(0);
  expect(new Set(counts).size, `numTensors per epoch: ${counts.join(', ')}`).to.equal(1);
}

/** started, then progress/epoch/best, then exactly one final event, last. */
function expectOrder(r: Run): void {
  const types = r.events.map((e) => e.type);
  expect(types[0]).to.equal('started');
  expect(types.filter((t) => t === 'started').length).to.equal(1);
  expect(types.filter((t) => t === 'finished' || t === 'failed').length).to.equal(1);
  expect(['finished', 'failed']).to.include(types[types.length - 1]);
  let epoch = 0; // last completed epoch
  for (const e of r.events.slice(1, -1)) {
    if (e.type === 'progress') expect(e.epoch).to.equal(epoch + 1);
    else if (e.type === 'epoch') expect(e.metrics.epoch).to.equal(++epoch);
    else if (e.type === 'best') expect(e.epoch).to.equal(epoch);
    else expect.fail(`unexpected ${e.type} in the middle of a run`);
  }
}

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
    expect(f.endTime).to.match(/[+-]\d\d:\d\d$/);
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
