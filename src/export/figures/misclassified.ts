// misclassified.png: a grid of misclassified test images (up to 64, most confident first), each
// captioned "true → predicted" and the model's confidence. A PNG only (300 DPI): it is a picture
// of pictures, each image one raster.
import type { LabRunRecord } from '../../recorder/run-record';
import { sampleRgba } from '../../training/datasets/images/sample-rgba';
import { ExportError, type MisclassifiedImages } from '../types';
import { curveTitle, type Figure } from './charts';
import { drawText, measure, wrapText, type Draw } from './draw-api';
import type { FontSet } from './fonts';
import { headedFigure } from './headed';
import { belowHeading } from './heading';
import { AXIS, FONT, INK, MUTED, roundUpInches } from './theme';

const COLUMNS = 8;
const TILE = 62; // pt: the image's side
const GAP = 12;
const CAPTION = 7.5; // pt

export function misclassifiedFigure(record: LabRunRecord, images: MisclassifiedImages, fonts: FontSet): Figure {
  const n = images.items.length;
  if (n === 0) throw new ExportError('no misclassified test images to draw');
  const [h, w, c = 1] = images.imageShape;
  if (images.pixels.length < n * h * w * c) throw new ExportError(`misclassified images: ${images.pixels.length} values for ${n} images of ${h}×${w}×${c}`);
  const names = record.dataset.class_names;
  const cols = Math.min(COLUMNS, n);
  const rows = Math.ceil(n / cols);
  const colW = TILE + GAP + 14;
  const captions = images.items.map((m) => {
    const line = wrapText(fonts, `${names[m.trueClass] ?? m.trueClass} → ${names[m.predicted] ?? m.predicted}`, CAPTION, colW - 4);
    return [line.length > 2 ? `${line[0]}…` : line.join('\n'), `(${(m.confidence * 100).toFixed(1)} %)`].join('\n');
  });
  const capLines = Math.max(...captions.map((t) => t.split('\n').length));
  const rowH = TILE + 4 + capLines * CAPTION * 1.2 + GAP;
  const title = `${curveTitle(record)} — misclassified test images`;
  const shown = n < images.total ? `The ${n} most confident of ${images.total}` : `All ${n}`;
  const sub = `${shown} misclassified test images, most confident first; caption: true → predicted class (the model's confidence). Test weights: ${record.test ? `${record.test.evaluated_model}, epoch ${record.test.evaluated_epoch}` : 'none'}.`;
  const W = roundUpInches(Math.max(cols * colW + 40, measure(fonts, title, FONT.title, true) + 30, 360));
  const subLines = wrapText(fonts, sub, FONT.subtitle, W - 30);
  const top = belowHeading(subLines.length);
  const H = roundUpInches(top + rows * rowH + 6);
  const left = (W - cols * colW) / 2;

  return headedFigure(W, H, title, subLines, (d: Draw) => {
    images.items.forEach((_, k) => {
      const x = left + (k % cols) * colW + (colW - TILE) / 2;
      const y = top + Math.floor(k / cols) * rowH;
      d.image?.({ width: w, height: h, rgba: sampleRgba(images.pixels, k, images.imageShape, images.invert) }, x, y, TILE, TILE);
      d.rect(x, y, TILE, TILE, null, AXIS);
      const [pair, conf] = [captions[k].split('\n').slice(0, -1).join('\n'), captions[k].split('\n').at(-1)!];
      drawText(d, pair, x + TILE / 2, y + TILE + 4, { size: CAPTION, color: INK, align: 'center', baseline: 'top' });
      drawText(d, conf, x + TILE / 2, y + TILE + 4 + pair.split('\n').length * CAPTION * 1.2, { size: CAPTION, color: MUTED, align: 'center', baseline: 'top' });
    });
  });
}
