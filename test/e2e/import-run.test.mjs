// Import run with its weights, for real: a run trained in the built site is exported as PyTorch,
// train.py (Debian's PyTorch) trains it, its run folder is zipped and imported on the Runs page with
// Import run, and the imported run's Evaluate on the test split runs the tfjs weights train.py wrote
// on the split rebuilt in the page: the accuracy it shows is PyTorch's own, next to the browser run's.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import JSZip from 'jszip';
import { freshPage, useSiteAndBrowser } from './harness.mjs';
import { download, unzip } from './run-zip.mjs';

import { torchPython as PYTHON } from '../../scripts/system-deps.mjs';
const work = mkdtempSync(join(tmpdir(), 'trainlab-import-run-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The run folder as one zip, the folder inside it. */
async function zipFolder(root, to) {
  const zip = new JSZip();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else zip.file(`${basename(root)}/${relative(root, path)}`, readFileSync(path));
    }
  };
  walk(root);
  writeFileSync(to, await zip.generateAsync({ type: 'nodebuffer' }));
}

describe('Import run (with weights) and Evaluate on the test split', () => {
  const env = useSiteAndBrowser();

  it("a PyTorch run folder imported with its best model scores PyTorch's test accuracy in the page", async () => {
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?dataset=moons&samples=600&noise=0.5&model=mlp&hidden=8&act=relu&dropout=0&epochs=3&batch=32&lr=0.01&optimizer=adam&seed=5&backend=cpu&autostart=1`);
    await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
    const exported = await download(page, () => page.getByRole('button', { name: 'Export as PyTorch' }).click());
    const zipPath = join(work, exported.suggestedFilename());
    await exported.saveAs(zipPath);
    unzip(zipPath, work);
    const exportDir = join(work, exported.suggestedFilename().replace(/\.zip$/, ''));
    const browserRunId = basename(exportDir).replace(/_pytorch$/, '');
    const out = execFileSync(PYTHON, ['train.py', '--out', join(work, 'runs')], { cwd: exportDir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8', timeout: 120_000 });
    const folder = /^Run folder: (.+)$/m.exec(out)?.[1];
    assert.ok(folder, out);
    const summary = JSON.parse(readFileSync(join(folder, 'results_summary.json'), 'utf8'));
    const runZip = join(work, `${basename(folder)}.zip`);
    await zipFolder(folder, runZip);

    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Import run (zip)').setInputFiles(runZip);
    const view = page.getByRole('region', { name: `Run ${basename(folder)}` });
    await view.waitFor({ timeout: 30_000 });
    await view.getByText('its best model was imported too').waitFor();
    await view.getByRole('button', { name: 'Evaluate on the test split' }).click();
    const line = view.getByRole('status', { name: 'Evaluation' });
    await line.getByText('Test accuracy here:').waitFor({ timeout: 60_000 });
    const text = await line.textContent();
    const m = /^Test accuracy here: ([\d.]+) % on (\d+) samples \(recorded: ([\d.]+) %; the browser run (\S+): ([\d.]+) %\)$/.exec(text.trim());
    assert.ok(m, text);
    const [here, n, recorded, runId] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]];
    assert.equal(runId, browserRunId);
    assert.equal(n, summary.dataset.num_test_samples);
    assert.equal(recorded, Number(summary.test.test_accuracy.toFixed(2)));
    // The same weights on the same rows: PyTorch's and tfjs's probabilities agree to ~1e-6, so the classes too.
    assert.ok(Math.abs(here - summary.test.test_accuracy) < 1e-6 + 0.005, `here ${here} %, PyTorch ${summary.test.test_accuracy} %`);
    console.log(`imported ${basename(folder)}: ${text.trim()}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
