// Conv2DBackpropInput for the wasm backend: stride 1 on the grid (conv-grid.ts: one product per
// tap, no patch matrix), else by im2col: cols [N·outH·outW, fh·fw·inC] = dy × Wᵀ by
// batch-mat-mul.ts's product, then col2im adds the patches back onto dx.
import { Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convInfo } from './conv-info';
import { matMul } from './batch-mat-mul';
import { inputGradientOnGrid, gridProduct } from './conv-grid';
import { allocate, free, view } from './heap';
import { col2imAdd, outputPixels, patchSize } from './im2col';

function conv2DBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const g = convInfo(Conv2DBackpropInput, attrs.inputShape, filter.shape, attrs);
  const lab = gridProduct(backend, g);
  if (lab) return inputGradientOnGrid(backend, lab, dy, filter, g, [...attrs.inputShape]);
  const k = patchSize(g);
  const m = outputPixels(g);
  // cols = dy × Wᵀ: W [fh·fw·inC, outC] is given as it is and transposed by the product.
  const cols = matMul(backend, dy, filter, m, g.outChannels, k, true);
  try {
    const dx = allocate(backend, [...attrs.inputShape]);
    const out = view(backend, dx);
    out.fill(0);
    col2imAdd(view(backend, cols), g, out);
    return dx;
  } finally {
    free(backend, cols);
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
