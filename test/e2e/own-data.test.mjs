// A person's own data in the built site, driven through accessible names as a person would: a table
// file (semicolon, decimal commas, a categorical column, missing cells) imputed and trained on; a
// ragged file refused with its row numbers; a zip of PNG class folders trained on by a CNN; the copy
// kept in this browser found again on reload, then forgotten. Every run.zip is read with tools
// independent of the page (Python's zipfile and csv, JSON.parse, node:crypto for the file's hash).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';
import { measurementsCsv, shapesZip } from './own-data-files.mjs';
import { download, readCsv, unzip } from './run-zip.mjs';

const OWN_DATA = 'Your data (table or images)';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Chooses `path` with the page's "Choose file" button (a file chooser, as a person would). */
async function chooseFile(page, path) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file' }).click();
  await (await chooser).setFiles(path);
}

/** Presses Train, waits for the test results, and downloads run.zip; returns the run folder's path, extracted. */
async function trainAndUnzip(page, dir) {
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await assertEnabled(train);
  await train.click();
  await page.getByText('Test accuracy').waitFor({ timeout: 240_000 });
  assert.match(await page.getByRole('status').filter({ hasText: 'Training' }).first().textContent(), /Training completed/);
  const zip = await download(page, () => page.getByRole('button', { name: 'Download run.zip' }).click());
  const zipPath = join(dir, zip.suggestedFilename());
  await zip.saveAs(zipPath);
  const names = unzip(zipPath, dir);
  const folder = names[0].split('/')[0];
  assert.ok(names.every((n) => n.startsWith(`${folder}/`)), 'everything sits under the run folder');
  return join(dir, folder);
}

