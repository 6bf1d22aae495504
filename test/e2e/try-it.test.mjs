// Try it (issue 12, point 3) on the built site: a trained MNIST model takes a drawing (mouse strokes
// on the canvas) and shows ten probability bars that add up to 100 %; an uploaded PNG of one test
// image gets the class test_predictions.csv gives it; an Iris run's view takes a typed row, and
// Predict a file turns a small CSV into a predictions CSV with one row per input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';
import { download, readCsv, unzip } from './run-zip.mjs';

const MNIST = 'dataset=mnist&model=mlp&hidden=32&act=relu&dropout=0&epochs=1&batch=128&lr=0.003&optimizer=adam&seed=5&backend=cpu&autostart=1';
const IRIS = 'dataset=iris&model=mlp&hidden=8&act=relu&dropout=0&epochs=15&batch=16&lr=0.05&optimizer=adam&seed=3&backend=cpu&autostart=1';

/** The lab's MNIST reader and split, bundled for Node, to rebuild a run's test split. */
async function labModules() {
  const dir = mkdtempSync(join(tmpdir(), 'trainlab-tryit-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `export { parseMnistBinary } from ${JSON.stringify(resolve('src/training/datasets/mnist.ts'))};\nexport { splitDataset } from ${JSON.stringify(resolve('src/training/split.ts'))};\n`);
  const outfile = join(dir, 'lab.mjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

/** The bars shown: class name and percentage, in class order. */
async function bars(panel) {
  const items = panel.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem');
  return (await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')))).map((label) => {
    const [, name, pct] = /^(.*): ([\d.]+) %$/.exec(label);
    return { name, pct: Number(pct) };
  });
}

const top = (b) => b.reduce((best, x) => (x.pct > best.pct ? x : best)).name;
const sum = (b) => Math.round(b.reduce((s, x) => s + x.pct, 0) * 10) / 10;

describe('Try it', () => {
  const env = useSiteAndBrowser();

  it('MNIST: strokes drawn with the mouse give ten bars summing to 100 %; an uploaded test image gets its recorded class', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?${MNIST}`);
    await page.getByText('Test accuracy').waitFor({ timeout: 180_000 });
    const panel = page.getByRole('region', { name: 'Try it' });
    const canvas = panel.getByRole('img', { name: /Drawing area/ });
    await canvas.waitFor({ timeout: 60_000 });

    // A "7": a stroke across the top, then down to the bottom left.
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    for (const [fx, fy] of [[0.45, 0.2], [0.7, 0.2], [0.6, 0.45], [0.5, 0.65], [0.42, 0.85]]) await page.mouse.move(...at(fx, fy), { steps: 6 });
    await page.mouse.up();
    const list = panel.getByRole('list', { name: 'Class probabilities' });
    await list.waitFor({ timeout: 60_000 });
    const drawn = await bars(panel);
    assert.deepEqual(drawn.map((b) => b.name), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(sum(drawn), 100);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: `${resultsDir()}/try-it-mnist.png` });

    // The run's test_predictions.csv and config.json, and its test split rebuilt from the data it names.
    const zipFile = await (await download(page, () => page.getByRole('button', { name: 'Download run.zip' }).click())).path();
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-tryit-zip-'));
    const names = unzip(zipFile, dir);
    const folder = names.find((n) => n.endsWith('/test_predictions.csv')).split('/')[0];
    const predictions = readCsv(join(dir, folder, 'test_predictions.csv'));
    const written = JSON.parse(readFileSync(join(dir, folder, 'config.json'), 'utf8'));
    const config = written.config ?? written;
    const lab = await labModules();
    const bin = readFileSync(join(process.env.TL_DIST || 'dist', 'datasets/mnist-10k.bin'));
    const dataset = lab.parseMnistBinary(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    const split = lab.splitDataset(dataset, { train: config.train_ratio, val: config.val_ratio, test: config.test_ratio }, config.split_seed ?? config.seed);
    const row = 3;
    assert.equal(Number(predictions[row].true_label), split.test.y[row], 'the rebuilt test split is the run\'s');
    const pixels = Array.from(split.test.x.subarray(row * 784, (row + 1) * 784), (v) => Math.round(v * 255));
    const png = await page.evaluate(async (values) => {
      const canvas = new OffscreenCanvas(28, 28);
      const ctx = canvas.getContext('2d');
      const img = ctx.createImageData(28, 28);
      values.forEach((v, i) => img.data.set([v, v, v, 255], i * 4));
      ctx.putImageData(img, 0, 0);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      return btoa(String.fromCharCode(...bytes));
    }, pixels);

    await panel.getByRole('button', { name: 'Clear' }).click();
    await list.waitFor({ state: 'detached' });
    await panel.getByLabel('Or upload an image of a digit').setInputFiles({ name: `test_${row}.png`, mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await list.waitFor({ timeout: 60_000 });
    const uploaded = await bars(panel);
    assert.equal(sum(uploaded), 100);
    assert.equal(top(uploaded), dataset.classNames[Number(predictions[row].predicted_label)], 'the class test_predictions.csv gives this test image');
    // Not only the class: every probability is the recorded one (within the 0.1 % the bars are rounded to), so the image reached the model as the test row did.
    uploaded.forEach((b) => assert.ok(Math.abs(b.pct - 100 * Number(predictions[row][`prob_${b.name}`])) < 0.1, `class ${b.name}: ${b.pct} % shown, ${predictions[row][`prob_${b.name}`]} recorded`));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("Iris, from the run's view: a typed row gives three bars; Predict a file gives one predicted row per input row", async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?${IRIS}`);
    await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('grid', { name: 'Recorded runs' }).locator('tbody tr').first().getByRole('button', { name: 'Open' }).click();
    const panel = page.locator('tl-run-view').getByRole('region', { name: 'Try it' });
    const form = panel.getByRole('form', { name: 'A row to predict' });
    await form.waitFor({ timeout: 60_000 });
    for (const [name, value] of [['sepal_length', '6.3'], ['sepal_width', '3.3'], ['petal_length', '6.0'], ['petal_width', '2.5']]) await form.getByLabel(name).fill(value);
    await form.getByRole('button', { name: 'Predict' }).click();
    await panel.getByRole('list', { name: 'Class probabilities' }).waitFor({ timeout: 60_000 });
    const typed = await bars(panel);
    assert.deepEqual(typed.map((b) => b.name), ['setosa', 'versicolor', 'virginica']);
    assert.equal(sum(typed), 100);

    await form.getByLabel('petal_width').fill('');
    await form.getByRole('button', { name: 'Predict' }).click();
    await panel.getByRole('alert').filter({ hasText: '"petal_width" is empty' }).waitFor();

    const csv = 'sepal_length,sepal_width,petal_length,petal_width\n6.3,3.3,6.0,2.5\n5.1,3.5,1.4,0.2\n5.9,3.0,4.2,1.5\n';
    const file = await download(page, () => panel.getByLabel('Predict a file').setInputFiles({ name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }));
    assert.match(file.suggestedFilename(), /_predictions_flowers\.csv$/);
    const rows = readCsv(await file.path());
    assert.equal(rows.length, 3, 'one row per input row');
    assert.deepEqual(Object.keys(rows[0]), ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'predicted_class', 'confidence', 'prob_setosa', 'prob_versicolor', 'prob_virginica']);
    assert.equal(rows[0].predicted_class, top(typed), 'the same row typed and in the file: the same class');
    for (const r of rows) assert.ok(Math.abs(Number(r.prob_setosa) + Number(r.prob_versicolor) + Number(r.prob_virginica) - 1) < 1e-5);
    await panel.getByText(/3 rows predicted: saved/).waitFor();
    await panel.screenshot({ path: `${resultsDir()}/try-it-iris.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
