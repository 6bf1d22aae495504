// The training loop, run by the worker (worker.ts) and directly by tests. It uploads the split
// once, trains with optimizer.minimize on seeded shuffled batches, reads metrics only at epoch end
// (and a throttled scalar for progress), and reports everything as TrainingEvents.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend';
import { createEarlyStopper } from './early-stopping';
import { buildModel, describeModel } from './models';
import { createRng } from './rng';
import { createLrScheduler } from './schedules';
import { isoWithOffset } from './time';
import {
  accumulate,
  correctCount,
  createTicker,
  crossEntropySum,
  disposePart,
  epochSeed,
  evaluate,
  l2Penalty,
  makeOptimizer,
  setLearningRate,
  uploadPart,
  type UploadedPart,
} from './trainer-ops';
import type { DatasetSplit, FinishStatus, ModelSpec, TestResult, TrainConfig, TrainingEvent } from './types';

export interface TrainRequest {
  split: DatasetSplit;
  model: ModelSpec;
  config: TrainConfig;
  wasmPath: string;
}

export type EmitEvent = (e: TrainingEvent) => void;

/** Minimum time between two progress events. */
export const PROGRESS_INTERVAL_MS = 250;
/** Rows per inference batch for validation and test (MNIST-sized CNN activations fit). */
export const EVAL_BATCH_SIZE = 512;

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

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

function checkRequest({ split, config }: TrainRequest): void {
  if (!Number.isInteger(config.epochs) || config.epochs < 1) throw new RangeError(`invalid number of epochs: ${config.epochs}`);
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new RangeError(`invalid batch size: ${config.batchSize}`);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) {
    throw new RangeError(`invalid learning rate: ${config.learningRate}`);
  }
  if (!Number.isFinite(config.weightDecay) || config.weightDecay < 0) throw new RangeError(`invalid weight decay: ${config.weightDecay}`);
  for (const part of ['train', 'val', 'test'] as const) {
    if (split[part].n < 1) throw new RangeError(`the ${part} split is empty: use more samples or a larger ${part} ratio`);
  }
}

/** What one epoch's training pass needs; built once per run. */
interface Loop {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  weights: tf.Variable[];
  train: UploadedPart;
  config: TrainConfig;
  batchesPerEpoch: number;
  emit: EmitEvent;
  signal: AbortSignal;
  tick: () => Promise<void>;
}

interface EpochPass {
  lossSum: number;
  correct: number;
  seconds: number;
}

/** One pass over the shuffled training part; null when aborted mid-epoch (after a whole batch). */
async function trainEpoch(loop: Loop, epoch: number, learningRate: number): Promise<EpochPass | null> {
  const { model, optimizer, weights, train, config, batchesPerEpoch, emit, signal, tick } = loop;
  const n = train.n;
  const order = createRng(epochSeed(config.seed, epoch)).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const orderT = tf.tensor1d(order, 'int32');
  let acc = tf.zeros([2]) as tf.Tensor1D; // [sum of cross-entropy, correct], read at epoch end
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
          const rows = tf.slice(orderT, start, size);
          const yb = tf.gather(train.y, rows);
          const probs = model.apply(tf.gather(train.x, rows), { training: true }) as tf.Tensor;
          const ceSum = crossEntropySum(probs, yb);
          out.stats = tf.keep(tf.stack([ceSum, correctCount(probs, yb)]) as tf.Tensor1D);
          const loss = tf.div(ceSum, size) as tf.Scalar;
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
        emit({ type: 'progress', epoch, batch: b + 1, batchesPerEpoch, samplesPerSec, etaSeconds: remaining / samplesPerSec, learningRate });
      }
      await tick(); // lets the worker receive 'stop'
      if (signal.aborted) return null;
    }
    const [lossSum, correct] = await acc.data();
    return { lossSum, correct, seconds: (performance.now() - t0) / 1000 };
  } finally {
    tf.dispose([orderT, acc]);
    lastCost?.dispose();
  }
}

/**
 * Trains `req.model` on `req.split` and emits started, progress…, epoch, best…, then finished or
 * failed. Never throws: errors become a 'failed' event. Aborting `signal` stops after the current
 * batch; the test set is still evaluated.
 */