/** Train becomes enabled (the data is ready) within the time a worker needs. */
async function assertEnabled(button, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (!(await button.isEnabled())) {
    if (Date.now() > deadline) assert.fail(`${await button.textContent()} stays disabled`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** config.json's data_file, checked to be the file given and to be what results_summary.json records; with both files. */
function recordedFile(run, kind, name, sha) {
  const config = readJson(join(run, 'config.json'));
  const summary = readJson(join(run, 'results_summary.json'));
  const f = config.data_file;
  assert.deepEqual([f.kind, f.name, f.sha256], [kind, name, sha], 'the file and the SHA-256 of its bytes');
  assert.deepEqual(summary.dataset.data_file, f, 'results_summary.json records the same');
  assert.equal(summary.status, 'completed');
  return { config, summary, f };
}

describe('Your own data in the built site', () => {
  const env = useSiteAndBrowser();

  it('a semicolon CSV with decimal commas, a categorical column and missing cells: imputed in the page, trained, recorded in run.zip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-own-table-'));
    const bytes = measurementsCsv();
    const csvPath = join(dir, 'measurements.csv');
    writeFileSync(csvPath, bytes);
    const fileSha = sha256(bytes);

    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?dataset=file&epochs=3&hidden=8&batch=16&lr=0.05&optimizer=adam&seed=3&backend=cpu`);
    await page.getByText('Choose your data (a table or images) to train.').waitFor();
    await chooseFile(page, csvPath);
    await page.getByRole('region', { name: 'First rows of the table' }).waitFor({ timeout: 60_000 });

    // The page found how the file is written.
    assert.equal(await page.getByLabel('Delimiter').inputValue(), 'semicolon');
    assert.ok(await page.getByLabel('Decimal comma (3,14)').isChecked(), 'decimal comma detected');
    assert.ok(await page.getByLabel('Header row').isChecked(), 'header detected');
    assert.equal(await page.getByLabel('Label column').inputValue(), 'label');
    assert.ok(await page.getByRole('checkbox', { name: 'Categorical: colour' }).isChecked(), 'colour is one-hot encoded');
    assert.equal(await page.getByRole('checkbox', { name: 'Categorical: label' }).count(), 0, 'the label is no input to encode');
    assert.doesNotMatch(await page.getByRole('columnheader', { name: /^length/ }).textContent(), /regression/, 'a feature is not flagged as a label would be');
    await page.getByText(/Loaded: measurements\.csv/).waitFor();

    await page.getByLabel('Rows with missing features').selectOption('impute');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('missing') === 'impute');
    const address = new URL(page.url()).searchParams;
    assert.equal(address.get('file'), 'measurements.csv');
    assert.equal(address.get('fsha'), fileSha);
    await page.getByRole('table', { name: 'Class distribution' }).waitFor();
    await page.screenshot({ path: `${resultsDir()}/own-table.png`, fullPage: true });

    const run = await trainAndUnzip(page, dir);
    const { summary, f } = recordedFile(run, 'table', 'measurements.csv', fileSha);
    assert.equal(f.bytes, bytes.length);
    assert.deepEqual([f.encoding, f.delimiter, f.decimal_comma, f.has_header, f.rows, f.columns], ['utf-8', ';', true, true, 150, 4]);
    const p = f.preprocessing;
    assert.equal(p.fittedOn, 'train');
    assert.equal(p.options.missing, 'impute');
    assert.deepEqual(p.label, { column: 'label', classes: ['A1', 'A2', 'A10'] });
    assert.deepEqual(p.inputs.map((i) => [i.column, i.kind]), [['length', 'numeric'], ['width', 'numeric'], ['colour', 'categorical']]);
    assert.deepEqual(p.inputs[2].categories, ['blue', 'green', 'red']);
    assert.ok(p.inputs.every((i) => i.impute !== null), 'every feature has a fill value');
    for (const column of ['length', 'width', 'colour']) {
      const filled = p.rows.imputed.find((x) => x.column === column);
      assert.ok(filled && filled.train + filled.val + filled.test > 0, `${column}: cells imputed`);
    }
    assert.equal(p.rows.kept, 150, 'no row dropped');
    assert.equal(p.rows.train + p.rows.val + p.rows.test, 150);

    assert.deepEqual(summary.dataset.class_names, ['A1', 'A2', 'A10']);
    assert.deepEqual(readCsv(join(run, 'per_class_metrics.csv')).map((r) => r.class_name), ['A1', 'A2', 'A10']);
    const summaryTxt = readFileSync(join(run, 'SUMMARY.txt'), 'utf8');
    assert.ok(summaryTxt.includes('measurements.csv'), 'SUMMARY.txt names the file');
    assert.ok(summaryTxt.includes(fileSha), 'SUMMARY.txt gives its SHA-256');
    assert.ok(readFileSync(join(run, 'README.txt'), 'utf8').includes('measurements.csv'), 'README.txt names the file');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a ragged CSV: the error names the rows with the wrong field count, and the Lab stays usable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-own-ragged-'));
    const lines = ['a,b,label'];
    for (let i = 0; i < 30; i++) lines.push(`${i},${i * 2},${i % 2 ? 'odd' : 'even'}`);
    lines[8] = '7,14'; // line 9 of the file: 2 fields
    lines[21] = '20,40,even,extra'; // line 22: 4 fields
    const csvPath = join(dir, 'ragged.csv');
    writeFileSync(csvPath, `${lines.join('\n')}\n`);

    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?dataset=file&epochs=2&hidden=8&backend=cpu`);
    await chooseFile(page, csvPath);
    const alert = page.getByRole('alert').filter({ hasText: 'ragged.csv' });
    await alert.waitFor({ timeout: 60_000 });
    const text = await alert.textContent();
    assert.match(text, /row 9 has 2/);
    assert.match(text, /row 22 has 4/);
    assert.match(text, /2 rows have a different number of fields than the header \(3\)/);
    assert.ok(await page.getByRole('button', { name: 'Choose file' }).isEnabled(), 'another file may be chosen');
    assert.ok(!(await page.getByRole('button', { name: 'Train', exact: true }).isEnabled()), 'nothing to train on');

    await page.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption({ label: 'Iris (150 flowers)' });
    await page.getByRole('table', { name: 'Class distribution' }).waitFor({ timeout: 60_000 });
    await assertEnabled(page.getByRole('button', { name: 'Train', exact: true }));
    assert.equal(await page.getByRole('alert').filter({ hasText: 'ragged.csv' }).count(), 0, 'the error went with the own-data panel');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a zip of PNG class folders at 28×28 grayscale trains a CNN; run.zip names the classes after the folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-own-images-'));
    const zipBytes = await shapesZip(20);
    const zipPath = join(dir, 'shapes.zip');
    writeFileSync(zipPath, zipBytes);

    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?dataset=file&filters=4&dense=0&epochs=2&batch=16&lr=0.01&optimizer=adam&seed=2&backend=cpu`);
    await chooseFile(page, zipPath);
    const samples = page.getByRole('list', { name: 'Sample images per class' });
    await samples.waitFor({ timeout: 60_000 });
    await page.getByText(/input shape \[32×32×3\]/).waitFor(); // the default: 32×32 RGB
    await page.getByLabel('Image size').selectOption({ label: '28×28' });
    await page.getByText(/input shape \[28×28×3\]/).waitFor({ timeout: 60_000 });
    await page.getByLabel('Colour').selectOption({ label: 'grayscale' });
    await page.getByText(/input shape \[28×28×1\]/).waitFor({ timeout: 60_000 });
    for (const shape of ['circle', 'square', 'triangle']) {
      await samples.getByRole('img', { name: `${shape}: 20 images` }).waitFor();
    }
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('cnn');
    const address = new URL(page.url()).searchParams;
    assert.deepEqual([address.get('isize'), address.get('icolor'), address.get('model'), address.get('file'), address.get('fsha')],
      ['28', 'grayscale', 'cnn', 'shapes.zip', sha256(zipBytes)]);
    await page.screenshot({ path: `${resultsDir()}/own-images.png`, fullPage: true });

    const run = await trainAndUnzip(page, dir);
    const { config, summary, f } = recordedFile(run, 'images', 'shapes.zip', sha256(zipBytes));
    assert.deepEqual(f.images.classes, [{ name: 'circle', count: 20 }, { name: 'square', count: 20 }, { name: 'triangle', count: 20 }]);
    assert.equal(f.images.root, 'shapes/');
    assert.equal(f.images.fileCount, 60);
    assert.deepEqual([f.images.options.size, f.images.options.color, f.images.options.channels], [28, 'grayscale', 1]);
    assert.equal(config.model_spec.kind, 'cnn');
    assert.deepEqual(config.input_shape, [28, 28, 1]);

    assert.deepEqual(summary.dataset.class_names, ['circle', 'square', 'triangle']);
    const matrix = summary.test.confusion_matrix;
    assert.equal(matrix.length, 3);
    assert.equal(matrix.flat().reduce((a, b) => a + b, 0), summary.dataset.num_test_samples, 'the confusion matrix counts the test images');
    assert.deepEqual(readCsv(join(run, 'per_class_metrics.csv')).map((r) => r.class_name), ['circle', 'square', 'triangle']);
    const predictions = readCsv(join(run, 'test_predictions.csv'));
    assert.deepEqual(Object.keys(predictions[0]).filter((k) => k.startsWith('prob_')), ['prob_circle', 'prob_square', 'prob_triangle']);
    assert.ok(readFileSync(join(run, 'SUMMARY.txt'), 'utf8').includes(sha256(zipBytes)), 'SUMMARY.txt gives the zip’s SHA-256');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a reload finds the copy kept in this browser; after Forget the address asks for the file again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-own-kept-'));
    const bytes = measurementsCsv(2);
    const csvPath = join(dir, 'kept.csv');
    writeFileSync(csvPath, bytes);
    const fileSha = sha256(bytes);

    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?dataset=file&epochs=2&hidden=8&backend=cpu`);
    await chooseFile(page, csvPath);
    await page.getByRole('region', { name: 'First rows of the table' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Rows with missing features').selectOption('impute');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('missing') === 'impute');
    await assertEnabled(page.getByRole('button', { name: 'Train', exact: true }));
    const address = page.url();
    assert.equal(new URL(address).searchParams.get('fsha'), fileSha);

    // The page says once the copy is kept (saving runs beside the preparation); then a reload finds it.
    await page.getByText(/, kept in this browser/).waitFor({ timeout: 30_000 });
    // Same address, no file chosen: the kept copy is read again, with the address's choices.
    await page.reload();
    await page.getByText('Using kept.csv, kept in this browser.').waitFor({ timeout: 60_000 });
    await page.getByRole('region', { name: 'First rows of the table' }).waitFor();
    await assertEnabled(page.getByRole('button', { name: 'Train', exact: true }));
    assert.equal(await page.getByLabel('Rows with missing features').inputValue(), 'impute');
    assert.equal(page.url(), address, 'the address is unchanged');

    // The Lab opened on another dataset in this browser: choosing "Your data" offers the kept copy, with Forget.
    await page.goto(`${env.site.url}?dataset=iris&backend=cpu`);
    await page.getByRole('table', { name: 'Class distribution' }).waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption({ label: OWN_DATA });
    await page.getByText(/^Use your last dataset: kept\.csv \([\d.]+ kB, kept in this browser\)/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Forget' }).click();
    await page.getByText('kept.csv is no longer kept in this browser.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Forget' }).count(), 0, 'nothing left to offer');

    await page.goto(address);
    await page.getByText(/This address trains on kept\.csv \(SHA-256 [0-9a-f]{12}…\), which is not kept in this browser: choose that file\./).waitFor({ timeout: 30_000 });
    assert.ok(!(await page.getByRole('button', { name: 'Train', exact: true }).isEnabled()), 'no data to train on');
    // Choosing that file makes the address's data ready again, with its choices.
    await chooseFile(page, csvPath);
    await assertEnabled(page.getByRole('button', { name: 'Train', exact: true }));
    assert.equal(await page.getByLabel('Rows with missing features').inputValue(), 'impute');
    assert.equal(await page.getByText(/which is not kept in this browser/).count(), 0, 'the file asked for is here');
    assert.deepEqual(errors, []);
    await page.close();
  });

  // Found while writing these tests (each failed before its fix in src/app/own-data.ts or profile.ts).
  it('in one page, choosing another dataset and back still offers to forget the kept copy in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-own-back-'));
    const csvPath = join(dir, 'back.csv');
    writeFileSync(csvPath, measurementsCsv(3));
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?dataset=file&epochs=2&hidden=8&backend=cpu`);
    await chooseFile(page, csvPath);
    await assertEnabled(page.getByRole('button', { name: 'Train', exact: true }));
    await page.getByText(/, kept in this browser/).waitFor({ timeout: 30_000 });
    await page.reload();
    await page.getByText('Using back.csv, kept in this browser.').waitFor({ timeout: 60_000 });
    const dataset = page.getByRole('combobox', { name: 'Dataset', exact: true });
    await dataset.selectOption({ label: 'Iris (150 flowers)' });
    await page.getByRole('table', { name: 'Class distribution' }).waitFor({ timeout: 60_000 });
    await dataset.selectOption({ label: OWN_DATA });
    await page.getByRole('button', { name: 'Forget the kept copy' }).click();
    await page.getByText('back.csv is no longer kept in this browser; this page still uses it.').waitFor({ timeout: 10_000 });
    await assertEnabled(page.getByRole('button', { name: 'Train', exact: true }));
    await page.reload();
    await page.getByText(/This address trains on back\.csv .*which is not kept in this browser/).waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('Colour chosen while the images are read again for a new size: both apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-own-options-'));
    const zipPath = join(dir, 'shapes.zip');
    writeFileSync(zipPath, await shapesZip(20));
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?dataset=file&backend=cpu`);
    await chooseFile(page, zipPath);
    await page.getByText(/input shape \[32×32×3\]/).waitFor({ timeout: 60_000 });
    await page.getByLabel('Image size').selectOption({ label: '28×28' });
    await page.getByLabel('Colour').selectOption({ label: 'grayscale' }); // at once, as a person who knows what they want
    assert.equal(new URL(page.url()).searchParams.get('icolor'), 'grayscale', 'the address says grayscale');
    await page.getByText(/input shape \[28×28×1\]/).waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a table with columns x, y and label proposes "label" as its label column', async () => {
    const { page, errors } = await freshPage(env);
    await page.goto(`${env.site.url}?dataset=file&backend=cpu`);
    await page.getByRole('button', { name: 'Paste' }).click();
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'odd' : 'even'}`);
    await page.getByRole('textbox', { name: /Pasted table/ }).fill(['x,y,label', ...rows].join('\n'));
    await page.getByRole('button', { name: 'Use pasted text' }).click();
    await page.getByRole('region', { name: 'First rows of the table' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByLabel('Label column').inputValue(), 'label');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
