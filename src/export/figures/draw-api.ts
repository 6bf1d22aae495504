// The small drawing interface every figure is drawn against, and the text layout both back ends
// share. Units are PostScript points (1/72 in), origin top-left, y down. The canvas back end
// scales to 300 DPI; the PDF back end draws in points directly, so one drawing gives both files.
import { textRuns, textWidth, runWidth, type FontSet, type TextRun } from './fonts';

export type Point = readonly [number, number];

export interface Stroke {
  color: string; // '#rrggbb'
  width: number; // pt
  dash?: readonly number[]; // pt on, pt off…
}

export interface TextStyle {
  size: number; // pt
  bold?: boolean;
  color?: string;
  align?: 'left' | 'center' | 'right';
  baseline?: 'top' | 'middle' | 'alphabetic' | 'bottom';
  angle?: number; // degrees, counter-clockwise, about the anchor
  lineHeight?: number; // × size, for text with '\n' (default 1.2)
}

/** Opaque pixels, row 0 at the top: a computed map (the decision boundary), the one raster a figure may hold. */
export interface RasterImage {
  width: number; // px
  height: number;
  rgba: Uint8ClampedArray; // width × height × 4; alpha is ignored (drawn opaque)
}

/** What a back end implements; figures use it with the helpers below. */
export interface Draw {
  readonly width: number; // pt
  readonly height: number;
  readonly fonts: FontSet;
  polyline(points: readonly Point[], stroke: Stroke): void;
  /** `opacity` (0–1, default 1) applies to the fill only: translucent bands that overlap stay visible. */
  polygon(points: readonly Point[], fill: string | null, stroke: Stroke | null, opacity?: number): void;
  rect(x: number, y: number, w: number, h: number, fill: string | null, stroke?: Stroke | null): void;
  circle(cx: number, cy: number, r: number, fill: string | null, stroke: Stroke | null): void;
  /** Clip everything drawn until unclip() to the rectangle. */
  clip(x: number, y: number, w: number, h: number): void;
  unclip(): void;
  /**
   * The image stretched over the rectangle, each pixel a sharp-edged cell (no smoothing): one
   * embedded image in a PDF. Optional so that drawings which only record text need not implement it;
   * both back ends do.
   */
  image?(img: RasterImage, x: number, y: number, w: number, h: number): void;
  /** One run of one font, anchored at its left end on the alphabetic baseline. */
  glyphRun(run: TextRun, x: number, y: number, size: number, color: string, angle: number): void;
}

/** Width in pt of the widest line of `text`. */
export function measure(fonts: FontSet, text: string, size: number, bold = false): number {
  return Math.max(0, ...text.split('\n').map((line) => textWidth(line, size, bold, fonts)));
}

/** Height of a block of `lines` lines: cap height of the first to the descent of the last. */
export function blockHeight(fonts: FontSet, lines: number, size: number, lineHeight = 1.2): number {
  const m = fonts.regular.info;
  return (m.capHeight + m.descent + (lines - 1) * lineHeight) * size;
}

/** Text with alignment, baseline, rotation and '\n' line breaks, laid out from the fonts' metrics. */
export function drawText(d: Draw, text: string, x: number, y: number, style: TextStyle): void {
  const { size, bold = false, color = '#000000', align = 'left', baseline = 'alphabetic', angle = 0 } = style;
  const lh = (style.lineHeight ?? 1.2) * size;
  const m = d.fonts.regular.info;
  const lines = text.split('\n');
  const block = (lines.length - 1) * lh;
  const first =
    baseline === 'top' ? m.capHeight * size
    : baseline === 'middle' ? (m.capHeight * size) / 2 - block / 2
    : baseline === 'bottom' ? -m.descent * size - block
    : 0;
  const rad = (angle * Math.PI) / 180;
  const ux = Math.cos(rad);
  const uy = -Math.sin(rad); // along the text, y down
  const vx = Math.sin(rad);
  const vy = Math.cos(rad); // down the lines
  lines.forEach((line, i) => {
    const runs = textRuns(line, bold, d.fonts);
    const widths = runs.map((r) => runWidth(r, size));
    const total = widths.reduce((a, b) => a + b, 0);
    let dx = align === 'center' ? -total / 2 : align === 'right' ? -total : 0;
    const dy = first + i * lh;
    runs.forEach((run, j) => {
      if (run.text.trim()) d.glyphRun(run, x + dx * ux + dy * vx, y + dx * uy + dy * vy, size, color, angle);
      dx += widths[j];
    });
  });
}

/** Greedy word wrap of `text` to lines no wider than `maxWidth` (a longer single word is broken by characters). */
export function wrapText(fonts: FontSet, text: string, size: number, maxWidth: number, bold = false): string[] {
  const fits = (s: string) => measure(fonts, s, size, bold) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  const words = text.split(/(?<=[\s\-_/])|(?=[\s])/).filter((w) => w.length > 0);
  for (const word of words) {
    const next = line + word;
    if (fits(next.trim()) || !line.trim()) {
      line = next;
    } else {
      lines.push(line.trim());
      line = word.trimStart();
    }
    while (!fits(line.trim()) && [...line.trim()].length > 1) {
      const chars = [...line.trim()];
      let k = chars.length - 1;
      while (k > 1 && !fits(chars.slice(0, k).join(''))) k--;
      lines.push(chars.slice(0, k).join(''));
      line = chars.slice(k).join('');
    }
  }
  if (line.trim()) lines.push(line.trim());
  return lines.length > 0 ? lines : [''];
}
