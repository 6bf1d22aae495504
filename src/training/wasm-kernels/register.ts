// Registers this folder's kernels for the 'wasm' backend through tfjs's public kernel registry, on
// import (once). Conv2DBackpropFilter is missing from tfjs 4.22's wasm backend (the only kernel a CNN
// training step lacks there); Conv2DBackpropInput replaces the backend's own, which measured 3–5×
// slower here for the preset CNN's second layer (64×14×14×8 → 16: 18–28 ms vs 5 ms per call);
// MaxPoolGrad replaces the backend's own, which is wrong for windows without a positive value;
// BatchMatMul takes the lab's own product (batch-mat-mul.ts); Identity shares its input's data
// instead of copying it (identity.ts).
import '@tensorflow/tfjs-backend-wasm'; // its own kernels first, so ours replace them
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';

export const WASM_KERNELS: readonly KernelConfig[] = [batchMatMulConfig, conv2DBackpropFilterConfig, conv2DBackpropInputConfig, identityConfig, maxPoolGradConfig];

/** Registers (or re-registers over the backend's own) every kernel of WASM_KERNELS; idempotent. */
function registerWasmKernels(): void {
  for (const config of WASM_KERNELS) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    if (current) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
}

registerWasmKernels();
