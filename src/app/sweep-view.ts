// What the sweep panel shows, from the Lab's state and the sweep controller's: the form's plan and
// its messages, the number of runs and the estimated time, and the progress of a sweep under way.
// Pure (the plan is cached by the caller: planning parses every run's address).
import type { SweepPanelView, SweepSummaryView } from '../components/tl-sweep-panel';
import type { RunRecord } from '../recorder/run-record';
import type { SweepRecord } from '../recorder/sweep-record';
import { runQueryOf, selectedModel, type LabState } from '../url-state';
import { SWEEP_KEYS, planSweep, type SweepErrors, type SweepPlan } from './sweep-definition';
import { defaultSweepForm, hasSweep } from './sweep-form';
import { livePace, paceOf, planSeconds, priorRun, sweepSecondsLeft, timingOf, type Pace, type RunTiming } from './sweep-eta';

const NO_ERRORS: SweepErrors = { params: [], repeats: '', draws: '', drawSeed: '', total: '' };

/** The form's plan on the Lab's settings, and the Lab's value of each sweepable key (what a new row starts with). */
export interface FormPlan {
  lab: LabState;
  plan: SweepPlan | null;
  count: number | null;
  errors: SweepErrors;
  current: Record<string, string>;
}

export function formPlan(lab: LabState): FormPlan {
  const written = new URLSearchParams(runQueryOf(lab));
  const current = Object.fromEntries(SWEEP_KEYS.flatMap((k) => (written.has(k) ? [[k, written.get(k)!]] : [])));
  if (!hasSweep(lab.sweep)) return { lab, plan: null, count: null, errors: NO_ERRORS, current };
  return { lab, ...planSweep(lab.sweep, lab), current };
}

/** What the sweep controller knows besides the form. */
export interface SweepState {
  driving: boolean;
  ending: boolean;
  record: SweepRecord | null; // the sweep this tab drives, or drove last
  interrupted: SweepRecord | null;
  epochs: number[]; // per run of `record`
  timings: RunTiming[]; // its finished runs'
  earlier: RunRecord[] | null; // earlier runs (null: not read yet)
  message: string;
  storeProblem: string;
}

/** The session's live figures of the run that trains now. */
export interface LiveRun {
  running: boolean;
  samplesPerSec: number | null;
  etaSeconds: number | null; // from its measured epochs; null before the first
}

const summary = (r: SweepRecord): SweepSummaryView => ({
  sweepId: r.sweep_id, name: r.name, status: r.status, reason: r.status_reason, total: r.runs.length,
  done: r.runs.filter((x) => x.status === 'done').length, failed: r.runs.filter((x) => x.status === 'failed').length,
});

function priorPace(lab: LabState, earlier: readonly RunRecord[] | null): { pace: Pace | null; basis: string } {
  if (earlier === null) return { pace: null, basis: 'until the earlier runs are read' };
  const prior = priorRun(earlier, lab.config.backend, selectedModel(lab).kind);
  const timing = prior && timingOf(prior);
  const pace = timing ? paceOf([timing]) : null;
  if (!prior || !pace) return { pace: null, basis: 'until the first run finishes (no earlier run on this backend to measure from)' };
  const perSec = Math.round(1 / pace.secondsPerSample).toLocaleString('en-US');
  return { pace, basis: `from ${prior.run_id}: ${perSec} samples/s on ${prior.environment?.backend ?? prior.config.device ?? 'its backend'}` };
}

/**
 * The panel's view. `labBlocked`: why the Lab cannot train what it shows ('' when it can);
 * `trainSamples`: the split's training samples (null while none).
 */
export function sweepView(p: FormPlan, s: SweepState, live: LiveRun, trainSamples: number | null, labBlocked: string): SweepPanelView {
  const { lab } = p;
  const prior = priorPace(lab, s.earlier);
  const samplesOf = (epochs: number) => epochs * (trainSamples ?? 0);
  const idle = !s.driving && !live.running;
  const blockedReason =
    s.driving ? 'A sweep is running: End sweep first.'
    : s.storeProblem ? s.storeProblem
    : !p.plan ? (hasSweep(lab.sweep) ? 'Fix the highlighted sweep settings.' : 'Add a parameter to sweep.')
    : live.running ? 'A run is training: wait for it to end.'
    : labBlocked;
  let etaSeconds = p.plan && prior.pace && trainSamples ? planSeconds(p.plan.epochs.map(samplesOf), prior.pace) : null;
  let etaBasis = prior.basis;
  let active: SweepPanelView['active'] = null;
  const r = s.record;
  if (s.driving && r) {
    const current = r.runs.find((x) => x.status === 'running') ?? r.runs.find((x) => x.status === 'pending');
    const own = paceOf(s.timings);
    const pace = own ?? (live.running && live.samplesPerSec ? livePace(live.samplesPerSec) : null) ?? prior.pace;
    const pending = r.runs.filter((x) => x.status === 'pending' && x !== current).map((x) => samplesOf(s.epochs[x.index] ?? 0));
    const now = current ? { samples: samplesOf(s.epochs[current.index] ?? 0), etaSeconds: live.running ? live.etaSeconds : null } : null;
    etaSeconds = trainSamples === null ? null : sweepSecondsLeft(pending, pace, now);
    etaBasis = own ? `from this sweep's ${own.runs} finished run${own.runs === 1 ? '' : 's'}` : prior.basis;
    const { done, failed } = summary(r);
    active = { sweepId: r.sweep_id, name: r.name, run: Math.min(r.runs.length, (current?.index ?? r.runs.length - 1) + 1), total: r.runs.length, done: done + failed, etaSeconds, ending: s.ending };
  }
  const configs = p.plan ? new Set(p.plan.runs.map((x) => x.config_index)).size : null;
  return {
    form: lab.sweep ?? defaultSweepForm(), keys: SWEEP_KEYS, current: p.current, errors: p.errors, count: p.count, configs,
    etaSeconds, etaBasis, blockedReason, resumeBlocked: idle ? s.storeProblem : 'A run is training: wait for it to end.',
    active, last: !s.driving && r ? summary(r) : null, interrupted: s.interrupted ? summary(s.interrupted) : null, message: s.message,
  };
}
