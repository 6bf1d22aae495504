// npm run bench:scale [-- --runs=1000 --compare=200 --repeats=3 --backend=auto --no-build]
// The lab with many stored runs, measured on the built site (vite build into
// node_modules/.cache/bench-scale-site, served by `vite preview`, driven with playwright-core):
//  1. training: the same 30-epoch Moons run (600 samples, batch 64) with an empty store and with
//     --runs stored runs (seeded straight into IndexedDB by bench/scale-seed.ts), wall time from the
//     Train click to the final record stored, and the main thread's long tasks (PerformanceObserver
//     'longtask') meanwhile, alternating the two stores; the ratio is of the medians. Targets: within
//     1.1× of the empty store, no task over 50 ms.
//  2. the Runs list: opened from a fresh load of #runs (boot, read the store, first rows drawn) and
//     from the Lab (a click), then scrolled top to bottom: frame times and long tasks. Target < 1 s.
//  3. Compare with --compare stored runs (#compare/id1,…): time to the table's rows, long tasks.
// Prints a summary; the JSON goes to test-results/bench-scale.json. A benchmark only: no test
// depends on its timings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildSite, longTasks, openSite, seederScript, sitePage, storedRuns, summary, LONG_MS as LONG } from './built-site.mjs';
import { cliArgs } from './page-result.mjs';
import { median } from './median.mjs';

const args = cliArgs();
const RUNS = Number(args.runs ?? 1000);
const COMPARE = Math.min(RUNS, Number(args.compare ?? 200));
const REPEATS = Math.max(1, Number(args.repeats ?? 3));
const TRAIN_QUERY = `dataset=moons&samples=600&epochs=30&batch=64&backend=${args.backend ?? 'auto'}`;

const SITE = await buildSite('bench-scale-site', !('no-build' in args));
const seeder = await seederScript('scale-seed.ts');
const { url, browser, close } = await openSite(SITE);

async function freshLab(count) {
  const page = await sitePage(browser);
  await page.goto(`${url}?${TRAIN_QUERY}`);
  if (count > 0) {
    await page.evaluate(seeder);
    const seeded = await page.evaluate((n) => window.__seedRuns(n), count);
    console.log(`seeded ${seeded.runs} runs in ${(seeded.ms / 1000).toFixed(1)} s`);
    await page.reload();
  }
  await storedRuns(page, count);
  return page;
}

/** One training run from the Train click to its final record stored, plus a second for what follows it. */
async function train(page) {
  await page.evaluate(() => {
    window.__done = new Promise((resolve) => {
      const on = (e) => {
        if (e.detail.status === 'running') return;
        document.removeEventListener('run-stored', on);
        resolve({ at: performance.now(), status: e.detail.status, epochs: e.detail.history.length, backend: e.detail.environment?.backend });
      };
      document.addEventListener('run-stored', on);
    });
  });
  await page.waitForTimeout(500); // let the page settle after the load
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const done = await page.evaluate(() => window.__done);
  await page.waitForTimeout(1000);
  const tasks = await longTasks(page, t0, done.at + 1000);
  return { seconds: (done.at - t0) / 1000, status: done.status, epochs: done.epochs, backend: done.backend, ...summary(tasks) };
}

/** From a fresh load of #runs to the first row drawn; then from the Lab to the Runs list (a click). */
async function openRuns(page) {
  await page.goto(`${url}?${TRAIN_QUERY}&open=1#runs`);
  await page.waitForFunction(() => window.__inside('tl-run-list', '[data-run-id]').some((r) => r.getBoundingClientRect().height > 0), null, { polling: 'raf', timeout: 60_000 });
  const cold = await page.evaluate(() => performance.now());
  await page.waitForTimeout(1000);
  const coldTasks = await longTasks(page, 0);
  await page.evaluate(() => (location.hash = '#lab'));
  await page.waitForTimeout(500);
  const warm = await page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector('tl-app').shadowRoot.querySelector('nav a[href="#runs"]').click();
    for (;;) {
      await new Promise(requestAnimationFrame);
      if (window.__inside('tl-run-list', '[data-run-id]').some((r) => r.getBoundingClientRect().height > 0)) break;
    }
    await new Promise(requestAnimationFrame);
    return { t0, ms: performance.now() - t0 };
  });
  const warmTasks = await longTasks(page, warm.t0);
  const rowsInDom = await page.evaluate(() => window.__inside('tl-run-list', '[data-run-id]').length);
  return { coldMs: Math.round(cold), cold: summary(coldTasks), warmMs: Math.round(warm.ms), warm: summary(warmTasks), rowsInDom };
}

