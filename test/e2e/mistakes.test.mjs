// What the model learned (issue 12, points 2 and 4) on the built site: train MNIST briefly; a
// confusion-matrix cell with mistakes, clicked (or Enter on it), shows its misclassified images;
// the Lab shows each class's validation recall per epoch; run.zip holds per_class_dynamics.csv,
// .png (300 DPI) and .pdf (vector, fonts embedded), and the record keeps the recall beside the history.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';
import { download, readCsv, unzip } from './run-zip.mjs';

const MNIST = 'dataset=mnist&model=mlp&hidden=16&act=relu&dropout=0&epochs=2&batch=128&lr=0.003&optimizer=adam&seed=5&backend=cpu&autostart=1';
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The off-diagonal cells with mistakes: [true, predicted, count], most mistakes first. */
async function mistakeCells(page) {
  const labels = await page.getByRole('button', { name: /^true .*, predicted .*: \d+ / }).evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')));
  return labels
    .map((l) => /^true (.*), predicted (.*): (\d+) /.exec(l))
    .map(([, t, p, n]) => [t, p, Number(n)])
    .filter(([t, p, n]) => t !== p && n > 0)
    .sort((a, b) => b[2] - a[2]);
}

/** Waits until the gallery's count line ends with `what`. */
const countSays = (page, what) => page.getByRole('region', { name: 'Misclassified test rows' }).getByTestId('mistakes-count').filter({ hasText: what }).waitFor();

/** The gallery's captions, and whether each thumbnail has ink (not one flat colour). */
async function shownImages(page) {
  const gallery = page.getByRole('region', { name: 'Misclassified test rows' });
  const captions = await gallery.locator('figcaption').allTextContents();
  const inked = await gallery.locator('canvas').evaluateAll((cs) =>
    cs.map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return new Set(Array.from({ length: d.length / 4 }, (_, i) => d[4 * i])).size > 1;
    }),
  );
  return { captions: captions.map((c) => c.trim()), inked, count: (await gallery.getByTestId('mistakes-count').textContent()).trim() };
}

