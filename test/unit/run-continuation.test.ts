import { expect } from '@esm-bundle/chai';
import { continuationOf, labStateOf, prepareContinuation, trainConfigOf } from '../../src/app/run-continuation';
import { applyEvent, createRunRecord, markInterrupted, restartRecord } from '../../src/recorder/recorder';
import { snapshotRefs, withCheckpoints } from '../../src/recorder/checkpoint-refs';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { sha256OfDataset } from '../../src/recorder/dataset-hash';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import type { Dataset } from '../../src/training/types';
import { defaultLabState, parseLabState } from '../../src/url-state';
import { at, completedRecord, finished, makeInit, makeSnapshot, runEpochs, started } from '../helpers/run-fixtures';

const beforeFirstEpoch = (): LabRunRecord => markInterrupted(applyEvent(createRunRecord(makeInit()), started(), at(1)), at(60));
function afterEpochs(n: number): LabRunRecord {
  const r = runEpochs(n);
  return markInterrupted(withCheckpoints(r, snapshotRefs(r.run_id, makeSnapshot(n))), at(600));
}

describe('continuing a stored run', () => {
  it('interrupted before its first epoch was stored: Restart, never Resume; the record says so', () => {
    const r = beforeFirstEpoch();
    expect(continuationOf(r)).to.equal('restart');
    expect(r.status_reason).to.match(/before its first epoch was stored .*it can be restarted with the same configuration$/);
    expect(r.status_reason).not.to.match(/resumed/);
  });

  it('interrupted or stopped after stored epochs: Resume; completed, failed or imported: nothing', () => {
    expect(continuationOf(afterEpochs(3))).to.equal('resume');
    const stopped = applyEvent(runEpochs(3), finished('stopped', 3, 3), at(8));
    expect(continuationOf(withCheckpoints(stopped, snapshotRefs(stopped.run_id, makeSnapshot(3))))).to.equal('resume');
    expect(continuationOf(completedRecord())).to.equal(null);
    const imported = { ...afterEpochs(3), origin: { kind: 'imported', file: 'a.zip', path: '', format: 'trainlab', imported_at: '2026-12-01T10:00:00Z' } } as const;
    expect(continuationOf(imported)).to.equal(null);
    const stoppedAtTheEnd = applyEvent(runEpochs(10), finished('stopped', 10, 10), at(30));
    expect(continuationOf(withCheckpoints(stoppedAtTheEnd, snapshotRefs(stoppedAtTheEnd.run_id, makeSnapshot(10))))).to.equal(null, 'no epoch left');
  });

  it('restartRecord: the same run id, name, notes and tags, no history, models or results, running again', () => {
    const r = { ...beforeFirstEpoch(), notes: 'keep me', tags: ['a'] };
    const again = restartRecord(r, at(7200));
    expect(again).to.include({ run_id: r.run_id, run_name: r.run_name, notes: 'keep me', status: 'running', end_time: null, test: null, training_duration_seconds: 0 });
    expect(again.history).to.deep.equal([]);
    expect(again.checkpoints).to.deep.equal([]);
    expect(again.status_reason).to.match(/^restarted .* with the same configuration \(was interrupted: the tab/);
  });

  it('the Lab state and trainer configuration come from the typed stored configuration', () => {
    const r = completedRecord();
    const state = labStateOf(r, defaultLabState());
    expect(state.config).to.deep.equal(makeInit().config);
    expect(trainConfigOf(r.config)).to.deep.equal(makeInit().config);
    expect(state).to.deep.include({ dataset: 'spirals', model: 'mlp', autostart: false });
    expect(state.mlp).to.deep.equal(makeInit().model);
    expect(state.ratios).to.deep.equal({ train: r.config.train_ratio, val: r.config.val_ratio, test: r.config.test_ratio });
  });
});

describe('prepareContinuation', () => {
  const moons = (): Dataset => makeSynthetic('moons', { samples: 200, noise: 0.1, classes: 2, seed: 5 });

  async function moonsRecord(): Promise<LabRunRecord> {
    const ds = moons();
    const base = afterEpochs(2);
    return {
      ...base,
      config: { ...base.config, dataset: 'moons', synthetic: { samples: 200, noise: 0.1, classes: 2, seed: 5 }, url_query: 'dataset=iris&epochs=3&lr=0.5' },
      dataset: { ...base.dataset, id: 'moons', num_classes: 2, class_names: ds.classNames, sha256: await sha256OfDataset(ds), class_distribution: { train: [0, 0], val: [0, 0], test: [0, 0] } },
    };
  }

  it('uses the typed configuration, not the stored address (which may say something else)', async () => {
    const record = await moonsRecord();
    expect(parseLabState(record.config.url_query).state.dataset).to.equal('iris');
    const p = await prepareContinuation(record, defaultLabState());
    expect(p.how).to.equal('resume');
    expect(p.state.dataset).to.equal('moons');
    expect(p.config.learningRate).to.equal(record.config.learning_rate);
    expect(p.split.train.n + p.split.val.n + p.split.test.n).to.equal(200);
  });

  it('refuses other data with a readable error and leaves the current Lab state untouched', async () => {
    const record = { ...(await moonsRecord()), dataset: { ...(await moonsRecord()).dataset, sha256: 'ff'.repeat(32) } };
    const current = defaultLabState();
    const before = structuredClone(current);
    const error = await prepareContinuation(record, current).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/^the dataset is not the one mlp_\d{8}_\d{6} was trained on \(SHA-256 /);
    expect(current).to.deep.equal(before);
  });

  it('refuses a run with nothing to continue, and an imported run', async () => {
    expect((await prepareContinuation(completedRecord(), defaultLabState()).catch((e: Error) => e) as Error).message).to.match(/is completed: there is nothing to resume or restart/);
    const imported = { ...completedRecord(), status: 'interrupted' as const, origin: { kind: 'imported' as const, file: 'x.zip', path: '', format: 'trainlab' as const, imported_at: '2026-12-01T10:00:00Z' } };
    expect((await prepareContinuation(imported, defaultLabState()).catch((e: Error) => e) as Error).message).to.match(/imported from x\.zip: only runs trained in this lab/);
  });
});
