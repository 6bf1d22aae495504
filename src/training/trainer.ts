// The training loop, run by the worker (worker.ts) and directly by tests. It uploads the split
// once, trains with optimizer.minimize on seeded shuffled batches, reads metrics only at epoch end
// (and a throttled scalar for progress), and reports everything as TrainingEvents. After every
// epoch it emits a snapshot (model + optimizer state + scheduler/stopper state) and waits until
// emit's promise settles (the page stored it) before the next epoch; a run resumes from one.
// With config.classWeights 'balanced' every loss, trained and reported, is PyTorch's
// CrossEntropyLoss(weight=w), w from the train split's class counts (class-weights.ts): Σ wᵢ·lᵢ / Σ wᵢ
// over each batch while training; over the epoch (train) or the whole part (val, test) when reported.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend';
import { classRecall } from './class-recall';
import { classWeightsFor } from './class-weights';
import { createEarlyStopper, type EarlyStopperState } from './early-stopping';
import { buildModel, describeModel } from './models';
import { createLrScheduler, type LrSchedulerState } from './schedules';
import { copyModelWeights, loadModelWeights, restoreSnapshot, saveModel, type WeightsCopy } from './snapshot';
import { isoWithOffset } from './time';
import { DenseStep } from './dense-step';
import { DivergedError, trainEpoch, type EmitEvent, type Loop } from './train-epoch';
import { BoundaryProbe } from './decision-boundary-model';
import {
  createTicker,
  disposePart,
  evaluate,
  makeOptimizer,
  setLearningRate,
  testResult,
  uploadPart,
  type UploadedPart,
} from './trainer-ops';
import type { DatasetSplit, EpochSnapshot, FinishStatus, InitialSnapshot, ModelSpec, ResumeFrom, TrainConfig, TrainingStep } from './types';

export interface TrainRequest {
  split: DatasetSplit;
  model: ModelSpec;
  config: TrainConfig;
  wasmPath: string;
  resume?: ResumeFrom;
}


/** Rows per inference batch for validation and test (MNIST-sized CNN activations fit). */
export const EVAL_BATCH_SIZE = 512;

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

function checkRequest({ split, config, resume }: TrainRequest): void {
  if (!Number.isInteger(config.epochs) || config.epochs < 1) throw new RangeError(`invalid number of epochs: ${config.epochs}`);
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new RangeError(`invalid batch size: ${config.batchSize}`);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) {
    throw new RangeError(`invalid learning rate: ${config.learningRate}`);
  }
  if (!Number.isFinite(config.weightDecay) || config.weightDecay < 0) throw new RangeError(`invalid weight decay: ${config.weightDecay}`);
  if (!Number.isInteger(config.saveFreq) || config.saveFreq < 1) throw new RangeError(`invalid checkpoint frequency: ${config.saveFreq}`);
  if (resume) {
    const { epoch, bestEpoch } = resume.state;
    if (!Number.isInteger(epoch) || epoch < 1 || epoch > config.epochs) {
      throw new RangeError(`cannot resume after epoch ${epoch} of a ${config.epochs}-epoch run`);
    }
    if (!Number.isInteger(bestEpoch) || bestEpoch < 0 || bestEpoch > epoch) throw new RangeError(`invalid best epoch to resume with: ${bestEpoch}`);
  }
  for (const part of ['train', 'val', 'test'] as const) {
    if (split[part].n < 1) throw new RangeError(`the ${part} split is empty: use more samples or a larger ${part} ratio`);
  }
}

/** Why the WebGPU device was lost, once it was (one run per worker, so one device to watch). */
let deviceLoss = '';

function webgpuDevice(): GPUDevice | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  return (tf.backend() as unknown as { device?: GPUDevice }).device;
}

/** Notes a loss of the run's WebGPU device; operations after it fail, and the run reports the loss. */
function watchDeviceLoss(): void {
  void webgpuDevice()?.lost.then((info) => (deviceLoss = info.message || info.reason || 'unknown reason'));
}

/** Destroys the WebGPU device (a simulated GPU reset, for tests); nothing on other backends. */
export function loseDevice(): void {
  webgpuDevice()?.destroy();
}

/**
 * Trains `req.model` on `req.split` and emits started, progress…, epoch (with its snapshot, awaited),
 * best…, then finished or failed. Never throws: errors become a 'failed' event. Aborting `signal`
 * stops after the current batch (or ends the wait for an epoch's emit); the test set is still
 * evaluated. With `req.resume` the model, the optimizer state, the scheduler and the early stopper
 * are restored from the snapshot and training goes on at resume.state.epoch + 1.
 */
