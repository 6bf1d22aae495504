// Category labels under an axis (one per slot): horizontal and wrapped when every word fits the
// slot, else rotated by 45° (few slots) or 90°, wrapped to as many lines as the neighbours' spacing
// allows, shortened in the middle only beyond that. Never overlapping: the spacing decides.
import { blockHeight, drawText, measure, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { FONT, INK } from '../theme';
import { fitLabels } from './labels';

export interface XLabelLayout {
  angle: 0 | 45 | 90;
  size: number;
  lines: string[][];
  height: number; // below the anchor line
  reach: number; // how far the first label reaches left of its slot's centre
}

const LINE = 1.15;
const thickness = (fonts: FontSet, lines: number, size: number) => blockHeight(fonts, lines, size, LINE);

/** Whether wrapping kept every character (lines are trimmed, so spaces do not count). */
const same = (lines: string[], label: string) => lines.join('').replace(/\s+/g, '') === label.replace(/\s+/g, '');

/** The most lines whose block is no thicker than `room`. */
function linesIn(fonts: FontSet, room: number, size: number): number {
  let k = 0;
  while (k < 4 && thickness(fonts, k + 1, size) <= room) k++;
  return k;
}

export function layoutXLabels(fonts: FontSet, labels: readonly string[], slot: number, maxLength = 150): XLabelLayout {
  const w = slot - 5;
  for (const size of [FONT.tick, 8, 7.5]) {
    const tokensFit = labels.every((l) => l.split(/(?<=[\s\-_/])/).every((t) => measure(fonts, t.trim(), size) <= w));
    if (!tokensFit) continue;
    const lines = fitLabels(fonts, labels, size, w, 3);
    if (lines.every((ls, i) => same(ls, labels[i]))) {
      const height = Math.max(...lines.map((ls) => thickness(fonts, ls.length, size)));
      return { angle: 0, size, lines, height, reach: 0 };
    }
  }
  const rotated = (angle: 45 | 90, sizes: number[]): XLabelLayout | null => {
    const rad = (angle * Math.PI) / 180;
    for (const size of sizes) {
      const k = linesIn(fonts, slot * Math.sin(rad) - 1.5, size);
      if (k < 1) continue;
      const lines = fitLabels(fonts, labels, size, angle === 90 ? maxLength * 1.25 : maxLength, Math.min(k, 3));
      const shortened = lines.some((ls, i) => !same(ls, labels[i]));
      if (angle === 45 && shortened) continue;
      const extents = lines.map((ls) => {
        const tw = measure(fonts, ls.join('\n'), size);
        return { down: tw * Math.sin(rad) + thickness(fonts, ls.length, size) * Math.cos(rad), left: tw * Math.cos(rad) };
      });
      return { angle, size, lines, height: Math.max(...extents.map((e) => e.down)), reach: angle === 45 ? extents[0].left : 0 };
    }
    return null;
  };
  return (labels.length <= 16 ? rotated(45, [FONT.tick, 8]) : null) ?? rotated(90, [FONT.tick, 8, 7, 6]) ?? rotated(90, [5])!;
}

/** Draws the labels with their top at `top`, label i centred on `xs[i]`. */
export function drawXLabels(d: Draw, layout: XLabelLayout, xs: readonly number[], top: number, colors?: readonly string[]): void {
  const { angle, size, lines } = layout;
  const rad = (angle * Math.PI) / 180;
  lines.forEach((ls, i) => {
    const text = ls.join('\n');
    const color = colors?.[i] ?? INK;
    if (angle === 0) {
      drawText(d, text, xs[i], top, { size, color, align: 'center', baseline: 'top', lineHeight: LINE });
      return;
    }
    const drop = (thickness(d.fonts, ls.length, size) / 2) * Math.cos(rad);
    drawText(d, text, xs[i] + (angle === 90 ? 0 : 2), top + drop, { size, color, align: 'right', baseline: 'middle', angle, lineHeight: LINE });
  });
}
