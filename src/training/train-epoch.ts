// One epoch's training pass: seeded shuffled batches through optimizer.minimize, metrics summed on
// the backend and read once at epoch end, a throttled progress event that also catches divergence.
import * as tf from '@tensorflow/tfjs';
import { createRng } from './rng';
import { accumulate, correctCount, disposePart, epochSeed, l2Penalty, lossTerms, reorderPart, sliceRows, type UploadedPart } from './trainer-ops';
import type { TrainConfig, TrainingEvent } from './types';

/** Receives every event; for 'epoch' the trainer awaits the result before it goes on. */
export type EmitEvent = (e: TrainingEvent) => void | Promise<void>;

/** Minimum time between two progress events. */
export const PROGRESS_INTERVAL_MS = 250;
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
}

export interface EpochPass {
  lossSum: number; // Σ wᵢ·lᵢ over the epoch's samples (wᵢ = 1 without class weights)
  weightSum: number; // Σ wᵢ
  correct: number;
  seconds: number;
}

/** One pass over the shuffled training part; null when aborted mid-epoch (after a whole batch). */
export async function trainEpoch(loop: Loop, epoch: number, learningRate: number): Promise<EpochPass | null> {
  const { model, optimizer, weights, train, config, batchesPerEpoch, emit, signal, tick } = loop;
  const n = train.n;
  const order = createRng(epochSeed(config.seed, epoch)).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  // One gather per epoch; each batch is then a contiguous slice of the reordered copy.
  const part = loop.gatherPerStep ? null : reorderPart(train, order);
  const orderT = part ? null : tf.tensor1d(order, 'int32');
  let acc = tf.zeros([3]) as tf.Tensor1D; // [Σ wᵢ·lᵢ, correct, Σ wᵢ], read at epoch end
  let lastCost: tf.Scalar | null = null;
  const t0 = performance.now();
  let lastProgress = t0;
  try {
    for (let b = 0; b < batchesPerEpoch; b++) {
      const start = b * config.batchSize;
      const size = Math.min(config.batchSize, n - start);
      const out: { stats?: tf.Tensor1D } = {};
      const cost = optimizer.minimize(
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
      lastCost?.dispose();
      lastCost = cost;
      acc = accumulate(acc, out.stats!);
      const now = performance.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS && cost) {
        const value = (await cost.data())[0]; // a small read paces the queue and catches divergence early
        if (!Number.isFinite(value)) throw new DivergedError(epoch, value);
        lastProgress = performance.now();
        const done = start + size;
        const samplesPerSec = done / ((lastProgress - t0) / 1000);
        const remaining = n - done + (config.epochs - epoch) * n;
        void emit({ type: 'progress', epoch, batch: b + 1, batchesPerEpoch, samplesPerSec, etaSeconds: remaining / samplesPerSec, learningRate });
      }
      await tick(); // lets the worker receive 'stop'
      if (signal.aborted) return null;
    }
    const [lossSum, correct, weightSum] = await acc.data();
    return { lossSum, weightSum, correct, seconds: (performance.now() - t0) / 1000 };
  } finally {
    tf.dispose([orderT, acc].filter((t) => t !== null));
    disposePart(part);
    lastCost?.dispose();
  }
}

