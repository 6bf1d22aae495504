import { expect } from '@esm-bundle/chai';
import { renderFigure } from '../../src/export/index';
import { fixedRun, mnistLikeRun, UNICODE_NAMES, unicodeRun } from '../fixtures/export-fixtures';
import { readPng } from '../fixtures/parse-png';
import { pageTexts, readPdf } from '../fixtures/parse-pdf';

// The PDF is parsed here without jsPDF: objects are scanned, Flate streams inflated with
// DecompressionStream. jsPDF writes text in custom fonts as hex glyph ids (Identity-H), so the
// test decodes the content stream's Tj strings through each font's ToUnicode CMap — the same map
// a PDF viewer uses for copy and search — and looks for the class names there.

async function pdfOf(kind: Parameters<typeof renderFigure>[0], record: Parameters<typeof renderFigure>[1]) {
  const blob = await renderFigure(kind, record, 'pdf');
  expect(blob.type).to.equal('application/pdf');
  return readPdf(new Uint8Array(await blob.arrayBuffer()));
}

function mediaBox(text: string): number[] {
  const boxes = [...text.matchAll(/\/MediaBox\s*\[([^\]]*)\]/g)].map((m) => m[1].trim().split(/\s+/).map(Number));
  expect(boxes.length).to.equal(1);
  return boxes[0];
}

function checkVectorWithFonts(pdf: Awaited<ReturnType<typeof readPdf>>): void {
  const all = [...pdf.objects.values()].map((o) => o.dict).join('\n');
  expect(pdf.text.startsWith('%PDF-')).to.equal(true);
  expect([...all.matchAll(/\/Type\s*\/Page\b(?!s)/g)].length).to.equal(1);
  expect(all).not.to.match(/\/Subtype\s*\/Image/);
  expect(all).not.to.match(/\/Type3|\/FontType\s*3/);
  expect(all).to.match(/\/FontFile2\s+\d+ 0 R/);
  expect(all).to.match(/\/Subtype\s*\/CIDFontType2/);
  expect(all).to.match(/\/FontName\s*\/DejaVuSans\b/);
  // Every font is embedded: each FontDescriptor points at a TrueType file.
  const descriptors = [...pdf.objects.values()].filter((o) => /\/Type\s*\/FontDescriptor/.test(o.dict));
  expect(descriptors.length).to.be.greaterThan(0);
  for (const d of descriptors) expect(d.dict).to.match(/\/FontFile2/);
}

describe('PDF figures: vector, embedded TrueType, page = figure', () => {
  const { record } = mnistLikeRun();

  for (const [kind, w, h] of [['training_curves', 12, 4.5], ['loss_curve', 6, 4.5], ['accuracy_curve', 6, 4.5]] as const) {
    it(`${kind}: one ${w * 72} × ${h * 72} pt page, landscape kept`, async () => {
      const pdf = await pdfOf(kind, record);
      checkVectorWithFonts(pdf);
      expect(mediaBox(pdf.text)).to.deep.equal([0, 0, w * 72, h * 72]);
      const texts = pageTexts(pdf);
      expect(texts).to.include('Epoch');
      expect(texts).to.include('MLP on MNIST 10k' + (kind === 'training_curves' ? '' : kind === 'loss_curve' ? ' — loss' : ' — accuracy'));
    });
  }

  it('training curves: whole-epoch tick labels only, accuracy axis in %', async () => {
    const texts = pageTexts(await pdfOf('training_curves', record));
    expect(texts).to.include('Accuracy (%)');
    const ticks = texts.filter((t) => /^\d+$/.test(t)).map(Number);
    expect(ticks).to.include.members([1, 5, 10, 15, 20]);
    for (const fractional of ['2.5', '7.5', '12.5', '17.5']) expect(texts).not.to.include(fractional); // the reference's epoch ticks
  });

  it('confusion matrix: page matches the PNG pixel size / 300 × 72, class names are text', async () => {
    const { record: r } = fixedRun();
    const pdf = await pdfOf('confusion_matrix', r);
    checkVectorWithFonts(pdf);
    const [, , w, h] = mediaBox(pdf.text);
    const png = readPng(new Uint8Array(await (await renderFigure('confusion_matrix', r, 'png')).arrayBuffer()));
    const ihdr = new DataView(png.chunks[0].data.buffer, png.chunks[0].data.byteOffset);
    expect((w / 72) * 300).to.be.closeTo(ihdr.getUint32(0), 0.01);
    expect((h / 72) * 300).to.be.closeTo(ihdr.getUint32(4), 0.01);
    expect(w).to.be.lessThan(h * 2); // portrait-ish figure kept its orientation
    const texts = pageTexts(pdf);
    for (const name of r.dataset.class_names) expect(texts.filter((t) => t === name).length, name).to.equal(2); // both axes
    expect(texts).to.include('Predicted class');
  });

  it('non-Latin class names are real text: naïve, Ωmega in DejaVu Sans, 数字 in the CJK fallback', async () => {
    const pdf = await pdfOf('confusion_matrix', unicodeRun().record);
    checkVectorWithFonts(pdf);
    const all = [...pdf.objects.values()].map((o) => o.dict).join('\n');
    expect(all).to.match(/\/FontName\s*\/NotoSansSC\b/);
    const texts = pageTexts(pdf).join('\n');
    for (const name of UNICODE_NAMES.slice(0, 3)) expect(texts, name).to.contain(name);
    expect(texts).not.to.contain('\uFFFD');
  });
});
