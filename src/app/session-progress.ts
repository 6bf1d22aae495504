// What the training controls show of a run in progress, and the pure rules behind it.
import type { DatasetSplit, EpochMetrics } from '../training/types';

export interface SessionProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
  etaSeconds: number;
  learningRate: number;
}

/** Progress at an epoch boundary (history not empty); ETA from the mean epoch time so far. */
export function progressAfterEpoch(history: readonly EpochMetrics[], epochs: number, batchesPerEpoch: number): SessionProgress {
  const last = history[history.length - 1];
  const meanSeconds = history.reduce((a, h) => a + h.seconds, 0) / history.length;
  return {
    epoch: last.epoch,
    epochs,
    batch: batchesPerEpoch,
    batchesPerEpoch,
    samplesPerSec: last.samplesPerSec,
    etaSeconds: (epochs - last.epoch) * meanSeconds,
    learningRate: last.learningRate,
  };
}

/** The same split: the same object, or one made again alike (a resumed run's split is rebuilt). */
export function sameSplit(a: DatasetSplit, b: DatasetSplit): boolean {
  if (a === b) return true;
  if (a.datasetId !== b.datasetId || a.seed !== b.seed || a.train.n !== b.train.n || a.test.n !== b.test.n) return false;
  return a.test.indices.every((row, i) => row === b.test.indices[i]);
}