/** Scrolls the window from the list's top to the page's bottom, 150 px a frame: frame times and long tasks. */
async function scrollRuns(page) {
  const r = await page.evaluate(async () => {
    window.scrollTo(0, 0);
    await new Promise(requestAnimationFrame);
    const t0 = performance.now();
    const frames = [];
    let last = t0;
    while (window.scrollY + innerHeight < document.documentElement.scrollHeight - 2) {
      window.scrollBy(0, 150);
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      frames.push(now - last);
      last = now;
      if (now - t0 > 60_000) break;
    }
    frames.sort((a, b) => a - b);
    return { t0, frames: frames.length, p95: frames[Math.floor(frames.length * 0.95)] ?? 0, worst: frames.at(-1) ?? 0, px: window.scrollY };
  });
  const tasks = await longTasks(page, r.t0);
  const lastRow = await page.evaluate(() => window.__inside('tl-run-list', '[data-run-id]').some((x) => x.dataset.runId === 'seed_00000'));
  return { frames: r.frames, px: r.px, p95FrameMs: Math.round(r.p95), worstFrameMs: Math.round(r.worst), ...summary(tasks), reachedOldest: lastRow };
}

/** Opens Compare with `n` stored runs: time to the table's rows and the long tasks until it settles. */
async function compare(page, n) {
  const ids = Array.from({ length: n }, (_, i) => `seed_${String(i).padStart(5, '0')}`);
  const r = await page.evaluate(async ([hash, count]) => {
    const t0 = performance.now();
    location.hash = hash;
    for (;;) {
      await new Promise(requestAnimationFrame);
      // A long table is windowed: it holds the rows near view, and says how many there are.
      const table = window.__inside('tl-compare-table', 'table[aria-label="Compared runs"]')[0];
      const rows = table ? Number(table.getAttribute('aria-rowcount') ?? table.querySelectorAll('tbody tr[data-run-id]').length + 1) : 0;
      if (rows >= count + 1) break;
      if (performance.now() - t0 > 120_000) throw new Error('Compare did not show the runs');
    }
    return { t0, ms: performance.now() - t0 };
  }, [`#compare/${ids.join(',')}`, n]);
  await page.waitForTimeout(3000);
  const tasks = await longTasks(page, r.t0);
  return { runs: n, tableMs: Math.round(r.ms), ...summary(tasks) };
}

const result = { runs: RUNS, query: TRAIN_QUERY, training: { empty: [], stored: [] } };
try {
  const empty = await freshLab(0);
  const stored = await freshLab(RUNS);
  for (let i = 0; i < REPEATS; i++) {
    for (const [key, page] of [['empty', empty], ['stored', stored]]) {
      const x = await train(page);
      console.log(`training ${i + 1}, ${key === 'empty' ? 'empty store' : `${RUNS} stored runs`}: ${x.seconds.toFixed(2)} s`);
      result.training[key].push(x);
    }
  }
  await empty.close();
  result.runsList = await openRuns(stored);
  result.scroll = await scrollRuns(stored);
  result.compare = await compare(stored, COMPARE);
  await stored.close();
} finally {
  await close();
}

mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-scale.json', JSON.stringify(result, null, 2));
const t = result.training;
const ratio = median(t.stored.map((x) => x.seconds)) / median(t.empty.map((x) => x.seconds));
const line = (x) => `${x.seconds.toFixed(2)} s (${x.over50} tasks > 50 ms, worst ${x.worst} ms)`;
const first = t.empty[0];
console.log(`training, ${TRAIN_QUERY} (${first.epochs} epochs on ${first.backend}, ${first.status}):`);
console.log(`  empty store:       median ${median(t.empty.map((x) => x.seconds)).toFixed(2)} s; ${t.empty.map(line).join(' | ')}`);
console.log(`  ${String(RUNS).padStart(5)} stored runs: median ${median(t.stored.map((x) => x.seconds)).toFixed(2)} s; ${t.stored.map(line).join(' | ')}`);
const trainWorst = Math.max(...t.stored.map((x) => x.worst));
console.log(`  ratio ${ratio.toFixed(2)}× (target ≤ 1.1×: ${ratio <= 1.1 ? 'met' : 'missed'}); worst task ${trainWorst} ms (target ≤ 50 ms: ${trainWorst <= LONG ? 'met' : 'missed'})`);
const l = result.runsList;
console.log(`Runs list with ${RUNS} runs: fresh load of #runs to first rows ${l.coldMs} ms (target < 1000 ms: ${l.coldMs < 1000 ? 'met' : 'missed'}; ${l.cold.over50} tasks > 50 ms, worst ${l.cold.worst} ms); ` +
  `from the Lab ${l.warmMs} ms (${l.warm.over50} tasks > 50 ms, worst ${l.warm.worst} ms); ${l.rowsInDom} rows in the DOM`);
const s = result.scroll;
console.log(`  scrolled ${s.px} px in ${s.frames} frames: p95 frame ${s.p95FrameMs} ms, worst ${s.worstFrameMs} ms, ${s.over50} tasks > 50 ms (worst ${s.worst} ms); oldest run reached: ${s.reachedOldest}`);
const c = result.compare;
console.log(`Compare with ${c.runs} runs: table in ${c.tableMs} ms; ${c.over50} tasks > 50 ms, worst ${c.worst} ms (until 3 s after)`);
