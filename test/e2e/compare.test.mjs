import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import JSZip from 'jszip';
import { freshPage, resultsDir, runEndedAndSaved, useSiteAndBrowser } from './harness.mjs';
import { readCsv, unzip } from './run-zip.mjs';

const SHARED_RUNS = '../shared/fixtures/reference-runs';
const OWN_RUNS = 'test/fixtures/reference-layout';
const REFERENCE_RUNS = existsSync(SHARED_RUNS) ? SHARED_RUNS : OWN_RUNS;
const RUN = 'dataset=blobs&samples=300&classes=3&noise=1&model=mlp&hidden=8&epochs=3&batch=32&lr=0.05&backend=cpu';

/** A zip of every file under `root`, inside a folder named `checkpoints/` (like the Python tool's output directory). */
async function zipFolder(root, out) {
  const zip = new JSZip();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else zip.file(`checkpoints/${relative(root, p)}`, readFileSync(p));
    }
  };
  walk(root);
  writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory()).length;
}

async function trainAndDownload(page, url, seed, dir) {
  await page.goto(`${url}?${RUN}&seed=${seed}&autostart=1`);
  await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Download run.zip' }).click();
  const file = join(dir, (await download).suggestedFilename());
  await (await download).saveAs(file);
  return file;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

async function comparedIds(page) {
  return page.locator('tl-compare-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.runId));
}

describe('Compare: run zips and reference folders → tables, statistics, plots and comparison.zip', () => {
  const env = useSiteAndBrowser();

  it('two seeds of one run and the reference runs: grouped by everything but the seed, exported, and the LaTeX compiles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-compare-'));
    const trainer = await freshPage(env, { acceptDownloads: true });
    const zipA = await trainAndDownload(trainer.page, env.site.url, 1, dir);
    const zipB = await trainAndDownload(trainer.page, env.site.url, 2, dir);
    assert.deepEqual(trainer.errors, []);
    await trainer.page.close();
    const referenceZip = join(dir, 'checkpoints.zip');
    const referenceCount = await zipFolder(REFERENCE_RUNS, referenceZip);
    const notAZip = join(dir, 'notes.zip');
    writeFileSync(notAZip, 'this is not a zip');

    // A fresh browser profile: nothing stored, everything comes from the files.
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}#compare`);
    await page.getByRole('button', { name: 'Add runs' }).waitFor();
    await page.setInputFiles('input[name=add-runs]', [zipA, zipB, referenceZip, notAZip]);
    const report = page.getByRole('list', { name: 'What was added' });
    await report.getByText(`Added ${2 + referenceCount} runs`).waitFor({ timeout: 60_000 });
    assert.match(await report.textContent(), /notes\.zip: .*not a zip/, 'the bad file is listed with its reason');
    assert.equal((await comparedIds(page)).length, 2 + referenceCount);
    assert.equal(await page.locator('select[name=group-by]').inputValue(), 'all-but-seed', 'runs differing only by seed are grouped by default');

    // Adding a zip again notes it as already there.
    await page.setInputFiles('input[name=add-runs]', [zipA]);
    await report.getByText(/already there/).waitFor();
    assert.equal((await comparedIds(page)).length, 2 + referenceCount);

    // Plots are drawn in the page.
    await page.getByRole('img', { name: 'Overview (2 × 2)' }).waitFor({ timeout: 120_000 });
    await page.screenshot({ path: `${resultsDir()}/compare-view.png`, fullPage: true });

    const download = page.waitForEvent('download', { timeout: 180_000 });
    await page.getByRole('button', { name: 'Download comparison.zip' }).click();
    const zipPath = join(dir, (await download).suggestedFilename());
    await (await download).saveAs(zipPath);
    const out = join(dir, 'out');
    const names = unzip(zipPath, out);
    const root = names[0].split('/')[0];
    assert.match(root, /^comparison_\d{8}_\d{6}$/);
    for (const f of ['model_comparison.csv', 'group_comparison.csv', 'comparison_table.tex', 'summary_statistics.json', 'SUMMARY.txt', 'README.txt',
      ...['validation_curves', 'test_accuracy', 'size_vs_accuracy', 'per_class_f1', 'model_comparison'].flatMap((k) => [`${k}.png`, `${k}.pdf`])]) {
      assert.ok(names.includes(`${root}/${f}`), `${f} in comparison.zip`);
    }
    const rows = readCsv(join(out, root, 'model_comparison.csv'));
    assert.equal(rows.length, 2 + referenceCount);
    assert.deepEqual(Object.keys(rows[0]).slice(0, 10), ['Model', 'Run_Dir', 'Parameters', 'Test_Acc_%', 'Val_Acc_%', 'Best_Epoch', 'Training_Time', 'Finished', 'Batch_Size', 'Learning_Rate']);
    const lab = rows.filter((r) => /^mlp_\d{8}_\d{6}/.test(r.Run_Dir));
    assert.equal(lab.length, 2);
    const tested = rows.filter((r) => r['Test_Acc_%'] !== '').map((r) => Number(r['Test_Acc_%']));
    assert.deepEqual(tested, [...tested].sort((a, b) => b - a), 'sorted by test accuracy, best first');

    const groups = readCsv(join(out, root, 'group_comparison.csv'));
    const seeds = groups.find((g) => g.n === '2');
    assert.ok(seeds, 'one group holds the two seeds');
    const acc = lab.map((r) => Number(r.test_accuracy));
    assert.ok(Math.abs(Number(seeds.test_acc_mean) - mean(acc)) < 1e-9, 'group mean');
    assert.ok(Math.abs(Number(seeds.test_acc_std) - sampleStd(acc)) < 1e-9, 'group sample std (n − 1)');
    assert.equal(groups.length, 1 + referenceCount);

    const summary = JSON.parse(readFileSync(join(out, root, 'summary_statistics.json'), 'utf8'));
    assert.equal(summary.runs_compared, 2 + referenceCount);
    assert.equal(summary.grouped_by, 'everything but the seed');

    const tex = readFileSync(join(out, root, 'comparison_table.tex'), 'utf8');
    assert.match(tex, /\\caption\{Model Performance Comparison\}/);
    assert.match(tex, /\$\\pm\$/, 'groups print mean ± std');
    const pdflatex = spawnSync('pdflatex', ['--version']);
    if (pdflatex.status === 0) {
      const doc = join(dir, 'table.tex');
      writeFileSync(doc, `\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\begin{document}\n${tex}\n\\end{document}\n`);
      const compiled = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', '-output-directory', dir, doc], { encoding: 'utf8' });
      assert.equal(compiled.status, 0, `pdflatex failed:\n${compiled.stdout.slice(-2000)}`);
    } else console.log('# pdflatex not installed: the LaTeX compile check is skipped here (CI installs it)');

    // The comparison survives a reload: the records are stored and the set is in the address.
    await page.reload();
    await page.locator('tl-compare-table tbody tr').nth(1 + referenceCount).waitFor({ timeout: 30_000 });
    assert.equal((await comparedIds(page)).length, 2 + referenceCount);
    // Imported runs are listed in Runs with where they came from.
    await page.getByRole('link', { name: 'Runs' }).click();
    const listed = page.getByRole('grid', { name: 'Recorded runs' });
    await listed.locator('tbody tr').nth(1 + referenceCount).waitFor();
    assert.equal(await listed.getByText(/^imported: checkpoints\.zip › checkpoints\//).count(), referenceCount);
    assert.equal(await listed.getByText(/^imported: mlp_\d{8}_\d{6}\w*\.zip/).count(), 2);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('70 runs: the table keeps a window of its rows (aria-rowcount 71), scrolls to the last, and the page keeps its policy', async () => {
    // 70 copies of one reference run folder, each under its own name (the run id), in one zip.
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-compare-many-'));
    const source = join(REFERENCE_RUNS, readdirSync(REFERENCE_RUNS).find((n) => statSync(join(REFERENCE_RUNS, n)).isDirectory()));
    const zip = new JSZip();
    for (let i = 0; i < 70; i++) {
      for (const name of readdirSync(source).filter((n) => /\.(json|csv|txt)$/.test(n))) zip.file(`runs/copy_${String(i).padStart(2, '0')}/${name}`, readFileSync(join(source, name)));
    }
    const zipPath = join(dir, 'runs.zip');
    writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));

    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}#compare`);
    await page.getByRole('button', { name: 'Add runs' }).waitFor();
    await page.setInputFiles('input[name=add-runs]', [zipPath]);
    await page.getByRole('list', { name: 'What was added' }).getByText('Added 70 runs').waitFor({ timeout: 60_000 });
    const table = page.getByRole('table', { name: 'Compared runs' });
    assert.equal(await table.getAttribute('aria-rowcount'), '71');
    const drawn = (await comparedIds(page)).filter(Boolean).length;
    assert.ok(drawn > 5 && drawn < 70, `${drawn} rows in the page`);
    await page.locator('tl-compare-table .scroll').evaluate((box) => (box.scrollTop = box.scrollHeight));
    const last = page.locator('tl-compare-table tbody tr[aria-rowindex="71"]');
    await last.waitFor();
    assert.ok(await last.isVisible());
    await page.getByRole('img', { name: 'Overview (2 × 2)' }).waitFor({ timeout: 120_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the Compare code loads on demand: the Lab fetches none of it, #compare does', async () => {
    const { page, errors } = await freshPage(env);
    const scripts = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.goto(env.site.url);
    await page.getByRole('button', { name: 'Train' }).waitFor();
    assert.ok(scripts.length > 0, 'the page loaded scripts');
    assert.deepEqual(scripts.filter((p) => /tl-compare-view|compare-imports/.test(p)), [], 'no Compare chunk for the Lab');
    await page.getByRole('link', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Add runs' }).waitFor();
    assert.ok(scripts.some((p) => /tl-compare-view/.test(p)), 'the Compare view was fetched when opened');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('Runs → tick two runs → Compare selected → reload → still compared; the header box ticks every run shown', async () => {
    const { page, errors } = await freshPage(env);
    for (const seed of [5, 6, 7]) {
      await page.goto(`${env.site.url}?${RUN}&seed=${seed}&autostart=1`);
      await runEndedAndSaved(page, 120_000);
    }
    await page.getByRole('link', { name: 'Runs' }).click();
    const table = page.getByRole('grid', { name: 'Recorded runs' });
    await table.locator('tbody tr').nth(2).waitFor();
    const rows = table.locator('tbody tr');
    const picked = [];
    for (const i of [0, 2]) {
      await rows.nth(i).getByRole('checkbox').check();
      picked.push(await rows.nth(i).getAttribute('data-run-id'));
    }
    await page.getByRole('button', { name: 'Compare selected (2)' }).click();
    await page.locator('tl-compare-table tbody tr').nth(1).waitFor({ timeout: 30_000 });
    assert.deepEqual((await comparedIds(page)).sort(), picked.sort());
    assert.match(await page.evaluate(() => location.hash), /^#compare\//);
    await page.reload();
    await page.locator('tl-compare-table tbody tr').nth(1).waitFor({ timeout: 30_000 });
    assert.deepEqual((await comparedIds(page)).sort(), picked.sort());
    // After the reload, the Compare link still reopens the comparison from another view.
    await page.getByRole('link', { name: 'Lab' }).click();
    await page.getByRole('link', { name: 'Compare' }).click();
    await page.locator('tl-compare-table tbody tr').nth(1).waitFor({ timeout: 30_000 });
    assert.deepEqual((await comparedIds(page)).sort(), picked.sort());

    // The box in the header ticks every run shown.
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('checkbox', { name: /Select all 3 runs shown/ }).check();
    await page.getByRole('button', { name: 'Compare selected (3)' }).click();
    await page.locator('tl-compare-table tbody tr').nth(2).waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
