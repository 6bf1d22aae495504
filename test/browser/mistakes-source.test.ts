// A stored run's mistakes gallery: predictions from the store, data rebuilt and checked as Resume
// rebuilds it, test rows found by the stored row indices; older runs get the plain message.
import { expect } from '@esm-bundle/chai';
import { freshRunStore } from '../helpers/fresh-run-store';
import { sampleOf, STORED_BEFORE_ROWS } from '../../src/app/mistakes';
import { storedMistakes } from '../../src/app/mistakes-source';
import { dataAccess } from '../../src/app/run-continuation';
import { applyEvent } from '../../src/recorder/recorder';
import type { LabRunRecord } from '../../src/recorder/run-record';
import type { RunStore } from '../../src/recorder/run-store';
import { prepareBuiltinOffThread } from '../../src/training/datasets/dataset-client';
import { at, finished, makeInit, runEpochs } from '../helpers/run-fixtures';

const synthetic = { samples: 300, noise: 0.1, classes: 3, seed: 7 };
const ratios = { train: 0.7, val: 0.15, test: 0.15 };
const data = dataAccess(async () => undefined);
let store: RunStore;
freshRunStore('trainlab-mistakes', (s) => (store = s));

/** A finished spirals run whose every fifth test row is predicted as the next class. */
async function storedRun(opts: { rows: boolean; sha256?: string }) {
  const made = await prepareBuiltinOffThread({ id: 'spirals', synthetic, ratios, seed: 3 });
  const split = made.split!;
  const init = makeInit({ split, datasetSha256: opts.sha256 ?? made.sha256, synthetic });
  const record: LabRunRecord = applyEvent(runEpochs(2, 99, init), finished('completed', 2, 2), at(10));
  const yTrue = Int32Array.from(split.test.y);
  const yPred = Int32Array.from(yTrue, (y, i) => (i % 5 === 0 ? (y + 1) % 3 : y));
  const probabilities = new Float32Array(yTrue.length * 3).fill(0.2);
  yPred.forEach((y, i) => (probabilities[i * 3 + y] = 0.6));
  await store.putRun(record);
  await store.saveFinal(record, { yTrue, yPred, probabilities, numClasses: 3, ...(opts.rows ? { rowIndex: Int32Array.from(split.test.indices) } : {}) });
  return { record: (await store.getRun(record.run_id))!, made };
}

describe('a stored run\'s mistakes', () => {
  it('lists the misclassified test rows with their points, found in the rebuilt dataset by row index', async () => {
    const { record, made } = await storedRun({ rows: true });
    const g = (await storedMistakes(record, store, data))!;
    expect(g.unavailable).to.equal('');
    expect(g.mistakes.map((m) => m.position)).to.deep.equal(Array.from({ length: Math.ceil(made.split!.test.n / 5) }, (_, i) => 5 * i));
    const m = g.mistakes[1];
    expect(m.rowIndex).to.equal(made.split!.test.indices[5]);
    expect(Array.from(sampleOf(g.samples!, m)!)).to.deep.equal(Array.from(made.dataset.features.subarray(2 * m.rowIndex!, 2 * m.rowIndex! + 2)));
  });

  it('says a run stored before its test rows were recorded has no gallery', async () => {
    const { record } = await storedRun({ rows: false });
    const g = (await storedMistakes(record, store, data))!;
    expect(g).to.deep.include({ samples: null, unavailable: STORED_BEFORE_ROWS });
    expect(g.mistakes.length).to.be.greaterThan(0);
  });

  it('says why when the data cannot be rebuilt as the run had it', async () => {
    const { record } = await storedRun({ rows: true, sha256: 'cd'.repeat(32) });
    const g = (await storedMistakes(record, store, data))!;
    expect(g.samples).to.equal(null);
    expect(g.unavailable).to.match(/is not the one .* was trained on .*: no gallery\.$/);
  });
});
