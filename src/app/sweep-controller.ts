// The Lab's sweeps: a sweep's runs train one after another through the Lab's own training session,
// each a full recorded run naming the sweep (`sweep_id`), while the sweep's record (sweep-store.ts)
// says which run is where. End sweep ends it after the current run; Stop stops the current run and
// ends it. The tab driving a sweep holds its lock: after a reload the sweep is found 'running' with
// nobody driving it, marked interrupted and offered again (resumed at once when the address still
// asks for it). Its interrupted run goes on through the Lab's Resume (run-continuation.ts), then the
// runs not started follow.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SweepPanelView } from '../components/tl-sweep-panel';
import { makeRunId } from '../recorder/recorder';
import type { RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import { SWEEP_SCHEMA_VERSION, type SweepRecord, type SweepRun } from '../recorder/sweep-record';
import { SweepStore, holdSweepLock } from '../recorder/sweep-store';
import { isoWithOffset } from '../training/time';
import { errorText } from '../units';
import { parseLabState, type LabState } from '../url-state';
import { describeSweep, sameSweep, type SweepPlan } from './sweep-definition';
import { timingOf } from './sweep-eta';
import { formPlan, sweepView, type FormPlan, type SweepState } from './sweep-view';
import type { TrainingSession } from './training-session';

/** What the sweep needs of the Lab. */
export interface SweepLab {
  readonly session: TrainingSession;
  labState(): LabState;
  runStore(): Promise<RunStore | undefined>;
  /** Shows a run's settings (its address) in the Lab. */
  show(query: string): void;
  /** true: the Lab can train what it shows; false: not yet (the data is being prepared); text: why it cannot. */
  readiness(): boolean | string;
  /** Starts what the Lab shows as a recorded run of `sweepId` (resolves once its record is stored and it is launched). */
  startRecorded(sweepId: string): Promise<void>;
  /** Continues a stored run (the Lab's Resume, or Restart when it stored no epoch). */
  continueStored(record: RunRecord): Promise<void>;
}

/** The wait for the Lab's data was cancelled: End sweep or Stop came first. */
class SweepEnded extends Error {
  override name = 'SweepEnded';
}

const nextRun = (r: SweepRecord): SweepRun | undefined => r.runs.find((x) => x.status === 'running') ?? r.runs.find((x) => x.status === 'pending');

export class SweepController implements ReactiveController {
  private readonly s: SweepState = { driving: false, ending: false, record: null, interrupted: null, epochs: [], timings: [], earlier: null, message: '', storeProblem: '' };
  private stopping = false;
  private store?: Promise<SweepStore>;
  private planned?: FormPlan;
  private readingEarlier = false;
  private waiter?: { sweepId: string; runId: string; resolve: (r: RunRecord | null) => void };
  private ready?: { resolve: () => void; reject: (e: Error) => void };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly lab: SweepLab,
    private readonly openStore: () => Promise<SweepStore> = () => SweepStore.open(),
  ) {
    host.addController(this);
  }

  /** A sweep is under way in this tab (Train and another sweep wait for it). */
  get active(): boolean { return this.s.driving; }
  /** The sweep this tab drives, or drove last. */
  get record(): SweepRecord | null { return this.s.record; }
  /** A sweep a closed tab left, offered to resume. */
  get interrupted(): SweepRecord | null { return this.s.interrupted; }

  private sweepStore(): Promise<SweepStore> {
    this.store ??= this.openStore().catch((e) => {
      this.set({ storeProblem: `Sweeps cannot be kept in this browser: ${errorText(e)}` });
      throw e;
    });
    return this.store;
  }

  private set(patch: Partial<SweepState>) {
    Object.assign(this.s, patch);
    this.host.requestUpdate();
  }

  /** The panel's view (the form's plan is made again only when the Lab's state changed). */
  view(lab: LabState, trainSamples: number | null, labBlocked: string): SweepPanelView {
    if (this.planned?.lab !== lab) this.planned = formPlan(lab);
    if (this.s.earlier === null && this.planned.plan && !this.readingEarlier) void this.readEarlier();
    const s = this.lab.session;
    const live = { running: s.running, samplesPerSec: s.progress?.samplesPerSec ?? null, etaSeconds: s.history.length ? (s.progress?.etaSeconds ?? null) : null };
    return sweepView(this.planned, this.s, live, trainSamples, labBlocked);
  }

  /** The plan of the Lab's form, as the panel shows it (null when it cannot start). */
  plan(lab: LabState): SweepPlan | null {
    if (this.planned?.lab !== lab) this.planned = formPlan(lab);
    return this.planned.plan;
  }

  /** Earlier runs: the first guess of a sweep's time. */
  private async readEarlier() {
    this.readingEarlier = true;
    try {
      const runs = await this.lab.runStore();
      const all = runs ? (await runs.listRuns()).runs : [];
      this.set({ earlier: all.filter((r) => r.origin.kind === 'lab' && r.status !== 'running') });
    } catch {
      this.set({ earlier: [] });
    }
  }

  /** Called with each stored record of the Lab's session. */
  onRunStored(r: RunRecord) {
    if (r.status !== 'running' && this.s.earlier) this.s.earlier = [r, ...this.s.earlier.filter((x) => x.run_id !== r.run_id)];
    const w = this.waiter;
    if (w && r.sweep_id === w.sweepId && r.run_id === w.runId && r.status !== 'running') {
      this.waiter = undefined;
      w.resolve(r);
    }
  }

  hostUpdated() {
    if (this.ready) {
      const r = this.lab.readiness();
      if (r === true) this.ready.resolve();
      else if (typeof r === 'string') this.ready.reject(new Error(r));
    }
    // A run that ended without a final record to come (it could not go on after a lost GPU device).
    const w = this.waiter;
    const s = this.lab.session;
    if (w && s.phase === 'error' && s.recording?.record.run_id === w.runId && s.recording.record.status === 'running') {
      this.waiter = undefined;
      w.resolve(null);
    }
  }

  /** Starts the sweep `plan` (the Lab's form on its settings). */
  async start(plan: SweepPlan | null): Promise<void> {
    if (!plan || this.s.driving || this.lab.session.running) return;
    this.set({ driving: true, message: '' });
    try {
      const store = await this.sweepStore();
      const now = new Date();
      const time = isoWithOffset(now);
      const { definition, runs } = plan;
      const { record, release } = await store.create(
        { schema_version: SWEEP_SCHEMA_VERSION, sweep_id: makeRunId('sweep', now), name: describeSweep(definition), created_at: time, updated_at: time,
          status: 'running', status_reason: '', definition, swept_keys: definition.params.map((p) => p.key), runs },
        holdSweepLock,
      );
      await this.drive(record, release);
    } catch (e) {
      this.set({ driving: false, message: `The sweep could not start: ${errorText(e)}` });
    }
  }

  /** After the run store marked orphaned runs: marks orphaned sweeps, offers the latest, resumes it when `resumeNow` says so. */
  async recover(resumeNow: (r: SweepRecord) => boolean): Promise<void> {
    try {
      const store = await this.sweepStore();
      await store.recoverInterrupted();
      const latest = (await store.list()).sweeps.find((x) => x.status === 'interrupted');
      if (!latest || this.s.driving) return;
      this.set({ interrupted: latest });
      if (resumeNow(latest)) await this.resume();
    } catch (e) {
      this.set({ message: `Interrupted sweeps could not be read: ${errorText(e)}` });
    }
  }

  /** Whether the Lab's form asks for `r` (the address of a tab reloaded mid-sweep). */
  asksFor(lab: LabState, r: SweepRecord): boolean {
    const plan = this.plan(lab);
    return !!plan && sameSweep(plan.definition, r.definition);
  }

  /** Resume sweep: the interrupted sweep goes on (its interrupted run first). */
  async resume(): Promise<void> {
    const r = this.s.interrupted;
    if (!r || this.s.driving || this.lab.session.running) return;
    this.set({ driving: true, message: '' });
    const release = holdSweepLock(r.sweep_id);
    try {
      const store = await this.sweepStore();
      const record = await store.update(r.sweep_id, (x) => (x.status === 'interrupted' ? { ...x, status: 'running', status_reason: 'resumed after an interruption' } : x));
      if (record.status !== 'running') throw new Error(`${r.sweep_id} is ${record.status}`);
      await this.drive(record, release);
    } catch (e) {
      void release();
      this.set({ driving: false, message: `The sweep could not resume: ${errorText(e)}` });
    }
  }

  /** End sweep: the sweep under way ends after its current run; an interrupted one is ended as it is. */
  async endSweep(): Promise<void> {
    if (this.s.driving) {
      this.set({ ending: true });
      this.ready?.reject(new SweepEnded());
      return;
    }
    const r = this.s.interrupted;
    if (!r) return;
    try {
      const ended = await this.save(r.sweep_id, (x) => ({ ...x, status: 'ended', status_reason: `ended after an interruption, ${x.runs.filter((y) => y.status === 'done').length} of ${x.runs.length} runs done` }));
      this.set({ interrupted: null, record: ended });
    } catch (e) {
      this.set({ message: `The sweep could not be ended: ${errorText(e)}` });
    }
  }

  /** Stop: the current run stops and the sweep ends. */
  stop() {
    this.stopping = true;
    this.ready?.reject(new SweepEnded());
    this.lab.session.stop();
    this.host.requestUpdate();
  }

  private async drive(record: SweepRecord, release: () => unknown): Promise<void> {
    this.stopping = false;
    this.set({ driving: true, ending: false, record, interrupted: null, timings: [], epochs: record.runs.map((r) => parseLabState(r.query).state.config.epochs) });
    try {
      const runs = await this.lab.runStore();
      if (!runs) throw new Error('runs cannot be recorded in this browser');
      for (const x of record.runs.filter((y) => y.status === 'done' && y.run_id)) {
        const t = await runs.getRun(x.run_id!).then((r) => r && timingOf(r), () => null);
        if (t) this.s.timings.push(t);
      }
      for (let run = nextRun(record); run && !this.s.ending && !this.stopping; run = nextRun(record)) record = await this.runOne(record, run, runs);
      record = await this.finish(record);
    } catch (e) {
      this.s.message = `The sweep could not go on: ${errorText(e)}`;
      record = await this.save(record.sweep_id, (x) => ({ ...x, status: 'failed', status_reason: errorText(e) })).catch(() => record);
    } finally {
      this.waiter = this.ready = undefined;
      void release();
      this.set({ driving: false, record });
    }
  }

  /** Trains `run` and notes how it went. */
  private async runOne(record: SweepRecord, run: SweepRun, runs: RunStore): Promise<SweepRecord> {
    let outcome: RunRecord | null = null;
    let reason = '';
    const t0 = performance.now(); // the run's time in this tab, preparation and saving included
    try {
      outcome = await this.train(record, run, runs);
    } catch (e) {
      if (e instanceof SweepEnded) return record;
      reason = errorText(e);
    }
    if (outcome) {
      const t = timingOf(outcome);
      if (t) this.s.timings.push({ ...t, wallSeconds: Math.max(t.wallSeconds, (performance.now() - t0) / 1000) });
      if (outcome.status === 'failed') reason = outcome.status_reason;
    } else reason ||= this.lab.session.message || 'the run ended without its results being saved';
    const failed = !outcome || outcome.status === 'failed';
    return this.saveRun(record.sweep_id, run.index, { status: failed ? 'failed' : 'done', run_id: outcome?.run_id ?? run.run_id, ...(reason ? { reason } : {}) });
  }

  /** The run's final record (null when it ended without one); throws when it could not start. */
  private async train(record: SweepRecord, run: SweepRun, runs: RunStore): Promise<RunRecord | null> {
    if (run.status === 'running') {
      // After a reload: the run the sweep was at (its record may not have been noted yet).
      const stored = run.run_id ? await runs.getRun(run.run_id) : (await runs.listRuns()).runs.find((r) => r.sweep_id === record.sweep_id && r.config.url_query === run.query && !record.runs.some((x) => x.run_id === r.run_id));
      if (stored?.status === 'interrupted') {
        if (!run.run_id) await this.saveRun(record.sweep_id, run.index, { run_id: stored.run_id });
        await this.lab.continueStored(stored);
        return this.awaitEnd(record.sweep_id, stored.run_id);
      }
      if (stored?.status === 'running') throw new Error(`${stored.run_id} is training in another tab`);
      if (stored) return stored; // it ended before the sweep could note it
    }
    this.lab.show(run.query);
    await new Promise<void>((resolve, reject) => {
      const done = () => (this.ready = undefined);
      this.ready = { resolve: () => (done(), resolve()), reject: (e) => (done(), reject(e)) };
      this.host.requestUpdate();
    });
    await this.lab.startRecorded(record.sweep_id);
    const s = this.lab.session;
    const runId = s.recording?.record.sweep_id === record.sweep_id ? s.recording.record.run_id : null;
    if (!runId) {
      s.stop(); // a sweep's run is recorded or not trained
      throw new Error(s.storageProblem || 'the run could not be recorded');
    }
    const end = this.awaitEnd(record.sweep_id, runId);
    await this.saveRun(record.sweep_id, run.index, { status: 'running', run_id: runId });
    return end;
  }

  private awaitEnd(sweepId: string, runId: string): Promise<RunRecord | null> {
    return new Promise((resolve) => (this.waiter = { sweepId, runId, resolve }));
  }

  private async finish(record: SweepRecord): Promise<SweepRecord> {
    const n = record.runs.length;
    const done = record.runs.filter((x) => x.status === 'done').length;
    const failed = record.runs.filter((x) => x.status === 'failed').length;
    const left = n - done - failed;
    const [status, reason] =
      this.stopping ? (['stopped', `stopped by you after ${done + failed} of ${n} runs`] as const)
      : left === 0 ? (['completed', `${done} of ${n} runs done${failed ? `, ${failed} failed` : ''}`] as const)
      : (['ended', `ended after ${done + failed} of ${n} runs`] as const);
    return this.save(record.sweep_id, (x) => ({ ...x, status, status_reason: reason }));
  }

  private saveRun(sweepId: string, index: number, patch: Partial<SweepRun>): Promise<SweepRecord> {
    return this.save(sweepId, (x) => ({ ...x, runs: x.runs.map((r) => (r.index === index ? { ...r, ...patch } : r)) }));
  }

  private async save(sweepId: string, change: (r: SweepRecord) => SweepRecord): Promise<SweepRecord> {
    const store = await this.sweepStore();
    const next = await store.update(sweepId, (x) => ({ ...change(x), updated_at: isoWithOffset(new Date()) }));
    if (this.s.record?.sweep_id === sweepId) this.set({ record: next });
    return next;
  }

  hostDisconnected() {
    this.ready?.reject(new SweepEnded());
  }
}
