// What an image set may be: the sample sizes and colour modes offered, how one image becomes one
// sample, and the limits checked before any file is decoded. Pure: no DOM, no tfjs.
import { formatBytes } from '../../../units';
import { DatasetError } from '../errors';

export const IMAGE_SIZES = [28, 32, 64] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
export const COLOR_MODES = ['grayscale', 'rgb'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/** The person's choices; recorded with the data set (ImageSetInfo.options, Dataset.source). */
export interface ImageLoadOptions {
  size: ImageSize; // every sample is size × size
  color: ColorMode; // grayscale: 1 channel, rgb: 3
}
export const DEFAULT_IMAGE_OPTIONS: Readonly<ImageLoadOptions> = Object.freeze({ size: 32, color: 'rgb' });

/**
 * How every image becomes one sample of [size, size, channels] float32 values in [0, 1] (tfjs NHWC):
 * 1. decoded by the browser (createImageBitmap) with its EXIF orientation, colours in sRGB;
 * 2. scaled, aspect ratio kept, until it covers size × size, then centre-cropped: the central square
 *    of side min(width, height) is resampled (the browser's 'high' quality filter) to size × size;
 *    nothing is stretched, and the cut-off borders are equal on both sides (±1 pixel);
 * 3. transparent pixels composited over white;
 * 4. grayscale: luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's convert('L')) on the
 *    8-bit values; rgb: R, G, B;
 * 5. divided by 255.
 */
export const RESIZE_METHOD = 'cover-center-crop';
export const ALPHA_BACKGROUND = 'white';
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

export const channelsOf = (color: ColorMode): 1 | 3 => (color === 'rgb' ? 3 : 1);
export const colorText = (color: ColorMode): string => (color === 'rgb' ? 'RGB' : 'grayscale');

/** The options, or a DatasetError naming the bad one (they may come from a URL). */
export function checkImageOptions(o: ImageLoadOptions): ImageLoadOptions {
  if (!(IMAGE_SIZES as readonly unknown[]).includes(o?.size)) {
    throw new DatasetError(`image size must be one of ${IMAGE_SIZES.join(', ')} (got ${String(o?.size)})`);
  }
  if (!(COLOR_MODES as readonly unknown[]).includes(o.color)) {
    throw new DatasetError(`colour mode must be one of ${COLOR_MODES.join(', ')} (got ${String(o.color)})`);
  }
  return o;
}

/** One image file larger than this is skipped, never read (a photo is a few MB). */
export const MAX_IMAGE_FILE_BYTES = 50e6;
/** A larger zip is refused: its own SHA-256 needs it in memory whole (WebCrypto has no streaming hash). */
export const MAX_ZIP_BYTES = 2e9;
/**
 * Copies of the samples alive while a set trains: the Dataset on the page, the split's
 * train/val/test parts (one more copy together), their structured clone in the training worker,
 * and the tensors the backend uploads.
 */
export const MEMORY_COPY_FACTOR = 4;
/** Estimated bytes above which the page warns (the caller decides whether to go on). */
export const MEMORY_BUDGET_BYTES = 1e9;
/** Estimated bytes above which a set is refused: past what a browser tab can hold. */
export const MEMORY_HARD_LIMIT_BYTES = 4e9;

export interface MemoryEstimate {
  images: number;
  bytesPerImage: number; // size × size × channels × 4 (float32)
  datasetBytes: number; // images × bytesPerImage
  factor: number; // MEMORY_COPY_FACTOR
  estimatedBytes: number; // datasetBytes × factor
  budgetBytes: number;
  hardLimitBytes: number;
  level: 'ok' | 'warn' | 'refuse';
  message: string | null; // for the page, with the numbers; null when 'ok'
}

/** Memory a set of `images` images needs at these options, judged against the budget and the hard limit. */
export function estimateImageMemory(images: number, o: ImageLoadOptions): MemoryEstimate {
  const bytesPerImage = o.size * o.size * channelsOf(o.color) * 4;
  const datasetBytes = images * bytesPerImage;
  const estimatedBytes = datasetBytes * MEMORY_COPY_FACTOR;
  const level = estimatedBytes > MEMORY_HARD_LIMIT_BYTES ? 'refuse' : estimatedBytes > MEMORY_BUDGET_BYTES ? 'warn' : 'ok';
  const need =
    `${images.toLocaleString('en-US')} images at ${o.size}×${o.size} ${colorText(o.color)} need about ${formatBytes(estimatedBytes)} ` +
    `(${formatBytes(datasetBytes)} of samples × ${MEMORY_COPY_FACTOR} for the split and training copies)`;
  const fix = 'choose a smaller size or grayscale, or use fewer images';
  const message =
    level === 'refuse'
      ? `${need}, past the ${formatBytes(MEMORY_HARD_LIMIT_BYTES)} a browser tab can hold: ${fix}`
      : level === 'warn'
        ? `${need}, above the ${formatBytes(MEMORY_BUDGET_BYTES)} budget: the page may slow down or the tab run out of memory; ${fix}, or go on`
        : null;
  return {
    images,
    bytesPerImage,
    datasetBytes,
    factor: MEMORY_COPY_FACTOR,
    estimatedBytes,
    budgetBytes: MEMORY_BUDGET_BYTES,
    hardLimitBytes: MEMORY_HARD_LIMIT_BYTES,
    level,
    message,
  };
}
