import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';
import { download, unzip } from './run-zip.mjs';

async function historyEpochs(page) {
  const cells = await page.getByRole('table', { name: 'Per-epoch history' }).locator('tbody tr td:first-child').allTextContents();
  return cells.map((c) => Number.parseInt(c, 10));
}

describe('Back up all runs and restore them in an empty browser', () => {
  const env = useSiteAndBrowser();

  it('a backup downloaded from one browser restores the run, history and run.zip in a fresh one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-backup-'));
    const first = await freshPage(env, { acceptDownloads: true });
    await first.page.goto(`${env.site.url}?dataset=moons&samples=300&model=mlp&hidden=8&epochs=3&batch=32&lr=0.05&seed=5&save=2&backend=cpu&autostart=1`);
    await first.page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
    await first.page.getByRole('link', { name: 'Runs' }).click();
    const backup = await download(first.page, () => first.page.getByRole('button', { name: 'Back up all runs' }).click());
    assert.match(backup.suggestedFilename(), /^trainlab-backup_\d{8}_\d{6}\.zip$/);
    const backupPath = join(dir, backup.suggestedFilename());
    await backup.saveAs(backupPath);
    await backup.saveAs(join(resultsDir(), 'e2e-backup.zip'));
    await first.page.getByTestId('backup-summary').getByText(/^Backed up 1 run \([\d.]+ kB\) to trainlab-backup_\d{8}_\d{6}\.zip in [\d.]+ s\.$/).waitFor();

    const names = unzip(backupPath, join(dir, 'backup'));
    const runId = names.find((n) => n.endsWith('/_restore/record.json')).split('/')[0];
    assert.match(runId, /^mlp_\d{8}_\d{6}$/);
    for (const f of ['README.txt', 'SUMMARY.txt', 'results_summary.json', 'config.json', 'training_history.csv', 'test_predictions.csv',
      'best_model/model.json', 'best_model/weights.bin', 'checkpoint_epoch_2/weights.bin', '_restore/record.json', '_restore/manifest.json', '_restore/predictions.bin']) {
      assert.ok(names.includes(`${runId}/${f}`), `${f} in the backup`);
    }
    assert.ok(names.includes('backup_manifest.json'));
    assert.ok(!names.some((n) => /\.(png|pdf)$/.test(n)), 'no figures in a backup');
    const manifest = JSON.parse(readFileSync(join(dir, 'backup', 'backup_manifest.json'), 'utf8'));
    assert.equal(manifest.format, 'trainlab-backup');
    assert.deepEqual(manifest.runs.map((r) => [r.run_id, r.status]), [[runId, 'completed']]);
    const restoreManifest = JSON.parse(readFileSync(join(dir, 'backup', runId, '_restore', 'manifest.json'), 'utf8'));
    assert.ok(restoreManifest.snapshots.length >= 1 && restoreManifest.snapshots.every((s) => s.model.weightSpecs.some((w) => w.group === 'optimizer')), 'snapshots keep the optimizer state');
    assert.deepEqual(first.errors, []);
    await first.page.close();

    // A fresh browser context: empty storage, as after the browser evicted it.
    const second = await freshPage(env, { acceptDownloads: true });
    const { page } = second;
    await page.goto(`${env.site.url}#runs`);
    const table = page.getByRole('grid', { name: 'Recorded runs' });
    await page.getByRole('button', { name: 'Restore from backup…' }).waitFor();
    assert.equal(await table.locator('tbody tr', { hasText: runId }).count(), 0, 'the new browser starts empty');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Restore from backup…' }).click();
    await (await chooser).setFiles(backupPath);
    const report = page.getByRole('table', { name: 'Restored runs' });
    await report.locator('tbody tr', { hasText: runId }).getByText('restored', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByTestId('backup-summary').getByText(/1 run restored, 0 already there, 0 refused\./).waitFor();

    const row = table.locator('tbody tr', { hasText: runId });
    await row.getByText('completed').waitFor();
    await row.getByRole('button', { name: 'Open' }).click();
    assert.deepEqual(await historyEpochs(page), [1, 2, 3]);
    const runZip = await download(page, () => page.getByRole('button', { name: 'Download run.zip' }).click());
    const runZipPath = join(dir, runZip.suggestedFilename());
    await runZip.saveAs(runZipPath);
    const runNames = unzip(runZipPath, join(dir, 'restored'));
    for (const f of ['best_model/weights.bin', 'checkpoint_epoch_2/weights.bin', 'training_curves.png', 'confusion_matrix.pdf', 'test_predictions.csv']) {
      assert.ok(runNames.includes(`${runId}/${f}`), `${f} in the restored run's run.zip`);
    }
    // The restored run is the backed-up one, byte for byte where the files are the same.
    for (const f of ['results_summary.json', 'test_predictions.csv', 'best_model/weights.bin', 'checkpoint_epoch_2/weights.bin']) {
      assert.deepEqual(readFileSync(join(dir, 'restored', runId, f)), readFileSync(join(dir, 'backup', runId, f)), `${f} as backed up`);
    }

    // Restoring the same file again finds the run already there.
    const again = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Restore from backup…' }).click();
    await (await again).setFiles(backupPath);
    await report.locator('tbody tr', { hasText: runId }).getByText('already there').waitFor({ timeout: 60_000 });
    assert.equal(await table.locator('tbody tr', { hasText: runId }).count(), 1);
    await page.screenshot({ path: `${resultsDir()}/backup-restored.png`, fullPage: true });
    assert.deepEqual(second.errors, []);
    await page.close();
  });
});
