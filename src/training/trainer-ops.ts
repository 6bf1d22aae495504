// Tensor-side helpers of the training loop (trainer.ts): upload, optimizers, loss, batched
// evaluation, and the message-channel tick that lets a worker see 'stop' between batches.
import * as tf from '@tensorflow/tfjs';
import { classCorrectCounts } from './class-recall';
import { argmaxRow } from './metrics';
import { float32Memory, FusedAdamOptimizer, FusedMomentumOptimizer, FusedSGDOptimizer } from './fused-optimizers';
import type { OptimizerName, SplitPart, TestResult } from './types';

/** Probabilities are clipped to [EPS, 1 - EPS] before the log, as Keras does (its epsilon()). */
const EPS = 1e-7;

export interface UploadedPart {
  x: tf.Tensor; // [n, ...inputShape]
  y: tf.Tensor2D; // [n, numClasses] one-hot float32
  n: number;
  w: tf.Tensor1D | null; // [n] each sample's loss weight (its class's weight) when the loss is weighted
}

/** One split part as tensors, uploaded once per run; `classWeights` (one per class) weights the loss. */
export function uploadPart(part: SplitPart, inputShape: number[], numClasses: number, classWeights: number[] | null = null): UploadedPart {
  const labels = () => tf.tensor1d(part.y, 'int32');
  const x = tf.tensor(part.x, [part.n, ...inputShape], 'float32');
  const y = tf.tidy(() => tf.oneHot(labels(), numClasses).toFloat() as tf.Tensor2D);
  const w = classWeights ? tf.tidy(() => tf.gather(tf.tensor1d(classWeights, 'float32'), labels()) as tf.Tensor1D) : null;
  return { x, y, n: part.n, w };
}

export function disposePart(p: UploadedPart | null): void {
  if (p) {
    tf.dispose([p.x, p.y]);
    p.w?.dispose();
  }
}

/**
 * The optimizers with PyTorch's default hyperparameters (momentum 0.9 as in the reference). SGD,
 * momentum and Adam update in one fused pass on the cpu backend (fused-optimizers.ts), with the same
 * results and saved state as tfjs's.
 */
export function makeOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return new FusedSGDOptimizer(lr);
    case 'momentum':
      return new FusedMomentumOptimizer(lr, 0.9);
    case 'adam':
      return new FusedAdamOptimizer(lr, 0.9, 0.999, 1e-8);
    case 'rmsprop':
      return tf.train.rmsprop(lr, 0.99, 0, 1e-8);
    default:
      throw new Error(`unknown optimizer: ${String(name)}`);
  }
}

/**
 * Sets the rate for the next steps. SGD and momentum keep it in a scalar tensor `c` that only
 * setLearningRate rebuilds; Adam and RMSProp read their plain `learningRate` field on every step.
 * (Not `instanceof tf.SGDOptimizer`: tfjs gives Optimizer a duck-typed Symbol.hasInstance that every
 * optimizer, Adam included, passes.)
 */
export function setLearningRate(opt: tf.Optimizer, name: OptimizerName, lr: number): void {
  if (name === 'sgd' || name === 'momentum') (opt as tf.SGDOptimizer).setLearningRate(lr);
  else (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** Summed categorical cross-entropy of a batch of softmax outputs against one-hot labels. */
export function crossEntropySum(probs: tf.Tensor, yOneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(yOneHot, tf.log(tf.clipByValue(probs, EPS, 1 - EPS))))) as tf.Scalar);
}

/** How many rows of the batch have the arg-max on the true class (float32 scalar). */
export function correctCount(probs: tf.Tensor, yOneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(yOneHot, -1)), 'float32')) as tf.Scalar);
}

/**
 * The two terms of a batch's mean loss, Σ wᵢ·lᵢ and Σ wᵢ, with lᵢ the sample's cross-entropy and wᵢ
 * its class's weight (PyTorch's CrossEntropyLoss(weight=w): the mean is their quotient); without
 * weights every wᵢ is 1, so the quotient is the plain mean.
 */
export function lossTerms(probs: tf.Tensor, yOneHot: tf.Tensor, w: tf.Tensor1D | null): { sum: tf.Scalar; weight: tf.Scalar } {
  return tf.tidy(() => {
    if (!w) return { sum: crossEntropySum(probs, yOneHot), weight: tf.scalar(yOneHot.shape[0], 'float32') };
    const perSample = tf.neg(tf.sum(tf.mul(yOneHot, tf.log(tf.clipByValue(probs, EPS, 1 - EPS))), -1));
    return { sum: tf.sum(tf.mul(w, perSample)) as tf.Scalar, weight: tf.sum(w) as tf.Scalar };
  });
}

/** [Σ wᵢ·lᵢ, number of correct predictions, Σ wᵢ] of one batch (see lossTerms). */
export function batchStats(probs: tf.Tensor, yOneHot: tf.Tensor, w: tf.Tensor1D | null): tf.Tensor1D {
  return tf.tidy(() => {
    const { sum, weight } = lossTerms(probs, yOneHot, w);
    return tf.stack([sum, correctCount(probs, yOneHot), weight]) as tf.Tensor1D;
  });
}

/** 0.5 * wd * Σ w² over the trainable weights: gradient wd * w, PyTorch's weight_decay (biases included). */
export function l2Penalty(weights: tf.Variable[], wd: number): tf.Scalar | null {
  if (wd <= 0 || weights.length === 0) return null;
  return tf.tidy(() => tf.mul(0.5 * wd, tf.addN(weights.map((w) => tf.sum(tf.square(w))))) as tf.Scalar);
}

