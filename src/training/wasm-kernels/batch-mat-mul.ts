// BatchMatMul for the wasm backend: a transposed side is first transposed (in JavaScript on the heap,
// 2.5× faster than the backend's Transpose kernel here), so that every product takes XNNPACK's
// fully-connected path. tfjs 4.22's wasm BatchMatMul runs a plain loop when either side is
// transposed, and training needs those products: a Dense layer's weight gradient is xᵀ·dy. For
// MNIST's first layer at batch 64 (784×64 · 64×128) that loop took 6.1 ms, the transpose and the
// untransposed product 0.4 ms; the lab's MLP [128] trains 2.5× faster at batch 64, 4× at 256.
import '@tensorflow/tfjs-backend-wasm'; // its kernels first: this file keeps the backend's own product
import { BatchMatMul, getKernel, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { transpose2d } from './im2col';

function backendKernel(name: string): KernelConfig {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel;
}

/** The backend's own BatchMatMul, taken before this file's replaces it in the registry. */
const backendBatchMatMulConfig = backendKernel(BatchMatMul);
const backendBatchMatMul = backendBatchMatMulConfig.kernelFunc;

/** a × b, neither transposed, by the backend's own kernel (XNNPACK; b is packed as its weights). */
export function untransposedMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  return backendBatchMatMul({ inputs: { a, b }, attrs: { transposeA: false, transposeB: false }, backend }) as TensorInfo;
}

/** `t` with its last two dimensions swapped, as a new tensor. */
function swapLastTwo(backend: BackendWasm, t: TensorInfo): TensorInfo {
  const [rows, cols] = t.shape.slice(-2);
  const out = backend.makeOutput([...t.shape.slice(0, -2), cols, rows], 'float32');
  const [from, to] = [backend.typedArrayFromHeap(t) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array];
  const size = rows * cols;
  for (let at = 0; at < from.length; at += size) transpose2d(from.subarray(at, at + size), rows, cols, to.subarray(at, at + size));
  return out;
}

function batchMatMul(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: BatchMatMulAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  // Other dtypes go to the backend's own kernel as they are (it says what it does not support).
  if (inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32') return backendBatchMatMul({ inputs, attrs: { transposeA: attrs.transposeA, transposeB: attrs.transposeB }, backend }) as TensorInfo;
  let [a, b] = [inputs.a, inputs.b];
  try {
    if (attrs.transposeA) a = swapLastTwo(backend, a);
    if (attrs.transposeB) b = swapLastTwo(backend, b);
    return untransposedMatMul(backend, a, b);
  } finally {
    if (a !== inputs.a) backend.disposeData(a.dataId);
    if (b !== inputs.b) backend.disposeData(b.dataId);
  }
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
  // The backend binds its WebAssembly product when it starts, through the kernel registered then.
  setupFunc: backendBatchMatMulConfig.setupFunc,
};
