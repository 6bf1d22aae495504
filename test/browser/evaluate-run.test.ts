// Evaluate on the test split: an imported run's stored model, run in its own worker on the test split
// rebuilt from the browser run's data (or from the imported config), scores what tfjs on this page
// computes directly with the same model on the same split.
import { expect } from '@esm-bundle/chai';
import { freshRunStore } from '../helpers/fresh-run-store';
import * as tf from '@tensorflow/tfjs';
import { evaluateRun, evaluationSource, evaluationText } from '../../src/app/evaluate-run';
import { importRunWithWeights } from '../../src/app/import-weights';
import { dataAccess } from '../../src/app/run-continuation';
import { applyEvent } from '../../src/recorder/recorder';
import type { LabRunRecord, RunRecord } from '../../src/recorder/run-record';
import type { RunStore } from '../../src/recorder/run-store';
import { prepareBuiltinOffThread } from '../../src/training/datasets/dataset-client';
import type { DatasetSplit } from '../../src/training/types';
import { at, finished, makeInit, runEpochs, TEST_RESULT } from '../helpers/run-fixtures';
import { asFolder, runFolderFiles, savedFiles } from './pytorch-run-folder';

const synthetic = { samples: 300, noise: 0.1, classes: 3, seed: 7 };
const ratios = { train: 0.7, val: 0.15, test: 0.15 };
const data = dataAccess(async () => undefined);
let store: RunStore;
freshRunStore('trainlab-evaluate', (s) => (store = s));

/** A browser run on real spirals data (its split and SHA-256 as the lab makes them), a model trained a little, and the PyTorch run imported. */
async function setUp(): Promise<{ lab: LabRunRecord; imported: RunRecord; split: DatasetSplit; model: tf.LayersModel }> {
  const made = await prepareBuiltinOffThread({ id: 'spirals', synthetic, ratios, seed: 3 });
  const split = made.split!;
  const init = makeInit({ split, datasetSha256: made.sha256, synthetic });
  const lab = applyEvent(runEpochs(4, 99, init), finished('completed', 4, 4), at(10));
  await store.putRun(lab);
  const model = tf.sequential();
  // Seeded: an unlucky random start left the model under 50 % now and then.
  model.add(tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  const [x, y] = [tf.tensor2d(split.train.x, [split.train.n, 2]), tf.tensor1d(split.train.y, 'float32')];
  await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
  tf.dispose([x, y]);
  const result = await importRunWithWeights(asFolder(runFolderFiles(lab, await savedFiles(model))), store, { now: new Date() });
  if (!result.imported) throw new Error('not imported');
  return { lab, imported: result.record, split, model };
}

/** The test accuracy computed here, on the page, with tfjs directly (percent). */
function accuracyOnPage(model: tf.LayersModel, split: DatasetSplit): number {
  const predicted = tf.tidy(() => (model.predict(tf.tensor2d(split.test.x, [split.test.n, 2])) as tf.Tensor).argMax(-1).dataSync());
  let right = 0;
  predicted.forEach((p, i) => (right += p === split.test.y[i] ? 1 : 0));
  return (100 * right) / split.test.n;
}

describe('Evaluate on the test split', () => {
  it('the worker scores what tfjs on the page scores; the browser run it was exported from is named', async () => {
    const { lab, imported, split, model } = await setUp();
    expect(evaluationSource(imported, [lab, imported])?.kind).to.equal('lab');
    const e = await evaluateRun(imported, store, data);
    const expected = accuracyOnPage(model, split);
    expect(expected).to.be.above(50); // the model learnt something: a wrong row order would show
    expect(e.accuracy).to.be.closeTo(expected, 1e-9);
    expect(e.n).to.equal(split.test.n);
    expect(e.recorded).to.equal(77.5);
    expect(e.browser).to.deep.equal({ run_id: lab.run_id, accuracy: TEST_RESULT.accuracy });
    expect(evaluationText(e)).to.equal(`Test accuracy here: ${expected.toFixed(2)} % on ${split.test.n} samples (recorded: 77.50 %; the browser run ${lab.run_id}: 66.67 %)`);
    model.dispose();
  });

  it('without the browser run, a built-in set is rebuilt from the imported config and scores the same', async () => {
    const { lab, imported, split, model } = await setUp();
    await store.deleteRun(lab.run_id);
    expect(evaluationSource(imported, [imported])?.kind).to.equal('builtin');
    const e = await evaluateRun(imported, store, data);
    expect(e.accuracy).to.be.closeTo(accuracyOnPage(model, split), 1e-9);
    expect(e.browser).to.equal(null);
    model.dispose();
  });

  it('data that is not the recorded data is refused; a run without a stored model offers nothing', async () => {
    const { lab, imported, model } = await setUp();
    await store.deleteRun(lab.run_id);
    const other = { ...imported, config: { ...imported.config, extra: { ...imported.config.extra, synthetic: JSON.stringify({ ...synthetic, seed: 8 }) } } };
    let message = '';
    await evaluateRun(other, store, data).catch((e: Error) => (message = e.message));
    expect(message).to.match(/^the dataset is not the one mlp_20261201_120000 was trained on \(SHA-256/);
    expect(evaluationSource({ ...imported, checkpoints: [] }, [])).to.equal(null);
    model.dispose();
  });
});
