import { expect } from '@esm-bundle/chai';
import { livePace, paceOf, planSeconds, priorRun, runSeconds, sweepSecondsLeft, timingOf } from '../../src/app/sweep-eta';
import type { LabEpochRecord, LabRunRecord, RunRecord } from '../../src/recorder/run-record';
import type { BackendName } from '../../src/training/types';
import { baseRecord } from '../fixtures/export-records';

/** A finished run: `epochs` epochs of `train` samples, each `epochSeconds` long, `overhead` seconds besides. */
function run(o: { id: string; epochs: number; train: number; epochSeconds: number; overhead: number; start?: string; backend?: BackendName; requested?: 'auto' | BackendName; kind?: 'mlp' | 'cnn' }): LabRunRecord {
  const history: LabEpochRecord[] = Array.from({ length: o.epochs }, (_, i) => ({
    epoch: i + 1, train_loss: 1, train_acc: 50, val_loss: 1, val_acc: 50, learning_rate: 0.01,
    epoch_time_seconds: o.epochSeconds, samples_per_second: o.train / o.epochSeconds,
  }));
  const r = baseRecord({ runId: o.id, classNames: ['a', 'b'], datasetName: 'Moons', inputShape: [2], hidden: [4], epochs: o.epochs, history, split: [o.train, 30, 30], status: 'completed', statusReason: '' });
  r.training_duration_seconds = o.epochs * o.epochSeconds + o.overhead;
  r.start_time = o.start ?? r.start_time;
  r.environment = { ...r.environment, backend: o.backend ?? 'wasm' };
  r.config = { ...r.config, backend_requested: o.requested ?? 'auto', model: o.kind === 'cnn' ? { kind: 'cnn', filters: [8], kernelSize: 3, dense: 16, activation: 'relu', dropout: 0 } : r.config.model };
  return r;
}

describe('sweep ETA', () => {
  it("a run's timing: its samples (epochs × train samples), its epochs' seconds and its whole duration", () => {
    expect(timingOf(run({ id: 'a', epochs: 4, train: 1000, epochSeconds: 0.5, overhead: 3 }))).to.deep.equal({ samples: 4000, trainSeconds: 2, wallSeconds: 5 });
    const none = run({ id: 'b', epochs: 1, train: 1000, epochSeconds: 1, overhead: 0 });
    none.history = [];
    expect(timingOf(none)).to.equal(null);
  });

  it('the pace of several runs; the seconds of a run and of a plan at that pace', () => {
    const pace = paceOf([
      { samples: 4000, trainSeconds: 2, wallSeconds: 5 },
      { samples: 2000, trainSeconds: 1, wallSeconds: 2 },
    ])!;
    expect(pace).to.deep.equal({ secondsPerSample: 3 / 6000, overheadSeconds: 2, runs: 2 });
    expect(runSeconds(1000, pace)).to.equal(2.5);
    expect(planSeconds([1000, 1000, 4000], pace)).to.equal(2.5 + 2.5 + 4);
    expect(paceOf([])).to.equal(null);
    expect(livePace(2000)).to.deep.equal({ secondsPerSample: 0.0005, overheadSeconds: 0, runs: 0 });
    expect(livePace(0)).to.equal(null);
  });

  it('the first guess is the latest ended run of this backend and model kind', () => {
    const runs: RunRecord[] = [
      run({ id: 'old-auto', epochs: 2, train: 100, epochSeconds: 1, overhead: 1, start: '2026-01-01T10:00:00.000+00:00' }),
      run({ id: 'new-auto', epochs: 2, train: 100, epochSeconds: 1, overhead: 1, start: '2026-01-03T10:00:00.000+00:00' }),
      run({ id: 'newer-cnn', epochs: 2, train: 100, epochSeconds: 1, overhead: 1, start: '2026-01-04T10:00:00.000+00:00', kind: 'cnn' }),
      run({ id: 'newer-cpu', epochs: 2, train: 100, epochSeconds: 1, overhead: 1, start: '2026-01-05T10:00:00.000+00:00', backend: 'cpu', requested: 'cpu' }),
      { ...run({ id: 'running', epochs: 2, train: 100, epochSeconds: 1, overhead: 1, start: '2026-01-06T10:00:00.000+00:00' }), status: 'running' },
      { ...run({ id: 'imported', epochs: 2, train: 100, epochSeconds: 1, overhead: 1, start: '2026-01-07T10:00:00.000+00:00' }), origin: { kind: 'imported', file: 'x.zip', path: '', format: 'trainlab', imported_at: '2026-01-07T10:00:00.000+00:00' } },
    ];
    expect(priorRun(runs, 'auto', 'mlp')?.run_id).to.equal('new-auto');
    expect(priorRun(runs, 'auto', 'cnn')?.run_id).to.equal('newer-cnn');
    expect(priorRun(runs, 'cpu', 'mlp')?.run_id).to.equal('newer-cpu');
    expect(priorRun(runs, 'webgpu', 'mlp')).to.equal(undefined);
  });

  it('time left: the runs not started at the pace, plus the current run (its own ETA once it measured an epoch)', () => {
    const pace = { secondsPerSample: 0.001, overheadSeconds: 1, runs: 1 };
    expect(sweepSecondsLeft([1000, 1000], pace, { samples: 1000, etaSeconds: null })).to.equal(6);
    expect(sweepSecondsLeft([1000, 1000], pace, { samples: 1000, etaSeconds: 0.5 })).to.equal(4.5);
    expect(sweepSecondsLeft([], pace, { samples: 1000, etaSeconds: 0.5 })).to.equal(0.5);
    expect(sweepSecondsLeft([], null, { samples: 1000, etaSeconds: 3 })).to.equal(3, 'the last run alone needs no pace');
    expect(sweepSecondsLeft([1000], null, { samples: 1000, etaSeconds: 3 })).to.equal(null, 'unknown until there is a pace');
    expect(sweepSecondsLeft([1000], pace, null)).to.equal(2);
  });

  it('an estimate refined by the runs of the sweep: 8 runs planned, 3 measured, 5 left', () => {
    // A first guess from an earlier run that trained twice as fast as this sweep turns out to.
    const prior = paceOf([timingOf(run({ id: 'p', epochs: 2, train: 1000, epochSeconds: 0.25, overhead: 1 }))!])!;
    const plan = Array(8).fill(2 * 1000);
    expect(planSeconds(plan, prior)).to.equal(8 * (1 + 0.5));
    const measured = [1, 2, 3].map((i) => timingOf(run({ id: `s${i}`, epochs: 2, train: 1000, epochSeconds: 0.5, overhead: 1 }))!);
    const refined = paceOf(measured)!;
    expect(sweepSecondsLeft(plan.slice(3), refined, null)).to.equal(5 * (1 + 1));
  });
});
