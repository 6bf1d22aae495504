// A decision boundary's map as an RGBA image (one pixel per cell, top row = the grid's top): the
// predicted class's colour, lighter where the model is less sure. The one picture both the live
// scatter plot (putImageData, scaled) and the exported figure (one embedded image) draw.
import { classColor } from '../palette';
import type { BoundaryGrid } from './learned-types';

/** Colour weight of a cell at the least (chance) and the most (certain) confidence: the rest is white. */
export const MAP_TINT = { min: 0.12, max: 0.55 } as const;

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** How much of the class colour a cell gets: chance level (1 / classes) gives MAP_TINT.min, certainty MAP_TINT.max. */
export function tintOf(confidence: number, numClasses: number): number {
  const chance = 1 / Math.max(2, numClasses);
  const t = Math.min(1, Math.max(0, (confidence - chance) / (1 - chance)));
  return MAP_TINT.min + (MAP_TINT.max - MAP_TINT.min) * t;
}

/** The map as RGBA pixels, size × size, row 0 at the top (yMax), as an image is laid out. */
export function boundaryRgba(grid: BoundaryGrid, numClasses: number, color: (k: number) => string = classColor): Uint8ClampedArray<ArrayBuffer> {
  const { size } = grid;
  const rgba = new Uint8ClampedArray(size * size * 4);
  const colors = Array.from({ length: Math.max(numClasses, 1) }, (_, k) => rgbOf(color(k)));
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const cell = r * size + c;
      const k = grid.classes[cell];
      const rgb = colors[k] ?? rgbOf(color(k));
      const a = tintOf(grid.confidence[cell], numClasses);
      const at = ((size - 1 - r) * size + c) * 4;
      for (let j = 0; j < 3; j++) rgba[at + j] = Math.round(255 * (1 - a) + rgb[j] * a);
      rgba[at + 3] = 255;
    }
  }
  return rgba;
}
