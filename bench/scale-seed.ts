// Seeds the lab's IndexedDB for bench/run-scale-bench.mjs and bench/run-export-bench.mjs:
// - __seedRuns(N): N stored runs, copies of a 30-epoch completed fixture record
//   (test/helpers/run-fixtures.ts) under distinct run ids and start times, each with its stored
//   snapshots (latest, best, periodic every 2nd epoch as the record's refs say) and its test
//   predictions, as the lab would have stored them. Written in a few large transactions (much faster
//   than training them).
// - __seedExportRun(): the export bench's MNIST-like 20-epoch run (test/fixtures/export-fixtures.ts)
//   with its predictions and MLP [128, 64] models (Adam state included) at epochs 5, 10, 15, 20 (the
//   last the best), stored through RunStore as the lab stores them.
// Bundled by the bench scripts and evaluated in the built site.
import { openDB } from 'idb';
import { applyEvent } from '../src/recorder/recorder';
import { RunStore, type StoredArtifact } from '../src/recorder/run-store';
import type { LabRunRecord } from '../src/recorder/run-record';
import type { SavedModel } from '../src/training/types';
import { mnistLikeRun } from '../test/fixtures/export-fixtures';
import { at, finished, makeSnapshot, runEpochs, TEST_RESULT } from '../test/helpers/run-fixtures';

const EPOCHS = 30;

function base(): LabRunRecord {
  return applyEvent(runEpochs(EPOCHS), finished('completed', EPOCHS, EPOCHS), at(2 * EPOCHS + 5));
}

/** Run `i` of the seeded set: its own id, name, start time (a minute apart, all in the past) and snapshot keys. */
function copy(record: LabRunRecord, i: number): LabRunRecord {
  const id = `seed_${String(i).padStart(5, '0')}`;
  const start = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString().replace('Z', '+00:00');
  const rekey = (key: string) => `${id}${key.slice(record.run_id.length)}`;
  return {
    ...structuredClone(record),
    run_id: id,
    run_name: `seeded run ${i}`,
    start_time: start,
    end_time: start,
    checkpoints: record.checkpoints.map((c) => ({ ...c, key: rekey(c.key) })),
  };
}

export async function seed(count: number): Promise<{ runs: number; ms: number }> {
  const t0 = performance.now();
  (await RunStore.open()).close(); // creates or upgrades the schema as the app does
  const db = await openDB('trainlab');
  const record = base();
  const snapshot = makeSnapshot(EPOCHS);
  const predictions = { yTrue: TEST_RESULT.yTrue, yPred: TEST_RESULT.yPred, probabilities: TEST_RESULT.probabilities, numClasses: 3 };
  const predictionBytes = predictions.yTrue.byteLength + predictions.yPred.byteLength + predictions.probabilities.byteLength;
  for (let from = 0; from < count; from += 100) {
    const tx = db.transaction(['runs', 'artifacts', 'predictions'], 'readwrite');
    const writes: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(count, from + 100); i++) {
      const r = copy(record, i);
      writes.push(tx.objectStore('runs').put(r, r.run_id));
      for (const c of new Map(r.checkpoints.map((c) => [c.key, c])).values()) {
        const artifact: StoredArtifact = { runId: r.run_id, epoch: c.epoch, model: snapshot.model, resume: { ...snapshot.resume, epoch: c.epoch }, bytes: c.bytes };
        writes.push(tx.objectStore('artifacts').put(artifact, c.key));
      }
      writes.push(tx.objectStore('predictions').put({ ...predictions, runId: r.run_id, bytes: predictionBytes }, r.run_id));
    }
    await Promise.all([...writes, tx.done]);
  }
  db.close();
  return { runs: count, ms: performance.now() - t0 };
}

/** A dense MLP's weights as stored (kernels, biases and Adam's two moments of each), filled with noise. */
function mlpModel(inputs: number, hidden: number[], classes: number): SavedModel {
  const dims = [inputs, ...hidden, classes];
  const weights = dims.slice(1).flatMap((units, i) => [
    { name: `dense_Dense${i + 1}/kernel`, shape: [dims[i], units] },
    { name: `dense_Dense${i + 1}/bias`, shape: [units] },
  ]);
  const specs = [
    ...weights.map((w) => ({ ...w, dtype: 'float32' })),
    ...['m', 'v'].flatMap((moment) => weights.map((w) => ({ name: `${w.name}/${moment}`, shape: w.shape, dtype: 'float32', group: 'optimizer' }))),
  ];
  const values = new Float32Array(specs.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0));
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 12.9898) * 0.1;
  return { modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightSpecs: specs, weightData: values.buffer, format: 'layers-model', generatedBy: 'TensorFlow.js' };
}

export async function seedExportRun(): Promise<{ runId: string; weightBytes: number }> {
  const { record, predictions } = mnistLikeRun();
  const model = mlpModel(28 * 28, [128, 64], 10);
  const store = await RunStore.open();
  try {
    let stored = record;
    for (const epoch of [5, 10, 15, 20]) {
      stored = await store.saveEpoch(stored, { ...makeSnapshot(epoch, { isBest: epoch === 20, isPeriodic: true }), model });
    }
    await store.saveFinal(stored, { ...predictions!, numClasses: 10 });
  } finally {
    store.close();
  }
  return { runId: record.run_id, weightBytes: model.weightData.byteLength };
}

Object.assign(globalThis, { __seedRuns: seed, __seedExportRun: seedExportRun });
