import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPage, resultsDir, runEndedAndSaved, useSiteAndBrowser } from './harness.mjs';

// Big enough that an epoch takes a noticeable moment on the cpu backend, so the page can be reloaded mid-run.
const SLOW_RUN = 'dataset=spirals&samples=4000&model=mlp&hidden=32,32&batch=16&lr=0.01&optimizer=adam&seed=3&backend=cpu&save=2';

describe('runs are recorded and survive reloads', () => {
  const env = useSiteAndBrowser();

  async function historyEpochs(page) {
    const cells = await page.getByRole('table', { name: 'Per-epoch history' }).locator('tbody tr td:first-child').allTextContents();
    return cells.map((c) => Number.parseInt(c, 10));
  }

  it('a run interrupted by a reload is listed as interrupted, resumes and completes with one continuous history', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?${SLOW_RUN}&epochs=12&autostart=1`);
    await page.getByText(/Epoch [3-9] \/ 12/).waitFor({ timeout: 120_000 });
    await page.reload();

    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr').first();
    await row.getByText(/interrupted \(\d+ epochs\)/).waitFor({ timeout: 30_000 });
    const stored = Number((await row.textContent()).match(/interrupted \((\d+) epochs\)/)[1]);
    // "Epoch 3 / 12" shows while epoch 3 runs, and the worker starts epoch 3 only once epoch 2 is stored.
    assert.ok(stored >= 2 && stored < 12, `stored ${stored} epochs before the reload`);

    await row.getByRole('button', { name: 'Open' }).click();
    assert.deepEqual(await historyEpochs(page), Array.from({ length: stored }, (_, i) => i + 1));
    await page.getByRole('button', { name: 'Resume' }).click();
    await runEndedAndSaved(page, 180_000);
    assert.match(await page.getByRole('status').first().textContent(), /Training completed/);

    await page.reload();
    await page.getByRole('link', { name: 'Runs' }).click();
    const rows = page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr');
    assert.equal(await rows.count(), 1, 'the resumed run continued the same record');
    await rows.first().getByText('completed').waitFor();
    await rows.first().getByRole('button', { name: 'Open' }).click();
    assert.deepEqual(await historyEpochs(page), Array.from({ length: 12 }, (_, i) => i + 1));
    await page.screenshot({ path: `${resultsDir()}/run-view-resumed.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a run interrupted before its first epoch was stored offers Restart (not Resume) and completes in the same record', async () => {
    const { page, errors } = await freshPage(env);
    // Epoch 1 takes long here (4,000 points, 2 × 512 units, batch 16 on the cpu backend): the reload lands inside it.
    await page.goto(`${env.site.url}?dataset=spirals&samples=4000&model=mlp&hidden=512,512&batch=16&lr=0.01&optimizer=adam&seed=3&backend=cpu&epochs=2&autostart=1`);
    await page.getByText(/Epoch 1 \/ 2/).waitFor({ timeout: 120_000 });
    await page.reload();
    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr').first();
    await row.getByText('interrupted (0 epochs)').waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Open' }).click();
    const view = page.getByRole('region', { name: /^Run / });
    await view.getByText(/before its first epoch was stored .*can be restarted/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 0, 'no Resume without a stored epoch');
    await page.getByRole('button', { name: 'Restart' }).click();
    await runEndedAndSaved(page, 300_000);
    await page.reload();
    await page.getByRole('link', { name: 'Runs' }).click();
    const rows = page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr');
    await rows.first().getByText('completed').waitFor({ timeout: 30_000 });
    assert.equal(await rows.count(), 1, 'restarted in the same record');
    await rows.first().getByRole('button', { name: 'Open' }).click();
    assert.deepEqual(await historyEpochs(page), [1, 2]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('runs can be renamed, tagged, annotated, filtered and deleted with confirmation', async () => {
    const { page, errors } = await freshPage(env);
    for (const q of ['dataset=moons&samples=200&epochs=2&backend=cpu', 'dataset=xor&samples=200&epochs=2&backend=cpu']) {
      await page.goto(`${env.site.url}?${q}&autostart=1`);
      await runEndedAndSaved(page, 60_000);
    }
    await page.getByRole('link', { name: 'Runs' }).click();
    const table = page.getByRole('grid', { name: 'Recorded runs' });
    await table.locator('tbody tr').nth(1).waitFor();
    assert.match(await table.locator('tbody tr').first().textContent(), /XOR/, 'newest first');
    // What the lab stores (its own count of weights and records) and what the browser says is left.
    assert.match(await page.getByTestId('storage-lab').textContent(), /TrainLab stores [\d.]+ (kB|MB) in this browser \(2 runs/);
    assert.match(await page.getByRole('region', { name: 'Storage' }).textContent(), /Browser estimate: [\d.]+ \w?B used by this site, about [\d.]+ \w?B left/);

    await table.locator('tbody tr', { hasText: 'Moons' }).getByRole('button', { name: 'Rename' }).click();
    await table.getByRole('textbox', { name: 'Run name' }).fill('baseline moons');
    await table.getByRole('textbox', { name: 'Run name' }).press('Enter');
    await table.getByText('baseline moons').waitFor();
    await table.locator('tbody tr', { hasText: 'XOR' }).getByRole('button', { name: 'Rename' }).click();
    await table.getByRole('textbox', { name: 'Run name' }).fill('never saved');
    await table.getByRole('textbox', { name: 'Run name' }).press('Escape');
    assert.equal(await table.getByText('never saved').count(), 0, 'Escape cancels a rename');
    await table.locator('tbody tr', { hasText: 'Moons' }).getByRole('button', { name: 'Tags' }).click();
    await table.getByRole('textbox', { name: 'Tags (comma-separated)' }).fill('paper, fig 2, paper');
    await table.getByRole('button', { name: 'Save' }).click();
    await table.getByText('fig 2').waitFor();
    assert.equal(await table.locator('.tag', { hasText: 'paper' }).count(), 1, 'tags are de-duplicated');

    await page.locator('[name="filter-dataset"]').selectOption('xor');
    assert.equal(await table.locator('tbody tr').count(), 1);
    await page.locator('[name="filter-dataset"]').selectOption('');

    await table.locator('tbody tr', { hasText: 'baseline moons' }).getByRole('button', { name: 'Open' }).click();
    await page.getByRole('textbox', { name: 'Notes' }).fill('lr too high?');
    await page.getByRole('textbox', { name: 'Notes' }).blur();
    await page.getByRole('status', { name: 'Notes status' }).getByText('saved').waitFor();
    await page.reload();
    await page.getByRole('textbox', { name: 'Notes' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Notes' }).inputValue(), 'lr too high?');

    await table.locator('tbody tr', { hasText: 'XOR' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog', { name: 'Confirm delete' }).getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await table.locator('tbody tr').count(), 2, 'cancel keeps the run');
    await table.locator('tbody tr', { hasText: 'XOR' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete permanently' }).click();
    await table.locator('tbody tr', { hasText: 'XOR' }).waitFor({ state: 'detached' });
    assert.equal(await table.locator('tbody tr').count(), 1);
    await page.getByTestId('storage-lab').getByText('(1 run with its checkpoints)').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('Resume waits until the run training in this tab is stopped', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?${SLOW_RUN}&epochs=40&autostart=1`);
    await page.getByText(/Epoch [2-9] \/ 40/).waitFor({ timeout: 120_000 });
    await page.reload(); // the first run is now interrupted; the address no longer autostarts
    await page.getByRole('button', { name: 'Train' }).click();
    await page.getByText(/Epoch \d+ \/ 40/).waitFor({ timeout: 60_000 });

    await page.getByRole('link', { name: 'Runs' }).click();
    const table = page.getByRole('grid', { name: 'Recorded runs' });
    await table.locator('tbody tr', { hasText: 'interrupted' }).getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('alert').getByText('A run is training in this tab: stop it before resuming or restarting another.').waitFor();

    await page.getByRole('link', { name: 'Lab' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Stopped by you').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Runs' }).click();
    await table.locator('tbody tr', { hasText: 'interrupted' }).getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Stop' }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Stopped by you').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Runs' }).click();
    assert.equal(await table.locator('tbody tr', { hasText: 'interrupted' }).count(), 0, 'the resumed run is no longer interrupted');
    assert.equal(await table.locator('tbody tr', { hasText: 'stopped' }).count(), 2);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
