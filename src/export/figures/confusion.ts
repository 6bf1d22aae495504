// Confusion-matrix heatmap: rows = true class, columns = predicted; each cell shows its count and
// its share of the true class (row %), coloured by that share on ColorBrewer "Blues" (single hue,
// colour-blind safe), text black or white by contrast. Sized for the class count (3…50+): cells,
// fonts, label rotation and wrapping follow from it.
import type { LabRunRecord } from '../../recorder/run-record';
import { ExportError } from '../types';
import type { Figure } from './charts';
import { curveTitle } from './charts';
import { blockHeight, drawText, measure, wrapText, type Draw } from './draw-api';
import type { FontSet } from './fonts';
import { thousands } from '../text-format';
import { AXIS, FONT, INK, roundUpInches } from './theme';
import { belowHeading } from './heading';
import { headedFigure } from './headed';

const BLUES = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];
const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** Colour of a share in [0, 1]. */
export function heatColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(x));
  const [a, b] = [hex(BLUES[i]), hex(BLUES[i + 1])];
  return '#' + a.map((v, k) => Math.round(v + (b[k] - v) * (x - i)).toString(16).padStart(2, '0')).join('');
}

/** The width of a percent colour bar (drawPercentBar). */
export const PERCENT_BAR_WIDTH = 11;

/**
 * A vertical colour bar of heatColor from 0 % (bottom) to 100 % (top) at (x, top), `height` high,
 * ticked every 20 %, with `label` rotated beside the ticks (`tickWidth`: the widest tick label's).
 */
export function drawPercentBar(d: Draw, x: number, top: number, height: number, tickWidth: number, label: string): void {
  const w = PERCENT_BAR_WIDTH;
  const steps = 64;
  for (let k = 0; k < steps; k++) d.rect(x, top + height - ((k + 1) * height) / steps, w, height / steps + 0.3, heatColor((k + 0.5) / steps));
  d.rect(x, top, w, height, null, AXIS);
  for (let v = 0; v <= 100; v += 20) {
    const y = top + height - (v / 100) * height;
    d.polyline([[x + w, y], [x + w + 3, y]], AXIS);
    drawText(d, String(v), x + w + 4, y, { size: FONT.tick, color: INK, baseline: 'middle' });
  }
  drawText(d, label, x + w + 4 + tickWidth + 8, top + height / 2, { size: FONT.axisLabel, color: INK, align: 'center', baseline: 'top', angle: 90 });
}

