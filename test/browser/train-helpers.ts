// Shared by the browser tests that train through the real module worker (TrainingBridge).
import { expect } from '@esm-bundle/chai';
import { TrainingBridge, type FinalEvent, type StartRequest } from '../../src/training/bridge';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { splitDataset } from '../../src/training/split';
import type { BackendChoice, Dataset, DatasetSplit, ModelSpec, TrainConfig, TrainingEvent } from '../../src/training/types';

export const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
export const RATIOS = { train: 0.7, val: 0.15, test: 0.15 };
export const MLP: ModelSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };

export const blobs = (samples = 200): DatasetSplit =>
  splitDataset(makeSynthetic('blobs', { samples, noise: 0.3, classes: 3, seed: 1 }), RATIOS, 1, { standardize: true });

/** 8x8 one-channel images: class 0 has a bright row, class 1 a bright column, plus noise. */
export function stripes(n: number): DatasetSplit {
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

export function config(over: Partial<TrainConfig> = {}): TrainConfig {
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
    saveFreq: 5,
    classWeights: 'none',
    ...over,
  };
}

export interface Run {
  events: TrainingEvent[];
  final: FinalEvent;
  ms: number;
}

/** One run through a fresh bridge; onEvent's result is what the bridge awaits for 'epoch' events. */
export async function run(
  split: DatasetSplit,
  model: ModelSpec,
  cfg: TrainConfig,
  onEvent?: (e: TrainingEvent, b: TrainingBridge) => void | Promise<void>,
  extra: Partial<StartRequest> = {},
): Promise<Run> {
  const bridge = new TrainingBridge();
  const events: TrainingEvent[] = [];
  const t0 = performance.now();
  const final = await bridge.start({ split, model, config: cfg, wasmPath: WASM_PATH, ...extra }, (e) => {
    events.push(e);
    return onEvent?.(e, bridge);
  });
  expect(bridge.running, 'worker terminated after the run').to.equal(false);
  return { events, final, ms: performance.now() - t0 };
}

export const of = <T extends TrainingEvent['type']>(r: Run, type: T) => r.events.filter((e): e is Extract<TrainingEvent, { type: T }> => e.type === type);
export const started = (r: Run) => of(r, 'started')[0];
export const epochs = (r: Run) => of(r, 'epoch').map((e) => e.metrics);

export function finished(r: Run): Extract<TrainingEvent, { type: 'finished' }> {
  if (r.final.type !== 'finished') throw new Error(`run failed: ${r.final.message}`);
  return r.final;
}

/** The run completed, its training loss fell, and the tensor count never changed between epochs. */
export function expectLearned(r: Run, backend: BackendChoice): void {
  const f = finished(r);
  expect(f.status).to.equal('completed');
  expect(started(r).backend.name).to.equal(backend);
  const m = epochs(r);
  expect(m.length).to.be.greaterThan(1);
  expect(m[m.length - 1].trainLoss, `loss falls on ${backend}: ${m.map((x) => x.trainLoss.toFixed(3)).join(' → ')}`).to.be.lessThan(m[0].trainLoss);
  expectSteadyMemory(r);
  console.log(`${backend}: ${m.map((x) => x.trainLoss.toFixed(3)).join(' → ')}, test acc ${f.test?.accuracy.toFixed(1)}%, ${(r.ms / 1000).toFixed(1)} s`);
}

export function expectSteadyMemory(r: Run): void {
  const counts = of(r, 'epoch').map((e) => e.numTensors);
  expect(counts.length).to.be.greaterThan(0);
  expect(new Set(counts).size, `numTensors per epoch: ${counts.join(', ')}`).to.equal(1);
}

/** started, then progress/epoch/best, then exactly one final event, last; `after`: the resumed epoch. */
export function expectOrder(r: Run, after = 0): void {
  const types = r.events.map((e) => e.type);
  expect(types[0]).to.equal('started');
  expect(types.filter((t) => t === 'started').length).to.equal(1);
  expect(types.filter((t) => t === 'finished' || t === 'failed').length).to.equal(1);
  expect(['finished', 'failed']).to.include(types[types.length - 1]);
  let epoch = after; // last completed epoch
  for (const e of r.events.slice(1, -1)) {
    if (e.type === 'progress') expect(e.epoch).to.equal(epoch + 1);
    else if (e.type === 'epoch') expect(e.metrics.epoch).to.equal(++epoch);
    else if (e.type === 'best') expect(e.epoch).to.equal(epoch);
    else expect.fail(`unexpected ${e.type} in the middle of a run`);
  }
}
