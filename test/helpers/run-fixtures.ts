// Builders for recorder and run-store tests: a small 3-class split, a record's init, snapshots and
// the events a run emits. Epoch k ends k × 2 s after T0 unless a test says otherwise.
import { applyEvent, createRunRecord, type RunRecordInit } from '../../src/recorder/recorder';
import type { LabRunRecord } from '../../src/recorder/run-record';
import type { BackendReport, DatasetSplit, EpochSnapshot, SplitPart, TestResult, TrainingEvent } from '../../src/training/types';

export const T0 = new Date(2026, 2, 15, 9, 5, 2, 250); // local time 2026-03-15 09:05:02.250
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function part(n: number, classCounts: number[]): SplitPart {
  return { x: new Float32Array(n * 2), y: new Int32Array(n), n, indices: new Int32Array(n), classCounts };
}

export function makeSplit(): DatasetSplit {
  return {
    datasetId: 'spirals',
    kind: 'tabular',
    inputShape: [2],
    classNames: ['a', 'b', 'c'],
    seed: 1,
    ratios: { train: 0.7, val: 0.15, test: 0.15 },
    train: part(42, [14, 14, 14]),
    val: part(9, [3, 3, 3]),
    test: part(9, [3, 3, 3]),
  };
}

export function makeInit(overrides: Partial<RunRecordInit> = {}): RunRecordInit {
  return {
    split: makeSplit(),
    datasetName: 'Spirals (3 classes)',
    datasetSource: 'synthetic:spirals seed=1 noise=0.1',
    datasetSha256: 'ab'.repeat(32),
    model: { kind: 'mlp', hidden: [16, 16], activation: 'relu', dropout: 0 },
    config: {
      epochs: 10,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 0.01,
      weightDecay: 0,
      schedule: { kind: 'constant' },
      earlyStopping: { enabled: true, patience: 3, monitor: 'val_loss' },
      seed: 42,
      backend: 'auto',
      saveFreq: 2,
      classWeights: 'none',
    },
    synthetic: { samples: 60, noise: 0.1, classes: 3, seed: 1 },
    standardized: true,
    urlQuery: 'dataset=spirals&epochs=10',
    layers: [
      { name: 'dense_1', type: 'Dense', outputShape: [null, 16], params: 48, trainable: true },
      { name: 'dense_2', type: 'Dense', outputShape: [null, 16], params: 272, trainable: true },
      { name: 'output', type: 'Dense', outputShape: [null, 3], params: 51, trainable: true },
    ],
    totalParams: 371,
    now: T0,
    userAgent: 'test-agent',
    appVersion: '0.1.0',
    hardwareConcurrency: 8,
    dataFile: null,
    classWeightValues: null,
    ...overrides,
  };
}

export const BACKEND: BackendReport = {
  name: 'webgpu',
  forced: false,
  skipped: [{ name: 'webgl', reason: 'not tried: webgpu works' }],
  adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader', isFallbackAdapter: true },
  tfjsVersion: '4.22.0',
};

export function started(): TrainingEvent {
  return { type: 'started', backend: BACKEND, layers: makeInit().layers, totalParams: 371, epochs: 10, batchesPerEpoch: 2, startTime: '' };
}

/** Pseudo-random bytes seeded by `seed` (xorshift32): incompressible, as IndexedDB compresses values. */
function noise(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A snapshot after `epoch` with `weightBytes` of weights (seeded by the epoch) and optimizer specs. */
export function makeSnapshot(epoch: number, opts: { isBest?: boolean; isPeriodic?: boolean; weightBytes?: number } = {}): EpochSnapshot {
  const weights = noise(opts.weightBytes ?? 64, epoch);
  return {
    model: {
      modelTopology: { class_name: 'Sequential', config: { layers: [] } },
      weightSpecs: [
        { name: 'dense_1/kernel', shape: [2, 16], dtype: 'float32' },
        { name: 'dense_1/kernel/m', shape: [2, 16], dtype: 'float32', group: 'optimizer' },
      ],
      weightData: weights.buffer,
      format: 'layers-model',
    },
    resume: { epoch, scheduler: { lr: 0.01 }, stopper: { best: 1 / epoch }, bestEpoch: epoch },
    isBest: opts.isBest ?? false,
    isPeriodic: opts.isPeriodic ?? false,
  };
}

/** Epoch k's validation recall of the three classes: the first learns fast, the second lags, the third has no validation rows. */
export const classRecallAt = (epoch: number): (number | null)[] => [Math.min(100, 60 + 10 * epoch), Math.min(100, 5 * epoch), null];

/** Epoch k: loss 1/k, accuracy 50 + 4k percent; validation improves until `peak`, then worsens. */
export function epochEvent(epoch: number, snapshot = makeSnapshot(epoch), peak = 99): Extract<TrainingEvent, { type: 'epoch' }> {
  const val = epoch <= peak ? 1 / epoch : 1 / peak + (epoch - peak) * 0.1;
  return {
    type: 'epoch',
    metrics: { epoch, trainLoss: 1 / epoch, trainAcc: 50 + 4 * epoch, valLoss: val, valAcc: 40 + 4 * Math.min(epoch, peak), learningRate: 0.01, seconds: 2, samplesPerSec: 21,
      classRecall: classRecallAt(epoch) },
    numTensors: 10,
    snapshot,
  };
}

export const TEST_RESULT: TestResult = {
  loss: 0.5,
  accuracy: (6 / 9) * 100,
  yTrue: Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]),
  yPred: Int32Array.from([0, 0, 1, 1, 1, 2, 2, 2, 0]),
  probabilities: new Float32Array(27).fill(1 / 3),
};

export function finished(status: 'completed' | 'stopped' | 'early_stopped', bestEpoch: number, lastEpoch: number): Extract<TrainingEvent, { type: 'finished' }> {
  return {
    type: 'finished',
    status,
    reason: `${status} after epoch ${lastEpoch}`,
    test: TEST_RESULT,
    testEpoch: bestEpoch,
    testWeights: bestEpoch > 0 ? 'best' : 'final',
    finalTest: { loss: 0.7, accuracy: 55.5 },
    bestEpoch,
    endTime: '2026-03-15T09:06:00.000+01:00',
  };
}

/** A record after `started` and `epochs` epochs (best = each improving epoch until `peak`). */
export function runEpochs(epochs: number, peak = 99, init = makeInit()): LabRunRecord {
  let r = applyEvent(createRunRecord(init), started(), at(1));
  for (let k = 1; k <= epochs; k++) {
    r = applyEvent(r, epochEvent(k, makeSnapshot(k, { isBest: k <= peak, isPeriodic: k % 2 === 0 }), peak), at(1 + 2 * k));
  }
  return r;
}

/** A finished, completed record with a test block. */
export function completedRecord(): LabRunRecord {
  return applyEvent(runEpochs(4), finished('completed', 4, 4), at(10));
}
