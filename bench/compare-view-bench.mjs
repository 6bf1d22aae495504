// The Compare view with many stored runs, on the built site (vite build into
// node_modules/.cache/bench-compare-site, served by `vite preview`, driven with playwright-core):
// opens #compare/{N run ids} (the runs seeded by bench/compare-view-seed.ts: a sweep of 5 seeds per
// setting), then changes the grouping, the sort and the columns shown, scrolls the table and
// removes a run, measuring the main thread's long tasks (PerformanceObserver 'longtask') from each
// step until the page settles (the plot previews drawn again), and the longest task of all from a
// trace. Target: no task over 50 ms. Used by
// bench/run-compare-load-bench.mjs.
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';

export const LONG_MS = 50;
const SITE = fileURLToPath(new URL('../node_modules/.cache/bench-compare-site', import.meta.url));

/** In the page: long tasks from now on, and queries inside the shadow roots of given hosts. */
function instrument() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });
  const deepAll = (selector, root = document, out = []) => {
    out.push(...root.querySelectorAll(selector));
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) deepAll(selector, el.shadowRoot, out);
    return out;
  };
  window.__inside = (host, selector) => deepAll(host).flatMap((h) => [...(h.shadowRoot?.querySelectorAll(selector) ?? [])]);
  /** The plots are drawn (every preview decoded) and nothing is being drawn. */
  window.__plotsSettled = (count) => {
    const imgs = window.__inside('tl-compare-view', 'section[aria-label="Plots"] figure img');
    const drawing = window.__inside('tl-compare-view', 'section[aria-label="Plots"] [role=status]').length > 0;
    return !drawing && imgs.length === count && imgs.every((i) => i.complete && i.naturalWidth > 0);
  };
  /** The plots could not be drawn: what the page says, else ''. */
  window.__plotsFailed = () =>
    window.__inside('tl-compare-view', 'section[aria-label="Plots"] [role=status]').map((x) => x.textContent).find((t) => /could not be drawn/.test(t)) ?? '';
}

const summary = (tasks) => ({ over50: tasks.filter((d) => d > LONG_MS).length, worst: Math.round(Math.max(0, ...tasks)), longTasks: tasks.map(Math.round) });

/** The longest task on the renderer's main thread in a trace (ms): every task, not only those over 50 ms. */
function longestTask(buffer) {
  const trace = JSON.parse(buffer.toString());
  const events = trace.traceEvents ?? trace;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let longest = 0;
  for (const e of events) if (e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)) longest = Math.max(longest, e.dur / 1000);
  return Math.round(longest);
}

/**
 * `act` runs in the page (it gets the page's helpers through `window`) and starts a change; the long
 * tasks are counted from just before it until the previews are drawn again and 500 ms more passed.
 * The longest task of all comes from a trace of the same span.
 */
async function step(browser, page, name, act, arg) {
  await page.waitForTimeout(300);
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
  const t0 = await page.evaluate(() => performance.now());
  await page.evaluate(act, arg);
  await page.waitForTimeout(100);
  await page.waitForFunction(() => window.__plotsSettled(5) || window.__plotsFailed(), null, { timeout: 300_000, polling: 100 });
  const plotsError = await page.evaluate(() => window.__plotsFailed());
  const settledMs = (await page.evaluate(() => performance.now())) - t0;
  await page.waitForTimeout(500);
  const maxTaskMs = longestTask(await browser.stopTracing());
  const tasks = await page.evaluate((from) => window.__long.filter((t) => t.start >= from).map((t) => t.duration), t0);
  return { step: name, settledMs: Math.round(settledMs), maxTaskMs, ...summary(tasks), ...(plotsError ? { plotsError } : {}) };
}

