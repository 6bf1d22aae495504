// Image files → model inputs for Try it and Predict a file, in the inference worker: decoded by the
// browser (createImageBitmap, OffscreenCanvas) and prepared as the run's training images were. A
// person's image set: exactly as image-decode.ts made the training samples (size, colour mode, cover
// crop). MNIST: the image's ink made MNIST-like (inference-digits.ts). The files come as an
// ImageInput (chosen files, or a zip), read by the own-data image reader (image-source.ts).
import { createImageDecoder, ImageDecodeError, sniffImageFormat } from './datasets/images/image-decode';
import { FORMATS_TEXT, isIgnoredPath, naturalCompare } from './datasets/images/image-files';
import type { ColorMode, ImageSize } from './datasets/images/image-limits';
import { openImageSource, type ImageInput } from './datasets/images/image-source';
import { digitFromRgba, EmptyDrawingError, MNIST_SIDE } from './inference-digits';

/** How a run's images were prepared: MNIST digits, or a person's image set at its size and colour mode. */
export type ImagePrep = { kind: 'digits' } | { kind: 'images'; size: ImageSize; color: ColorMode };

/** Longest side an uploaded digit image is decoded at: plenty for a 20-pixel box. */
const DIGIT_DECODE_SIDE = 560;

export const prepWidth = (p: ImagePrep): number => (p.kind === 'digits' ? MNIST_SIDE * MNIST_SIDE : p.size * p.size * (p.color === 'rgb' ? 3 : 1));

/** One image's bytes → its RGBA at (at most DIGIT_DECODE_SIDE) natural size; throws ImageDecodeError. */
async function decodeRgba(bytes: Uint8Array): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const format = sniffImageFormat(bytes);
  if (!format) throw new ImageDecodeError(`not a ${FORMATS_TEXT.replace(' and ', ' or ')} image (the contents are none of them)`);
  let bitmap: ImageBitmap;
  try {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    const probe = await createImageBitmap(blob);
    const shrink = Math.min(1, DIGIT_DECODE_SIDE / Math.max(probe.width, probe.height));
    bitmap = shrink < 1 ? await createImageBitmap(blob, { resizeWidth: Math.max(1, Math.round(probe.width * shrink)), resizeHeight: Math.max(1, Math.round(probe.height * shrink)), resizeQuality: 'high' }) : probe;
    if (bitmap !== probe) probe.close();
  } catch {
    throw new ImageDecodeError(`damaged ${format.toUpperCase()}: the browser could not decode it`);
  }
  try {
    const { width, height } = bitmap;
    if (!width || !height) throw new ImageDecodeError(`the ${format.toUpperCase()} has no pixels`);
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser offers no 2D canvas to decode images with');
    ctx.drawImage(bitmap, 0, 0);
    return { rgba: ctx.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}

/** A decoder of single images into `out[offset…]` for `prep`. */
export function imageInputDecoder(prep: ImagePrep): (bytes: Uint8Array, out: Float32Array, offset: number) => Promise<void> {
  if (prep.kind === 'images') {
    const decoder = createImageDecoder({ size: prep.size, color: prep.color });
    return (bytes, out, offset) => decoder.decode(bytes, out, offset);
  }
  return async (bytes, out, offset) => {
    const { rgba, width, height } = await decodeRgba(bytes);
    out.set(digitFromRgba(rgba, width, height), offset);
  };
}

export interface DecodedImages {
  names: string[]; // the files that became inputs, in natural order of their paths
  x: Float32Array; // names.length × prepWidth(prep)
  skipped: { name: string; reason: string }[];
}

/** Every image file of `input` (junk such as __MACOSX left out) decoded for `prep`; files that are no image are skipped with the reason. */
export async function decodeImageInputs(input: ImageInput, prep: ImagePrep, signal?: AbortSignal): Promise<DecodedImages> {
  const src = await openImageSource(input);
  const paths = src.files.map((f) => f.path).filter((p) => !isIgnoredPath(p)).sort(naturalCompare);
  const width = prepWidth(prep);
  const decode = imageInputDecoder(prep);
  const rows: { name: string; x: Float32Array }[] = [];
  const skipped: DecodedImages['skipped'] = [];
  for await (const batch of src.read(paths, signal)) {
    for (const file of batch) {
      try {
        if (file.error !== undefined) throw new ImageDecodeError(file.error);
        const x = new Float32Array(width);
        await decode(file.bytes, x, 0);
        rows.push({ name: file.path, x });
      } catch (e) {
        if (!(e instanceof ImageDecodeError) && !(e instanceof EmptyDrawingError)) throw e;
        skipped.push({ name: file.path, reason: e.message });
      }
    }
  }
  const x = new Float32Array(rows.length * width);
  rows.forEach((r, i) => x.set(r.x, i * width));
  return { names: rows.map((r) => r.name), x, skipped };
}