export async function train(req: TrainRequest, emit: EmitEvent, signal: AbortSignal): Promise<void> {
  const startTime = isoWithOffset(new Date());
  const { split, config, resume } = req;
  const ticker = createTicker();
  let model: tf.LayersModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  const parts: UploadedPart[] = [];
  let boundary: BoundaryProbe | null = null; // a 2-feature model's decision boundary (decision-boundary-model.ts)
  let dense: DenseStep | null = null; // an MLP's training step outside tfjs's graph, on wasm
  let epoch = 0;
  try {
    checkRequest(req);
    const restored = resume?.state;
    const scheduler = createLrScheduler(config.learningRate, config.schedule, config.epochs, restored?.scheduler as LrSchedulerState | undefined);
    const stopper = createEarlyStopper(config.earlyStopping, restored?.stopper as EarlyStopperState | undefined);
    const shape = { spec: req.model, inputShape: split.inputShape, numClasses: split.classNames.length, batchSize: config.batchSize };
    const backend = await initBackend(config.backend, req.wasmPath, shape);
    watchDeviceLoss();
    const numClasses = split.classNames.length;
    // Configs from before class weights existed (a stored run resumed) train unweighted.
    const classWeights = classWeightsFor(config.classWeights ?? 'none', split.train.classCounts, split.classNames);
    model = buildModel(req.model, split.inputShape, numClasses, config.seed);
    optimizer = makeOptimizer(config.optimizer, config.learningRate);
    // Compiled only so that model.save({includeOptimizer}) writes the optimizer state; we train with minimize.
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let lastDone = 0; // last completed epoch
    let bestEpoch = 0;
    let best: WeightsCopy | null = null; // the best epoch's weights, for the test set
    if (resume && restored) {
      await restoreSnapshot(model, optimizer, resume.model);
      lastDone = restored.epoch;
      bestEpoch = restored.bestEpoch;
      if (resume.best) best = copyModelWeights(resume.best, bestEpoch);
      else if (bestEpoch === lastDone) best = copyModelWeights(resume.model, bestEpoch);
    }
    for (const key of ['train', 'val', 'test'] as const) parts.push(uploadPart(split[key], split.inputShape, numClasses, classWeights));
    const [trainPart, valPart, testPart] = parts;
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    dense = DenseStep.create(model, weights, config.batchSize, config.weightDecay);
    if (dense && !dense.accepts(trainPart)) {
      dense.dispose();
      dense = null;
    }
    boundary = BoundaryProbe.create(split);
    await boundary?.calibrate(model);
    const loop: Loop = {
      model,
      optimizer,
      weights,
      dense,
      train: trainPart,
      config,
      batchesPerEpoch: Math.ceil(trainPart.n / config.batchSize),
      emit,
      signal,
      tick: ticker.tick,
    };
    const layers = describeModel(model);
    // Taken before epoch 1 of a new run; a resumed run's model already holds later weights.
    const initial: InitialSnapshot | undefined = resume
      ? undefined
      : { model: await saveModel(model), resume: { epoch: 0, scheduler: scheduler.state(), stopper: stopper.state(), bestEpoch: 0 } };
    const trainingStep: TrainingStep = dense ? dense.describe() : { path: 'tfjs', threads: null, fma: null };
    await emit({ type: 'started', backend: { ...backend, trainingStep }, layers, totalParams: model.countParams(), epochs: config.epochs, batchesPerEpoch: loop.batchesPerEpoch, startTime, initial });

    const monitor = config.earlyStopping.monitor;
    let status: FinishStatus = 'completed';
    let reason = `completed ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`;
    let partial = false; // stopped inside an epoch: the weights moved after lastDone
    if (config.earlyStopping.enabled && stopper.state().stopped && lastDone < config.epochs) {
      status = 'early_stopped';
      reason = `early stopping: ${monitor} did not improve for ${config.earlyStopping.patience} epochs (best at epoch ${bestEpoch}); ${lastDone} of ${config.epochs} epochs run`;
      epoch = config.epochs + 1; // nothing left to train
    }
    for (epoch = Math.max(epoch, lastDone + 1); epoch <= config.epochs; epoch++) {
      if (signal.aborted) {
        [status, reason] = ['stopped', `stopped by the user after ${lastDone} of ${config.epochs} epochs`];
        break;
      }
      const learningRate = scheduler.lrForEpoch(epoch);
      setLearningRate(optimizer, config.optimizer, learningRate);
      const t0 = performance.now();
      const pass = await trainEpoch(loop, epoch, learningRate);
      if (!pass) {
        partial = true;
        [status, reason] = ['stopped', `stopped by the user during epoch ${epoch}; ${lastDone} of ${config.epochs} epochs completed`];
        break;
      }
      const trainLoss = pass.lossSum / pass.weightSum;
      if (!Number.isFinite(trainLoss)) throw new DivergedError(epoch, trainLoss);
      const val = await evaluate(model, valPart, EVAL_BATCH_SIZE, ticker.tick, false, true);
      if (!Number.isFinite(val.loss)) throw new DivergedError(epoch, val.loss);
      const valAcc = (100 * val.correct) / val.n;
      const seconds = (performance.now() - t0) / 1000;
      scheduler.observe(epoch, monitor === 'val_loss' ? val.loss : valAcc, monitor);
      const decision = stopper.observe(epoch, { valLoss: val.loss, valAcc });
      bestEpoch = decision.bestEpoch;
      lastDone = epoch;
      const saved = await saveModel(model);
      // A copy: the worker transfers saved.weightData to the page, which detaches it here.
      if (decision.improved) best = copyModelWeights(saved, epoch);
      const snapshot: EpochSnapshot = {
        model: saved,
        resume: { epoch, scheduler: scheduler.state(), stopper: stopper.state(), bestEpoch },
        isBest: decision.improved,
        isPeriodic: epoch % config.saveFreq === 0,
      };
      const metrics = {
        epoch,
        trainLoss,
        trainAcc: (100 * pass.correct) / trainPart.n,
        valLoss: val.loss,
        valAcc,
        learningRate,
        seconds,
        samplesPerSec: trainPart.n / pass.seconds,
        classRecall: val.classCorrect && classRecall(val.classCorrect, split.val.classCounts),
      };
      const grid = await boundary?.atEpoch(model, epoch, pass.seconds);
      await emit({ type: 'epoch', metrics, numTensors: tf.memory().numTensors, snapshot, ...(grid && { boundary: grid }) });
      if (decision.improved) await emit({ type: 'best', epoch, monitor, value: decision.bestValue });
      if (decision.stop && epoch < config.epochs) {
        status = 'early_stopped';
        reason =
          `early stopping: ${monitor} did not improve for ${config.earlyStopping.patience} epochs ` +
          `(best ${decision.bestValue} at epoch ${decision.bestEpoch}); ${epoch} of ${config.epochs} epochs run`;
        break;
      }
    }
    epoch = Math.min(epoch, config.epochs); // for a failure while testing
    // The final weights first, then (when they differ) the best epoch's: `test` is model selection.
    const tick = ticker.tick;
    const final = await testResult(model, testPart, split.test.y, numClasses, tick, EVAL_BATCH_SIZE);
    let test = final;
    let testEpoch = lastDone; // without best weights: the current ones (0: stopped inside epoch 1)
    if (best) {
      testEpoch = best.epoch;
      if (best.epoch !== lastDone || partial) {
        loadModelWeights(model, best);
        test = await testResult(model, testPart, split.test.y, numClasses, tick, EVAL_BATCH_SIZE);
      }
    }
    const finalTest = { loss: final.loss, accuracy: final.accuracy };
    const testWeights = best ? 'best' : 'final';
    // The map of the weights just tested (the best epoch's, else the last), with every point.
    const map = await boundary?.final(model, testEpoch, test.yPred);
    const tested = { ...test, rowIndex: split.test.indices.slice() }; // each test row's index into the dataset
    await emit({ type: 'finished', status, reason, test: tested, testEpoch, testWeights, finalTest, bestEpoch, endTime: isoWithOffset(new Date()), ...(map && { boundary: map }) });
  } catch (e) {
    const lostDevice = deviceLoss;
    if (lostDevice) {
      // What failed after the loss is a consequence of it: say what was lost.
      await emit({ type: 'failed', kind: 'device-lost', epoch, message: `the WebGPU device was lost (${lostDevice})`, endTime: isoWithOffset(new Date()), backend: 'webgpu' });
      return;
    }
    const kind = e instanceof DivergedError ? 'diverged' : 'error';
    const failedAt = e instanceof DivergedError ? e.epoch : epoch;
    await emit({ type: 'failed', kind, epoch: failedAt, message: errorMessage(e), endTime: isoWithOffset(new Date()) });
  } finally {
    ticker.close();
    parts.forEach(disposePart);
    boundary?.dispose();
    dense?.dispose();
    optimizer?.dispose();
    model?.dispose();
  }
}
