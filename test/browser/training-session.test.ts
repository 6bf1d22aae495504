// The page-side training session against a real worker and a real store.
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { TrainingSession } from '../../src/app/training-session';
import { RunStore } from '../../src/recorder/run-store';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import type { MlpSpec, TrainConfig } from '../../src/training/types';
import { moonsRun, quietHost, until } from '../helpers/session';
import { continuationOf } from '../../src/app/run-continuation';
import type { CheckpointRef, RunRecord } from '../../src/recorder/run-record';

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

  it('is still saving after the run finishes until the final record is stored: only then is the run done', async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 2, backend: 'cpu' };
    const { split, init } = await moonsRun(model, config);
    let releaseFinal!: () => void;
    const held = new Promise<void>((r) => (releaseFinal = r));
    const saveFinal = store.saveFinal.bind(store);
    store.saveFinal = async (...args) => (await held, saveFinal(...args));
    try {
      const session = new TrainingSession(quietHost);
      session.store = store;
      expect(session.saving).to.equal(false);
      await session.start(split, model, config, init);
      await until(() => session.phase === 'completed', 'the run to complete');
      const runId = session.recording!.record.run_id;
      expect(session.saving, 'the final record is not stored yet').to.equal(true);
      expect((await store.getRun(runId))?.status).to.equal('running');
      releaseFinal();
      await until(() => !session.saving, 'the final save to end');
      expect((await store.getRun(runId))?.status, 'done saving means stored').to.equal('completed');
    } finally {
      store.saveFinal = saveFinal;
    }
  });

  it('a final save that fails is not "saving": it waits for Retry saving, which stores it', async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 2, backend: 'cpu' };
    const { split, init } = await moonsRun(model, config);
    const saveFinal = store.saveFinal.bind(store);
    let failures = 1;
    store.saveFinal = async (...args) => {
      if (failures-- > 0) throw new Error('storage is full: could not save the final record');
      return saveFinal(...args);
    };
    try {
      const session = new TrainingSession(quietHost);
      session.store = store;
      await session.start(split, model, config, init);
      await until(() => session.waitingForRetry, 'the failed final write to wait');
      expect(session.phase).to.equal('completed');
      expect(session.saving, 'not "saving" while the error and Retry show').to.equal(false);
      expect(session.storageProblem).to.match(/^storage is full/);
      const runId = session.recording!.record.run_id;
      session.retrySave();
      await until(async () => (await store.getRun(runId))?.status === 'completed', 'the completed record after Retry');
      await until(() => !session.saving && !session.waitingForRetry, 'the save to end');
      expect(session.storageProblem).to.equal('');
    } finally {
      store.saveFinal = saveFinal;
    }
  });

  it('Resume of a run with no stored epoch fails with the reason and leaves the session idle; Restart runs it afresh in the same record', async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 3, backend: 'cpu' };
    const { split, init } = await moonsRun(model, config);
    // A run whose tab closed before its first epoch was stored.
    const { Recording } = await import('../../src/recorder/recording');
    const { markInterrupted } = await import('../../src/recorder/recorder');
    const begun = await Recording.begin(store, init);
    begun.end();
    const interrupted = markInterrupted(begun.record, new Date());
    await store.putRun(interrupted);

    const session = new TrainingSession(quietHost);
    session.store = store;
    const error = await session.resume(interrupted, split, model, config).catch((e: Error) => e);
    expect((error as Error).message).to.match(/has no stored snapshot to resume from/);
    expect(session.phase).to.equal('idle', 'not stuck in "starting"');
    expect(session.running).to.equal(false);

    await session.restart(interrupted, split, model, config);
    expect(session.recording!.record.status_reason).to.match(/^restarted .* with the same configuration/);
    await until(() => session.phase === 'completed', 'the restarted run to complete');
    await until(async () => (await store.getRun(interrupted.run_id))?.status === 'completed', 'the completed record');
    const done = await store.getRun(interrupted.run_id);
    expect(done?.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3]);
    expect((await store.listRuns()).runs.filter((r) => r.run_id === interrupted.run_id)).to.have.length(1);
  });

  it('Stop, Resume, Stop again, Resume, complete: one continuous history, each epoch once, in one record', async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 6, backend: 'cpu', saveFreq: 2 };
    const { split, init } = await moonsRun(model, config);
    const session = new TrainingSession(quietHost);
    session.store = store;
    // Stop as soon as the run has stored `epochs` epochs.
    const stopAfter = (epochs: number) => {
      session.onRecordStored = (r) => {
        if (r.history.length >= epochs && session.running) session.stop();
      };
    };
    stopAfter(2);
    await session.start(split, model, config, init);
    const runId = session.recording!.record.run_id;
    const settled = async (status: string) => {
      await until(async () => (await store.getRun(runId))?.status === status, `the run to be stored as ${status}`);
      return (await store.getRun(runId))!;
    };
    let stored = await settled('stopped');
    expect(continuationOf(stored)).to.equal('resume');
    const { labRecord } = await import('../../src/recorder/run-record-validate');
    stopAfter(4);
    await session.resume(labRecord(stored), split, model, config);
    stored = await settled('stopped');
    expect(stored.history.length).to.be.within(4, 5);
    session.onRecordStored = undefined;
    await session.resume(labRecord(stored), split, model, config);
    stored = await settled('completed');
    expect(stored.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect((await store.listRuns()).runs.filter((r) => r.run_id === runId)).to.have.length(1);
    expect(stored.test?.test_accuracy).to.be.a('number');
  });

  it('a lost GPU device: the run goes on on the next backend from its last stored epoch, and the record says both', async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    // Forced WebGPU (the automatic choice skips the software adapter); the loss comes after epoch 1 is stored.
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 3, backend: 'webgpu' };
    const { split, init } = await moonsRun(model, config);
    const session = new TrainingSession(quietHost);
    session.store = store;
    let lost = false;
    session.onRecordStored = (r) => {
      if (!lost && r.history.length === 1) {
        lost = true;
        session.loseDevice();
      }
    };
    await session.start(split, model, config, init);
    const runId = session.recording!.record.run_id;
    await until(async () => (await store.getRun(runId))?.status === 'completed', 'the run to complete on another backend', 180_000);
    const done = (await store.getRun(runId))!;
    expect(done.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3]);
    expect(done.environment?.backend).to.equal('webgl');
    expect(done.environment?.backend_switches).to.have.length(1);
    expect(done.environment?.backend_switches?.[0]).to.deep.include({ from: 'webgpu', to: 'webgl' });
    expect(done.environment?.backend_switches?.[0].after_epoch).to.be.within(1, 2);
    expect(done.environment?.backend_switches?.[0].reason).to.match(/^the WebGPU device was lost/);
    expect((await store.listRuns()).runs.filter((r) => r.run_id === runId)).to.have.length(1);
  });

  it('Stop pressed while an epoch is being stored: the events are stored in order, the final record keeps that epoch and its models', async () => {
    // A large model (about 3 MB of weights and Adam state per snapshot), and Stop pressed the moment
    // the first epoch's save begins: the worker's 'finished' arrives while that save is still writing.
    const model: MlpSpec = { kind: 'mlp', hidden: [512, 512], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 50, optimizer: 'adam', backend: 'wasm', saveFreq: 1 };
    const { split, init } = await moonsRun(model, config);
    const session = new TrainingSession(quietHost);
    let stopPressed = false;
    session.store = new Proxy(store, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key !== 'saveEpoch') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<RunStore['saveEpoch']>) => {
          if (!stopPressed) {
            stopPressed = true;
            session.stop();
            await new Promise((r) => setTimeout(r, 300)); // the real write of a large model, made slower still
          }
          return target.saveEpoch(...args);
        };
      },
    });
    await session.start(split, model, config, init);
    const runId = session.recording!.record.run_id;
    await until(() => session.phase === 'stopped', 'the run to stop');
    await until(async () => (await store.getRun(runId))?.status !== 'running', 'the final record to be stored', 30_000);
    await new Promise((r) => setTimeout(r, 500)); // a late write would land here
    const stored = await store.getRun(runId);
    expect(stored?.status).to.equal('stopped');
    expect(stored?.history.map((h) => h.epoch)).to.deep.equal([1]);
    expect(stored?.checkpoints.map((c) => `${c.kind}@${c.epoch}`).sort()).to.deep.equal(['best@1', 'initial@0', 'latest@1', 'periodic@1']);
    expect(stored?.test?.evaluated_epoch).to.equal(1);
    expect(session.recording!.record).to.deep.equal(stored, 'the in-memory record is the stored one');
  });

  it("stores the initial weights once (checkpoint 'initial', epoch 0): they stay through later epochs, a checkpoint clean-up and a resume", async () => {
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 5, backend: 'cpu', saveFreq: 1 };
    const { split, init } = await moonsRun(model, config);
    const session = new TrainingSession(quietHost);
    session.store = store;
    session.onRecordStored = (r) => {
      if (r.history.length >= 2 && session.running) session.stop();
    };
    await session.start(split, model, config, init);
    const runId = session.recording!.record.run_id;
    await until(async () => (await store.getRun(runId))?.status === 'stopped', 'the run to be stored as stopped');
    const initialOf = (r: RunRecord | undefined): CheckpointRef[] => r?.checkpoints.filter((c) => c.kind === 'initial') ?? [];
    const [ref] = initialOf(await store.getRun(runId));
    expect(ref).to.deep.include({ epoch: 0, key: `${runId}/initial`, with_optimizer: true });
    const artifact = await store.getArtifact(ref.key);
    expect(artifact?.model.weightSpecs.map((w) => w.name)).to.deep.equal(['dense_1/kernel', 'dense_1/bias', 'output/kernel', 'output/bias', 'iter']);
    expect(artifact?.resume.epoch).to.equal(0);
    const bytes = new Uint8Array(artifact!.model.weightData).slice();
    expect(ref.bytes).to.equal(artifact!.bytes);

    await store.deleteCheckpoints(runId, { keepBest: false, keepLatest: true });
    const { labRecord } = await import('../../src/recorder/run-record-validate');
    session.onRecordStored = undefined;
    await session.resume(labRecord((await store.getRun(runId))!), split, model, config);
    await until(async () => (await store.getRun(runId))?.status === 'completed', 'the resumed run to complete');
    const done = await store.getRun(runId);
    expect(initialOf(done), 'one initial ref, the same').to.deep.equal([ref]);
    const kept = await store.getArtifact(ref.key);
    expect(new Uint8Array(kept!.model.weightData), 'the weights of the first start, not the resumed ones').to.deep.equal(bytes);
  });
});
