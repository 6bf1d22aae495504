// A run's decision boundary in the run store: stored with the final record (one transaction, in the
// `artifacts` store, not in the record), read back, counted in the run's bytes, deleted with the run
// (and by a restart); and the test rows' dataset indices kept with the predictions.
import { expect } from '@esm-bundle/chai';
import { freshRunStore } from '../helpers/fresh-run-store';
import type { RunStore } from '../../src/recorder/run-store';
import { boundaryBytes, boundaryKey } from '../../src/recorder/run-store-boundary';
import { gridFromProbabilities, type DecisionBoundary } from '../../src/training/decision-boundary';
import { saveRun } from '../helpers/saved-run';
import { TEST_RESULT } from '../helpers/run-fixtures';

let store: RunStore;
freshRunStore('trainlab-boundary', (s) => (store = s));

function boundary(seed: number): DecisionBoundary {
  const size = 4;
  const probs = Float32Array.from({ length: size * size * 3 }, (_, i) => ((i * 7 + seed) % 11) / 11);
  const n = 5;
  return {
    grid: gridFromProbabilities(probs, 3, { xMin: -1, xMax: 2, yMin: 0, yMax: 3 }, size, 2),
    points: { x: Float32Array.from({ length: n }, (_, i) => i + seed), y: new Float32Array(n), label: Int32Array.from([0, 1, 2, 0, 1]), part: Uint8Array.from([0, 0, 1, 2, 2]), predicted: Int32Array.from([-1, -1, -1, 0, 2]) },
  };
}

const predictions = () => ({ yTrue: TEST_RESULT.yTrue, yPred: TEST_RESULT.yPred, probabilities: TEST_RESULT.probabilities, numClasses: 3 });

describe('RunStore: decision boundary', () => {
  it('stores it with the final record, outside the record, and reads it back', async () => {
    const b = boundary(1);
    const final = await store.saveFinal(await saveRun(store, 1, 'r1'), predictions(), b);
    expect(await store.getDecisionBoundary('r1')).to.deep.equal(b);
    expect(JSON.stringify(await store.getRun('r1'))).not.to.contain('decision_boundary');
    expect(final.checkpoints.map((c) => c.key)).not.to.include(boundaryKey('r1')); // not a snapshot
    expect(await store.getDecisionBoundary('r2')).to.equal(undefined);
    await store.saveFinal(await saveRun(store, 1, 'r3'), predictions());
    expect(await store.getDecisionBoundary('r3')).to.equal(undefined);
  });

  it("counts in the run's bytes, and is deleted with the run (not with a run whose id starts the same)", async () => {
    const b = boundary(2);
    const a = await saveRun(store, 1, 'mlp_1');
    const other = await saveRun(store, 1, 'mlp_1_2');
    await store.saveFinal(other, predictions(), boundary(3));
    const before = (await store.usage({ rescan: true })).bytesByRun.mlp_1;
    const stored = await store.saveFinal(a, predictions(), b);
    const after = await store.usage();
    const rescanned = await store.usage({ rescan: true });
    expect(after.bytesByRun.mlp_1).to.equal(rescanned.bytesByRun.mlp_1);
    const predictionBytes = TEST_RESULT.yTrue.byteLength + TEST_RESULT.yPred.byteLength + TEST_RESULT.probabilities.byteLength;
    expect(after.bytesByRun.mlp_1 - before).to.equal(boundaryBytes(b) + predictionBytes + JSON.stringify(stored).length - JSON.stringify(a).length);
    await store.deleteRun('mlp_1');
    expect(await store.getDecisionBoundary('mlp_1')).to.equal(undefined);
    expect(await store.getDecisionBoundary('mlp_1_2')).to.deep.equal(boundary(3));
    expect((await store.usage({ rescan: true })).bytesByRun.mlp_1).to.equal(undefined);
  });

  it('a restart (deleteModels) drops it with the models', async () => {
    await store.saveFinal(await saveRun(store, 1, 'r'), null, boundary(4));
    await store.deleteModels('r');
    expect(await store.getDecisionBoundary('r')).to.equal(undefined);
  });

  it('is read for a backup with the run and restored with it, counted in its bytes', async () => {
    const b = boundary(6);
    await store.saveFinal(await saveRun(store, 1, 'r'), predictions(), b);
    const read = (await store.readRunForBackup('r'))!;
    expect(read.boundary).to.deep.equal(b);
    const snapshots = read.snapshots.map((x) => ({ key: x.key, artifact: x.artifact! }));
    await store.deleteRun('r');
    expect(await store.restoreRun(read.record, snapshots, read.predictions, read.boundary)).to.deep.equal({ restored: true });
    expect(await store.getDecisionBoundary('r')).to.deep.equal(b);
    expect((await store.usage()).bytesByRun.r).to.equal((await store.usage({ rescan: true })).bytesByRun.r);
  });

  it('refuses a damaged entry with a readable error', async () => {
    await store.saveFinal(await saveRun(store, 1, 'r'), null, { ...boundary(5), grid: { ...boundary(5).grid, classes: new Uint8Array(3) } });
    let error: unknown;
    await store.getDecisionBoundary('r').catch((e) => (error = e));
    expect((error as Error).message).to.equal('stored decision boundary of r is damaged');
  });
});

describe('RunStore: test rows keep their dataset index', () => {
  it('round-trips rowIndex with the predictions; runs stored before it read without one', async () => {
    const rowIndex = Int32Array.from(TEST_RESULT.yTrue, (_, i) => 100 + i);
    await store.saveFinal(await saveRun(store, 1, 'new'), { ...predictions(), rowIndex });
    expect((await store.getPredictions('new'))?.rowIndex).to.deep.equal(rowIndex);
    await store.saveFinal(await saveRun(store, 1, 'old'), predictions());
    const old = await store.getPredictions('old');
    expect(old).to.deep.equal(predictions());
    expect(old).not.to.have.property('rowIndex');
  });
});
