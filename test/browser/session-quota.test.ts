// A full disk in the middle of a real training run: the session pauses the worker (no ack) with a
// message, nothing stored before is lost, and after space is freed "Retry saving" continues the run.
import { expect } from '@esm-bundle/chai';
import type { ReactiveControllerHost } from 'lit';
import { TrainingSession } from '../../src/components/training-session';
import { APP_VERSION } from '../../src/app-version';
import { sha256OfDataset } from '../../src/recorder/dataset-hash';
import { RunStore } from '../../src/recorder/run-store';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import { makeSynthetic } from '../../src/training/datasets/synthetic';
import { planArchitecture } from '../../src/training/architecture';
import { splitDataset } from '../../src/training/split';
import type { MlpSpec, TrainConfig } from '../../src/training/types';
import { inFreshBucket, setQuota } from '../helpers/storage-quota';

const host: ReactiveControllerHost = {
  addController() {},
  removeController() {},
  requestUpdate() {},
  updateComplete: Promise.resolve(true),
};

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  const t0 = performance.now();
  while (!(await probe())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('TrainingSession on a full disk', () => {
  afterEach(() => setQuota(null));

  it('pauses with a message, keeps what was stored, and continues after Retry saving', async () => {
    const ds = makeSynthetic('moons', { samples: 200, noise: 0.1, classes: 2, seed: 1 });
    const split = splitDataset(ds, { train: 0.7, val: 0.15, test: 0.15 }, 1, { standardize: true });
    // ~4 MB of weights per snapshot: far more than the quota leaves.
    const model: MlpSpec = { kind: 'mlp', hidden: [1000, 1000], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 2, optimizer: 'sgd', learningRate: 0.01, backend: 'wasm', saveFreq: 1 };
    const plan = planArchitecture(model, ds.inputShape, ds.classNames.length);
    const init = {
      split, datasetName: ds.name, datasetSource: ds.source, datasetSha256: await sha256OfDataset(ds), model, config,
      synthetic: null, standardized: true, urlQuery: '?dataset=moons', layers: plan.layers, totalParams: plan.totalParams,
      now: new Date(), userAgent: navigator.userAgent, appVersion: APP_VERSION, hardwareConcurrency: 2,
    };
    const { usage } = (await navigator.storage.estimate()) as { usage: number };
    await setQuota(usage + 1_000_000); // room for the record, not for a snapshot
    await inFreshBucket(async () => {
      const store = await RunStore.open('session-quota-test');
      try {
        const session = new TrainingSession(host);
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
