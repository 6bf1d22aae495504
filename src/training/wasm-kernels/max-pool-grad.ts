// MaxPoolGrad for the wasm backend, replacing tfjs 4.22's own: that one starts each window's search at
// std::numeric_limits<float>::min() (the smallest positive float, not the lowest), so a window whose
// values are all negative or zero sends its gradient to element 0 of the tensor — wrong for tanh and
// elu CNNs (measured: up to 50 % of the gradient off against cpu). Like the cpu backend, the gradient
// goes to the first maximum of each window.
import { backend_util, MaxPoolGrad, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, view } from './heap';

/** dx (zeroed by the caller) += dy routed to each pooling window's first maximum of x; NHWC. */
function maxPoolGradInto(x: Float32Array, dy: Float32Array, g: backend_util.Conv2DInfo, dx: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight: dh, dilationWidth: dw } = g;
  const { top, left } = g.padInfo;
  // Per output pixel, every channel at once: the window's rows of x are read contiguously.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * h * w * c;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      for (let ox = 0; ox < ow; ox++, o += c) {
        const x0 = ox * sw - left;
        best.fill(-Infinity);
        at.fill(-1);
        for (let ky = 0; ky < fh; ky += dh) {
          const iy = y0 + ky;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < fw; kx += dw) {
            const ix = x0 + kx;
            if (ix < 0 || ix >= w) continue;
            const base = image + (iy * w + ix) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) dx[at[ch]] += dy[o + ch];
      }
    }
  }
}

function maxPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo }; backend: BackendWasm; attrs: MaxPoolGradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const g = backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const dx = allocate(backend, [...input.shape]);
  const out = view(backend, dx);
  out.fill(0);
  maxPoolGradInto(view(backend, input), view(backend, dy), g, out);
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
