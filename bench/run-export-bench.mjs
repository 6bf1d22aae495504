// npm run bench:export [-- --repeats=5] [--fixture=unicode] [--runs=1000] [--site-repeats=3] [--only=page|site] [--no-build]
// 1. page: serves the repo with Vite and, in headless Chromium, builds the run.zip of a 20-epoch
//    10-class MNIST-like run several times (bench/export-bench.ts), two ways interleaved: in the
//    export worker as the lab does, and on the page's main thread as before it: time (first, cold,
//    and median), zip size, and the page's longest task during each.
// 2. site: on the built site (bench/built-site.mjs), with 0 and with --runs stored runs
//    (bench/scale-seed.ts) besides the same MNIST-like run stored with its five models and 50 sweep
//    runs (bench/compare-view-seed.ts): the JavaScript loaded before the page is interactive (gzip),
//    then opening the run (its figure previews), Download run.zip (--site-repeats times: click to
//    download), opening Compare with the 50 runs (until its plots are drawn) and Download
//    comparison.zip. For each: the time, the longest main-thread task from a trace (wall and CPU
//    time: on a loaded machine a task waits for a core), the tasks over 50 ms (PerformanceObserver
//    'longtask') and the CPU time of the workers (the work moved off the page; on an idle machine
//    about the time the step takes). Targets: run.zip < 1 s, no task over 50 ms, initial
//    JavaScript < 300 kB.
// The JSON also goes to test-results/bench-export.json. A benchmark only: no test depends on its timings.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cliArgs, pageResult } from './page-result.mjs';
import { buildSite, longTasks, openSite, pageScripts, seederScript, sitePage, storedRuns, summary, traced, LONG_MS } from './built-site.mjs';
import { plotHelpers, plotsSettled } from './compare-view-bench.mjs';
import { median } from './median.mjs';

const { runs: runsArg, only, 'site-repeats': siteRepeats, 'no-build': _, ...pageArgs } = cliArgs();
const rebuild = !('no-build' in cliArgs());
const RUNS = Number(runsArg ?? 1000);
const SITE_REPEATS = Math.max(1, Number(siteRepeats ?? 3));
const SWEEP = 50;
const GOAL_MS = 1000;
const INITIAL_JS_GOAL = 300 * 1000;
const out = {};
mkdirSync('test-results', { recursive: true });
const save = () => writeFileSync('test-results/bench-export.json', JSON.stringify(out, null, 2));
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;

if (only !== 'site') {
  const r = (out.page = await pageResult(`/bench/export.html?${new URLSearchParams(pageArgs)}`, '__exportBench'));
  save();
  if (r.error) throw new Error(r.error);
  console.log(`${r.run}: ${r.epochs} epochs, ${r.classes} classes, ${r.testSamples} test predictions, 5 models × ${kib(r.weightsBytes)} weights; ${r.repeats} runs each way, interleaved`);
  for (const way of ['worker', 'page']) {
    const w = r[way];
    const phases = Object.entries(w.runs.at(-1).phases).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    console.log(`  run.zip ${way === 'worker' ? 'in the worker (the lab)' : 'on the main thread    '}: first ${w.firstMs.toFixed(0)} ms, median ${w.medianMs.toFixed(0)} ms, ${kib(w.zipBytes)}; ` +
      `longest page task ${w.longestTaskMs} ms (${w.longTasks} over ${LONG_MS} ms); last run by phase (ms): ${phases}`);
  }
}

/**
 * `act` (in Node) under a trace: its time, the longest main-thread task and the long tasks meanwhile.
 * `find` runs before the trace: Playwright's role queries run on the page's main thread (they check
 * every element's visibility, laying out rows the page leaves unlaid off screen), which is the
 * harness's work, not the page's; `act` gets what it found.
 */
async function measure(browser, page, name, act, find = async () => undefined) {
  await page.waitForTimeout(500);
  const found = await find();
  const t0 = await page.evaluate(() => performance.now());
  const { value, maxTaskMs, maxTaskCpuMs, workerCpuMs } = await traced(browser, page, async () => {
    const start = Date.now();
    const extra = await act(found);
    const ms = Date.now() - start;
    await page.waitForTimeout(300); // long tasks are reported a little after they end
    return { ms, ...extra };
  });
  return { step: name, ...value, maxTaskMs, maxTaskCpuMs, workerCpuMs, ...summary(await longTasks(page, t0)) };
}

/** The download button called `name`, found (before a step's trace) to be clicked by `download`. */
const button = (page, name) => page.getByRole('button', { name, exact: true }).elementHandle();

