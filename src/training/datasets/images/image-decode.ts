// One image file → one sample, in a worker or on a page (createImageBitmap and OffscreenCanvas exist
// in both): the bytes are checked to be PNG, JPEG, WebP, GIF or BMP, decoded by the browser, cut and
// scaled as image-limits.ts documents, and written as float32 [size, size, channels] values in [0, 1].
import { FORMATS_TEXT } from './image-files';
import { ALPHA_BACKGROUND, LUMA_WEIGHTS, channelsOf, type ImageLoadOptions } from './image-limits';

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'bmp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** This file cannot be a sample; the message says why, for the skipped list. */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

const startsWith = (b: Uint8Array, at: number, sig: readonly number[]) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** The format the bytes begin with (its signature), whatever the file's name says; null for none of ours. */
export function sniffImageFormat(b: Uint8Array): ImageFormat | null {
  if (startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, 0, ascii('RIFF')) && startsWith(b, 8, ascii('WEBP'))) return 'webp';
  if (startsWith(b, 0, ascii('GIF87a')) || startsWith(b, 0, ascii('GIF89a'))) return 'gif';
  if (startsWith(b, 0, ascii('BM')) && b.length >= 26) return 'bmp';
  return null;
}

/** The centred square of side min(width, height) that scaling to cover a square keeps. */
export function coverCrop(width: number, height: number): { sx: number; sy: number; side: number } {
  const side = Math.min(width, height);
  return { sx: Math.floor((width - side) / 2), sy: Math.floor((height - side) / 2), side };
}

/** Opaque RGBA bytes → `channels` floats per pixel at `out[offset…]`: R, G, B / 255, or the luma / 255. */
export function rgbaToSample(rgba: Uint8ClampedArray, channels: 1 | 3, out: Float32Array, offset: number): void {
  const pixels = rgba.length / 4;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let p = 0, o = offset; p < pixels; p++) {
    const r = rgba[4 * p];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + 2];
    if (channels === 1) out[o++] = (wr * r + wg * g + wb * b) / 255;
    else {
      out[o++] = r / 255;
      out[o++] = g / 255;
      out[o++] = b / 255;
    }
  }
}

export interface ImageDecoder {
  /** Decodes `bytes` into the sample at out[offset … offset + size·size·channels); throws ImageDecodeError. */
  decode(bytes: Uint8Array, out: Float32Array, offset: number): Promise<void>;
}

/** A decoder for one size and colour mode; it reuses one small canvas (calls may overlap). */
export function createImageDecoder(o: ImageLoadOptions): ImageDecoder {
  const s = o.size;
  const channels = channelsOf(o.color);
  const canvas = new OffscreenCanvas(s, s);
  const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: true });
  if (!ctx) throw new Error('this browser offers no 2D canvas to decode images with');
  return {
    async decode(bytes, out, offset) {
      const format = sniffImageFormat(bytes);
      if (!format) throw new ImageDecodeError(`not a ${FORMATS_TEXT.replace(' and ', ' or ')} image (the contents are none of them)`);
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { imageOrientation: 'from-image' });
      } catch {
        throw new ImageDecodeError(`damaged ${format.toUpperCase()}: the browser could not decode it`);
      }
      try {
        if (bitmap.width === 0 || bitmap.height === 0) throw new ImageDecodeError(`the ${format.toUpperCase()} has no pixels`);
        const { sx, sy, side } = coverCrop(bitmap.width, bitmap.height);
        // Drawn, read and converted without awaiting: another decode cannot touch the canvas meanwhile.
        ctx.imageSmoothingEnabled = true;
        ctx.imageSmoothingQuality = 'high';
        ctx.fillStyle = ALPHA_BACKGROUND;
        ctx.fillRect(0, 0, s, s);
        ctx.drawImage(bitmap, sx, sy, side, side, 0, 0, s, s);
        rgbaToSample(ctx.getImageData(0, 0, s, s).data, channels, out, offset);
      } finally {
        bitmap.close();
      }
    },
  };
}
