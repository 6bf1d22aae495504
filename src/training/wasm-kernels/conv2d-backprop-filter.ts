// Conv2DBackpropFilter for the wasm backend (tfjs 4.22 has none, so CNNs could not train there):
// stride 1 on the grid (conv-grid.ts: no patch matrix), else dW [fh·fw·inC, outC] =
// im2colᵀ(x) [fh·fw·inC, N·outH·outW] × dy [N·outH·outW, outC], the patch matrix built on the wasm
// heap and multiplied by batch-mat-mul.ts's product.
import { Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convInfo } from './conv-info';
import { matMul } from './batch-mat-mul';
import { filterGradientOnGrid, gridProduct } from './conv-grid';
import { allocate, as, free, view } from './heap';
import { im2colTransposed, outputPixels, patchSize } from './im2col';

function conv2DBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const g = convInfo(Conv2DBackpropFilter, x.shape, attrs.filterShape, attrs);
  const lab = gridProduct(backend, g);
  if (lab) return filterGradientOnGrid(backend, lab, x, dy, g, [...attrs.filterShape]);
  const k = patchSize(g);
  const m = outputPixels(g);
  const colsT = allocate(backend, [k, m]);
  try {
    im2colTransposed(view(backend, x), g, view(backend, colsT));
    return as(matMul(backend, colsT, dy, k, m, g.outChannels), [...attrs.filterShape]);
  } finally {
    free(backend, colsT);
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
