// Seeds the lab's IndexedDB with N stored runs for bench/run-scale-bench.mjs: copies of a 30-epoch
// completed fixture record (test/helpers/run-fixtures.ts) under distinct run ids and start times,
// each with its stored snapshots (latest, best, periodic every 2nd epoch as the record's refs say)
// and its test predictions, as the lab would have stored them. Written in a few large transactions
// (much faster than training them). Bundled by the bench script and evaluated in the built site.
import { openDB } from 'idb';
import { applyEvent } from '../src/recorder/recorder';
import { RunStore, type StoredArtifact } from '../src/recorder/run-store';
import type { LabRunRecord } from '../src/recorder/run-record';
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

(globalThis as unknown as { __seedRuns: typeof seed }).__seedRuns = seed;