const luminance = (color: string) => {
  const [r, g, b] = hex(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** White or near-black text, whichever contrasts more with the background (WCAG ratio). */
export function textColorOn(bg: string): string {
  const l = luminance(bg);
  return (1.05) / (l + 0.05) >= (l + 0.05) / (luminance(INK) + 0.05) ? '#ffffff' : INK;
}

const cellSize = (n: number) => (n <= 4 ? 62 : n <= 8 ? 52 : n <= 12 ? 44 : n <= 20 ? 34 : 26);

export function confusionFigure(record: LabRunRecord, fonts: FontSet): Figure {
  const test = record.test;
  if (!test) throw new ExportError('no test results: the run has no confusion matrix');
  const cm = test.confusion_matrix;
  const names = record.dataset.class_names;
  const n = names.length;
  if (cm.length !== n || cm.some((row) => row.length !== n)) throw new ExportError(`confusion matrix is not ${n} × ${n}`);
  const rowSums = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  const c = cellSize(n);

  // Cell text: as large as fits (≤ 9.5 pt), two lines.
  const maxCount = String(Math.max(0, ...cm.flat()));
  const perPt = Math.max(measure(fonts, '(100.0%)', 1), measure(fonts, maxCount, 1));
  const cellFont = Math.min(9.5, (0.88 * c) / perPt, c / 2.6);

  // Class labels: font from the cell size, wrapped at ~1.7 in, shrunk if still too tall.
  let labelFont = Math.max(6, Math.min(FONT.tick + 1, c * 0.36));
  const wrapAt = 122;
  let yLabels = names.map((s) => wrapText(fonts, s, labelFont, wrapAt));
  while (labelFont > 5 && yLabels.some((l) => blockHeight(fonts, l.length, labelFont) > c * 0.95)) {
    labelFont -= 0.5;
    yLabels = names.map((s) => wrapText(fonts, s, labelFont, wrapAt));
  }
  const yLabelText = yLabels.map((l) => l.join('\n'));
  const yLabelW = Math.max(...yLabelText.map((t) => measure(fonts, t, labelFont)));
  const horizontal = names.every((s) => measure(fonts, s, labelFont) <= c - 4);
  const angle = horizontal ? 0 : n <= 20 ? 45 : 90;
  // Rotated labels run along their own line: wrap them only when very long.
  const xLabelText = horizontal ? names : names.map((s) => wrapText(fonts, s, labelFont, 170).join('\n'));
  const rad = (angle * Math.PI) / 180;
  const xExtent = Math.max(...xLabelText.map((t) => {
    const w = measure(fonts, t, labelFont);
    const bh = blockHeight(fonts, t.split('\n').length, labelFont);
    // Right end at the tick, pushed down by half the block so its upper corner clears the matrix.
    return horizontal ? bh : w * Math.sin(rad) + bh * Math.cos(rad);
  }));
  // Labels rotated by 45° also reach left of the matrix.
  const xLeftReach = angle === 45 ? Math.max(0, ...xLabelText.map((t) => measure(fonts, t, labelFont) * Math.cos(rad) - c / 2)) : 0;

  const title = `${curveTitle(record)} — confusion matrix`;
  const evaluated = `${test.evaluated_model} weights (epoch ${test.evaluated_epoch})`;
  const blankZeros = n > 20; // many classes: empty cells stay empty, so the errors stand out
  const sub = `Test set: ${thousands(total)} samples, accuracy ${test.test_accuracy.toFixed(2)} %, ${evaluated}. ` +
    `Cell: count and share of the true class${blankZeros ? '; blank = 0' : ''}.`;

  const matrix = n * c;
  const cbW = PERCENT_BAR_WIDTH;
  const cbTickW = measure(fonts, '100', FONT.tick);
  const leftBlock = Math.max(FONT.axisLabel * 1.3 + 8 + yLabelW + 6, xLeftReach + 4);
  const content = 10 + leftBlock + matrix + 16 + cbW + 4 + cbTickW + 8 + FONT.axisLabel * 1.3 + 10;
  const titleW = measure(fonts, title, FONT.title, true) + 30;
  const W = roundUpInches(Math.max(content, titleW, 300));
  const subLines = wrapText(fonts, sub, FONT.subtitle, W - 30);
  const top = belowHeading(subLines.length);
  const H = roundUpInches(top + matrix + 4 + xExtent + 10 + FONT.axisLabel + 12);
  const mx = (W - content) / 2 + 10 + leftBlock;
  const my = top;

  return headedFigure(W, H, title, subLines, (d: Draw) => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const count = cm[i][j];
        const share = rowSums[i] > 0 ? count / rowSums[i] : 0;
        const bg = heatColor(share);
        const x = mx + j * c;
        const y = my + i * c;
        d.rect(x, y, c, c, bg);
        const ink = textColorOn(bg);
        if (count === 0 && blankZeros) continue;
        const text = count === 0 ? '0' : `${count}\n(${(share * 100).toFixed(1)}%)`;
        drawText(d, text, x + c / 2, y + c / 2, { size: cellFont, color: count === 0 ? '#8a8a8a' : ink, align: 'center', baseline: 'middle', lineHeight: 1.15 });
      }
    }
    d.rect(mx, my, matrix, matrix, null, AXIS);
    for (let i = 0; i < n; i++) {
      drawText(d, yLabelText[i], mx - 6, my + i * c + c / 2, { size: labelFont, color: INK, align: 'right', baseline: 'middle' });
      const x = mx + i * c + c / 2;
      if (horizontal) drawText(d, names[i], x, my + matrix + 5, { size: labelFont, color: INK, align: 'center', baseline: 'top' });
      else {
        const drop = (blockHeight(d.fonts, xLabelText[i].split('\n').length, labelFont) / 2) * Math.cos(rad);
        drawText(d, xLabelText[i], x + (angle === 90 ? 0 : 2), my + matrix + 4 + drop, { size: labelFont, color: INK, align: 'right', baseline: 'middle', angle });
      }
    }
    drawText(d, 'Predicted class', mx + matrix / 2, my + matrix + 4 + xExtent + 10, { size: FONT.axisLabel, bold: true, color: INK, align: 'center', baseline: 'top' });
    drawText(d, 'True class', mx - leftBlock + FONT.axisLabel * 1.3 - 2, my + matrix / 2, { size: FONT.axisLabel, bold: true, color: INK, align: 'center', baseline: 'alphabetic', angle: 90 });

    drawPercentBar(d, mx + matrix + 16, my, matrix, cbTickW, 'Share of true class (%)');
  });
}
