// Import run with its weights: a run folder as train.py writes it (a tfjs model saved by tfjs itself),
// picked as a folder or given as a zip, stored with its model in IndexedDB; bad weights store nothing.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { deleteDB } from 'idb';
import { importRunWithWeights, ImportRunError } from '../../src/app/import-weights';
import { refOf } from '../../src/recorder/checkpoint-refs';
import { RunStore } from '../../src/recorder/run-store';
import { completedRecord } from '../helpers/run-fixtures';
import { asFolder, asZip, PYTORCH_RUN_ID, runFolderFiles, savedFiles } from './pytorch-run-folder';

let dbName = '';
let store: RunStore;
let n = 0;
const now = new Date('2026-12-01T13:00:00Z');

beforeEach(async () => {
  dbName = `trainlab-import-weights-${Date.now()}-${n++}`;
  store = await RunStore.open(dbName);
});
afterEach(async () => {
  store.close();
  await deleteDB(dbName);
});

function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [2], units: 4, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

async function folderFiles() {
  const model = tinyModel();
  const saved = await savedFiles(model);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { files: runFolderFiles(completedRecord(), saved), weights };
}

describe('Import run (weights)', () => {
  for (const form of ['folder', 'zip'] as const) {
    it(`stores a PyTorch run ${form} with its best model, loadable by tfjs with the same weights`, async () => {
      const { files, weights } = await folderFiles();
      const given = form === 'folder' ? asFolder(files) : await asZip(files);
      const result = await importRunWithWeights(given, store, { now });
      expect(result.imported).to.equal(true);
      const stored = (await store.getRun(PYTORCH_RUN_ID))!;
      expect(stored.origin.kind).to.equal('imported');
      expect(stored.test?.test_accuracy).to.equal(77.5);
      const ref = refOf(stored, 'best')!;
      expect(ref.key).to.equal(`${PYTORCH_RUN_ID}/best`);
      const artifact = (await store.getArtifact(ref.key))!;
      const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifact.model.modelTopology as never, weightSpecs: artifact.model.weightSpecs as never, weightData: artifact.model.weightData }));
      expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).to.deep.equal(weights);
      loaded.dispose();
      // Deleting the run deletes its model too.
      await store.deleteRun(stored.run_id);
      expect(await store.getArtifact(ref.key)).to.equal(undefined);
    });
  }

  it('the same run given again is already there: nothing stored twice', async () => {
    const { files } = await folderFiles();
    await importRunWithWeights(asFolder(files), store, { now });
    const again = await importRunWithWeights(asFolder(files), store, { now });
    expect(again.imported).to.equal(false);
    expect((await store.listRuns()).runs).to.have.length(1);
  });

  it('a weights.bin that does not match model.json: a clear error, nothing stored', async () => {
    const { files } = await folderFiles();
    const bin = files.get('best_model/weights.bin') as Uint8Array;
    files.set('best_model/weights.bin', bin.slice(0, bin.length - 4));
    for (const given of [asFolder(files), await asZip(files)]) {
      let error: unknown;
      try {
        await importRunWithWeights(given, store, { now });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ImportRunError);
      expect((error as Error).message).to.equal(`best_model: the weights files hold ${bin.length - 4} bytes, model.json describes ${bin.length}`);
    }
    expect((await store.listRuns()).runs).to.have.length(0);
    expect((await store.usage({ rescan: true })).total).to.equal(0);
  });

  it('refuses a folder without best_model/model.json and a model.json that is no LayersModel', async () => {
    const { files } = await folderFiles();
    const without = new Map(files);
    without.delete('best_model/model.json');
    const bad = new Map(files).set('best_model/model.json', JSON.stringify({ modelTopology: [], weightsManifest: [] }));
    const messages: string[] = [];
    for (const f of [without, bad]) await importRunWithWeights(asFolder(f), store, { now }).catch((e: Error) => messages.push(e.message));
    expect(messages[0]).to.match(/^no best_model\/model\.json/);
    expect(messages[1]).to.match(/modelTopology is not a tfjs LayersModel topology/);
    expect((await store.listRuns()).runs).to.have.length(0);
  });
});
