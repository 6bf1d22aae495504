// A figure on a white page under its heading (title and subtitle lines): the body paints the rest.
import type { Figure } from './charts';
import type { Draw } from './draw-api';
import { drawHeading } from './heading';

export function headedFigure(width: number, height: number, title: string, subtitle: readonly string[], body: (d: Draw) => void): Figure {
  return {
    width,
    height,
    title,
    paint(d: Draw) {
      d.rect(0, 0, width, height, '#ffffff');
      drawHeading(d, width, title, subtitle);
      body(d);
    },
  };
}
