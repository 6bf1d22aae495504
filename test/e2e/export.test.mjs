import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';
import { loadLabModules } from './lab-modules.mjs';
import { unzip } from './run-zip.mjs';

const REFERENCE = '../shared/fixtures/reference-runs/complex_cnn_20251203_152820_curated_patient_wise/results_summary.json';
const REFERENCE_COPY = 'test/fixtures/reference-results-summary.json';

/** Every key path of a JSON value ("test.per_class_metrics.macro.f1"); arrays are leaves. */
function keyPaths(value, prefix = '') {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

function serveFolder(root) {
  const server = createServer((req, res) => {
    const file = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200).end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, 'localhost', () => r({ url: `http://localhost:${server.address().port}`, close: () => server.close() })));
}

const EXPORT_WORKER = /\/run-export-worker-[\w-]+\.js$/;
const EXPORT_TASK_BOUND_MS = 200;

/** In the page, before its scripts: the main thread's long tasks, as they come. */
function observeLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });
}

function parseCsv(text) {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  return { header: header.split(','), rows: rows.map((r) => r.split(',')) };
}

describe('Download run.zip from the built site', () => {
  const env = useSiteAndBrowser();

  it('holds the whole run folder, readable by independent tools, with a model that predicts like the page, built off the main thread', async () => {
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    const workers = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    await page.addInitScript(observeLongTasks);
    await page.goto(`${env.site.url}?dataset=blobs&samples=300&classes=4&noise=1&model=mlp&hidden=8&epochs=4&batch=32&lr=0.05&seed=11&save=2&backend=cpu&autostart=1`);
    await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500); // the end of the run settles before the export starts
    assert.ok(!workers.some((w) => EXPORT_WORKER.test(w)), 'no export worker before the first export');
    const t0 = await page.evaluate(() => performance.now());
    const downloadPromise = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Download run.zip' }).click();
    const download = await downloadPromise;
    await page.waitForTimeout(300); // a long task is reported just after it ends

    // Built off the main thread: in the export worker, and the page never blocked meanwhile. The bound
    // is generous (the target, 50 ms, is measured by `npm run bench:export`, not asserted): drawing
    // the 8 figures and deflating on the page took 80–390 ms a PDF, well above it.
    assert.ok(workers.some((w) => EXPORT_WORKER.test(w)), `run.zip is built in the export worker (workers: ${workers.join(', ')})`);
    const longest = await page.evaluate((from) => Math.max(0, ...window.__longTasks.filter((t) => t.start >= from).map((t) => t.duration)), t0);
    assert.ok(longest < EXPORT_TASK_BOUND_MS, `no main-thread task over ${EXPORT_TASK_BOUND_MS} ms while run.zip is built (longest ${Math.round(longest)} ms)`);
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-zip-'));
    const zipPath = join(dir, download.suggestedFilename());
    await download.saveAs(zipPath);
    await download.saveAs(join(resultsDir(), 'e2e-run.zip'));

    const names = unzip(zipPath, dir);
    const folder = names[0].split('/')[0];
    assert.match(folder, /^mlp_\d{8}_\d{6}$/);
    assert.ok(names.every((n) => n.startsWith(`${folder}/`)), 'everything sits under the run folder');
    const expected = ['results_summary.json', 'training_history.json', 'training_history.csv', 'per_class_metrics.csv', 'test_predictions.csv',
      'config.json', 'SUMMARY.txt', 'training_curves.png', 'training_curves.pdf', 'loss_curve.png', 'loss_curve.pdf', 'accuracy_curve.png',
      'accuracy_curve.pdf', 'confusion_matrix.png', 'confusion_matrix.pdf', 'best_model/model.json', 'checkpoint_epoch_2/model.json',
      'checkpoint_epoch_4/model.json', 'README.txt'];
    for (const f of expected) assert.ok(names.includes(`${folder}/${f}`), `${f} in the zip`);
    const run = join(dir, folder);
    for (const png of names.filter((n) => n.endsWith('.png'))) {
      assert.deepEqual([...readFileSync(join(dir, png)).subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${png} is a PNG`);
    }
    for (const pdf of names.filter((n) => n.endsWith('.pdf'))) assert.equal(readFileSync(join(dir, pdf), 'latin1').slice(0, 5), '%PDF-');

    const summary = JSON.parse(readFileSync(join(run, 'results_summary.json'), 'utf8'));
    const reference = JSON.parse(readFileSync(existsSync(REFERENCE) ? REFERENCE : REFERENCE_COPY, 'utf8'));
    // ECG-specific keys of the reference script have no meaning for our datasets.
    const ecgOnly = /^(config\.(window_size|lead)|dataset\.(num_\w+_records|\w+_records))$/;
    const ours = new Set(keyPaths(summary));
    for (const path of keyPaths(reference).filter((p) => !ecgOnly.test(p))) assert.ok(ours.has(path), `results_summary.json has ${path}`);
    assert.equal(summary.status, 'completed');
    JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    JSON.parse(readFileSync(join(run, 'training_history.json'), 'utf8'));
    const history = parseCsv(readFileSync(join(run, 'training_history.csv'), 'utf8'));
    assert.deepEqual(history.header.slice(0, 6), ['epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'learning_rate']);
    assert.equal(history.rows.length, 4);

    // The best model loads over http with tf.loadLayersModel and predicts what the page recorded.
    const served = await serveFolder(run);
    try {
      const model = await tf.loadLayersModel(`${served.url}/best_model/model.json`);
      const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
      const { makeSynthetic, splitDataset } = await loadLabModules();
      const ds = makeSynthetic(summary.config.dataset, summary.config.synthetic);
      const split = splitDataset(ds, { train: summary.config.train_ratio, val: summary.config.val_ratio, test: summary.config.test_ratio }, summary.config.seed, { standardize: summary.config.standardized });
      assert.ok(config, 'config.json parses');
      const predicted = tf.tidy(() => model.predict(tf.tensor2d(split.test.x, [split.test.n, 2])).argMax(1).arraySync());
      const csv = parseCsv(readFileSync(join(run, 'test_predictions.csv'), 'utf8'));
      assert.deepEqual(csv.header.slice(0, 4), ['index', 'true_label', 'predicted_label', 'confidence']);
      assert.deepEqual(csv.rows.map((r) => Number(r[1])), [...split.test.y], 'the rebuilt test split matches the page’s');
      assert.deepEqual(csv.rows.map((r) => Number(r[2])), predicted, 'best_model predicts the page’s classes');
      assert.ok(predicted.some((p, i) => p !== split.test.y[i]), 'overlapping blobs: some mistakes, so the comparison means something');
      // Each figure comes as a PNG and its PDF (the four above and whatever figures a run of this kind adds).
      const files = readdirSync(run);
      for (const png of files.filter((f) => f.endsWith('.png'))) assert.ok(files.includes(png.replace(/\.png$/, '.pdf')), `${png} has its PDF`);
    } finally {
      served.close();
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});
