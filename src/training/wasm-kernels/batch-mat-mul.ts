// BatchMatMul for the wasm backend, and the product of this folder's conv kernels: the lab's own
// product (matmul-module.ts: FMA where the browser has relaxed SIMD, nothing packed, split over the
// cores where the memory is shared), which reads a transposed A through its strides and takes a
// transposed B after a transpose in JavaScript on the heap. tfjs 4.22's wasm BatchMatMul runs a
// plain loop when either side is transposed (MNIST's first layer's weight gradient at batch 64:
// 6.1 ms), and its XNNPACK path packs B into a new operator for every new tensor, that is every
// training step for a weight and every call for a conv kernel's data (the CNN preset's first
// Conv2DBackpropFilter: dy of 50,176 × 8 packed per call). Where the lab's product cannot run (no
// SIMD), a transposed side is transposed and the backend's own XNNPACK product runs, as before.
import '@tensorflow/tfjs-backend-wasm'; // its kernels first: this file keeps the backend's own product
import { BatchMatMul, broadcast_util, getKernel, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, as, free, view } from './heap';
import { transpose2d } from './im2col';
import { matmulOn, type MatMulFunction } from './matmul-module';
import { MatMulPool } from './matmul-pool';
import { heapOffset, wasmMemory, type WasmInternals } from './wasm-internals';

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

let labProductAllowed = true;

/** Whether products may take the lab's product (else XNNPACK's path, as where SIMD is missing): for tests and A/B benches. */
export function allowLabProduct(allowed: boolean): void {
  labProductAllowed = allowed;
}

/**
 * The lab's product over the backend's memory, on every core it may use unless `oneThread`; null
 * without WebAssembly SIMD.
 */
export function labProduct(backend: BackendWasm, oneThread = false): MatMulFunction | null {
  if (!labProductAllowed) return null;
  const memory = wasmMemory(backend as unknown as WasmInternals);
  const matmul = memory && matmulOn(memory);
  if (!memory || !matmul) return null;
  return oneThread ? matmul : (MatMulPool.shared(memory, matmul)?.run ?? matmul);
}

/** The batch dimensions' element count of `t` (all but the last two). */
const batchOf = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);

/**
 * a × b (float32) by the lab's product, batch by batch (equal batch dimensions, or one side
 * unbatched); null where it does not apply (then `product` runs).
 */
function labBatchProduct(backend: BackendWasm, inputs: { a: TensorInfo; b: TensorInfo }, transposeA: boolean, transposeB: boolean): TensorInfo | null {
  const matmul = labProduct(backend);
  const { a } = inputs;
  const [aBatch, bBatch] = [batchOf(a), batchOf(inputs.b)];
  const sameBatch = a.shape.length === inputs.b.shape.length && a.shape.slice(0, -2).every((d, i) => d === inputs.b.shape[i]);
  if (!matmul || !(sameBatch || aBatch === 1 || bBatch === 1)) return null;
  const [ar, ac] = a.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const b = transposeB ? swapLastTwo(backend, inputs.b) : inputs.b; // now [..., k, n]
  try {
    const n = b.shape[b.shape.length - 1];
    const batchShape = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = allocate(backend, [...batchShape, m, n]);
    const offset = (t: TensorInfo) => heapOffset(backend as unknown as WasmInternals, t);
    const [rsA, csA] = transposeA ? [1, m] : [k, 1];
    const F = Float32Array.BYTES_PER_ELEMENT;
    for (let i = 0; i < Math.max(aBatch, bBatch); i++) {
      const [ai, bi] = [aBatch === 1 ? 0 : i, bBatch === 1 ? 0 : i];
      matmul(offset(a) + ai * m * k * F, offset(b) + bi * k * n * F, offset(out) + i * m * n * F, m, k, n, rsA, csA, n, n, 0);
    }
    return out;
  } finally {
    if (b !== inputs.b) free(backend, b);
  }
}

/** a × b (float32): the lab's product, else a side transposed first where asked and the backend's own product (XNNPACK). */
function product(backend: BackendWasm, inputs: { a: TensorInfo; b: TensorInfo }, transposeA: boolean, transposeB: boolean): TensorInfo {
  const lab = labBatchProduct(backend, inputs, transposeA, transposeB);
  if (lab) return lab;
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
