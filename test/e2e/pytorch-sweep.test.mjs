// Export a sweep as PyTorch, run for real: a sweep of 2 tiny Moons runs (two learning rates) trains in
// the built site, "Export sweep as PyTorch" downloads {sweep_id}_pytorch.zip, and run_sweep.py runs
// with Debian's PyTorch: every configuration in turn, then configuration 1 alone (as an array job's
// index would). Each run folder must hold its run's configuration and follow its browser run.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPage, useSiteAndBrowser } from './harness.mjs';
import { download, unzip } from './run-zip.mjs';

import { torchPython as PYTHON } from '../../scripts/system-deps.mjs';
const SWEEP = 'dataset=moons&samples=300&noise=0.2&model=mlp&hidden=8&act=relu&dropout=0&epochs=2&batch=32&optimizer=adam&backend=cpu&sweep=lr:0.01|0.1';
/** Train losses per epoch, browser vs PyTorch (same initial weights, batch order and optimizer), as in pytorch.test.mjs. */
const LOSS_TOLERANCE = 1e-3;

const work = mkdtempSync(join(tmpdir(), 'trainlab-pytorch-sweep-'));
after(() => rmSync(work, { recursive: true, force: true }));
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));

function runSweep(dir, args) {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  return execFileSync(PYTHON, ['run_sweep.py', '--quiet', ...args], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/** The one run folder under `out/{run_id}/` and its results_summary.json. */
function runFolder(out, runId) {
  const parent = join(out, runId);
  assert.ok(existsSync(parent), `${parent} written`);
  const [folder, ...more] = readdirSync(parent);
  assert.equal(more.length, 0, `one run folder under ${parent}`);
  return json(join(parent, folder, 'results_summary.json'));
}

describe('Export a sweep as PyTorch', () => {
  const env = useSiteAndBrowser();

  it('a sweep of 2 Moons runs exports as one zip; run_sweep.py runs both in turn, and one by --index', async () => {
    const t0 = performance.now();
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?${SWEEP}`);
    const panel = page.getByRole('region', { name: 'Sweep' });
    await panel.getByRole('status', { name: 'Sweep plan' }).getByText(/^2 runs/).waitFor({ timeout: 60_000 });
    await panel.getByRole('button', { name: 'Start sweep' }).click();
    await panel.getByRole('status', { name: 'Last sweep' }).getByText(/completed, 2 of 2 runs done\./).waitFor({ timeout: 120_000 });
    const sweepId = /\((sweep_[0-9_]+)\)/.exec(await panel.getByRole('status', { name: 'Last sweep' }).innerText())?.[1];
    assert.ok(sweepId, 'the panel names the sweep');
    const zip = await download(page, () => panel.getByRole('button', { name: 'Export sweep as PyTorch' }).click());
    assert.equal(zip.suggestedFilename(), `${sweepId}_pytorch.zip`);
    const zipPath = join(work, zip.suggestedFilename());
    await zip.saveAs(zipPath);
    assert.equal(await panel.getByRole('status', { name: 'Sweep export' }).count(), 0, 'no export status left once saved');
    // The browser runs, for comparison (the run store holds their histories).
    const browser = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('trainlab');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const req = open.result.transaction('runs').objectStore('runs').getAll();
        req.onsuccess = () => (open.result.close(), resolve(req.result));
        req.onerror = () => reject(req.error);
      };
    }));
    assert.deepEqual(errors, []);
    await page.close();
    const browserSeconds = (performance.now() - t0) / 1000;

    const names = unzip(zipPath, work);
    const dir = join(work, `${sweepId}_pytorch`);
    const sweep = json(join(dir, 'sweep.json'));
    assert.equal(sweep.runs.length, 2);
    assert.deepEqual(sweep.runs.map((r) => r.values.lr), ['0.01', '0.1']);
    assert.equal(names.filter((n) => n.endsWith('/train.py')).length, 1, 'one train.py');
    assert.equal(names.filter((n) => n.endsWith('/train.csv')).length, 1, 'one copy of the data');

    const t1 = performance.now();
    const all = runSweep(dir, []);
    const allSeconds = (performance.now() - t1) / 1000;
    assert.match(all, /\[1\/2\] .* configuration 0: .*lr=0\.01/);
    assert.match(all, /\[2\/2\] .* configuration 1: .*lr=0\.1/);
    for (const run of sweep.runs) {
      const summary = runFolder(join(dir, 'runs'), run.run_id);
      const record = browser.find((r) => r.run_id === run.run_id);
      assert.ok(record, `${run.run_id} is a browser run`);
      assert.equal(summary.config.learning_rate, Number(run.values.lr), `${run.run_id}: its configuration`);
      assert.equal(summary.environment.framework, 'PyTorch');
      assert.equal(summary.history.length, 2);
      const diff = Math.max(...summary.history.map((h, i) => Math.abs(h.train_loss - record.history[i].train_loss)));
      assert.ok(diff < LOSS_TOLERANCE, `${run.run_id}: train losses follow the browser run's (max difference ${diff})`);
    }

    const t2 = performance.now();
    runSweep(dir, ['--index', '1', '--out', 'array']);
    const oneSeconds = (performance.now() - t2) / 1000;
    assert.deepEqual(readdirSync(join(dir, 'array')), [sweep.runs[1].run_id], '--index 1 runs configuration 1 only');
    assert.equal(runFolder(join(dir, 'array'), sweep.runs[1].run_id).config.learning_rate, 0.1);
    assert.throws(() => runSweep(dir, ['--index', '2']), (e) => e.status === 2 && /--index 2 is out of range: this sweep has configurations 0 to 1/.test(e.stderr));
    console.log(`# sweep export: browser sweep + export ${browserSeconds.toFixed(1)} s; run_sweep.py (2 runs) ${allSeconds.toFixed(1)} s; --index 1 ${oneSeconds.toFixed(1)} s`);
  });
});
