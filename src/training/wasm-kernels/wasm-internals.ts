// What the lab's own wasm code reads of tfjs-wasm's backend beyond its typings: where a tensor's data
// lies in the module's memory, that memory, and how the backend allocates and counts its data.
import type { TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmInternals {
  dataIdMap: { has(dataId: object): boolean; get(dataId: object): { memoryOffset: number | null } | undefined };
  /** The module: its heap; its memory is its export `asm.memory`, or for the threaded build the shared `wasmMemory` it imports. */
  wasm: { HEAPU8: Uint8Array; asm?: { memory?: unknown }; wasmMemory?: unknown };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  refCount(dataId: object): number;
}

/** The backend module's memory (shared in the threaded build); null if it is not where tfjs 4.22 keeps it. */
export function wasmMemory(backend: WasmInternals): WebAssembly.Memory | null {
  const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** The byte offset of `t`'s float32 data in the backend's memory; throws where it has none (see float32Offset). */
export function heapOffset(backend: WasmInternals, t: TensorInfo): number {
  const offset = float32Offset(backend, t);
  if (offset === null) throw new Error('a tensor is not float32 data on the wasm heap');
  return offset;
}

/** The byte offset of `t`'s data in the backend's memory: null unless it is float32 data the backend holds. */
export function float32Offset(backend: WasmInternals, t: TensorInfo): number | null {
  // has() first: get() of a disposed tensor's id asks the engine to move data it no longer knows.
  if (t.dtype !== 'float32' || !backend.dataIdMap.has(t.dataId)) return null;
  return backend.dataIdMap.get(t.dataId)?.memoryOffset ?? null;
}
