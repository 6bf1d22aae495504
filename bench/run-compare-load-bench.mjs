// npm run bench:compare [-- --repeats=5] [--zips=50] [--runs=200] [--view-repeats=3] [--only=load|view] [--no-build]
// 1. load: serves the repo with Vite and, in headless Chromium, times loading 50 MNIST run.zips
//    (~8 MB each) into the Compare view: importFiles (only their JSON/CSV/TXT entries are read),
//    first (cold) and median, then storing the 50 records in IndexedDB as the page does.
// 2. view: on the built site, opens Compare with --runs stored runs and changes the grouping, the
//    sort and the columns, scrolls the table and removes a run: the main thread's long tasks of each
//    step, over --view-repeats passes (bench/compare-view-bench.mjs; target: none over 50 ms).
// The JSON also goes to test-results/bench-compare-load.json. A benchmark only: no test depends on
// its timings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cliArgs, pageResult } from './page-result.mjs';
import { compareViewBench, LONG_MS } from './compare-view-bench.mjs';

const GOAL_MS = 3000;
const { runs, only, 'view-repeats': viewRepeats, 'no-build': _, ...loadArgs } = cliArgs();
const rebuild = !('no-build' in cliArgs());
const out = {};
mkdirSync('test-results', { recursive: true });
const save = () => writeFileSync('test-results/bench-compare-load.json', JSON.stringify(out, null, 2));

if (only !== 'view') {
  const r = (out.load = await pageResult(`/bench/compare-load.html?${new URLSearchParams(loadArgs)}`, '__compareLoadBench'));
  save();
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
}

if (only !== 'load') {
  const v = (out.view = await compareViewBench({ runs: Number(runs ?? 200), repeats: Number(viewRepeats ?? 3), rebuild }));
  save();
  console.log(`Compare view with ${v.runs} stored runs (table: ${v.rowcount} rows, ${v.rowsInDom} in the DOM), ${v.repeats} passes; main-thread tasks from each step until the plots are drawn again (max task of each pass, from a trace; long tasks > ${LONG_MS} ms from PerformanceObserver):`);
  for (const s of v.steps) {
    const error = s.plotsError ? ` (${s.plotsError})` : '';
    const tasks = s.longTasks.map((t) => `[${t.join(', ')}]`).join(' ');
    console.log(`  ${s.step.padEnd(34)} settled in ${s.settledMs.join('/').padStart(14)} ms; max task ${s.maxTaskMs.join('/').padStart(11)} ms, ${s.over50} tasks > ${LONG_MS} ms ${tasks}${error}`);
  }
  const worst = Math.max(...v.steps.flatMap((s) => s.maxTaskMs));
  const over = v.steps.reduce((a, s) => a + s.over50, 0);
  console.log(`  overall: max task ${worst} ms, ${over} tasks > ${LONG_MS} ms (target: none: ${over === 0 ? 'met' : 'missed'})`);
}