/** One pass on a fresh page (its own IndexedDB): seed the runs, open Compare, then each change. */
async function pass(browser, url, seeder, runs) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  try {
    await page.addInitScript(instrument);
    await page.goto(url);
    await page.evaluate(seeder);
    const seeded = await page.evaluate((n) => window.__seedSweep(n), runs);
    await page.reload();
    await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
    await page.waitForTimeout(1000);

    // Open Compare (its code is fetched then, as on a person's first visit): the table, then the plots.
    const steps = [await step(browser, page, `open Compare with ${runs} runs`, (hash) => (location.hash = hash), `#compare/${seeded.ids.join(',')}`)];
    const shown = await page.evaluate(() => {
      const table = window.__inside('tl-compare-table', 'table')[0];
      return { rowcount: Number(table?.getAttribute('aria-rowcount') ?? table?.querySelectorAll('tbody tr').length + 1) - 1, rowsInDom: window.__inside('tl-compare-table', 'tbody tr[data-run-id]').length };
    });
    const pick = (value) => {
      const select = window.__inside('tl-compare-groups', 'select[name=group-by]')[0];
      select.value = value;
      select.dispatchEvent(new Event('change'));
    };
    steps.push(await step(browser, page, 'group by: nothing', pick, 'none'));
    steps.push(await step(browser, page, 'group by: learning_rate', pick, 'key:learning_rate'));
    steps.push(await step(browser, page, 'group by: everything but the seed', pick, 'all-but-seed'));
    const sort = (label) => window.__inside('tl-compare-table', 'thead th button').find((b) => b.textContent.replace(/[▲▼]/g, '').trim() === label).click();
    steps.push(await step(browser, page, 'sort by Run', sort, 'Run'));
    steps.push(await step(browser, page, 'sort by Test acc.', sort, 'Test acc. (%)'));
    const box = (name) => window.__inside('tl-compare-table', `input[name=${name}]`)[0].click();
    steps.push(await step(browser, page, 'Differences only', box, 'differences-only'));
    const column = (label) => [...window.__inside('tl-compare-table', 'details label')].find((l) => l.textContent.trim() === label).querySelector('input').click();
    steps.push(await step(browser, page, 'hide column Seed', column, 'Seed'));
    const scroll = async () => {
      const box = window.__inside('tl-compare-table', '.scroll')[0];
      for (let y = 0; y <= box.scrollHeight; y += 200) {
        box.scrollTop = y;
        await new Promise(requestAnimationFrame);
      }
    };
    steps.push(await step(browser, page, 'scroll the table to its end', scroll));
    const remove = () => window.__inside('tl-compare-table', 'tbody tr[data-run-id] button[aria-label^="Remove"]')[0].click();
    steps.push(await step(browser, page, 'remove one run', remove));
    return { seededMs: Math.round(seeded.ms), ...shown, steps, userAgent: await page.evaluate(() => navigator.userAgent) };
  } finally {
    await page.close();
  }
}

/** `repeats` passes; per step, the worst task and the tasks over 50 ms of every pass. */
export async function compareViewBench({ runs = 200, repeats = 1, rebuild = true } = {}) {
  if (rebuild) {
    console.log('building the site…');
    await build({ logLevel: 'warn', build: { outDir: SITE, emptyOutDir: true } });
  }
  const seeder = (
    await esbuild.build({ entryPoints: [fileURLToPath(new URL('./compare-view-seed.ts', import.meta.url))], bundle: true, format: 'iife', target: 'es2022', write: false, logLevel: 'error' })
  ).outputFiles[0].text;
  const server = await preview({ preview: { port: 0, host: 'localhost', strictPort: false }, build: { outDir: SITE }, logLevel: 'warn' });
  const url = `http://localhost:${server.httpServer.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  try {
    const passes = [];
    for (let i = 0; i < repeats; i++) passes.push(await pass(browser, url, seeder, runs));
    const steps = passes[0].steps.map((s, k) => {
      const all = passes.map((p) => p.steps[k]);
      return {
        step: s.step,
        settledMs: all.map((x) => x.settledMs),
        worst: Math.max(...all.map((x) => x.worst)),
        maxTaskMs: all.map((x) => x.maxTaskMs),
        over50: all.reduce((a, x) => a + x.over50, 0),
        longTasks: all.map((x) => x.longTasks),
        ...(all.some((x) => x.plotsError) ? { plotsError: all.find((x) => x.plotsError).plotsError } : {}),
      };
    });
    const { rowcount, rowsInDom, userAgent } = passes[0];
    return { runs, repeats, rowcount, rowsInDom, steps, userAgent };
  } finally {
    await browser.close();
    await new Promise((r) => server.httpServer.close(r));
  }
}
