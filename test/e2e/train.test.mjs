import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, resultsDir, startSite, watchErrors } from './harness.mjs';

describe('training in the built site', () => {
  let site;
  let browser;
  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  it('autostarts from the URL, trains on a small synthetic set and shows the results', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const errors = watchErrors(page);
    await page.goto(`${site.url}?dataset=moons&samples=200&model=mlp&hidden=8&epochs=4&batch=32&lr=0.05&optimizer=adam&seed=7&backend=cpu&autostart=1`);
    await page.getByText('Test accuracy').waitFor({ timeout: 180_000 });
    const accuracy = await page.getByTestId('test-accuracy').textContent();
    assert.match(accuracy ?? '', /^\d+\.\d{2} %$/);
    assert.ok(await page.getByRole('table', { name: 'Confusion matrix' }).isVisible(), 'confusion matrix shown');
    const backend = await page.getByTestId('backend').textContent();
    assert.match(backend ?? '', /Backend: cpu/);
    await page.screenshot({ path: `${resultsDir()}/train-moons.png`, fullPage: true });
    // The URL keeps the settings but drops autostart so a reload does not start a second run.
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('dataset'), 'moons');
    assert.equal(url.searchParams.get('epochs'), '4');
    assert.equal(url.searchParams.get('autostart'), null);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
