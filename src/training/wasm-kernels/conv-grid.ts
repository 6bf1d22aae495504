// The gradients of a stride-1 convolution without a patch matrix: on a zero-padded copy of the input
// (and of the output gradient, laid on the same grid), each filter tap reads the input at one fixed
// offset from the output pixel, so a whole row of taps is one matrix product over every pixel of
// the grid (matmul-module.ts: its A read with strides). im2col wrote fh·fw copies of every input
// value in JavaScript first, which took most of Conv2DBackpropFilter's time for the CNN preset.
//
// The grid has Hp × Wp pixels per image: the output pixel (oy, ox) is grid pixel q = (b·Hp + oy)·Wp + ox,
// and tap (kh, kw) reads the padded input at q + kh·Wp + kw. Grid pixels outside the output carry a
// zero output gradient, so they add nothing; the padded input has a zeroed tail for the last taps.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { labProduct } from './batch-mat-mul';
import { allocate, free, view } from './heap';
import type { ConvGeometry } from './im2col';
import type { MatMulFunction } from './matmul-module';
import { heapOffset, type WasmInternals } from './wasm-internals';

interface Grid {
  hp: number; // grid rows per image
  wp: number; // grid columns
  pixels: number; // batch · hp · wp
  tail: number; // pixels past the last image that the last taps read
}

/**
 * The product for the grid where it applies (stride 1, no dilation, WebAssembly SIMD), else null. One
 * thread: the CNN preset measured 4,242 samples/s with these products split over the helpers and
 * 5,036 without (batch 64, 2 cores): they are a few MFLOP each, with tfjs kernels in between.
 */
export function gridProduct(backend: BackendWasm, g: ConvGeometry): MatMulFunction | null {
  const stride1 = g.strideHeight === 1 && g.strideWidth === 1 && g.dilationHeight === 1 && g.dilationWidth === 1;
  return stride1 ? labProduct(backend, true) : null;
}

function gridOf(g: ConvGeometry): Grid {
  const hp = Math.max(g.inHeight + g.padInfo.top, g.outHeight + g.filterHeight - 1);
  const wp = Math.max(g.inWidth + g.padInfo.left, g.outWidth + g.filterWidth - 1);
  return { hp, wp, pixels: g.batchSize * hp * wp, tail: (g.filterHeight - 1) * wp + g.filterWidth - 1 };
}

/** The NHWC `image` [batch, rows, cols, channels] placed at (top, left) of a zeroed grid `out` of `grid`'s size (plus its tail). */
function toGrid(image: Float32Array, rows: number, cols: number, channels: number, top: number, left: number, grid: Grid, batch: number, out: Float32Array): void {
  out.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < rows; y++) {
      const from = ((b * rows + y) * cols) * channels;
      const to = ((b * grid.hp + y + top) * grid.wp + left) * channels;
      out.set(image.subarray(from, from + cols * channels), to);
    }
  }
}

/** The inverse of toGrid: the (top, left) block of `grid` into `image`. */
function fromGrid(gridded: Float32Array, rows: number, cols: number, channels: number, top: number, left: number, grid: Grid, batch: number, image: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < rows; y++) {
      const from = ((b * grid.hp + y + top) * grid.wp + left) * channels;
      image.set(gridded.subarray(from, from + cols * channels), ((b * rows + y) * cols) * channels);
    }
  }
}

const F = Float32Array.BYTES_PER_ELEMENT;

/** dW [fh, fw, inC, outC] of a stride-1 convolution of `x` with output gradient `dy`: one product per filter row. */
export function filterGradientOnGrid(backend: BackendWasm, matmul: MatMulFunction, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, filterShape: number[]): TensorInfo {
  const grid = gridOf(g);
  const { inChannels: cin, outChannels: cout, filterHeight: fh, filterWidth: fw } = g;
  const xp = allocate(backend, [(grid.pixels + grid.tail) * cin]);
  const dyp = allocate(backend, [grid.pixels * cout]);
  const dw = allocate(backend, filterShape);
  try {
    toGrid(view(backend, x), g.inHeight, g.inWidth, cin, g.padInfo.top, g.padInfo.left, grid, g.batchSize, view(backend, xp));
    toGrid(view(backend, dy), g.outHeight, g.outWidth, cout, 0, 0, grid, g.batchSize, view(backend, dyp));
    const at = (t: TensorInfo) => heapOffset(backend as unknown as WasmInternals, t);
    // Filter row kh: A's row r = kw·inC + c is the padded input from kh·Wp·inC + r, one pixel every inC.
    for (let kh = 0; kh < fh; kh++) {
      matmul(at(xp) + kh * grid.wp * cin * F, at(dyp), at(dw) + kh * fw * cin * cout * F, fw * cin, grid.pixels, cout, 1, cin, cout, cout, 0);
    }
    return dw;
  } catch (e) {
    free(backend, dw);
    throw e;
  } finally {
    free(backend, xp);
    free(backend, dyp);
  }
}

/** dx [batch, h, w, inC] of a stride-1 convolution with `filter` [fh, fw, inC, outC]: one product per tap, added on the grid. */
export function inputGradientOnGrid(backend: BackendWasm, matmul: MatMulFunction, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry, inputShape: number[]): TensorInfo {
  const grid = gridOf(g);
  const { inChannels: cin, outChannels: cout, filterHeight: fh, filterWidth: fw } = g;
  const taps = fh * fw;
  const dyp = allocate(backend, [grid.pixels * cout]);
  const dxp = allocate(backend, [(grid.pixels + grid.tail) * cin]);
  const filterT = allocate(backend, [taps, cout, cin]); // each tap's [inC, outC] block transposed
  const dx = allocate(backend, inputShape);
  try {
    toGrid(view(backend, dy), g.outHeight, g.outWidth, cout, 0, 0, grid, g.batchSize, view(backend, dyp));
    view(backend, dxp).fill(0);
    const [w, wt] = [view(backend, filter), view(backend, filterT)];
    for (let t = 0; t < taps; t++) {
      for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) wt[(t * cout + o) * cin + c] = w[(t * cin + c) * cout + o];
    }
    const at = (t: TensorInfo) => heapOffset(backend as unknown as WasmInternals, t);
    // Tap (kh, kw): the padded input gradient from (kh·Wp + kw)·inC gains dy · W[kh, kw]ᵀ, pixel by pixel.
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const shift = (kh * grid.wp + kw) * cin * F;
        matmul(at(dyp), at(filterT) + (kh * fw + kw) * cout * cin * F, at(dxp) + shift, grid.pixels, cout, cin, cout, 1, cin, cin, 1);
      }
    }
    fromGrid(view(backend, dxp), g.inHeight, g.inWidth, cin, g.padInfo.top, g.padInfo.left, grid, g.batchSize, view(backend, dx));
    return dx;
  } catch (e) {
    free(backend, dx);
    throw e;
  } finally {
    free(backend, dyp);
    free(backend, dxp);
    free(backend, filterT);
  }
}
