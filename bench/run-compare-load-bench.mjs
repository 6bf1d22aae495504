// npm run bench:compare [-- --repeats=5] [--zips=50]
// Serves the repo with Vite and, in headless Chromium, times loading 50 MNIST run.zips (~8 MB each)
// into the Compare view: importFiles (only their JSON/CSV/TXT entries are read), first (cold) and
// median, then storing the 50 records in IndexedDB as the page does. The JSON also goes to
// test-results/bench-compare-load.json. A benchmark only: no test depends on its timings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cliArgs, pageResult } from './page-result.mjs';

const GOAL_MS = 3000;
const query = new URLSearchParams(cliArgs()).toString();
const r = await pageResult(`/bench/compare-load.html?${query}`, '__compareLoadBench');
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-compare-load.json', JSON.stringify(r, null, 2));
if (r.error) throw new Error(r.error);
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
console.log(
  `compare load: ${r.zips} run.zips (${mb(r.zipBytes)}, ${mb(r.zipBytesEach)} each) → ${r.zips} records: ` +
    `first (cold) ${r.firstMs.toFixed(0)} ms, median of ${r.runs.length} ${r.medianMs.toFixed(0)} ms ` +
    `(${r.msPerZip.toFixed(1)} ms/zip; goal < ${GOAL_MS} ms: ${r.medianMs < GOAL_MS ? 'met' : 'missed'}); ` +
    `read ${kib(r.bytesRead)} of the zips in ${r.blobReads} reads`,
);
console.log(`IndexedDB: storing the ${r.zips} records: first ${r.store.firstMs.toFixed(0)} ms, median ${r.store.medianMs.toFixed(0)} ms (+ open ${r.store.openMedianMs.toFixed(0)} ms)`);
