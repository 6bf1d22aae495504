// Learning-rate schedules: constant, step decay, cosine annealing and reduce-on-plateau.
// Pure: no DOM, no tfjs. The trainer asks `lrForEpoch(e)` before epoch e (1-based) and calls
// `observe(e, value, monitor)` after it; `state()` is plain JSON so a resumed run continues exactly.

import type { LrSchedule, Monitor } from './types';

export type LrScheduleKind = LrSchedule['kind'];
export const LR_SCHEDULE_KINDS = ['constant', 'step', 'cosine', 'plateau'] as const satisfies readonly LrScheduleKind[];

/** Default parameters of each kind, used when the user switches kind. */
export const DEFAULT_SCHEDULES = {
  constant: { kind: 'constant' },
  step: { kind: 'step', stepSize: 10, gamma: 0.5 },
  cosine: { kind: 'cosine', minLr: 0 },
  plateau: { kind: 'plateau', factor: 0.5, patience: 3, minLr: 0 },
} as const satisfies { [K in LrScheduleKind]: Extract<LrSchedule, { kind: K }> };

export interface LrSchedulerState {
  kind: LrScheduleKind;
  lr: number; // the rate for the next epoch (lastEpoch + 1)
  best: number | null; // best monitored value so far; null before the first finite observation
  badEpochs: number; // epochs since the last improvement (plateau), reset on each reduction
  reductions: number; // how many times plateau reduced the rate
  lastEpoch: number; // last observed epoch, 0 before any
}

export interface LrScheduler {
  lrForEpoch(epoch: number): number;
  observe(epoch: number, monitorValue: number, monitor: Monitor): void;
  state(): LrSchedulerState;
}

const fmt = (v: unknown): string => String(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Errors per field of the schedule (`stepSize`, `gamma`, `minLr`, `factor`, `patience`, `kind`); empty when valid. */
export function validateScheduleFields(s: LrSchedule): Record<string, string> {
  const errors: Record<string, string> = {};
  const minLr = (v: unknown): void => {
    if (!isNum(v) || v < 0) errors.minLr = `minimum learning rate must be ≥ 0 (got ${fmt(v)})`;
  };
  switch (s.kind) {
    case 'constant':
      break;
    case 'step':
      if (!Number.isInteger(s.stepSize) || s.stepSize < 1 || s.stepSize > 1000) {
        errors.stepSize = `step size must be an integer in 1..1000 epochs (got ${fmt(s.stepSize)})`;
      }
      if (!isNum(s.gamma) || s.gamma <= 0 || s.gamma > 1) errors.gamma = `gamma must be in (0, 1] (got ${fmt(s.gamma)})`;
      break;
    case 'cosine':
      minLr(s.minLr);
      break;
    case 'plateau':
      if (!isNum(s.factor) || s.factor <= 0 || s.factor >= 1) errors.factor = `factor must be in (0, 1) (got ${fmt(s.factor)})`;
      if (!Number.isInteger(s.patience) || s.patience < 1 || s.patience > 1000) {
        errors.patience = `plateau patience must be an integer in 1..1000 epochs (got ${fmt(s.patience)})`;
      }
      minLr(s.minLr);
      break;
    default:
      errors.kind = `schedule must be one of ${LR_SCHEDULE_KINDS.join(', ')} (got ${fmt((s as { kind: unknown }).kind)})`;
  }
  return errors;
}

/** The first problem with a schedule as one readable line, or null when it is valid. */
export function validateSchedule(s: LrSchedule): string | null {
  const messages = Object.values(validateScheduleFields(s));
  return messages.length ? messages.join('; ') : null;
}

const isBetter = (value: number, best: number | null, monitor: Monitor): boolean =>
  Number.isFinite(value) && (best === null || (monitor === 'val_loss' ? value < best : value > best));

export function createLrScheduler(
  base: number,
  schedule: LrSchedule,
  totalEpochs: number,
  restoredState?: LrSchedulerState,
): LrScheduler {
  if (!isNum(base) || base <= 0) throw new RangeError(`invalid learning rate: ${base}`);
  if (!Number.isInteger(totalEpochs) || totalEpochs < 1) throw new RangeError(`invalid number of epochs: ${totalEpochs}`);
  const problem = validateSchedule(schedule);
  if (problem) throw new RangeError(`invalid learning-rate schedule: ${problem}`);
  if (restoredState) checkState(restoredState, schedule.kind);

  let lr = restoredState?.lr ?? base; // plateau only: the current rate
  let best = restoredState?.best ?? null;
  let badEpochs = restoredState?.badEpochs ?? 0;
  let reductions = restoredState?.reductions ?? 0;
  let lastEpoch = restoredState?.lastEpoch ?? 0;

  const lrForEpoch = (epoch: number): number => {
    const e = Math.max(1, Math.floor(epoch));
    switch (schedule.kind) {
      case 'constant':
        return base;
      case 'step':
        return base * Math.pow(schedule.gamma, Math.floor((e - 1) / schedule.stepSize));
      case 'cosine': {
        if (totalEpochs === 1) return base;
        const t = Math.min(e - 1, totalEpochs - 1) / (totalEpochs - 1);
        return schedule.minLr + ((base - schedule.minLr) * (1 + Math.cos(Math.PI * t))) / 2;
      }
      case 'plateau':
        return lr;
    }
  };

  return {
    lrForEpoch,
    observe(epoch: number, monitorValue: number, monitor: Monitor): void {
      lastEpoch = epoch;
      if (isBetter(monitorValue, best, monitor)) {
        best = monitorValue;
        badEpochs = 0;
        return;
      }
      badEpochs++;
      if (schedule.kind === 'plateau' && badEpochs >= schedule.patience) {
        const reduced = Math.max(lr * schedule.factor, schedule.minLr);
        if (reduced < lr) {
          lr = reduced;
          reductions++;
        }
        badEpochs = 0;
      }
    },
    state: (): LrSchedulerState => ({
      kind: schedule.kind,
      lr: lrForEpoch(lastEpoch + 1),
      best,
      badEpochs,
      reductions,
      lastEpoch,
    }),
  };
}

function checkState(s: LrSchedulerState, kind: LrScheduleKind): void {
  const ok =
    s.kind === kind &&
    isNum(s.lr) &&
    s.lr > 0 &&
    (s.best === null || isNum(s.best)) &&
    Number.isInteger(s.badEpochs) &&
    s.badEpochs >= 0 &&
    Number.isInteger(s.reductions) &&
    s.reductions >= 0 &&
    Number.isInteger(s.lastEpoch) &&
    s.lastEpoch >= 0;
  if (!ok) throw new RangeError(`invalid learning-rate scheduler state for '${kind}': ${JSON.stringify(s)}`);
}
