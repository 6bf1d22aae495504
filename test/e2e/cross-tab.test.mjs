import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedContext, useSiteAndBrowser } from './harness.mjs';

const TINY = 'dataset=moons&samples=200&epochs=2&backend=cpu&seed=5';

// Two tabs of one browser (one context: one IndexedDB): what one tab stores, renames or deletes shows
// in the other without a reload.
describe('the lab open in two tabs', () => {
  const env = useSiteAndBrowser();

  it("a run trained in tab A appears in tab B's Runs list; renamed in B it is renamed in A; deleted in B, A's open run view says so", async () => {
    const { context, open } = await sharedContext(env);
    try {
      const a = await open();
      const b = await open();
      await b.page.goto(`${env.site.url}#runs`);
      await b.page.getByText('No runs yet').waitFor();

      await a.page.goto(`${env.site.url}?${TINY}&autostart=1`);
      const rowsB = b.page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr');
      await rowsB.first().waitFor({ timeout: 60_000 }); // listed in B from the moment A pressed Train
      await a.page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
      await rowsB.first().getByText('completed').waitFor({ timeout: 30_000 });
      assert.equal(await rowsB.count(), 1);
      assert.match(await rowsB.first().textContent(), /Moons/);
      await b.page.getByTestId('storage-lab').getByText('(1 run with its checkpoints)').waitFor();

      // Renamed in B: A's list follows.
      await a.page.getByRole('link', { name: 'Runs' }).click();
      const rowsA = a.page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr');
      await rowsB.first().getByRole('button', { name: 'Rename' }).click();
      await b.page.getByRole('textbox', { name: 'Run name' }).fill('renamed in B');
      await b.page.getByRole('textbox', { name: 'Run name' }).press('Enter');
      await rowsA.first().getByText('renamed in B').waitFor();
      // Both tabs count the same bytes: B's count followed A's writes, A's followed B's rename.
      const stored = async (page) => (await page.getByTestId('storage-lab').textContent()).replace(/\s+/g, ' ');
      assert.equal(await stored(a.page), await stored(b.page));
      assert.match(await stored(a.page), /TrainLab stores [\d.]+ (kB|MB) in this browser \(1 run with its checkpoints\)/);

      // A shows the run; B deletes it: A says so, with a way back.
      await rowsA.first().getByRole('button', { name: 'Open' }).click();
      const view = a.page.getByRole('region', { name: 'Run renamed in B' });
      await view.getByRole('textbox', { name: 'Notes' }).waitFor();
      await rowsB.first().getByRole('button', { name: 'Delete' }).click();
      await b.page.getByRole('button', { name: 'Delete permanently' }).click();
      await rowsB.first().waitFor({ state: 'detached' });
      await view.getByRole('alert').getByText('This run was deleted in another tab').waitFor();
      assert.equal(await view.getByRole('textbox', { name: 'Notes' }).count(), 0);
      assert.equal(await rowsA.count(), 0, "gone from A's list too");
      await a.page.getByTestId('storage-lab').getByText('(0 runs with their checkpoints)').waitFor();
      assert.equal(await stored(a.page), await stored(b.page));
      await view.getByRole('link', { name: 'Back to runs' }).click();
      await a.page.getByText('No runs yet').waitFor();
      assert.equal(new URL(a.page.url()).hash, '#runs');

      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    } finally {
      await context.close();
    }
  });
});
