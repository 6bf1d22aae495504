// BatchMatMul for the wasm backend: a transposed side is first transposed (in JavaScript on the heap,
// 2.5× faster than the backend's Transpose kernel here), so that every product takes XNNPACK's
// fully-connected path. tfjs 4.22's wasm BatchMatMul runs a plain loop when either side is
// transposed, and training needs those products: a Dense layer's weight gradient is xᵀ·dy. For
// MNIST's first layer at batch 64 (784×64 · 64×128) that loop took 6.1 ms, the transpose and the
// untransposed product 0.4 ms; the lab's MLP [128] trains 2.5× faster at batch 64, 4× at 256.
import '@tensorflow/tfjs-backend-wasm'; // its kernels first: this file keeps the backend's own product
import { BatchMatMul, getKernel, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, as, free, view } from './heap';
import { transpose2d } from './im2col';

function backendKernel(name: string): KernelConfig {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel;
}

/** The backend's own BatchMatMul, taken before this file's replaces it in the registry. */
const backendBatchMatMulConfig = backendKernel(BatchMatMul);
const backendBatchMatMul = backendBatchMatMulConfig.kernelFunc;

/** `t` with its last two dimensions swapped, as a new tensor. */
function swapLastTwo(backend: BackendWasm, t: TensorInfo): TensorInfo {
  const [rows, cols] = t.shape.slice(-2);
  const out = allocate(backend, [...t.shape.slice(0, -2), cols, rows]);
  const [from, to] = [view(backend, t), view(backend, out)];
  const size = rows * cols;
  for (let at = 0; at < from.length; at += size) transpose2d(from.subarray(at, at + size), rows, cols, to.subarray(at, at + size));
  return out;
}

/** a × b (float32), a side transposed first where asked, then by the backend's own product (XNNPACK). */
function product(backend: BackendWasm, inputs: { a: TensorInfo; b: TensorInfo }, transposeA: boolean, transposeB: boolean): TensorInfo {
  let [a, b] = [inputs.a, inputs.b];
  try {
    if (transposeA) a = swapLastTwo(backend, a);
    if (transposeB) b = swapLastTwo(backend, b);
    return backendBatchMatMul({ inputs: { a, b }, attrs: { transposeA: false, transposeB: false }, backend }) as TensorInfo;
  } finally {
    if (a !== inputs.a) free(backend, a);
    if (b !== inputs.b) free(backend, b);
  }
}

/**
 * a [m, k] × b [k, n] → a new [m, n] tensor, for the kernels of this folder; with `transposeB`, b is
 * given as [n, k] and its transpose is used.
 */
export function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, m: number, k: number, n: number, transposeB = false): TensorInfo {
  return as(product(backend, { a: as(a, [1, m, k]), b: as(b, transposeB ? [1, n, k] : [1, k, n]) }, false, transposeB), [m, n]);
}

function batchMatMul(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: BatchMatMulAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs;
  // Other dtypes go to the backend's own kernel as they are (it says what it does not support).
  if (inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32') return backendBatchMatMul({ inputs, attrs: { transposeA, transposeB }, backend }) as TensorInfo;
  return product(backend, inputs, transposeA, transposeB);
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
  // The backend binds its WebAssembly product when it starts, through the kernel registered then.
  setupFunc: backendBatchMatMulConfig.setupFunc,
};