/** Clicks a download button and waits for the file: its size. */
async function download(page, name, handle) {
  const file = page.waitForEvent('download', { timeout: 120_000 });
  await handle.click();
  const d = await file;
  const failure = await d.failure();
  if (failure) throw new Error(`${name}: ${failure}`);
  return { bytes: statSync(await d.path()).size };
}

/** One fresh page: the store seeded with `count` runs besides the export run and the sweep, then each step. */
async function sitePass(browser, url, seeder, count, dir) {
  const page = await sitePage(browser);
  try {
    await page.addInitScript(plotHelpers);
    await page.goto(url);
    await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
    const initialJs = await pageScripts(page, dir);
    await page.evaluate(seeder);
    if (count > 0) await page.evaluate((n) => window.__seedRuns(n), count);
    const { runId } = await page.evaluate(() => window.__seedExportRun());
    const sweep = await page.evaluate((n) => window.__seedSweep(n), SWEEP);
    await page.reload();
    await storedRuns(page, count + 1 + SWEEP);
    await page.waitForTimeout(1000);

    const steps = [];
    steps.push(await measure(browser, page, 'open the run (figure previews)', async () => {
      await page.evaluate((id) => (location.hash = `#runs/${encodeURIComponent(id)}`), runId);
      await page.waitForFunction(() => {
        const imgs = window.__inside('tl-run-view', 'figure img');
        return imgs.length >= 4 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      }, null, { timeout: 120_000, polling: 100 });
    }));
    for (let i = 0; i < SITE_REPEATS; i++) steps.push(await measure(browser, page, `Download run.zip (${i + 1})`, (b) => download(page, 'Download run.zip', b), () => button(page, 'Download run.zip')));
    steps.push(await measure(browser, page, `open Compare with ${SWEEP} runs`, async () => {
      await page.evaluate((hash) => (location.hash = hash), `#compare/${sweep.ids.map(encodeURIComponent).join(',')}`);
      const failed = await plotsSettled(page);
      if (failed) throw new Error(failed);
    }));
    steps.push(await measure(browser, page, 'Download comparison.zip', (b) => download(page, 'Download comparison.zip', b), () => button(page, 'Download comparison.zip')));
    return { storedRuns: count, initialJs, steps };
  } finally {
    await page.close();
  }
}

if (only !== 'page') {
  const dir = await buildSite('bench-export-site', rebuild);
  const seeder = await seederScript('scale-seed.ts', 'compare-view-seed.ts');
  const { url, browser, close } = await openSite(dir);
  try {
    out.site = [];
    for (const count of [0, RUNS]) {
      out.site.push(await sitePass(browser, url, seeder, count, dir));
      save();
    }
  } finally {
    await close();
  }
  const js = out.site[0].initialJs;
  console.log(`initial JavaScript (the page's scripts until Train shows): ${(js.gzip / 1000).toFixed(1)} kB gzip, ${(js.bytes / 1000).toFixed(1)} kB raw, ` +
    `${js.files.length} files (target < ${INITIAL_JS_GOAL / 1000} kB: ${js.gzip < INITIAL_JS_GOAL ? 'met' : 'missed'})`);
  for (const pass of out.site) {
    console.log(`built site, ${pass.storedRuns} other stored runs: step, time, longest main-thread task (trace), long tasks > ${LONG_MS} ms (observer)`);
    for (const s of pass.steps) console.log(`  ${s.step.padEnd(34)} ${String(s.ms).padStart(6)} ms; longest task ${String(s.maxTaskMs).padStart(4)} ms (CPU ${String(s.maxTaskCpuMs).padStart(4)} ms); ${s.over50} over ${LONG_MS} ms (worst ${s.worst} ms); workers' CPU ${s.workerCpuMs} ms${s.bytes ? `; ${kib(s.bytes)}` : ''}`);
  }
  const zips = out.site.flatMap((p) => p.steps.filter((s) => s.step.startsWith('Download run.zip')));
  const all = out.site.flatMap((p) => p.steps);
  const worst = Math.max(...all.map((s) => s.maxTaskMs));
  const worstCpu = Math.max(...all.map((s) => s.maxTaskCpuMs));
  const zipMs = median(zips.map((s) => s.ms));
  console.log(`run.zip from the click to the file: median ${zipMs} ms, ${median(zips.map((s) => s.workerCpuMs))} ms of the workers' CPU (target < ${GOAL_MS} ms: ${zipMs < GOAL_MS ? 'met' : 'missed'}); ` +
    `longest main-thread task of all steps ${worst} ms, ${worstCpu} ms of CPU (target ≤ ${LONG_MS} ms: ${worst <= LONG_MS ? 'met' : 'missed'})`);
}
