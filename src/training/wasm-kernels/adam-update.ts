// Adam on the wasm backend in one pass per weight (adam-module.ts). The moments are updated in place;
// each weight gets a new tensor: tfjs-wasm keeps a weight's packed XNNPACK operator under its tensor
// id, so a weight changed in place would keep multiplying with its old values.
import * as tf from '@tensorflow/tfjs';
import { adamOn } from './adam-module';
import { float32Offset, wasmMemory, type WasmInternals } from './wasm-internals';

/** One weight's update: the weight, its gradient, its first and second moments. */
export type AdamGroup = [tf.Variable, tf.Tensor, tf.Variable, tf.Variable];

/** b = β, c = 1 − β, a = 1 − β^t, all already rounded to float32. */
export interface AdamConstants {
  b1: number;
  b2: number;
  c1: number;
  c2: number;
  a1: number;
  a2: number;
  eps: number;
  negLr: number;
}

/** Applies the update to every group on the wasm backend; false (and nothing changed) where it cannot. */
export function adamOnWasm(groups: readonly AdamGroup[], k: AdamConstants): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const backend = tf.backend() as unknown as WasmInternals;
  const memory = wasmMemory(backend);
  const update = memory && adamOn(memory);
  if (!update) return false;
  const offset = (t: tf.Tensor) => float32Offset(backend, t);
  const ready = groups.every(([w, g, m, v]) =>
    [w, g, m, v].every((t) => offset(t) !== null) && backend.refCount(m.dataId) === 1 && backend.refCount(v.dataId) === 1);
  if (!ready) return false;
  // Every new weight is allocated before anything changes: an allocation that fails changes nothing.
  const next = tf.tidy(() => groups.map(([w]) => tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...w.shape], 'float32'))));
  groups.forEach(([w, g, m, v], i) => {
    update(offset(w)!, offset(g)!, offset(m)!, offset(v)!, offset(next[i])!, w.size, k.b1, k.b2, k.c1, k.c2, k.a1, k.a2, k.eps, k.negLr);
    w.assign(next[i]);
  });
  tf.dispose(next);
  return true;
}