export async function train(req: TrainRequest, emit: EmitEvent, signal: AbortSignal): Promise<void> {
  const startTime = isoWithOffset(new Date());
  const { split, config } = req;
  const ticker = createTicker();
  let model: tf.LayersModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  const parts: UploadedPart[] = [];
  let epoch = 0;
  try {
    checkRequest(req);
    const scheduler = createLrScheduler(config.learningRate, config.schedule, config.epochs);
    const stopper = createEarlyStopper(config.earlyStopping);
    const backend = await initBackend(config.backend, req.model.kind, req.wasmPath);
    const numClasses = split.classNames.length;
    model = buildModel(req.model, split.inputShape, numClasses, config.seed);
    for (const key of ['train', 'val', 'test'] as const) parts.push(uploadPart(split[key], split.inputShape, numClasses));
    const [trainPart, valPart, testPart] = parts;
    optimizer = makeOptimizer(config.optimizer, config.learningRate);
    const loop: Loop = {
      model,
      optimizer,
      weights: model.trainableWeights.map((w) => w.read() as tf.Variable),
      train: trainPart,
      config,
      batchesPerEpoch: Math.ceil(trainPart.n / config.batchSize),
      emit,
      signal,
      tick: ticker.tick,
    };
    const layers = describeModel(model);
    emit({ type: 'started', backend, layers, totalParams: model.countParams(), epochs: config.epochs, batchesPerEpoch: loop.batchesPerEpoch, startTime });

    const monitor = config.earlyStopping.monitor;
    let status: FinishStatus = 'completed';
    let reason = `completed ${config.epochs} epoch${config.epochs === 1 ? "" : "s"}`;
    let bestEpoch = 0;
    for (epoch = 1; epoch <= config.epochs; epoch++) {
      const done = epoch - 1;
      if (signal.aborted) {
        [status, reason] = ['stopped', `stopped by the user after ${done} of ${config.epochs} epochs`];
        break;
      }
      const learningRate = scheduler.lrForEpoch(epoch);
      setLearningRate(optimizer, config.optimizer, learningRate);
      const t0 = performance.now();
      const pass = await trainEpoch(loop, epoch, learningRate);
      if (!pass) {
        [status, reason] = ['stopped', `stopped by the user during epoch ${epoch}; ${done} of ${config.epochs} epochs completed`];
        break;
      }
      const trainLoss = pass.lossSum / trainPart.n;
      if (!Number.isFinite(trainLoss)) throw new DivergedError(epoch, trainLoss);
      const val = await evaluate(model, valPart, EVAL_BATCH_SIZE, ticker.tick);
      if (!Number.isFinite(val.loss)) throw new DivergedError(epoch, val.loss);
      const valAcc = (100 * val.correct) / val.n;
      emit({
        type: 'epoch',
        metrics: {
          epoch,
          trainLoss,
          trainAcc: (100 * pass.correct) / trainPart.n,
          valLoss: val.loss,
          valAcc,
          learningRate,
          seconds: (performance.now() - t0) / 1000,
          samplesPerSec: trainPart.n / pass.seconds,
        },
        numTensors: tf.memory().numTensors,
      });
      scheduler.observe(epoch, monitor === 'val_loss' ? val.loss : valAcc, monitor);
      const decision = stopper.observe(epoch, { valLoss: val.loss, valAcc });
      bestEpoch = decision.bestEpoch;
      if (decision.improved) emit({ type: 'best', epoch, monitor, value: decision.bestValue });
      if (decision.stop && epoch < config.epochs) {
        status = 'early_stopped';
        reason =
          `early stopping: ${monitor} did not improve for ${config.earlyStopping.patience} epochs ` +
          `(best ${decision.bestValue} at epoch ${decision.bestEpoch}); ${epoch} of ${config.epochs} epochs run`;
        break;
      }
    }
    epoch = Math.min(epoch, config.epochs); // for a failure while testing
    const test = await testResult(model, testPart, split.test.y, numClasses, ticker.tick);
    emit({ type: 'finished', status, reason, test, bestEpoch, endTime: isoWithOffset(new Date()) });
  } catch (e) {
    const kind = e instanceof DivergedError ? 'diverged' : 'error';
    emit({ type: 'failed', kind, epoch: e instanceof DivergedError ? e.epoch : epoch, message: errorMessage(e), endTime: isoWithOffset(new Date()) });
  } finally {
    ticker.close();
    parts.forEach(disposePart);
    optimizer?.dispose();
    model?.dispose();
  }
}

/** Test metrics; accuracy is computed from yPred so the two always agree. */
async function testResult(
  model: tf.LayersModel,
  part: UploadedPart,
  labels: Int32Array,
  numClasses: number,
  tick: () => Promise<void>,
): Promise<TestResult> {
  const ev = await evaluate(model, part, EVAL_BATCH_SIZE, tick, true);
  const probabilities = ev.probabilities!;
  const yTrue = Int32Array.from(labels);
  const yPred = new Int32Array(part.n);
  let correct = 0;
  for (let i = 0; i < part.n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    yPred[i] = best;
    if (best === yTrue[i]) correct++;
  }
  return { loss: ev.loss, accuracy: (100 * correct) / part.n, yTrue, yPred, probabilities };
}
