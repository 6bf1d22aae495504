import { expect } from '@esm-bundle/chai';
import { renderFigure } from '../../src/export/index';
import { setPngDpi } from '../../src/export/figures/png-dpi';
import { SERIES_COLORS } from '../../src/palette';
import { manyClassRun, mnistLikeRun, unicodeRun } from '../fixtures/export-fixtures';
import { crc32Bitwise, PNG_SIGNATURE, readPng } from '../fixtures/parse-png';

const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);

/** Checks signature, chunk CRCs, one pHYs = 11811/11811/metre before the first IDAT; returns the size. */
function checkPng(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).to.deep.equal(PNG_SIGNATURE);
  const { chunks, crcOk } = readPng(bytes);
  expect(crcOk.every(Boolean), `bad CRC in ${chunks.filter((_, i) => !crcOk[i]).map((c) => c.type)}`).to.equal(true);
  expect(chunks[0].type).to.equal('IHDR');
  expect(chunks[chunks.length - 1].type).to.equal('IEND');
  const phys = chunks.filter((c) => c.type === 'pHYs');
  expect(phys.length).to.equal(1);
  expect(chunks.indexOf(phys[0])).to.be.lessThan(chunks.findIndex((c) => c.type === 'IDAT'));
  expect(u32(phys[0].data, 0)).to.equal(11811); // 300 / 0.0254 = 11811.02 px per metre
  expect(u32(phys[0].data, 4)).to.equal(11811);
  expect(phys[0].data[8]).to.equal(1); // unit: metre
  return { width: u32(chunks[0].data, 0), height: u32(chunks[0].data, 4) };
}

describe('PNG figures at 300 DPI', () => {
  it('CRC-32 of the test is right (known value)', () => {
    expect(crc32Bitwise(new TextEncoder().encode('123456789'))).to.equal(0xcbf43926);
  });

  const { record } = mnistLikeRun();
  for (const [kind, w, h] of [['training_curves', 12, 4.5], ['loss_curve', 6, 4.5], ['accuracy_curve', 6, 4.5]] as const) {
    it(`${kind}: ${w} × ${h} in = ${w * 300} × ${h * 300} px, pHYs, valid chunks`, async () => {
      const size = checkPng(await bytesOf(await renderFigure(kind, record, 'png')));
      expect(size).to.deep.equal({ width: w * 300, height: h * 300 });
    });
  }

  it('confusion matrix: whole hundredths of an inch, grows with the class count', async () => {
    const ten = checkPng(await bytesOf(await renderFigure('confusion_matrix', record, 'png')));
    const fifty = checkPng(await bytesOf(await renderFigure('confusion_matrix', manyClassRun(50).record, 'png')));
    for (const s of [ten, fifty]) {
      expect(s.width % 3).to.equal(0);
      expect(s.height % 3).to.equal(0);
    }
    expect(ten.width).to.be.within(4 * 300, 10 * 300);
    expect(fifty.width).to.be.greaterThan(2.5 * ten.width);
  });

  it('draws the Okabe–Ito series colours (train blue, validation orange)', async () => {
    const blob = await renderFigure('loss_curve', record, 'png');
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const count = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b) n++;
      return n;
    };
    expect(count(SERIES_COLORS.train)).to.be.greaterThan(2000);
    expect(count(SERIES_COLORS.val)).to.be.greaterThan(2000);
    expect(count('#ff0000') + count('#00ff00') + count('#0000ff')).to.equal(0); // no pure RGB lines
  });

  it('renders non-Latin class names (a CJK fallback font is loaded for 数字)', async () => {
    const size = checkPng(await bytesOf(await renderFigure('confusion_matrix', unicodeRun().record, 'png')));
    expect(size.width).to.be.greaterThan(0);
  });

  it('setPngDpi replaces an existing pHYs and rejects non-PNG bytes', async () => {
    const canvas = new OffscreenCanvas(3, 2);
    canvas.getContext('2d')!.fillRect(0, 0, 3, 2);
    const plain = await bytesOf(await canvas.convertToBlob({ type: 'image/png' }));
    expect(readPng(plain).chunks.some((c) => c.type === 'pHYs')).to.equal(false); // why we insert one
    const twice = setPngDpi(setPngDpi(plain, 72), 300);
    expect(checkPng(twice)).to.deep.equal({ width: 3, height: 2 });
    expect(() => setPngDpi(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 300)).to.throw('not a PNG file');
  });
});
