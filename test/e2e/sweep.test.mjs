import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';

// A 2 × 2 grid (learning rate × batch size) with 2 repeats of a small model: 8 runs of 3 epochs. An
// epoch takes long enough on the cpu backend (0.2–0.5 s) for the reload to land inside a run.
const SWEEP = 'dataset=moons&samples=4000&hidden=64,64&epochs=3&backend=cpu&sweep=lr:0.01|0.1;batch:16|32&repeats=2';

/** Every record of an IndexedDB store of the page's origin, read as stored. */
function readStore(page, db, store) {
  return page.evaluate(
    ([db, store]) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => (open.result.close(), resolve(req.result));
          req.onerror = () => reject(req.error);
        };
      }),
    [db, store],
  );
}

describe('sweeps', () => {
  const env = useSiteAndBrowser();

  it('a 2 × 2 sweep with 2 repeats runs to the end, one run after another, and survives a reload in the middle', async () => {
    const { page, errors } = await freshPage(env);
    // Every run record the page writes whose status says it resumed, caught as it is written: a
    // resumed run can finish between two reads of the store, and its status then says 'completed'.
    await page.addInitScript(() => {
      window.__resumedWrites = [];
      for (const method of ['put', 'add']) {
        const original = IDBObjectStore.prototype[method];
        IDBObjectStore.prototype[method] = function (value, ...rest) {
          if (this.name === 'runs' && typeof value?.status_reason === 'string' && value.status_reason.startsWith('resumed')) {
            window.__resumedWrites.push({ status: value.status, status_reason: value.status_reason, config: { url_query: value.config?.url_query } });
          }
          return original.call(this, value, ...rest);
        };
      }
    });
    await page.goto(`${env.site.url}?${SWEEP}`);
    const panel = page.getByRole('region', { name: 'Sweep' });
    // The panel opens for a sweep in the address: how many runs it makes, and an estimate (none yet in a fresh browser).
    const plan = panel.getByRole('status', { name: 'Sweep plan' });
    await plan.getByText(/^8 runs \(4 configurations × 2 seeds\) · estimated time unknown until the first run finishes/).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('button', { name: /stop/i }).count(), 1, 'only Stop is named with "Stop"');

    const t0 = Date.now();
    await panel.getByRole('button', { name: 'Start sweep' }).click();
    const progress = panel.getByRole('status', { name: 'Sweep progress' });
    await progress.getByText(/^Run 1 of 8/).waitFor({ timeout: 60_000 });
    // While a sweep runs, Train waits for it, with the reason.
    assert.equal(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled(), true);
    await page.getByText('A sweep is running: End sweep first to train on your own.').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Start sweep' }).isDisabled(), true, 'no second sweep while one runs');
    await panel.getByText('A sweep is running: End sweep first.').waitFor();

    // Reload while run 4 trains with an epoch stored ("Epoch 2 / 3" shows while epoch 2 runs, once epoch 1 is stored).
    await progress.getByText(/^Run 4 of 8/).waitFor({ timeout: 120_000 });
    await page.getByText(/Epoch 2 \/ 3/).waitFor({ timeout: 60_000 });
    const before = await page.evaluate(() => location.search);
    await page.reload();
    const t1 = Date.now();
    assert.match(before, /sweep=lr:0\.01\|0\.1;batch:16\|32&repeats=2/, 'the address keeps the sweep');
    const cutShort = before.replace(/&sweep=.*$/, '');
    assert.match(cutShort, /&seed=[12]&sseed=42/, 'the Lab showed the run under way');

    // The sweep goes on by itself: the interrupted run resumes from its stored epoch (in its own
    // record), then the runs not started follow.
    let resumed;
    while (!resumed && Date.now() - t1 < 60_000) {
      const runs = await page.evaluate(() => window.__resumedWrites ?? []).catch(() => []);
      resumed = runs.find((r) => r.status === 'running' && /^resumed .* from epoch [12] \(was interrupted/.test(r.status_reason));
      if (!resumed) await page.waitForTimeout(50);
    }
    assert.ok(resumed, 'the interrupted run resumed');
    assert.equal(`?${resumed.config.url_query.replace(/^\?/, '')}`, cutShort, 'the run the reload cut short');
    await panel.getByRole('status', { name: 'Sweep progress' }).getByText(/^Run [4-8] of 8/).waitFor({ timeout: 60_000 });
    const last = panel.getByRole('status', { name: 'Last sweep' });
    await last.getByText(/completed, 8 of 8 runs done\./).waitFor({ timeout: 240_000 });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`# sweep of 8 runs with a reload: ${seconds.toFixed(1)} s`);
    await page.screenshot({ path: `${resultsDir()}/sweep-done.png`, fullPage: true });

    const [sweep] = await readStore(page, 'trainlab-sweeps', 'sweeps');
    assert.equal(sweep.status, 'completed');
    assert.deepEqual(sweep.swept_keys, ['lr', 'batch']);
    assert.deepEqual(sweep.runs.map((r) => r.status), Array(8).fill('done'));
    const runs = await readStore(page, 'trainlab', 'runs');
    assert.equal(runs.length, 8, 'the interrupted run went on in its own record: 8 runs, not 9');
    const byId = new Map(runs.map((r) => [r.run_id, r]));
    for (const planned of sweep.runs) {
      const r = byId.get(planned.run_id);
      assert.ok(r, `run ${planned.index} is stored`);
      assert.equal(r.status, 'completed');
      assert.equal(r.sweep_id, sweep.sweep_id);
      assert.deepEqual(r.tags, [], 'the sweep is a field, not a tag');
      assert.equal(r.config.seed, planned.seed);
      assert.equal(r.config.split_seed, sweep.definition.split_seed, 'one split for every run');
      assert.equal(String(r.config.learning_rate), planned.values.lr);
      assert.equal(String(r.config.batch_size), planned.values.batch);
      assert.deepEqual(r.history.map((h) => h.epoch), [1, 2, 3], 'one continuous history');
    }
    assert.deepEqual(sweep.runs.map((r) => r.seed), [1, 2, 1, 2, 1, 2, 1, 2]);
    assert.equal(new Set(runs.map((r) => JSON.stringify(r.dataset.class_distribution.test))).size, 1, 'the same test set');

    // The runs are listed in Runs as any run is.
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr', { hasText: 'completed' }).nth(7).waitFor();
    await page.getByRole('link', { name: 'Lab' }).click();

    // Compare this sweep opens the sweep's comparison, grouped by the swept keys.
    await last.page().getByRole('region', { name: 'Sweep' }).getByRole('button', { name: 'Compare this sweep' }).click();
    assert.equal(await page.evaluate(() => location.hash), `#sweep/${sweep.sweep_id}`);
    // 4 groups (lr × batch) of 2 runs (seeds 1 and 2), each with mean ± std.
    const groups = page.locator('tl-compare-groups table[aria-label="Groups"] tbody tr');
    await groups.nth(3).waitFor({ timeout: 60_000 });
    assert.equal(await groups.count(), 4);
    assert.deepEqual(await groups.locator('td:nth-child(2)').allTextContents(), ['2', '2', '2', '2']);
    assert.match(await groups.first().textContent(), /±/);
    await page.getByRole('link', { name: 'Lab' }).click();

    // Train is possible again once the sweep ended.
    assert.equal(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled(), false);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
