// misclassified.png: a grid of misclassified test images (up to 64, most confident first), each
// captioned "true → predicted" and the model's confidence. A PNG only (300 DPI): it is a picture
// of pictures. Each image is drawn as one raster where the back end takes one, else pixel by pixel.
import type { LabRunRecord } from '../../recorder/run-record';
import { ExportError, type MisclassifiedImages } from '../types';
import { curveTitle, type Figure } from './charts';
import { drawText, measure, wrapText, type Draw } from './draw-api';
import type { FontSet } from './fonts';
import { headedFigure } from './headed';
import { AXIS, FONT, INK, MUTED, roundUpInches } from './theme';

const COLUMNS = 8;
const TILE = 62; // pt: the image's side
const GAP = 12;
const CAPTION = 7.5; // pt

/** One image's pixels as RGBA bytes. */
function rgbaOf(m: MisclassifiedImages, k: number): Uint8ClampedArray {
  const [h, w, c = 1] = m.imageShape;
  const out = new Uint8ClampedArray(h * w * 4);
  const base = k * h * w * c;
  const byte = (v: number) => {
    const b = Math.round(Math.min(1, Math.max(0, v)) * 255);
    return m.invert ? 255 - b : b;
  };
  for (let p = 0; p < h * w; p++) {
    const at = base + p * c;
    out[4 * p] = byte(m.pixels[at]);
    out[4 * p + 1] = c === 3 ? byte(m.pixels[at + 1]) : out[4 * p];
    out[4 * p + 2] = c === 3 ? byte(m.pixels[at + 2]) : out[4 * p];
    out[4 * p + 3] = 255;
  }
  return out;
}

function drawImage(d: Draw, rgba: Uint8ClampedArray, width: number, height: number, x: number, y: number, side: number): void {
  if (d.image) return d.image({ width, height, rgba }, x, y, side, side);
  const cell = side / Math.max(width, height);
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = 4 * (r * width + c);
      d.rect(x + c * cell, y + r * cell, cell + 0.05, cell + 0.05, `#${hex(rgba[p])}${hex(rgba[p + 1])}${hex(rgba[p + 2])}`);
    }
  }
}

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
  const top = 10 + FONT.title + 6 + subLines.length * FONT.subtitle * 1.25 + 14;
  const H = roundUpInches(top + rows * rowH + 6);
  const left = (W - cols * colW) / 2;

  return headedFigure(W, H, title, subLines, (d: Draw) => {
    images.items.forEach((_, k) => {
      const x = left + (k % cols) * colW + (colW - TILE) / 2;
      const y = top + Math.floor(k / cols) * rowH;
      drawImage(d, rgbaOf(images, k), w, h, x, y, TILE);
      d.rect(x, y, TILE, TILE, null, AXIS);
      const [pair, conf] = [captions[k].split('\n').slice(0, -1).join('\n'), captions[k].split('\n').at(-1)!];
      drawText(d, pair, x + TILE / 2, y + TILE + 4, { size: CAPTION, color: INK, align: 'center', baseline: 'top' });
      drawText(d, conf, x + TILE / 2, y + TILE + 4 + pair.split('\n').length * CAPTION * 1.2, { size: CAPTION, color: MUTED, align: 'center', baseline: 'top' });
    });
  });
}
