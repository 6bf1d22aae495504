// Early stopping on the monitored validation metric (Keras EarlyStopping semantics, min_delta 0):
// stop after `patience` epochs in a row without a strict improvement. When disabled it still
// tracks the best epoch and value, which the trainer needs, but never says stop. Pure: no tfjs.

import type { EarlyStopping, Monitor } from './types';

export interface EarlyStopperState {
  monitor: Monitor;
  bestEpoch: number; // 0 before the first finite observation
  bestValue: number | null; // null before the first finite observation
  wait: number; // epochs since the last improvement
  stopped: boolean;
}

export interface EarlyStopDecision {
  improved: boolean;
  stop: boolean;
  bestEpoch: number; // 0 while nothing finite was observed
  bestValue: number; // NaN while nothing finite was observed
}

export interface EarlyStopper {
  observe(epoch: number, metrics: { valLoss: number; valAcc: number }): EarlyStopDecision;
  state(): EarlyStopperState;
}

export function createEarlyStopper(es: EarlyStopping, restoredState?: EarlyStopperState): EarlyStopper {
  if (es.enabled && (!Number.isInteger(es.patience) || es.patience < 1)) {
    throw new RangeError(`invalid early-stopping patience: ${es.patience}`);
  }
  if (es.monitor !== 'val_loss' && es.monitor !== 'val_acc') throw new RangeError(`invalid monitor: ${String(es.monitor)}`);
  if (restoredState) checkState(restoredState, es.monitor);

  let bestEpoch = restoredState?.bestEpoch ?? 0;
  let bestValue = restoredState?.bestValue ?? null;
  let wait = restoredState?.wait ?? 0;
  let stopped = restoredState?.stopped ?? false;

  return {
    observe(epoch, metrics) {
      const value = es.monitor === 'val_loss' ? metrics.valLoss : metrics.valAcc;
      const improved =
        Number.isFinite(value) && (bestValue === null || (es.monitor === 'val_loss' ? value < bestValue : value > bestValue));
      if (improved) {
        bestEpoch = epoch;
        bestValue = value;
        wait = 0;
      } else {
        wait++;
      }
      if (es.enabled && wait >= es.patience) stopped = true;
      return { improved, stop: stopped, bestEpoch, bestValue: bestValue ?? NaN };
    },
    state: () => ({ monitor: es.monitor, bestEpoch, bestValue, wait, stopped }),
  };
}

function checkState(s: EarlyStopperState, monitor: Monitor): void {
  const ok =
    s.monitor === monitor &&
    Number.isInteger(s.bestEpoch) &&
    s.bestEpoch >= 0 &&
    (s.bestValue === null || Number.isFinite(s.bestValue)) &&
    Number.isInteger(s.wait) &&
    s.wait >= 0 &&
    typeof s.stopped === 'boolean';
  if (!ok) throw new RangeError(`invalid early-stopping state for '${monitor}': ${JSON.stringify(s)}`);
}
