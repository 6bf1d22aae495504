// The sweep controller against a real worker, a real run store and a real sweep store, driving a
// small Lab stand-in (the Lab's own start path, labRunInit, and its Resume path, prepareContinuation).
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { labRunInit } from '../../src/app/lab-run-init';
import { prepareContinuation } from '../../src/app/run-continuation';
import { SweepController, type SweepLab } from '../../src/app/sweep-controller';
import { planSweep, type SweepPlan } from '../../src/app/sweep-definition';
import { defaultSweepForm, type SweepForm } from '../../src/app/sweep-form';
import { TrainingSession } from '../../src/app/training-session';
import { markInterrupted } from '../../src/recorder/recorder';
import type { RunRecord } from '../../src/recorder/run-record';
import { RunStore } from '../../src/recorder/run-store';
import { SweepStore } from '../../src/recorder/sweep-store';
import { planArchitecture } from '../../src/training/architecture';
import { prepareBuiltinOffThread } from '../../src/training/datasets/dataset-client';
import type { BuiltinDatasetId } from '../../src/training/types';
import { parseLabState, selectedModel, splitSeedOf, type LabState } from '../../src/url-state';
import { until } from '../helpers/session';

const BASE = '?dataset=moons&samples=200&hidden=8&epochs=3&backend=cpu&save=1';

/** A host that runs its controllers' hostUpdated after each requested update, as a Lit element does. */
class Host implements ReactiveControllerHost {
  private readonly controllers: ReactiveController[] = [];
  private queued = false;
  updateComplete = Promise.resolve(true);
  addController(c: ReactiveController) {
    this.controllers.push(c);
  }
  removeController() {}
  requestUpdate() {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      for (const c of this.controllers) c.hostUpdated?.();
    });
  }
}

/** The Lab's part in a sweep, without its page: its state, its data and its training session. */
class TestLab implements SweepLab {
  readonly host = new Host();
  readonly session = new TrainingSession(this.host);
  readonly sweep: SweepController;
  state: LabState;
  shown: string[] = [];
  constructor(readonly store: RunStore, sweeps: SweepStore, base = BASE) {
    this.state = parseLabState(base).state;
    this.session.store = store;
    this.sweep = new SweepController(this.host, this, async () => sweeps);
    this.session.onRecordStored = (r) => this.sweep.onRunStored(r);
  }
  labState = () => this.state;
  runStore = async () => this.store;
  show(query: string) {
    this.shown.push(query);
    this.state = parseLabState(query).state;
  }
  readiness = () => true;
  async startRecorded(sweepId: string) {
    const s = this.state;
    const prepared = await prepareBuiltinOffThread({ id: s.dataset as BuiltinDatasetId, synthetic: s.synthetic, ratios: s.ratios, seed: splitSeedOf(s) });
    const split = prepared.split!;
    const model = selectedModel(s);
    const init = labRunInit({ ...prepared, dataFile: null }, split, s, planArchitecture(model, split.inputShape, split.classNames.length), sweepId);
    await this.session.start(split, model, s.config, init);
  }
  async continueStored(record: RunRecord) {
    const p = await prepareContinuation(record, this.state);
    await this.session.resume(p.record, p.split, p.model, p.config);
    this.state = p.state;
  }
}

const form = (params: string, repeats: number): SweepForm => ({
  ...defaultSweepForm(), repeats, params: params.split(';').map((p) => ({ key: p.split(':')[0], text: p.split(':')[1] })),
});
const planOf = (lab: TestLab, params: string, repeats: number): SweepPlan => planSweep(form(params, repeats), lab.state).plan!;

