// One image of a dataset (features in 0..1, h × w × c) as RGBA bytes: the gallery's thumbnails and
// the misclassified.png figure draw the same pixels. Pure: no DOM.

/** Image `index` of `features` as RGBA (a 1-channel image as gray, 3 channels as RGB); `invert` draws 1 as black (MNIST ink). */
export function sampleRgba(features: ArrayLike<number>, index: number, shape: readonly number[], invert = false): Uint8ClampedArray<ArrayBuffer> {
  const [h, w, c = 1] = shape;
  const out = new Uint8ClampedArray(h * w * 4);
  const base = index * h * w * c;
  const byte = (v: number) => {
    const b = Math.round(Math.min(1, Math.max(0, v)) * 255);
    return invert ? 255 - b : b;
  };
  for (let p = 0; p < h * w; p++) {
    const at = base + p * c;
    const r = byte(features[at]);
    out[4 * p] = r;
    out[4 * p + 1] = c === 3 ? byte(features[at + 1]) : r;
    out[4 * p + 2] = c === 3 ? byte(features[at + 2]) : r;
    out[4 * p + 3] = 255;
  }
  return out;
}
