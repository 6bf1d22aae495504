// The convolution geometry of a Conv2DBackprop* call, NHWC only (what tfjs-layers builds by default).
import { backend_util } from '@tensorflow/tfjs-core';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

/** A convolution this folder's kernels do not implement (NCHW data). */
export class WasmKernelError extends Error {
  override name = 'WasmKernelError';
}

export function convInfo(
  kernel: string,
  inShape: number[],
  filterShape: number[],
  attrs: { strides: [number, number] | number; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
): backend_util.Conv2DInfo {
  if (attrs.dataFormat !== 'NHWC') throw new WasmKernelError(`${kernel} on wasm supports NHWC data only (got ${attrs.dataFormat})`);
  return backend_util.computeConv2DInfo(inShape as Shape4, filterShape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}
