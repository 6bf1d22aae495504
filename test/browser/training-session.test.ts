// The page-side training session against a real worker and a real store.
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { TrainingSession } from '../../src/components/training-session';
import { RunStore } from '../../src/recorder/run-store';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import type { MlpSpec, TrainConfig } from '../../src/training/types';
import { moonsRun, quietHost, until } from '../helpers/session';

describe('TrainingSession', () => {
  const dbName = `session-test-${Date.now()}`;
  let store: RunStore;
  before(async () => (store = await RunStore.open(dbName)));
  after(async () => {
    store.close();
    await deleteDB(dbName);
  });

  it('Stop pressed while the run is still starting stops it, and the run is recorded as stopped', async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 200, backend: 'cpu' };
    const { split, init } = await moonsRun(model, config);
    const session = new TrainingSession(quietHost);
    session.store = store;
    const started = session.start(split, model, config, init);
    expect(session.phase).to.equal('starting');
    session.stop(); // the record is still being written: no worker yet
    await started;
    await until(() => session.phase === 'stopped', 'the run to stop');
    expect(session.history.length).to.be.lessThan(200);
    const runId = session.recording!.record.run_id;
    await until(async () => (await store.getRun(runId))?.status === 'stopped', 'the stopped record to be stored');
  });
});
