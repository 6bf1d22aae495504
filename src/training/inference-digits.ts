// A drawn or uploaded digit made like an MNIST sample (Try it). MNIST's own preprocessing (LeCun et
// al.): the digit's bounding box is scaled to fit 20×20 keeping its aspect ratio (anti-aliased), then
// placed in a 28×28 field so that its centre of mass lies at the field's centre. Intensities are ink
// in [0, 1] (0 = background, 1 = full ink), as mnist.ts reads the training data (bytes / 255, no
// further normalisation). Pure: no DOM, no tfjs.
import { LUMA_WEIGHTS } from './datasets/images/image-limits';

export const MNIST_SIDE = 28;
export const MNIST_BOX = 20;
/** Ink below this (of 1) does not count towards the bounding box (anti-aliasing fringes, paper grain). */
export const INK_THRESHOLD = 0.1;

/** Nothing to predict: the drawing or the image holds no ink. */
export class EmptyDrawingError extends Error {
  override name = 'EmptyDrawingError';
}

/**
 * RGBA pixels → ink per pixel in [0, 1]: the luma (image-limits.ts' weights), transparent pixels as
 * background. A light background (the border's mean luma above one half: dark ink on paper) is
 * inverted, so the ink is bright as in MNIST.
 */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  if (rgba.length !== width * height * 4) throw new RangeError(`${rgba.length} RGBA values are not ${width} × ${height} pixels`);
  const [wr, wg, wb] = LUMA_WEIGHTS;
  const luma = new Float32Array(width * height);
  let border = 0;
  let borderCount = 0;
  for (let p = 0; p < luma.length; p++) {
    const a = rgba[4 * p + 3] / 255;
    luma[p] = (a * (wr * rgba[4 * p] + wg * rgba[4 * p + 1] + wb * rgba[4 * p + 2])) / 255;
    const x = p % width;
    const y = (p - x) / width;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) [border, borderCount] = [border + luma[p], borderCount + 1];
  }
  if (border / Math.max(1, borderCount) > 0.5) for (let p = 0; p < luma.length; p++) luma[p] = 1 - luma[p];
  return luma;
}

/** The smallest box holding every pixel with ink ≥ INK_THRESHOLD; null when there is none. */
export function inkBox(ink: Float32Array, width: number, height: number): { x: number; y: number; w: number; h: number } | null {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] < INK_THRESHOLD) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** The mean of `src` over the rectangle [sx0, sx1) × [sy0, sy1) in pixel units (fractional overlaps weighted). */
function areaMean(src: Float32Array, width: number, sx0: number, sx1: number, sy0: number, sy1: number): number {
  let sum = 0;
  for (let y = Math.floor(sy0); y < Math.ceil(sy1); y++) {
    const wy = Math.min(y + 1, sy1) - Math.max(y, sy0);
    for (let x = Math.floor(sx0); x < Math.ceil(sx1); x++) {
      const wx = Math.min(x + 1, sx1) - Math.max(x, sx0);
      sum += wx * wy * src[y * width + x];
    }
  }
  return sum / ((sx1 - sx0) * (sy1 - sy0));
}

/**
 * Ink of any size → one 28×28 MNIST-like sample (row-major, [28, 28, 1]): the ink's bounding box
 * resampled (area average) so its longer side is 20 pixels, then shifted so its centre of mass is at
 * (14, 14), as far as the field allows (the box stays whole inside it). Throws EmptyDrawingError.
 */
export function centreLikeMnist(ink: Float32Array, width: number, height: number): Float32Array {
  const box = inkBox(ink, width, height);
  if (!box) throw new EmptyDrawingError('there is nothing drawn: draw a digit (or choose an image with one)');
  const scale = MNIST_BOX / Math.max(box.w, box.h);
  const tw = Math.max(1, Math.round(box.w * scale));
  const th = Math.max(1, Math.round(box.h * scale));
  const small = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      const sx0 = box.x + (tx * box.w) / tw;
      const sy0 = box.y + (ty * box.h) / th;
      small[ty * tw + tx] = areaMean(ink, width, sx0, sx0 + box.w / tw, sy0, sy0 + box.h / th);
    }
  }
  let [mass, mx, my] = [0, 0, 0];
  small.forEach((v, i) => {
    mass += v;
    mx += v * ((i % tw) + 0.5);
    my += v * (Math.floor(i / tw) + 0.5);
  });
  const place = (centre: number, size: number) => Math.min(MNIST_SIDE - size, Math.max(0, Math.round(MNIST_SIDE / 2 - centre)));
  const ox = place(mx / mass, tw);
  const oy = place(my / mass, th);
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < th; y++) out.set(small.subarray(y * tw, (y + 1) * tw), (oy + y) * MNIST_SIDE + ox);
  return out;
}

/**
 * An uploaded image's RGBA → the model's input: an image that is already 28×28 is taken as it is
 * (an MNIST sample saved as a PNG gives back its own values); any other is made MNIST-like.
 */
export function digitFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const ink = inkFromRgba(rgba, width, height);
  if (width === MNIST_SIDE && height === MNIST_SIDE) {
    if (!inkBox(ink, width, height)) throw new EmptyDrawingError('the image holds no digit: it is blank');
    return ink;
  }
  return centreLikeMnist(ink, width, height);
}
