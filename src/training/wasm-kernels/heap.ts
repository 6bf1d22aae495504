// Scratch tensors on the wasm backend's heap, for the kernels of this folder. Views from typedArrayFromHeap are taken only after the last allocation of a step: growing
// the wasm memory detaches earlier views.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A float32 tensor of `shape` on the wasm heap, uninitialised; free it with `free` unless returned. */
export const allocate = (backend: BackendWasm, shape: number[]): TensorInfo => backend.makeOutput(shape, 'float32');

export const free = (backend: BackendWasm, t: TensorInfo): void => void backend.disposeData(t.dataId);

/** The float32 contents of `t` as a live view of the heap (valid until the next allocation). */
export const view = (backend: BackendWasm, t: TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;

/** `t` seen with another shape of the same size (no copy; the caller keeps owning `t`). */
export const as = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });
