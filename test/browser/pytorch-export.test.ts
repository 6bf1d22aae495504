// Export as PyTorch from a stored run, in the page: a run trained through the real worker and store,
// its split rebuilt by the dataset worker as Resume rebuilds it, its stored initial weights, the zip.
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { unzipSync } from 'fflate';
import { pytorchExportInput } from '../../src/app/pytorch-export';
import { dataAccess, type DataAccess } from '../../src/app/run-continuation';
import { TrainingSession } from '../../src/app/training-session';
import { buildPytorchZip } from '../../src/export/pytorch/index';
import { refOf } from '../../src/recorder/checkpoint-refs';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { labRecord } from '../../src/recorder/run-record-validate';
import { RunStore } from '../../src/recorder/run-store';
import { DEFAULT_TRAIN_CONFIG } from '../../src/training/config';
import type { DatasetSplit, MlpSpec, TrainConfig } from '../../src/training/types';
import { moonsRun, quietHost, until } from '../helpers/session';

describe('Export as PyTorch of a stored run', () => {
  const dbName = `pytorch-export-test-${Date.now()}`;
  let store: RunStore;
  let record: LabRunRecord;
  let trained: DatasetSplit;
  const builtins = dataAccess(async () => undefined);

  before(async () => {
    store = await RunStore.open(dbName);
    const model: MlpSpec = { kind: 'mlp', hidden: [8], activation: 'tanh', dropout: 0 };
    const config: TrainConfig = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 3, backend: 'cpu' };
    const { split, init } = await moonsRun(model, config);
    trained = split;
    const session = new TrainingSession(quietHost);
    session.store = store;
    // The generator options moonsRun made its data with: the export rebuilds the data from them.
    await session.start(split, model, config, { ...init, synthetic: { samples: 200, noise: 0.1, classes: 2, seed: 1 } });
    const id = session.recording!.record.run_id;
    await until(async () => (await store.getRun(id))?.status === 'completed', 'the run to be stored as completed');
    record = labRecord((await store.getRun(id))!);
  });
  after(async () => {
    store.close();
    await deleteDB(dbName);
  });

  it('its split is rebuilt exactly (the dataset worker, as for Resume) and its initial weights are the stored ones', async () => {
    const steps: string[] = [];
    const input = await pytorchExportInput(store, record, builtins, (s) => steps.push(s));
    expect(steps).to.deep.equal(['Reading the run…', 'Rebuilding the run’s split…']);
    for (const part of ['train', 'val', 'test'] as const) {
      expect(Array.from(input.split[part].x), part).to.deep.equal(Array.from(trained[part].x));
      expect(Array.from(input.split[part].y), part).to.deep.equal(Array.from(trained[part].y));
    }
    expect(Array.from(input.split.standardization!.mean)).to.have.length(2);
    const stored = await store.getArtifact(refOf(record, 'initial')!.key);
    expect(input.initial).to.deep.equal(stored!.model);
    expect(input.topology).to.equal(null);

    const zip = unzipSync(new Uint8Array(await (await buildPytorchZip(input)).arrayBuffer()));
    const root = `${record.run_id}_pytorch`;
    // The model's weights, without the optimizer's iteration counter (an int32 scalar saved after them).
    expect(new Uint8Array(zip[`${root}/initial_model/weights.bin`])).to.deep.equal(new Uint8Array(stored!.model.weightData).slice(0, -4));
    expect(JSON.parse(new TextDecoder().decode(zip[`${root}/initial_model/model.json`])).weightsManifest[0].weights.map((w: { name: string }) => w.name))
      .to.deep.equal(['dense_1/kernel', 'dense_1/bias', 'output/kernel', 'output/bias']);
    const config = JSON.parse(new TextDecoder().decode(zip[`${root}/config.json`]));
    expect(config.config).to.deep.equal(record.config);
    expect(config.data.parts.test.n).to.equal(trained.test.n);
  });

  it('a run stored before initial weights were kept: the best snapshot gives the topology, train.py the initialisation', async () => {
    const old = { ...record, checkpoints: record.checkpoints.filter((c) => c.kind !== 'initial') };
    const input = await pytorchExportInput(store, old, builtins);
    expect(input.initial).to.equal(null);
    expect(input.topology).to.deep.equal((await store.getArtifact(refOf(record, 'best')!.key))!.model);
  });

  it('data that is not what the run trained on, and a run still training, are refused with the reason', async () => {
    const other: DataAccess = { prepare: async (r, s) => ({ ...(await builtins.prepare(r, s)), sha256: 'ff'.repeat(32) }) };
    const error = await pytorchExportInput(store, record, other).catch((e: Error) => e);
    expect((error as Error).message).to.match(new RegExp(`^the dataset is not the one ${record.run_id} was trained on \\(SHA-256 ffffffffffff… ≠ `));
    const running = await pytorchExportInput(store, { ...record, status: 'running' }, builtins).catch((e: Error) => e);
    expect((running as Error).message).to.equal(`${record.run_id} is still training: export it once it has ended`);
  });
});
