// Seeds the lab's IndexedDB for the Compare view benchmark (bench/compare-view-bench.mjs): N stored
// run records, the sweep of test/fixtures/compare-sweep.ts (5 seeds of each setting: the default
// grouping makes N / 5 groups). Records only: Compare reads nothing else. Bundled by the bench
// script and evaluated in the built site.
import { openDB } from 'idb';
import { RunStore } from '../src/recorder/run-store';
import { sweepRecords } from '../test/fixtures/compare-sweep';

export async function seedSweep(count: number): Promise<{ runs: number; ids: string[]; ms: number }> {
  const t0 = performance.now();
  const records = sweepRecords(count);
  (await RunStore.open()).close(); // creates or upgrades the schema as the app does
  const db = await openDB('trainlab');
  const tx = db.transaction('runs', 'readwrite');
  await Promise.all([...records.map((r) => tx.objectStore('runs').put(r, r.run_id)), tx.done]);
  db.close();
  return { runs: count, ids: records.map((r) => r.run_id), ms: performance.now() - t0 };
}

(globalThis as unknown as { __seedSweep: typeof seedSweep }).__seedSweep = seedSweep;
