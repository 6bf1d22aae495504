// How long a sweep will take. A run costs a fixed overhead (worker, backend, data upload, test
// evaluation, saving) plus its training samples (epochs × train samples) at the measured pace. Before
// a sweep starts, the pace is the latest earlier run on this backend and model kind (its epochs'
// times and its duration); once runs of the sweep finish, their own times replace it; while the
// first run trains, its live samples/s stands in. Pure: numbers in, numbers out.
import type { RunRecord } from '../recorder/run-record';
import type { BackendChoice, ModelKind } from '../training/types';

/** What one run measured: the samples it trained, the seconds its epochs took, and its whole duration. */
export interface RunTiming {
  samples: number;
  trainSeconds: number;
  wallSeconds: number;
}

/** Seconds per training sample and per run besides training; `runs`: how many runs measured it (0: a live guess). */
export interface Pace {
  secondsPerSample: number;
  overheadSeconds: number;
  runs: number;
}

/** A run's timing from its record (null when it trained no epoch or lacks the times). */
export function timingOf(r: RunRecord): RunTiming | null {
  const n = r.dataset.num_train_samples;
  if (!n || r.history.length === 0) return null;
  let trainSeconds = 0;
  for (const h of r.history) {
    const t = h.epoch_time_seconds ?? (h.samples_per_second ? n / h.samples_per_second : null);
    if (t === null || !(t > 0)) return null;
    trainSeconds += t;
  }
  const wall = r.training_duration_seconds ?? trainSeconds;
  return { samples: n * r.history.length, trainSeconds, wallSeconds: Math.max(wall, trainSeconds) };
}

/** The pace of `timings` taken together (null when there are none). */
export function paceOf(timings: readonly RunTiming[]): Pace | null {
  if (timings.length === 0) return null;
  const samples = timings.reduce((a, t) => a + t.samples, 0);
  const train = timings.reduce((a, t) => a + t.trainSeconds, 0);
  const overhead = timings.reduce((a, t) => a + (t.wallSeconds - t.trainSeconds), 0) / timings.length;
  return { secondsPerSample: train / samples, overheadSeconds: overhead, runs: timings.length };
}

/** A pace from a live samples/s alone (the first run of a sweep, before any run finished). */
export const livePace = (samplesPerSecond: number): Pace | null =>
  samplesPerSecond > 0 && Number.isFinite(samplesPerSecond) ? { secondsPerSample: 1 / samplesPerSecond, overheadSeconds: 0, runs: 0 } : null;

/**
 * The latest ended lab run trained as a sweep of `backend` (the automatic choice, or the forced
 * backend) and `kind` would be: the first guess of the pace.
 */
export function priorRun(runs: readonly RunRecord[], backend: BackendChoice, kind: ModelKind): RunRecord | undefined {
  let best: RunRecord | undefined;
  for (const r of runs) {
    if (r.origin.kind !== 'lab' || r.status === 'running' || r.config.model?.kind !== kind) continue;
    const same = backend === 'auto' ? r.config.backend_requested === 'auto' : r.environment?.backend === backend;
    if (!same || !timingOf(r)) continue;
    if (!best || Date.parse(r.start_time) > Date.parse(best.start_time)) best = r;
  }
  return best;
}

/** Seconds one run of `samples` training samples takes at `pace`. */
export const runSeconds = (samples: number, pace: Pace): number => pace.overheadSeconds + samples * pace.secondsPerSample;

/** Seconds the runs of `samples` (one entry per run) take at `pace`. */
export const planSeconds = (samples: readonly number[], pace: Pace): number => samples.reduce((a, s) => a + runSeconds(s, pace), 0);

/**
 * Seconds a sweep has left: the runs not started (`pending`, samples per run) at `pace`, plus the
 * current run's own ETA (from its measured epochs) or, before it measured one, its estimate. null
 * when there is nothing to estimate from yet.
 */
export function sweepSecondsLeft(pending: readonly number[], pace: Pace | null, current: { samples: number; etaSeconds: number | null } | null): number | null {
  const now = current === null ? 0 : (current.etaSeconds ?? (pace ? runSeconds(current.samples, pace) : null));
  const rest = pending.length === 0 ? 0 : pace ? planSeconds(pending, pace) : null;
  return now === null || rest === null ? null : now + rest;
}
