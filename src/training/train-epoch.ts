// One epoch's training pass: seeded shuffled batches through optimizer.minimize (or, for an MLP on
// wasm, the dense step and optimizer.applyGradients), metrics summed on the backend and read once at
// epoch end, a throttled progress event that also catches divergence.
import * as tf from '@tensorflow/tfjs';
import type { DenseStep } from './dense-step';
import { createRng } from './rng';
import { accumulate, correctCount, disposePart, dropoutSeed, epochSeed, l2Penalty, lossTerms, reorderPart, sliceRows, type UploadedPart } from './trainer-ops';
import type { TrainConfig, TrainingEvent } from './types';

/** Receives every event; for 'epoch' the trainer awaits the result before it goes on. */
export type EmitEvent = (e: TrainingEvent) => void | Promise<void>;

/** Minimum time between two progress events. */
export const PROGRESS_INTERVAL_MS = 250;
/**
 * The training time between two yields to the worker's event loop (where 'stop' arrives): a yield
 * comes after the first whole batch that ends this long after the last one. A yield costs tens of
 * microseconds, a sizeable part of a step that takes under a millisecond.
 */
export const TICK_INTERVAL_MS = 10;
/** Loss became NaN or infinite: the run cannot continue. */
export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(
    readonly epoch: number,
    loss: number,
  ) {
    super(`diverged at epoch ${epoch}: loss is ${String(loss)}`);
  }
}

/** What one epoch's training pass needs; built once per run. */
export interface Loop {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  weights: tf.Variable[];
  train: UploadedPart;
  config: TrainConfig;
  batchesPerEpoch: number;
  emit: EmitEvent;
  signal: AbortSignal;
  tick: () => Promise<void>;
  gatherPerStep?: boolean; // the reference path (gather each batch per step), for tests and A/B runs
  dense?: DenseStep | null; // an MLP's gradients outside tfjs's graph (dense-step.ts), where it applies
}

export interface EpochPass {
  lossSum: number; // Σ wᵢ·lᵢ over the epoch's samples (wᵢ = 1 without class weights)
  weightSum: number; // Σ wᵢ
  correct: number;
  seconds: number;
}

/** The steps of one epoch: each applies one batch's update; the sums are read once at the end. */
interface EpochSteps {
  step(start: number, size: number): void;
  /** The last step's cost (loss plus penalty), read from the backend where it lies there. */
  lastCost(): Promise<number>;
  /** [Σ wᵢ·lᵢ, correct, Σ wᵢ] over the steps so far. */
  sums(): Promise<[number, number, number]>;
  dispose(): void;
}

/** Steps through optimizer.minimize: the batch's loss and its stats stay on the backend. */
function tfjsSteps(loop: Loop, part: UploadedPart | null, order: Int32Array): EpochSteps {
  const { model, optimizer, weights, train, config } = loop;
  const orderT = part ? null : tf.tensor1d(order, 'int32');
  let acc = tf.zeros([3]) as tf.Tensor1D;
  let cost: tf.Scalar | null = null;
  return {
    step(start, size) {
      const out: { stats?: tf.Tensor1D } = {};
      const next = optimizer.minimize(
        () => {
          let xb: tf.Tensor, yb: tf.Tensor, wb: tf.Tensor1D | null;
          if (part) [xb, yb, wb] = [sliceRows(part.x, start, size), sliceRows(part.y, start, size), part.w && sliceRows(part.w, start, size)];
          else {
            const rows = tf.slice(orderT!, start, size);
            [xb, yb, wb] = [tf.gather(train.x, rows), tf.gather(train.y, rows), train.w && tf.gather(train.w, rows)];
          }
          const probs = model.apply(xb, { training: true }) as tf.Tensor;
          const { sum, weight } = lossTerms(probs, yb, wb);
          out.stats = tf.keep(tf.stack([sum, correctCount(probs, yb), weight]) as tf.Tensor1D);
          const loss = tf.div(sum, weight) as tf.Scalar; // the batch mean, weighted as PyTorch's CrossEntropyLoss(weight)
          const penalty = l2Penalty(weights, config.weightDecay);
          return penalty ? tf.add(loss, penalty) : loss;
        },
        true,
        weights,
      );
      cost?.dispose();
      cost = next;
      acc = accumulate(acc, out.stats!);
    },
    lastCost: async () => (cost ? (await cost.data())[0] : NaN),
    sums: async () => Array.from(await acc.data()) as [number, number, number],
    dispose: () => tf.dispose([orderT, acc, cost].filter((t) => t !== null)),
  };
}

/** Steps through the dense step (dense-step.ts): the sums are plain numbers; dropout seeded per epoch. */
function denseSteps(loop: Loop, dense: DenseStep, part: UploadedPart, epoch: number): EpochSteps {
  const random = createRng(dropoutSeed(loop.config.seed, epoch)).next;
  const sums: [number, number, number] = [0, 0, 0];
  let cost = NaN;
  return {
    step(start, size) {
      const { grads, loss, cost: value } = dense.gradients(part, start, size, random);
      try {
        loop.optimizer.applyGradients(grads);
      } finally {
        tf.dispose(Object.values(grads));
      }
      sums[0] += loss.lossSum;
      sums[1] += loss.correct;
      sums[2] += loss.weightSum;
      cost = value;
    },
    lastCost: async () => cost,
    sums: async () => sums,
    dispose: () => {},
  };
}

/** One pass over the shuffled training part; null when aborted mid-epoch (after a whole batch). */
export async function trainEpoch(loop: Loop, epoch: number, learningRate: number): Promise<EpochPass | null> {
  const { train, config, batchesPerEpoch, emit, signal, tick } = loop;
  const n = train.n;
  const order = createRng(epochSeed(config.seed, epoch)).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  // One gather per epoch; each batch is then a contiguous slice of the reordered copy.
  const part = loop.gatherPerStep ? null : reorderPart(train, order);
  const steps = part && loop.dense?.accepts(part) ? denseSteps(loop, loop.dense, part, epoch) : tfjsSteps(loop, part, order);
  const t0 = performance.now();
  let lastProgress = t0;
  let lastTick = t0;
  try {
    for (let b = 0; b < batchesPerEpoch; b++) {
      const start = b * config.batchSize;
      const size = Math.min(config.batchSize, n - start);
      steps.step(start, size);
      const now = performance.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        const value = await steps.lastCost(); // a small read paces the queue and catches divergence early
        if (!Number.isFinite(value)) throw new DivergedError(epoch, value);
        lastProgress = performance.now();
        const done = start + size;
        const samplesPerSec = done / ((lastProgress - t0) / 1000);
        const remaining = n - done + (config.epochs - epoch) * n;
        void emit({ type: 'progress', epoch, batch: b + 1, batchesPerEpoch, samplesPerSec, etaSeconds: remaining / samplesPerSec, learningRate });
      }
      if (performance.now() - lastTick >= TICK_INTERVAL_MS) {
        await tick(); // lets the worker receive 'stop'
        lastTick = performance.now();
        if (signal.aborted) return null;
      }
    }
    const [lossSum, correct, weightSum] = await steps.sums();
    return { lossSum, weightSum, correct, seconds: (performance.now() - t0) / 1000 };
  } finally {
    steps.dispose();
    disposePart(part);
  }
}

