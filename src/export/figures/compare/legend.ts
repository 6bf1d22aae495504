// The comparison legend: a grid of aligned columns below the plots (outside every plot, so it
// covers no data), in reading order, as many columns as the width holds; long labels wrap to two
// lines and are shortened in the middle only beyond that, distinct from each other.
import { drawText, measure, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { FONT, INK } from '../theme';
import { fitLabels } from './labels';
import { drawRunMarker, type RunMarker } from './styles';

export interface LegendEntry {
  label: string;
  color: string;
  dash?: readonly number[];
  marker: RunMarker | null;
  line: number | null; // line sample width in pt, or no line
  box?: boolean; // a filled swatch (bars) instead of a line
}

export interface LegendLayout {
  items: LegendEntry[];
  lines: string[][]; // each item's label lines
  columns: number;
  colWidth: number;
  rowHeights: number[];
  width: number;
  height: number;
  size: number;
}

const SAMPLE = 26;
const GAP = 14;
const MAX_LABEL = 230; // pt: a longer label wraps

export function layoutLegend(fonts: FontSet, items: LegendEntry[], maxWidth: number, size: number = FONT.legend): LegendLayout {
  const labelMax = Math.max(60, Math.min(MAX_LABEL, maxWidth - SAMPLE - 6));
  const lines = fitLabels(fonts, items.map((i) => i.label), size, labelMax, 2);
  const colWidth = SAMPLE + 6 + Math.max(0, ...lines.map((l) => measure(fonts, l.join('\n'), size)));
  let columns = Math.max(1, Math.min(items.length, Math.floor((maxWidth + GAP) / (colWidth + GAP))));
  const rows = Math.ceil(items.length / columns);
  columns = Math.max(1, Math.ceil(items.length / Math.max(1, rows))); // balance the last row
  const lineH = size * 1.2;
  const rowHeights: number[] = [];
  for (let r = 0; r < rows; r++) {
    const inRow = lines.slice(r * columns, (r + 1) * columns);
    rowHeights.push(Math.max(1, ...inRow.map((l) => l.length)) * lineH + 4);
  }
  const width = columns * colWidth + (columns - 1) * GAP;
  return { items, lines, columns, colWidth, rowHeights, width, height: rowHeights.reduce((a, b) => a + b, 0), size };
}

/** Draws the legend centred on `cx` below `top`. */
export function drawLegend(d: Draw, layout: LegendLayout, cx: number, top: number): void {
  const { items, lines, columns, colWidth, size } = layout;
  let y = top;
  layout.rowHeights.forEach((rh, r) => {
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      if (i >= items.length) break;
      const item = items[i];
      const x = cx - layout.width / 2 + c * (colWidth + GAP);
      const my = y + 2 + (size * 1.2) / 2; // centre of the first line
      // A bar swatch with a marker: side by side, as a marker on a same-coloured swatch would vanish.
      const markerX = item.box ? x + SAMPLE - 5 : x + SAMPLE / 2;
      if (item.box) d.rect(item.marker ? x : x + 6, my - 4.5, item.marker ? 13 : SAMPLE - 12, 9, item.color);
      if (item.line !== null) d.polyline([[x, my], [x + SAMPLE, my]], { color: item.color, width: item.line, dash: item.dash });
      if (item.marker) drawRunMarker(d, item.marker, markerX, my, 2.8, item.color);
      drawText(d, lines[i].join('\n'), x + SAMPLE + 6, my + ((lines[i].length - 1) * size * 1.2) / 2, { size, color: INK, baseline: 'middle', lineHeight: 1.2 });
    }
    y += rh;
  });
}
