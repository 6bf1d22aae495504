// A legend laid out in rows below the plots: it sits outside every plot area, so it never covers data.
import { drawText, measure, type Draw } from './draw-api';
import type { FontSet } from './fonts';
import { FONT, INK, LINE_WIDTH, marker, type SeriesStyle } from './theme';

export interface LegendItem {
  label: string;
  style: SeriesStyle;
  line: boolean; // a line sample, or the marker alone
}

const SAMPLE = 22; // pt of line sample
const GAP = 16; // between items
const ROW = 15;

export interface LegendLayout {
  rows: { items: LegendItem[]; width: number }[];
  height: number;
}

export function layoutLegend(fonts: FontSet, items: LegendItem[], maxWidth: number): LegendLayout {
  const rows: LegendLayout['rows'] = [];
  for (const item of items) {
    const w = SAMPLE + 5 + measure(fonts, item.label, FONT.legend);
    const row = rows[rows.length - 1];
    if (row && row.width + GAP + w <= maxWidth) {
      row.items.push(item);
      row.width += GAP + w;
    } else rows.push({ items: [item], width: w });
  }
  return { rows, height: rows.length * ROW };
}

/** Draws the legend centred on `cx`, its first row's centre line at `top + ROW / 2`. */
export function drawLegend(d: Draw, layout: LegendLayout, cx: number, top: number): void {
  layout.rows.forEach((row, r) => {
    let x = cx - row.width / 2;
    const y = top + r * ROW + ROW / 2;
    for (const item of row.items) {
      const s = item.style;
      if (item.line) d.polyline([[x, y], [x + SAMPLE, y]], { color: s.color, width: LINE_WIDTH, dash: s.dash });
      marker(d, s.marker, x + SAMPLE / 2, y, s.marker === 'ring' ? 4 : 2.6, s.color, s.hollow);
      drawText(d, item.label, x + SAMPLE + 5, y, { size: FONT.legend, color: INK, baseline: 'middle' });
      x += SAMPLE + 5 + measure(d.fonts, item.label, FONT.legend) + GAP;
    }
  });
}
