// misclassified.png (issue 12, point 2): the most confident misclassified test images in a grid,
// captioned, as a 300-DPI PNG in run.zip when the export is given them.
import { expect } from '@esm-bundle/chai';
import JSZip from 'jszip';
import { misclassifiedImages, mistakesGallery } from '../../src/app/mistakes';
import { loadFontSet } from '../../src/export/figures/fonts';
import { misclassifiedFigure } from '../../src/export/figures/misclassified';
import { figureTexts, renderWith } from '../../src/export/figures/render';
import { buildRunZip } from '../../src/export/index';
import { mnistLikeRun } from '../fixtures/export-fixtures';
import { checkPng } from '../fixtures/figure-checks';

/** 100 test rows of 8×8 "images" (row r: a bar at column r % 8); every third one wrong. */
function gallery(k: number) {
  const n = 100;
  const yTrue = Int32Array.from({ length: n }, (_, i) => i % k);
  const yPred = Int32Array.from(yTrue, (y, i) => (i % 3 === 0 ? (y + 1) % k : y));
  const probabilities = new Float32Array(n * k);
  yPred.forEach((y, i) => {
    probabilities.fill((1 - (0.5 + i / 250)) / (k - 1), i * k, (i + 1) * k);
    probabilities[i * k + y] = 0.5 + i / 250;
  });
  const features = new Float32Array(n * 64);
  for (let r = 0; r < n; r++) for (let y = 0; y < 8; y++) features[r * 64 + y * 8 + (r % 8)] = 1;
  const rowIndex = Int32Array.from({ length: n }, (_, i) => i);
  return mistakesGallery({ yTrue, yPred, probabilities, rowIndex }, k, { kind: 'image', inputShape: [8, 8, 1], features, by: 'rowIndex', invert: true });
}

describe('misclassified.png', () => {
  it('takes the 64 most confident mistakes with their pixels', () => {
    const g = gallery(10);
    const m = misclassifiedImages(g)!;
    expect(m.total).to.equal(34);
    expect(m.items).to.have.length(34);
    expect(m.items.map((i) => i.position)).to.deep.equal(g.mistakes.map((x) => x.position).reverse()); // confidence grows with the row
    const first = m.items[0].position; // row 99: its bar at column 3
    expect(Array.from(m.pixels.subarray(0, 8))).to.deep.equal(Array.from({ length: 8 }, (_, c) => (c === first % 8 ? 1 : 0)));
    expect(misclassifiedImages(g, 5)!.items).to.have.length(5);
    expect(misclassifiedImages({ ...g, samples: { ...g.samples!, kind: 'tabular' } })).to.equal(null);
  });

  it('is a 300-DPI PNG in run.zip, drawn with the images dark on white', async () => {
    const { record, predictions } = mnistLikeRun();
    const images = misclassifiedImages(gallery(10))!;
    const fonts = await loadFontSet(figureTexts(record));
    const figure = misclassifiedFigure(record, images, fonts);
    const png = new Uint8Array(await (await renderWith(figure, fonts, 'png', record.run_id)).arrayBuffer());
    expect(checkPng(png).width).to.equal(Math.round((figure.width / 72) * 300));
    const zip = await JSZip.loadAsync(await buildRunZip({ record, predictions, models: { best: null, checkpoints: [] }, misclassified: images }));
    expect(zip.file(`${record.run_id}/misclassified.png`)).to.not.equal(null);
    expect(await zip.file(`${record.run_id}/README.txt`)!.async('string')).to.include('misclassified.png');
    const without = await JSZip.loadAsync(await buildRunZip({ record, predictions, models: { best: null, checkpoints: [] } }));
    expect(without.file(`${record.run_id}/misclassified.png`)).to.equal(null);
  });
});
