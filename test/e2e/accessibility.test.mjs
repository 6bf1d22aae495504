import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freshPage, runEndedAndSaved, useSiteAndBrowser } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const RUN = 'dataset=blobs&samples=200&classes=3&model=mlp&hidden=8&epochs=2&batch=32&lr=0.05&backend=cpu';
const REFERENCE = ['../shared/fixtures/reference-runs', 'test/fixtures/reference-layout'];

/** axe-core on the whole page (open shadow roots included): every WCAG 2.0/2.1 A and AA violation, in words. */
async function violations(page) {
  // Evaluated through the DevTools protocol: addScriptTag would add an inline <script>, which the
  // site's Content-Security-Policy refuses (and the harness reports as a violation).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe('accessibility (axe-core, WCAG 2.1 A/AA) of every view', () => {
  const env = useSiteAndBrowser();

  it('Lab, Runs, a run view and Compare with runs loaded have no violations', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?${RUN}&seed=1&autostart=1`);
    await runEndedAndSaved(page, 120_000);
    assert.deepEqual(await violations(page), [], 'Lab after a run');

    await page.goto(`${env.site.url}?${RUN}&seed=2&autostart=1`);
    await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: 'Runs' }).click();
    const rows = page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.deepEqual(await violations(page), [], 'Runs');

    await rows.first().getByRole('button', { name: 'Open' }).click();
    await page.getByRole('table', { name: 'Per-epoch history' }).waitFor();
    await page.getByRole('img', { name: 'Confusion matrix' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await violations(page), [], 'a run view');

    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('checkbox', { name: /Select all 2 runs shown/ }).check();
    await page.getByRole('button', { name: 'Compare selected (2)' }).click();
    await page.getByRole('button', { name: 'Add folder' }).waitFor();
    const { existsSync } = await import('node:fs');
    await page.setInputFiles('input[name=add-folder]', REFERENCE.find((p) => existsSync(p)));
    await page.getByRole('list', { name: 'What was added' }).getByText(/Added \d+ runs/).waitFor({ timeout: 60_000 });
    await page.getByRole('img', { name: 'Overview (2 × 2)' }).waitFor({ timeout: 120_000 });
    assert.deepEqual(await violations(page), [], 'Compare with runs loaded');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
