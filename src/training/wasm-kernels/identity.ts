// Identity for the wasm backend, sharing the data as the cpu backend's does (and as tfjs-wasm's own
// Reshape does) instead of copying it: tfjs clones every tensor it saves for a backward pass through
// Identity, 33 copies per step of the CNN preset. A copy protects nothing here: no kernel writes
// into its inputs, and the lab's in-place updates (the Adam pass, fused-optimizers.ts) check that
// the memory they change is not shared.
import '@tensorflow/tfjs-backend-wasm'; // its kernels first: this file keeps the backend's own for strings
import { getKernel, Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const backendIdentity = getKernel(Identity, 'wasm')?.kernelFunc;

function identity(args: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string' && backendIdentity) return backendIdentity(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