describe('SweepController', () => {
  const runDb = `sweep-runs-${Date.now()}`;
  const sweepDb = `sweep-sweeps-${Date.now()}`;
  let runs: RunStore;
  let sweeps: SweepStore;
  before(async () => {
    runs = await RunStore.open(runDb);
    sweeps = await SweepStore.open(sweepDb);
  });
  after(async () => {
    runs.close();
    sweeps.close();
    await deleteDB(runDb);
    await deleteDB(sweepDb);
  });
  const runsOf = async (sweepId: string) => (await runs.listRuns()).runs.filter((r) => r.sweep_id === sweepId);

  it('trains the runs one after another, each a recorded run of the sweep on the same split, and completes', async () => {
    const lab = new TestLab(runs, sweeps, `${BASE}&seed=5`);
    const plan = planOf(lab, 'lr:0.01|0.05', 2);
    const started = lab.sweep.start(plan);
    expect(lab.sweep.active).to.equal(true, 'active at once: a second Start does nothing');
    await lab.sweep.start(plan);
    await started;
    const record = lab.sweep.record!;
    expect(record.status).to.equal('completed');
    expect(record.status_reason).to.equal('4 of 4 runs done');
    expect(record.runs.map((r) => r.status)).to.deep.equal(['done', 'done', 'done', 'done']);
    expect(lab.shown).to.deep.equal(plan.runs.map((r) => r.query), 'each run shown in the Lab, in order');
    const stored = await runsOf(record.sweep_id);
    expect(stored).to.have.length(4);
    for (const planned of record.runs) {
      const r = stored.find((x) => x.run_id === planned.run_id)!;
      expect(r.status).to.equal('completed');
      expect(r.config.seed).to.equal(planned.seed);
      expect(r.config.split_seed).to.equal(5);
      expect(r.config.learning_rate).to.equal(Number(planned.values.lr));
      expect(r.config.url_query).to.equal(planned.query);
    }
    expect(new Set(stored.map((r) => JSON.stringify(r.dataset.class_distribution))).size).to.equal(1, 'one split for all');
    expect(await sweeps.get(record.sweep_id)).to.deep.equal(record);
    const view = lab.sweep.view(lab.state, 140, '');
    expect(view.active).to.equal(null);
    expect(view.last).to.deep.include({ sweepId: record.sweep_id, status: 'completed', done: 4, failed: 0, total: 4 });
  });

  it('End sweep ends it after the current run; the runs not started stay pending', async () => {
    const lab = new TestLab(runs, sweeps);
    const done = lab.sweep.start(planOf(lab, 'lr:0.01|0.02|0.03', 1));
    await until(() => lab.session.phase === 'running', 'the first run to train');
    const view = lab.sweep.view(lab.state, 140, '');
    expect(view.active).to.deep.include({ run: 1, total: 3, done: 0, ending: false });
    await lab.sweep.endSweep();
    expect(lab.sweep.view(lab.state, 140, '').active?.ending).to.equal(true);
    await done;
    const r = lab.sweep.record!;
    expect(r.status).to.equal('ended');
    expect(r.runs.map((x) => x.status)).to.deep.equal(['done', 'pending', 'pending']);
    expect((await runs.getRun(r.runs[0].run_id!))?.status).to.equal('completed', 'the current run finished');
  });

  it('Stop stops the current run and ends the sweep', async () => {
    const lab = new TestLab(runs, sweeps, BASE.replace('epochs=3', 'epochs=200'));
    const done = lab.sweep.start(planOf(lab, 'lr:0.01|0.02', 1));
    await until(() => lab.session.history.length >= 1, 'an epoch');
    lab.sweep.stop();
    await done;
    const r = lab.sweep.record!;
    expect(r.status).to.equal('stopped');
    expect(r.runs.map((x) => x.status)).to.deep.equal(['done', 'pending']);
    const run = (await runs.getRun(r.runs[0].run_id!))!;
    expect(run.status).to.equal('stopped');
    expect(run.history.length).to.be.lessThan(200);
  });

  it('a run that cannot start is noted as failed with the reason, and the sweep goes on', async () => {
    const lab = new TestLab(runs, sweeps);
    const plan = planOf(lab, 'lr:0.01|0.02', 1);
    let calls = 0;
    const start = lab.startRecorded.bind(lab);
    lab.startRecorded = async (id) => (++calls === 1 ? Promise.reject(new Error('the data could not be prepared')) : start(id));
    await lab.sweep.start(plan);
    const r = lab.sweep.record!;
    expect(r.runs.map((x) => [x.status, x.reason ?? ''])).to.deep.equal([['failed', 'the data could not be prepared'], ['done', '']]);
    expect(r.status).to.equal('completed');
    expect(r.status_reason).to.equal('1 of 2 runs done, 1 failed');
  });

  it('after a reload: the interrupted run resumes in its own record, then the runs not started follow', async () => {
    // A tab trained run 1 of a sweep, then closed during run 2 (one epoch of it stored).
    const first = new TestLab(runs, sweeps);
    const plan = planOf(first, 'lr:0.01|0.02;batch:16|32', 1);
    const stopAfterOne = first.session.onRecordStored!;
    first.session.onRecordStored = (rec) => {
      stopAfterOne(rec);
      if (rec.run_id === first.sweep.record?.runs[1].run_id && rec.history.length === 1 && first.session.running) first.sweep.stop();
    };
    await first.sweep.start(plan);
    const left = first.sweep.record!;
    const cut = (await runs.getRun(left.runs[1].run_id!))!;
    expect(cut.status).to.equal('stopped');
    // What the tab left: the sweep still 'running' (nobody holds its lock), its run 'running' with an interrupted record.
    await runs.putRun(markInterrupted({ ...cut, status: 'running' }, new Date()));
    await sweeps.put({ ...left, status: 'running', status_reason: '', runs: left.runs.map((r) => (r.index === 1 ? { ...r, status: 'running' } : r)) });

    const again = new TestLab(runs, sweeps, plan.runs[1].query);
    await again.sweep.recover((s) => s.sweep_id === left.sweep_id);
    await until(() => !again.sweep.active, 'the sweep to end', 120_000);
    const r = again.sweep.record!;
    expect(r.sweep_id).to.equal(left.sweep_id);
    expect(r.status).to.equal('completed');
    expect(r.runs.map((x) => x.status)).to.deep.equal(['done', 'done', 'done', 'done']);
    expect(r.runs[1].run_id).to.equal(cut.run_id, 'the interrupted run went on in its record');
    const resumed = (await runs.getRun(cut.run_id))!;
    expect(resumed.status).to.equal('completed');
    expect(resumed.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3]);
    expect(await runsOf(left.sweep_id)).to.have.length(4);
    expect(again.shown).to.deep.equal([plan.runs[2].query, plan.runs[3].query], 'only the runs not started were started afresh');
  });

  it('an interrupted sweep the address does not ask for is offered; End sweep ends it as it is', async () => {
    const lab = new TestLab(runs, sweeps);
    const plan = planOf(lab, 'lr:0.03|0.04', 1);
    const { record } = await sweeps.create({
      schema_version: 1, sweep_id: 'sweep_20261201_170000', name: 'left', created_at: '2026-12-01T17:00:00.000+01:00', updated_at: '2026-12-01T17:00:00.000+01:00',
      status: 'running', status_reason: '', definition: plan.definition, swept_keys: ['lr'], runs: plan.runs,
    });
    await lab.sweep.recover(() => false);
    expect(lab.sweep.interrupted?.sweep_id).to.equal(record.sweep_id);
    expect(lab.sweep.active).to.equal(false);
    expect(lab.sweep.view(lab.state, 140, '').interrupted).to.deep.include({ sweepId: record.sweep_id, done: 0, total: 2 });
    await lab.sweep.endSweep();
    expect((await sweeps.get(record.sweep_id))?.status).to.equal('ended');
    expect(lab.sweep.interrupted).to.equal(null);
    expect(lab.shown).to.deep.equal([]);
  });
});
