// The decision boundary in the built site: training Moons shades the scatter plot with the model's
// map, which changes from epoch 1 to the end; run.zip holds decision_boundary.png/.pdf, and
// test_predictions.csv each test row's index into the dataset.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';
import { download, readCsv, unzip } from './run-zip.mjs';

// Maps are drawn within 5 % of the training time: on wasm's dense step an epoch of Moons' default
// size takes milliseconds, less than 20 maps, so this run's epochs are made long (20,000 rows, batch 4).
const MOONS = 'dataset=moons&samples=20000&noise=0.1&model=mlp&hidden=16,16&act=tanh&epochs=6&batch=4&lr=0.01&optimizer=adam&seed=3&backend=wasm';

/** The scatter plot's label and pixels, read together. */
function readPlot(page) {
  return page.getByRole('img', { name: /Scatter plot of the dataset/ }).evaluate((canvas) => ({
    label: canvas.getAttribute('aria-label'),
    pixels: Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data),
  }));
}

describe('decision boundary in the built site', () => {
  const env = useSiteAndBrowser();

  it('Moons: the map under the points changes from epoch 1 to the end; run.zip has decision_boundary.png/.pdf', async () => {
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?${MOONS}`);
    // The first map is caught in the page the moment the plot's label names it (a fast run can end
    // before a poll from here sees epoch 1), then Train is pressed.
    const plot = page.getByRole('img', { name: /Scatter plot of the dataset/ });
    await plot.evaluate((canvas) => {
      new MutationObserver(() => {
        const label = canvas.getAttribute('aria-label');
        if (window.__firstMap || !/after epoch \d+/.test(label)) return;
        window.__firstMap = { label, pixels: Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data) };
      }).observe(canvas, { attributes: true, attributeFilter: ['aria-label'] });
    });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => window.__firstMap, null, { timeout: 120_000 });
    const early = await page.evaluate(() => window.__firstMap);
    const earlyEpoch = Number(/after epoch (\d+)/.exec(early.label)[1]);
    await page.getByText('Test accuracy').first().waitFor({ timeout: 180_000 });
    await page.getByText(/misclassified test point \(ringed\)/).waitFor();
    const end = await readPlot(page);
    const endEpoch = Number(/after epoch (\d+)/.exec(end.label)[1]);
    assert.ok(endEpoch > earlyEpoch, `the map at the end (epoch ${endEpoch}) is a later one than epoch ${earlyEpoch}'s`);
    let changed = 0;
    for (let i = 0; i < end.pixels.length; i += 4) if (Math.abs(end.pixels[i] - early.pixels[i]) + Math.abs(end.pixels[i + 2] - early.pixels[i + 2]) > 6) changed++;
    const share = changed / (end.pixels.length / 4);
    assert.ok(share > 0.01, `pixels changed between epoch ${earlyEpoch} and the end: ${(100 * share).toFixed(1)} %`);
    const shot = join(resultsDir(), 'decision-boundary-lab.png');
    await page.getByRole('img', { name: /Scatter plot of the dataset/ }).screenshot({ path: shot });

    const zip = await download(page, () => page.getByRole('button', { name: 'Download run.zip' }).first().click());
    const dir = mkdtempSync(join(tmpdir(), 'tl-boundary-'));
    const zipPath = join(dir, 'run.zip');
    await zip.saveAs(zipPath);
    const names = unzip(zipPath, dir);
    const root = names[0].split('/')[0];
    const predictions = readCsv(join(dir, root, 'test_predictions.csv'));
    assert.equal(predictions.length, 3000);
    assert.ok(predictions.every((r) => Number.isInteger(Number(r.row_index)) && Number(r.row_index) >= 0 && Number(r.row_index) < 20_000), 'row_index: a row of the dataset');
    assert.equal(new Set(predictions.map((r) => r.row_index)).size, 3000);
    for (const f of ['decision_boundary.png', 'decision_boundary.pdf']) {
      assert.ok(names.includes(`${root}/${f}`), `run.zip holds ${f}: ${names.join(', ')}`);
      copyFileSync(join(dir, root, f), join(resultsDir(), f));
    }
    writeFileSync(join(resultsDir(), 'decision-boundary-files.txt'), names.join('\n'));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
