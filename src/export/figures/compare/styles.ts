// Run styles: Okabe–Ito colour first; beyond eight runs the line dash and the marker tell runs of
// one colour apart. The marker turns with the colour and the group together, so that even a scatter
// plot (colour + marker, no line) keeps 48 runs apart, and colour + dash + marker 96.
import { OKABE_ITO } from '../../../palette';
import type { Draw, Point } from '../draw-api';

export const RUN_MARKERS = ['circle', 'square', 'diamond', 'triangle', 'triangle-down', 'plus'] as const;
export type RunMarker = (typeof RUN_MARKERS)[number];

const DASHES: readonly (readonly number[] | undefined)[] = [undefined, [6, 3], [1.6, 2], [7, 2.5, 1.6, 2.5]];

export interface RunStyle {
  color: string;
  dash: readonly number[] | undefined;
  marker: RunMarker;
}

export function runStyle(index: number): RunStyle {
  const i = Math.max(0, Math.floor(Number.isFinite(index) ? index : 0));
  const c = i % OKABE_ITO.length;
  const g = Math.floor(i / OKABE_ITO.length);
  return { color: OKABE_ITO[c], dash: DASHES[g % DASHES.length], marker: RUN_MARKERS[(c + g) % RUN_MARKERS.length] };
}

const channels = (hex: string) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
const toHex = (rgb: number[]) => '#' + rgb.map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('');

/** `a` mixed with `b` (t = 0 → a, t = 1 → b). */
export function mix(a: string, b: string, t: number): string {
  const to = channels(b);
  return toHex(channels(a).map((v, k) => v + (to[k] - v) * t));
}

/** `color` mixed with white (t = 1 → white): lighter lines that stay opaque. */
export const lighten = (color: string, t: number): string => mix(color, '#ffffff', t);
/** `color` mixed with black, for marker edges (the yellow needs one to show on white). */
export const darken = (color: string, t: number): string => toHex(channels(color).map((v) => v * (1 - t)));

/** A run's marker, `r` its half size in pt; a darker edge keeps light colours visible. */
export function drawRunMarker(d: Draw, kind: RunMarker, x: number, y: number, r: number, color: string): void {
  const edge = { color: darken(color, 0.35), width: 0.6 };
  if (kind === 'circle') {
    d.circle(x, y, r, color, edge);
    return;
  }
  let pts: Point[];
  if (kind === 'square') {
    const s = r * 0.86;
    pts = [[x - s, y - s], [x + s, y - s], [x + s, y + s], [x - s, y + s]];
  } else if (kind === 'diamond') {
    const s = r * 1.25;
    pts = [[x, y - s], [x + s * 0.8, y], [x, y + s], [x - s * 0.8, y]];
  } else if (kind === 'triangle' || kind === 'triangle-down') {
    const s = kind === 'triangle' ? r * 1.15 : -r * 1.15;
    pts = [[x, y - s], [x + Math.abs(s), y + s * 0.75], [x - Math.abs(s), y + s * 0.75]];
  } else {
    const a = r * 1.1;
    const b = r * 0.38;
    pts = [[x - b, y - a], [x + b, y - a], [x + b, y - b], [x + a, y - b], [x + a, y + b], [x + b, y + b],
      [x + b, y + a], [x - b, y + a], [x - b, y + b], [x - a, y + b], [x - a, y - b], [x - b, y - b]];
  }
  d.polygon(pts, color, edge);
}
