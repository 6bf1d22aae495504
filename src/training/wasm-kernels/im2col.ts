// Pure typed-array im2col / col2im for NHWC convolutions (no tfjs calls): the wasm kernels run them on
// views of the wasm heap and leave the matrix products to the backend's own BatchMatMul (XNNPACK).
import type { backend_util } from '@tensorflow/tfjs-core';

/** The fields of tfjs's Conv2DInfo that the loops need (NHWC input, filter [fh, fw, inC, outC]). */
export type ConvGeometry = Pick<
  backend_util.Conv2DInfo,
  | 'batchSize'
  | 'inHeight'
  | 'inWidth'
  | 'inChannels'
  | 'outHeight'
  | 'outWidth'
  | 'outChannels'
  | 'filterHeight'
  | 'filterWidth'
  | 'strideHeight'
  | 'strideWidth'
  | 'dilationHeight'
  | 'dilationWidth'
> & { padInfo: { top: number; left: number } };

/** Rows of the patch matrix: one per filter tap and input channel, in the filter's [fh, fw, inC] order. */
export const patchSize = (g: ConvGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;
/** Columns of the patch matrix: one per output pixel, in [batch, outH, outW] order. */
export const outputPixels = (g: ConvGeometry): number => g.batchSize * g.outHeight * g.outWidth;

/**
 * Writes the transposed patch matrix colsT [patchSize, outputPixels] of the NHWC input `x`:
 * colsT[(kh·fw + kw)·inC + c][(b·outH + oy)·outW + ox] = x[b, oy·sh − top + kh·dh, ox·sw − left + kw·dw, c],
 * 0 in the padding. With it the filter gradient is the plain product colsT × dy[outputPixels, outC].
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, colsT: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = g;
  const { top, left } = g.padInfo;
  let m = 0;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const offX = kw * dw - left; // input column of output column 0
      // Output columns whose input column lies inside the image: [ox0, ox1).
      const ox0 = Math.min(ow, Math.max(0, Math.ceil(-offX / sw)));
      const ox1 = Math.max(ox0, Math.min(ow, Math.ceil((w - offX) / sw)));
      for (let c = 0; c < cin; c++) {
        for (let b = 0; b < batchSize; b++) {
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh - top + kh * dh;
            if (iy < 0 || iy >= h) {
              colsT.fill(0, m, m + ow);
              m += ow;
              continue;
            }
            const row = (b * h + iy) * w * cin + c;
            if (ox0 > 0) colsT.fill(0, m, m + ox0);
            let src = row + (ox0 * sw + offX) * cin;
            const step = sw * cin;
            for (let ox = ox0; ox < ox1; ox++, src += step) colsT[m + ox] = x[src];
            if (ox1 < ow) colsT.fill(0, m + ox1, m + ow);
            m += ow;
          }
        }
      }
    }
  }
}

/**
 * Adds the patch matrix cols [outputPixels, patchSize] back onto the NHWC image `dx` (which the
 * caller zeroes first): the adjoint of im2col, so dy × filterᵀ folded by col2im is the input gradient.
 */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterHeight: fh, filterWidth: fw } = g;
  const { top, left } = g.padInfo;
  const k = fh * fw * cin;
  let src = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, src += k) {
        for (let kh = 0; kh < fh; kh++) {
          const iy = oy * sh - top + kh * dh;
          if (iy < 0 || iy >= h) continue;
          const rowOut = (b * h + iy) * w;
          for (let kw = 0; kw < fw; kw++) {
            const ix = ox * sw - left + kw * dw;
            if (ix < 0 || ix >= w) continue;
            const out = (rowOut + ix) * cin;
            const col = src + (kh * fw + kw) * cin;
            for (let c = 0; c < cin; c++) dx[out + c] += cols[col + c];
          }
        }
      }
    }
  }
}

/** out[c][r] = a[r][c] for a row-major rows × cols matrix. */
export function transpose2d(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  // Writes in order (reads strided): measured 2–2.5× faster than the reverse for 64×784 and 256×784.
  for (let c = 0; c < cols; c++) {
    const o = c * rows;
    for (let r = 0; r < rows; r++) out[o + r] = a[r * cols + c];
  }
}
