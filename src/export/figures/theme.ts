// Publication defaults shared by every figure: sizes in points, Okabe–Ito colours, line styles.
import { OKABE_ITO, SERIES_COLORS } from '../../palette';
import type { Draw, Point, Stroke } from './draw-api';

export const PT_PER_IN = 72;
export const FONT = { title: 13, subtitle: 9.5, panelTitle: 11, axisLabel: 10.5, tick: 9, legend: 9.5 } as const;
export const INK = '#222222';
export const MUTED = '#555555';
export const GRID: Stroke = { color: '#e3e3e3', width: 0.5 };
export const AXIS: Stroke = { color: '#333333', width: 0.8 };
export const TICK_LEN = 3.5;

export interface SeriesStyle {
  color: string;
  dash?: readonly number[];
  marker: 'circle' | 'square' | 'diamond' | 'ring' | 'triangle';
  hollow?: boolean;
}

export const SERIES = {
  train: { color: SERIES_COLORS.train, marker: 'circle' },
  val: { color: SERIES_COLORS.val, dash: [5, 2.5], marker: 'square' },
  test: { color: SERIES_COLORS.test, marker: 'diamond' },
  testFinal: { color: SERIES_COLORS.test, marker: 'diamond', hollow: true },
  best: { color: OKABE_ITO[7], dash: [1.2, 2], marker: 'ring' },
} as const satisfies Record<string, SeriesStyle>;

export const LINE_WIDTH = 1.6;

/** A point marker; `r` is the half-size in pt. */
export function marker(d: Draw, kind: SeriesStyle['marker'], x: number, y: number, r: number, color: string, hollow = false): void {
  const edge: Stroke = { color, width: 0.9 };
  const fill = hollow ? '#ffffff' : color;
  if (kind === 'circle') d.circle(x, y, r, fill, hollow ? edge : null);
  else if (kind === 'ring') d.circle(x, y, r, null, { color, width: 1.1 });
  else if (kind === 'triangle') d.polygon([[x, y - r], [x + r, y + r * 0.8], [x - r, y + r * 0.8]], fill, hollow ? edge : null);
  else {
    const s = kind === 'diamond' ? r * 1.35 : r * 0.9;
    const pts: Point[] = kind === 'diamond'
      ? [[x, y - s], [x + s, y], [x, y + s], [x - s, y]]
      : [[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s]];
    d.polygon(pts, fill, hollow || kind === 'diamond' ? { color: hollow ? color : '#ffffff', width: hollow ? 0.9 : 0.5 } : null);
  }
}

/** Figure sizes are whole hundredths of an inch, so that inches × 300 is a whole number of pixels. */
export const roundUpInches = (pt: number): number => (Math.ceil((pt / PT_PER_IN) * 100 - 1e-6) / 100) * PT_PER_IN;
