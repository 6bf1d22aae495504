// A full disk in the middle of a real training run: the session pauses the worker (no ack) with a
// message, nothing stored before is lost, and after space is freed "Retry saving" continues the run.
import { expect } from '@esm-bundle/chai';
import { TrainingSession } from '../../src/app/training-session';
import { RunStore } from '../../src/recorder/run-store';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import type { MlpSpec, TrainConfig } from '../../src/training/types';
import { moonsRun, quietHost, until } from '../helpers/session';
import { inFreshBucket, setQuota } from '../helpers/storage-quota';

describe('TrainingSession on a full disk', () => {
  afterEach(() => setQuota(null));

  it('pauses with a message, keeps what was stored, and continues after Retry saving', async () => {
    // ~4 MB of weights per snapshot: far more than the quota leaves.
    const model: MlpSpec = { kind: 'mlp', hidden: [1000, 1000], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 2, optimizer: 'sgd', learningRate: 0.01, backend: 'wasm', saveFreq: 1 };
    const { split, init } = await moonsRun(model, config);
    const { usage } = (await navigator.storage.estimate()) as { usage: number };
    await setQuota(usage + 1_000_000); // room for the record, not for a snapshot
    await inFreshBucket(async () => {
      const store = await RunStore.open('session-quota-test');
      try {
        const session = new TrainingSession(quietHost);
        session.store = store;
        await session.start(split, model, config, init);
        const runId = session.recording!.record.run_id;
        await until(() => session.phase === 'paused', 'the run to pause');
        expect(session.storageProblem).to.match(/^storage is full: could not save epoch 1 of /);
        expect(session.storageProblem).to.contain('Training is paused until this epoch is saved.');
        const stored = await store.getRun(runId);
        expect(stored?.status).to.equal('running');
        expect(stored?.history).to.have.length(0);
        await new Promise((r) => setTimeout(r, 300));
        expect(session.history).to.have.length(1, 'the worker waits: no second epoch while paused');

        await setQuota(null);
        session.retrySave();
        await until(() => session.phase === 'completed', 'the run to complete');
        await until(async () => (await store.getRun(runId))?.status === 'completed', 'the completed record to be stored');
        expect(session.storageProblem).to.equal('');
        const done = await store.getRun(runId);
        expect(done?.status).to.equal('completed');
        expect(done?.history.map((h) => h.epoch)).to.deep.equal([1, 2]);
        expect(done?.test?.test_accuracy).to.be.a('number');
      } finally {
        store.close();
      }
    });
  });
});