/**
 * The training part with its rows in `order` (one gather per epoch), so that each batch is a
 * contiguous slice: the same batches as gathering order[start, start + size) per step.
 */
export function reorderPart(part: UploadedPart, order: Int32Array): UploadedPart {
  const rows = tf.tensor1d(order, 'int32');
  try {
    return { x: tf.gather(part.x, rows), y: tf.gather(part.y, rows), n: part.n, w: part.w && tf.gather(part.w, rows) };
  } finally {
    rows.dispose();
  }
}

/**
 * Rows [start, start + size) of `t` as a new tensor. On cpu it is a view of t's memory (no copy); on
 * wasm one copy of those rows (tf.slice there first copies the whole of t out of the wasm heap);
 * elsewhere tf.slice. Not for gradients' sake: use it for data, never for variables.
 */
export function sliceRows<T extends tf.Tensor>(t: T, start: number, size: number): T {
  const memory = float32Memory(t, false);
  if (!memory) return tf.slice(t, start, size);
  const row = t.size / t.shape[0];
  const rows = tf.getBackend() === 'cpu' ? memory.subarray(start * row, (start + size) * row) : memory.slice(start * row, (start + size) * row);
  return tf.tensor(rows, [size, ...t.shape.slice(1)], 'float32') as T;
}

/** Adds `delta` into the running accumulator, disposing both inputs; returns the new accumulator. */
export function accumulate(acc: tf.Tensor1D, delta: tf.Tensor1D): tf.Tensor1D {
  const next = tf.add(acc, delta) as tf.Tensor1D;
  acc.dispose();
  delta.dispose();
  return next;
}

export interface Evaluation {
  loss: number; // mean cross-entropy, weighted by the part's sample weights when it has them (Σ wᵢ·lᵢ / Σ wᵢ)
  correct: number;
  n: number;
  probabilities?: Float32Array; // n * numClasses when asked for
  classCorrect?: number[]; // per true class, its rows predicted right, when asked for
}

/** Inference in batches (dropout off), read once at the end with await data(). */
export async function evaluate(
  model: tf.LayersModel,
  part: UploadedPart,
  batchSize: number,
  tick: () => Promise<void>,
  withProbabilities = false,
  withClassCorrect = false,
): Promise<Evaluation> {
  // [Σ wᵢ·lᵢ, correct, Σ wᵢ], then (withClassCorrect) each class's correct count: one read at the end.
  let acc = tf.zeros([3 + (withClassCorrect ? part.y.shape[1] : 0)]) as tf.Tensor1D;
  const chunks: tf.Tensor[] = [];
  try {
    for (let start = 0; start < part.n; start += batchSize) {
      const size = Math.min(batchSize, part.n - start);
      const stats = tf.tidy(() => {
        const probs = model.apply(sliceRows(part.x, start, size), { training: false }) as tf.Tensor;
        if (withProbabilities) chunks.push(tf.keep(probs));
        const y = sliceRows(part.y, start, size);
        const batch = batchStats(probs, y, part.w && sliceRows(part.w, start, size));
        return withClassCorrect ? (tf.concat([batch, classCorrectCounts(probs, y)]) as tf.Tensor1D) : batch;
      });
      acc = accumulate(acc, stats);
      await tick();
    }
    const sums = await acc.data();
    const [lossSum, correct, weightSum] = sums;
    const result: Evaluation = { loss: lossSum / weightSum, correct, n: part.n };
    if (withClassCorrect) result.classCorrect = Array.from(sums.subarray(3));
    if (withProbabilities) {
      const all = chunks.length === 1 ? chunks[0] : tf.concat(chunks);
      result.probabilities = new Float32Array(await all.data());
      if (chunks.length !== 1) all.dispose();
    }
    return result;
  } finally {
    acc.dispose();
    tf.dispose(chunks);
  }
}

/** Test metrics; accuracy is computed from yPred so the two always agree. */
export async function testResult(
  model: tf.LayersModel,
  part: UploadedPart,
  labels: Int32Array,
  numClasses: number,
  tick: () => Promise<void>,
  batchSize: number,
): Promise<TestResult> {
  const ev = await evaluate(model, part, batchSize, tick, true);
  const probabilities = ev.probabilities!;
  const yTrue = Int32Array.from(labels);
  const yPred = new Int32Array(part.n);
  let correct = 0;
  for (let i = 0; i < part.n; i++) {
    const best = argmaxRow(probabilities, numClasses, i);
    yPred[i] = best;
    if (best === yTrue[i]) correct++;
  }
  return { loss: ev.loss, accuracy: (100 * correct) / part.n, yTrue, yPred, probabilities };
}

/**
 * Yields to the event loop through a MessageChannel: unlike setTimeout(0) it is not clamped to
 * 4 ms, and unlike requestAnimationFrame it keeps running in hidden tabs and in workers.
 */
export function createTicker(): { tick: () => Promise<void>; close: () => void } {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    tick: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/** The dense step's dropout seed for one epoch (dense-step.ts), reproducible from (run seed, epoch). */
export function dropoutSeed(seed: number, epoch: number): number {
  return epochSeed(seed ^ 0x2545f491, epoch);
}

/** The batch-shuffling seed of one epoch, reproducible from (run seed, epoch). */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(epoch, 0x165667b1)) >>> 0;
}
