// The Compare view with many stored runs, on the built site (vite build into
// node_modules/.cache/bench-compare-site, served by `vite preview`, driven with playwright-core):
// opens #compare/{N run ids} (the runs seeded by bench/compare-view-seed.ts: a sweep of 5 seeds per
// setting), then changes the grouping, the sort and the columns shown, scrolls the table and
// removes a run, measuring the main thread's long tasks (PerformanceObserver 'longtask') from each
// step until the page settles (the plot previews drawn again), and the longest task of all from a
// trace. Target: no task over 50 ms. Used by
// bench/run-compare-load-bench.mjs.
import { buildSite, longTasks, openSite, seederScript, sitePage, summary as longSummary, traced, LONG_MS } from './built-site.mjs';

export { LONG_MS };

/** In the page, besides instrument(): whether the Compare view's plots are drawn, or could not be. */
export function plotHelpers() {
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

/** Waits until the Compare view shows its `count` plots (or says they could not be drawn): '' or the failure. */
export async function plotsSettled(page, count = 5) {
  await page.waitForFunction((n) => window.__plotsSettled(n) || window.__plotsFailed(), count, { timeout: 300_000, polling: 100 });
  return page.evaluate(() => window.__plotsFailed());
}

const summary = (tasks) => ({ ...longSummary(tasks), longTasks: tasks.map(Math.round) });

/**
 * `act` runs in the page (it gets the page's helpers through `window`) and starts a change; the long
 * tasks are counted from just before it until the previews are drawn again and 500 ms more passed.
 * The longest task of all comes from a trace of the same span.
 */
async function step(browser, page, name, act, arg) {
  await page.waitForTimeout(300);
  const { value, maxTaskMs, maxTaskCpuMs } = await traced(browser, page, async () => {
    const t0 = await page.evaluate(() => performance.now());
    await page.evaluate(act, arg);
    await page.waitForTimeout(100);
    const plotsError = await plotsSettled(page);
    const settledMs = (await page.evaluate(() => performance.now())) - t0;
    await page.waitForTimeout(500);
    return { t0, settledMs, plotsError };
  });
  const tasks = await longTasks(page, value.t0);
  return { step: name, settledMs: Math.round(value.settledMs), maxTaskMs, maxTaskCpuMs, ...summary(tasks), ...(value.plotsError ? { plotsError: value.plotsError } : {}) };
}

/** One pass on a fresh page (its own IndexedDB): seed the runs, open Compare, then each change. */
async function pass(browser, url, seeder, runs) {
  const page = await sitePage(browser);
  try {
    await page.addInitScript(plotHelpers);
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
  const dir = await buildSite('bench-compare-site', rebuild);
  const seeder = await seederScript('compare-view-seed.ts');
  const { url, browser, close } = await openSite(dir);
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
        maxTaskCpuMs: all.map((x) => x.maxTaskCpuMs), // the same tasks' CPU time: what is left once waits for a core are taken out
        over50: all.reduce((a, x) => a + x.over50, 0),
        longTasks: all.map((x) => x.longTasks),
        ...(all.some((x) => x.plotsError) ? { plotsError: all.find((x) => x.plotsError).plotsError } : {}),
      };
    });
    const { rowcount, rowsInDom, userAgent } = passes[0];
    return { runs, repeats, rowcount, rowsInDom, steps, userAgent };
  } finally {
    await close();
  }
}
