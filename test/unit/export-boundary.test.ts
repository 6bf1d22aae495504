// decision_boundary.png/.pdf: a 300-DPI PNG with pHYs, and a PDF whose map is ONE image XObject
// under vector points, axes and legend; run.zip holds both when the run stored a boundary.
import { expect } from '@esm-bundle/chai';
import { buildRunZip, renderFigure, runFileList } from '../../src/export/index';
import { testPredictionsCsv } from '../../src/export/csv-files';
import { rgbPng } from '../../src/export/figures/rgb-png';
import { readZipFiles } from '../../src/compare/zip-reader';
import { boundaryRun } from '../fixtures/boundary-run';
import { checkPng } from '../fixtures/figure-checks';
import { pageTexts, readPdf, streamText } from '../fixtures/parse-pdf';
import { readPng } from '../fixtures/parse-png';

const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());


describe('decision_boundary figure', () => {
  const { record, predictions, boundary } = boundaryRun();

  it('PNG: 300 DPI with pHYs, 6 × 7 in, the map and the classes’ colours in it', async () => {
    const png = await bytesOf(await renderFigure('decision_boundary', record, 'png', boundary));
    expect(checkPng(png)).to.deep.equal({ width: 1800, height: 2100 });
    const img = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>]));
    const ctx = new OffscreenCanvas(img.width, img.height).getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    // Sample the plot's middle band: both tints of the map are present.
    const { data } = ctx.getImageData(0, 300, 1800, 1200);
    const tinted = new Set<string>();
    for (let i = 0; i < data.length; i += 4 * 97) if (data[i] !== data[i + 2]) tinted.add(data[i] > data[i + 2] ? 'orange' : 'blue');
    expect([...tinted].sort()).to.deep.equal(['blue', 'orange']);
  });

  it('PDF: the map is ONE image XObject; points, axes and legend are vector paths and text', async () => {
    const pdf = await readPdf(await bytesOf(await renderFigure('decision_boundary', record, 'pdf', boundary)));
    const objects = [...pdf.objects.values()];
    const images = objects.filter((o) => /\/Subtype\s*\/Image/.test(o.dict));
    expect(images).to.have.length(1);
    expect(images[0].dict).to.match(/\/Width 100\b/);
    expect(images[0].dict).to.match(/\/Height 100\b/);
    expect(images[0].dict).not.to.match(/\/SMask/);
    expect(objects.filter((o) => /\/FontFile2/.test(o.dict)).length).to.be.greaterThan(0);
    const content = objects.filter((o) => !/\/Subtype\s*\/Image/.test(o.dict)).map(streamText).join('\n');
    expect((content.match(/\bDo\b/g) ?? []).length).to.equal(1); // the image painted once
    expect((content.match(/ c\b/g) ?? []).length, 'Bézier curves of the circle markers').to.be.greaterThan(4 * 140);
    expect((content.match(/ re\b/g) ?? []).length, 'validation squares').to.be.greaterThan(15);
    const texts = pageTexts(pdf);
    for (const t of ['lower', 'upper', 'Train', 'Validation', 'Test', 'x1', 'x2']) expect(texts).to.include(t);
    expect(texts.join(' ')).to.match(/Misclassified test point \(7\), ringed/);
    expect(texts.join(' ')).to.contain('MLP on Moons (2 classes) — decision boundary');
  });

  it('refuses to draw without a stored boundary', async () => {
    let error: unknown;
    await renderFigure('decision_boundary', record, 'png').catch((e) => (error = e));
    expect((error as Error).name).to.equal('ExportError');
  });

  it('an RGB PNG of the map: colour type 2 (no alpha), exact pixels back', async () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255]);
    const png = rgbPng({ width: 2, height: 2, rgba });
    const ihdr = readPng(png).chunks[0].data;
    expect([ihdr[8], ihdr[9]]).to.deep.equal([8, 2]);
    const img = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>]));
    const ctx = new OffscreenCanvas(2, 2).getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    expect([...ctx.getImageData(0, 0, 2, 2).data]).to.deep.equal([...rgba]);
  });

  it('run.zip holds decision_boundary.png/.pdf with the boundary, and not without it', async () => {
    const models = { best: null, checkpoints: [] };
    const root = record.run_id;
    expect(runFileList(record, models, true, true)).to.include.members([`${root}/decision_boundary.png`, `${root}/decision_boundary.pdf`]);
    expect(runFileList(record, models, true)).not.to.include(`${root}/decision_boundary.png`);
    const files = await readZipFiles(await buildRunZip({ record, predictions, models, boundary }), { want: () => true });
    const names = files.map((f) => f.path);
    expect(names).to.include.members([`${root}/decision_boundary.png`, `${root}/decision_boundary.pdf`]);
    checkPng(files.find((f) => f.path === `${root}/decision_boundary.png`)!.bytes);
    const readme = new TextDecoder().decode(files.find((f) => f.path === `${root}/README.txt`)!.bytes);
    expect(readme).to.contain('decision_boundary.pdf');
  });

  it('test_predictions.csv: a row_index column after the others when the run kept it; none before', () => {
    const rowIndex = Int32Array.from({ length: 30 }, (_, i) => 1000 + 7 * i);
    const lines = testPredictionsCsv(record, { ...predictions, rowIndex }).trim().split(/\r?\n/);
    expect(lines[0]).to.equal('index,true_label,predicted_label,confidence,prob_lower,prob_upper,row_index');
    expect(lines[3].split(',').at(-1)).to.equal('1014');
    const old = testPredictionsCsv(record, predictions).trim().split(/\r?\n/);
    expect(old[0]).to.equal('index,true_label,predicted_label,confidence,prob_lower,prob_upper');
  });
});
