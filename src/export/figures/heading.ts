// A figure's heading: its title, bold and centred at the top, and the subtitle lines below it.
import { drawText, type Draw } from './draw-api';
import { FONT, INK, MUTED } from './theme';

export const HEADING_TOP = 10;
/** Where the subtitle's first line starts. */
export const SUBTITLE_TOP = HEADING_TOP + FONT.title + 6;
export const SUBTITLE_LINE_HEIGHT = 1.25;

/** Where a figure's body may start under a heading of `lines` subtitle lines. */
export const belowHeading = (lines: number): number => SUBTITLE_TOP + lines * FONT.subtitle * SUBTITLE_LINE_HEIGHT + 14;

export function drawHeading(d: Draw, width: number, title: string, subtitle: readonly string[]): void {
  drawText(d, title, width / 2, HEADING_TOP, { size: FONT.title, bold: true, color: INK, align: 'center', baseline: 'top' });
  if (subtitle.length) {
    drawText(d, subtitle.join('\n'), width / 2, SUBTITLE_TOP, { size: FONT.subtitle, color: MUTED, align: 'center', baseline: 'top', lineHeight: SUBTITLE_LINE_HEIGHT });
  }
}
