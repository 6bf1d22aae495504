// The run view of a trained run shows its configuration, data and environment in words (issue 12,
// point 5): the schedule, early stopping and model as text, skipped backends as a list with reasons,
// and how the training steps were computed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';

const RUN = 'dataset=spirals&samples=300&model=mlp&hidden=16,16&epochs=3&batch=32&lr=0.01&sched=step&step=10&gamma=0.5&seed=4&autostart=1';

describe('the run view in words', () => {
  const env = useSiteAndBrowser();

  it('a trained run: schedule, early stopping, model, skipped backends; no JSON', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?${RUN}`);
    await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr').first().getByRole('button', { name: 'Open' }).click();

    const row = (table, label) => page.getByRole('table', { name: table, exact: true }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
    const value = async (table, label) => (await row(table, label).getByRole('cell').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(await value('Training', 'Learning rate'), '0.01 (schedule: step: × 0.5 every 10 epochs)');
    assert.equal(await value('Training', 'Early stopping'), 'off');
    assert.equal(await value('Model', 'Model'), 'MLP (hidden layers [16, 16], relu, dropout 0)');
    assert.match(await value('Data', 'Dataset'), /^Spirals .*\(spirals\)$/);
    assert.match(await value('Data', 'Generated'), /^300 samples, noise [\d.]+, \d classes, seed \d+$/);

    // Headless Chromium's WebGPU adapter is SwiftShader: the automatic choice skips it, with its reason.
    const backend = await value('Environment', 'Backend');
    const skipped = await row('Environment', 'Skipped').getByRole('listitem').allInnerTexts();
    assert.ok(skipped.length >= 1, `skipped backends listed (ran on ${backend})`);
    for (const s of skipped) assert.match(s, /^(webgpu|webgl|wasm|cpu): \S.+/);
    // An MLP on wasm takes the lab's dense step; on this cross-origin isolated page its products may use every core.
    const step = await value('Environment', 'Training step');
    if (backend.startsWith('wasm')) assert.match(step, /^the lab's dense step: WebAssembly SIMD products( with fused multiply-adds)? on (1 thread|up to \d+ threads)$/);
    else assert.equal(step, 'TensorFlow.js (optimizer.minimize)');

    const details = page.locator('tl-run-details');
    const text = await details.innerText();
    assert.doesNotMatch(text, /[{}]|"kind"/);
    await details.scrollIntoViewIfNeeded();
    await details.screenshot({ path: `${resultsDir()}/run-view-details.png` });
    await page.screenshot({ path: `${resultsDir()}/run-view.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