describe('What the model learned: mistakes and learning dynamics', () => {
  const env = useSiteAndBrowser();

  it('MNIST: a confusion-matrix cell shows its misclassified images; recall per class per epoch is shown and exported', async () => {
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?${MNIST}`);
    await page.getByText('Test accuracy').waitFor({ timeout: 240_000 });

    // Learning dynamics, live in the Lab: a heatmap of 10 classes × 2 epochs; focus says a cell.
    const dynamics = page.getByRole('group', { name: 'Per-class recall per epoch' });
    await dynamics.waitFor();
    const map = dynamics.getByRole('img', { name: /Validation recall of 10 classes over 2 epochs/ });
    await map.focus();
    await dynamics.getByRole('status').filter({ hasText: /^epoch 2/ }).waitFor();
    assert.match(await dynamics.getByRole('status').textContent(), /^epoch 2 · class 0: recall \d+\.\d %$/);
    await dynamics.screenshot({ path: `${resultsDir()}/class-dynamics-mnist.png` });

    // The gallery: all mistakes at first, then one cell's.
    const cells = await mistakeCells(page);
    assert.ok(cells.length >= 2, `cells with mistakes: ${JSON.stringify(cells)}`);
    const all = await shownImages(page);
    const total = cells.reduce((a, c) => a + c[2], 0);
    assert.match(all.count, new RegExp(`^${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} mistakes \\(all classes\\)$`));
    const [t, p, n] = cells[0];
    await page.getByRole('button', { name: new RegExp(`^true ${t}, predicted ${p}: ${n} `) }).click();
    await countSays(page, `(true ${t}, predicted ${p})`);
    const one = await shownImages(page);
    assert.equal(one.count, `${n} of ${total.toLocaleString('en-US')} mistakes (true ${t}, predicted ${p})`);
    assert.equal(one.captions.length, Math.min(n, 60));
    for (const c of one.captions) assert.match(c, new RegExp(`^${t} → ${p} \\(\\d+\\.\\d %\\)$`));
    assert.ok(one.inked.every(Boolean), 'every thumbnail shows its digit');
    const confidences = one.captions.map((c) => Number(/\(([\d.]+) %\)/.exec(c)[1]));
    assert.deepEqual(confidences, [...confidences].sort((a, b) => b - a), 'most confident first');
    await page.getByRole('region', { name: 'Misclassified test rows' }).screenshot({ path: `${resultsDir()}/mistakes-mnist.png` });

    // Enter on another cell (a focusable button) filters to it; Show all clears the filter.
    const [t2, p2, n2] = cells[1];
    await page.getByRole('button', { name: new RegExp(`^true ${t2}, predicted ${p2}: ${n2} `) }).focus();
    await page.keyboard.press('Enter');
    await countSays(page, `(true ${t2}, predicted ${p2})`);
    const two = await shownImages(page);
    assert.equal(two.count, `${n2} of ${total.toLocaleString('en-US')} mistakes (true ${t2}, predicted ${p2})`);
    await page.getByRole('region', { name: 'Misclassified test rows' }).getByRole('button', { name: 'Show all' }).click();
    await countSays(page, '(all classes)');

    // run.zip: per_class_dynamics.csv/.png/.pdf, and the recall beside the history in the record.
    const zipFile = await (await download(page, () => page.getByRole('button', { name: 'Download run.zip' }).click())).path();
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-dynamics-'));
    const names = unzip(zipFile, dir);
    const folder = names[0].split('/')[0];
    for (const f of ['csv', 'png', 'pdf']) assert.ok(names.includes(`${folder}/per_class_dynamics.${f}`), `per_class_dynamics.${f} in run.zip`);
    const rows = readCsv(join(dir, folder, 'per_class_dynamics.csv'));
    assert.equal(readFileSync(join(dir, folder, 'per_class_dynamics.csv'), 'utf8').split('\r\n')[0], ['epoch', ...DIGITS].join(','));
    assert.deepEqual(rows.map((r) => r.epoch), ['1', '2']);
    const history = readCsv(join(dir, folder, 'training_history.csv'));
    assert.ok(!Object.keys(history[0]).some((k) => DIGITS.includes(k)), 'training_history.csv keeps its columns');
    const record = JSON.parse(readFileSync(join(dir, folder, 'results_summary.json'), 'utf8'));
    assert.equal(record.schema_version, 6);
    const valCounts = record.dataset.class_distribution.val;
    record.per_class_recall_history.forEach((e, i) => {
      // Σ recall_c × n_c is the number of correct validation rows: the overall validation accuracy.
      const correct = e.recall.reduce((a, r, c) => a + (r * valCounts[c]) / 100, 0);
      assert.ok(Math.abs((100 * correct) / record.dataset.num_val_samples - record.history[i].val_acc) < 1e-6, `epoch ${e.epoch}: recall agrees with val_acc`);
      assert.deepEqual(e.recall.map((r, c) => Number(r.toFixed(6))), DIGITS.map((d) => Number(Number(rows[i][d]).toFixed(6))));
    });
    // misclassified.png: the most confident mistakes as a 300-DPI grid (the data rebuilt for the export).
    assert.ok(names.includes(`${folder}/misclassified.png`), 'misclassified.png in run.zip');
    const grid = readFileSync(join(dir, folder, 'misclassified.png'));
    const gridPhys = grid.indexOf(Buffer.from('pHYs'));
    assert.ok(gridPhys > 0 && grid.readUInt32BE(gridPhys + 4) === 11811, 'misclassified.png says 300 DPI');
    copyFileSync(join(dir, folder, 'misclassified.png'), join(resultsDir(), 'misclassified-mnist.png'));
    const png = readFileSync(join(dir, folder, 'per_class_dynamics.png'));
    const phys = png.indexOf(Buffer.from('pHYs'));
    assert.ok(phys > 0 && png.readUInt32BE(phys + 4) === 11811, 'the PNG says 300 DPI');
    const pdf = join(dir, folder, 'per_class_dynamics.pdf');
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    assert.match(fonts, /DejaVuSans\s+CID TrueType\s+Identity-H\s+yes/);
    assert.doesNotMatch(execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }), /^\s*1\s/m, 'no raster in the PDF');
    assert.match(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }), /per-class recall per epoch/);
    execFileSync('pdftoppm', ['-png', '-r', '100', pdf, join(resultsDir(), 'per_class_dynamics-mnist')]);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
