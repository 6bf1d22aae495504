import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { freshPage, useSiteAndBrowser } from './harness.mjs';

// A table big enough that an epoch takes a noticeable moment on the cpu backend (reloaded mid-run).
function slowTable() {
  const rows = ['a,b,c,kind'];
  for (let i = 0; i < 4000; i++) {
    const k = i % 3;
    rows.push(`${(k + Math.sin(i)).toFixed(3)},${(k * 0.5 + Math.cos(i * 1.3)).toFixed(3)},${['x', 'y', 'z'][(i >> 2) % 3]},${['low', 'mid', 'high'][k]}`);
  }
  const dir = join(tmpdir(), `trainlab-own-resume-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'slow.csv');
  writeFileSync(file, rows.join('\n'));
  return file;
}

describe('a run on your own data', () => {
  const env = useSiteAndBrowser();

  it('interrupted by a reload, resumes from the copy kept in this browser and completes', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?dataset=file&hidden=32,32&batch=16&lr=0.01&optimizer=adam&seed=3&backend=cpu&save=2&epochs=10`);
    await page.getByRole('button', { name: 'Choose file' }).waitFor();
    await page.locator('tl-own-data-source input[type=file]:not([webkitdirectory])').setInputFiles(slowTable());
    await page.getByRole('table', { name: 'Class distribution' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Train' }).click();
    await page.getByText(/Epoch [3-8] \/ 10/).waitFor({ timeout: 120_000 });
    await page.reload();

    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr').first();
    await row.getByText(/interrupted \(\d+ epochs\)/).waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Test accuracy').waitFor({ timeout: 180_000 });
    await page.getByText(/Training completed/).first().waitFor();
    // The Lab shows the data the run continued on.
    assert.match(page.url(), /dataset=file&file=slow\.csv&fsha=[0-9a-f]{64}/);
    await page.getByText(/slow\.csv: 4,?000 rows/).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
