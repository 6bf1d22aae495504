// Optimizers whose update is one pass over the variable's and its slots' memory on the cpu backend,
// instead of 4–13 small tfjs kernels per variable (measured on MLP [128]'s weights: 1.3 ms instead
// of 20–40 ms per Adam step), and for Adam on wasm one WebAssembly SIMD pass per weight
// (wasm-kernels/adam-update.ts: MLP [128] trains 24 % faster at batch 64). They subclass tfjs's own
// optimizers: same class name, same slot variables and names (`<var>/m`, `<var>/v`,
// `<var>/momentum`), same getWeights/setWeights, so model.save({includeOptimizer}) and a resume read
// and write exactly the format they did. Every arithmetic step is rounded to float32 in the order
// tfjs's kernels compute it (Math.fround after each operation), so the values are bit-identical to
// tf.train.adam / sgd / momentum (test/browser/train-step.test.ts). Elsewhere they run tfjs's update:
// SGD and momentum on wasm (two or three kernels a weight: little to gain), and on the GPU backends,
// whose memory is not ours to touch. They also fall back when memory they would change in place
// (a slot's; on cpu the variable's too) is shared with another tensor.
import * as tf from '@tensorflow/tfjs';
import { adamOnWasm, type AdamConstants } from './wasm-kernels/adam-update';
import { float32Offset, type WasmInternals } from './wasm-kernels/wasm-internals';

const f = Math.fround;

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } | undefined };
}

/**
 * The float32 memory of `t` on the wasm or cpu backend, to read and write in place; null on other
 * backends, for other dtypes, or when `writable` and another tensor shares that memory.
 */
export function float32Memory(t: tf.Tensor, writable: boolean): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const name = tf.getBackend();
  if (name !== 'cpu' && name !== 'wasm') return null;
  const backend = tf.backend();
  if (writable && backend.refCount(t.dataId) !== 1) return null;
  if (name === 'cpu') {
    const values = (backend as unknown as CpuBackend).data.get(t.dataId)?.values;
    return values instanceof Float32Array && values.length === t.size ? values : null;
  }
  const wasm = backend as unknown as WasmInternals;
  const offset = float32Offset(wasm, t);
  return offset === null ? null : new Float32Array(wasm.wasm.HEAPU8.buffer, offset, t.size);
}

type Grads = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type NamedTensor = { name: string; tensor: tf.Tensor };

/** [variable, its gradient] in the order tfjs's optimizers walk them (index i = slot i). */
function pairs(grads: Grads): [tf.Variable, tf.Tensor | undefined][] {
  const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
  return names.map((name, i) => [tf.engine().registeredVariables[name], Array.isArray(grads) ? (grads as NamedTensor[])[i].tensor : grads[name]]);
}

/** The slot of variable i, created as tfjs does (zeros, not trainable, saved as `<name><suffix>`). */
function slot(slots: Slot[], i: number, value: tf.Variable, suffix: string): tf.Variable {
  slots[i] ??= { originalName: `${value.name}${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i].variable;
}

/** Memory of every [variable, gradient, ...slots] on the cpu backend, or null (then tfjs updates). */
function memories(groups: [tf.Variable, tf.Tensor, ...tf.Variable[]][]): Float32Array[][] | null {
  if (tf.getBackend() !== 'cpu') return null;
  const out: Float32Array[][] = [];
  for (const [value, grad, ...slots] of groups) {
    const views = [float32Memory(value, true), float32Memory(grad, false), ...slots.map((s) => float32Memory(s, true))];
    if (views.some((v) => v === null)) return null;
    out.push(views as Float32Array[]);
  }
  return out;
}

interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

/** The Adam update of every [w, g, m, v] in place, in JavaScript (the cpu backend's memory). */
function adamInPlace(mems: Float32Array[][], k: AdamConstants): void {
  for (const [w, g, m, v] of mems) {
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      const mi = f(f(m[i] * k.b1) + f(gi * k.c1));
      const vi = f(f(v[i] * k.b2) + f(f(gi * gi) * k.c2));
      m[i] = mi;
      v[i] = vi;
      const denom = f(f(Math.sqrt(f(vi / k.a2))) + k.eps);
      w[i] = f(f(f(f(mi / k.a1) / denom) * k.negLr) + w[i]);
    }
  }
}

/** tf.train.adam with a fused update on cpu and wasm (see the file comment). */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(grads: Grads): void {
    const self = this as unknown as AdamInternals;
    const groups: [tf.Variable, tf.Tensor, tf.Variable, tf.Variable][] = [];
    pairs(grads).forEach(([value, grad], i) => {
      const m = slot(self.accumulatedFirstMoment, i, value, '/m');
      const v = slot(self.accumulatedSecondMoment, i, value, '/v');
      if (grad) groups.push([value, grad, m, v]);
    });
    const acc1 = float32Memory(self.accBeta1, true)?.[0];
    const acc2 = float32Memory(self.accBeta2, true)?.[0];
    if (acc1 === undefined || acc2 === undefined) return super.applyGradients(grads);
    const k = { b1: f(self.beta1), b2: f(self.beta2), c1: f(1 - self.beta1), c2: f(1 - self.beta2), a1: f(1 - acc1), a2: f(1 - acc2), eps: f(self.epsilon), negLr: f(-self.learningRate) };
    const mems = memories(groups);
    if (mems) adamInPlace(mems, k);
    else if (!adamOnWasm(groups, k)) return super.applyGradients(grads);
    // Views of the wasm heap are taken again: the update may have grown it, detaching older ones.
    float32Memory(self.accBeta1, true)![0] = f(acc1 * k.b1);
    float32Memory(self.accBeta2, true)![0] = f(acc2 * k.b2);
    self.incrementIterations();
  }
}

interface SgdInternals {
  c: tf.Scalar; // -learningRate
  incrementIterations(): void;
}

/** tf.train.sgd with a fused update on cpu. */
export class FusedSGDOptimizer extends tf.SGDOptimizer {
  override applyGradients(grads: Grads): void {
    const self = this as unknown as SgdInternals;
    const groups = pairs(grads).filter((p): p is [tf.Variable, tf.Tensor] => !!p[1]);
    const mems = memories(groups);
    const c = float32Memory(self.c, false);
    if (!mems || !c) return super.applyGradients(grads);
    const negLr = c[0];
    for (const [w, g] of mems) for (let k = 0; k < w.length; k++) w[k] = f(f(negLr * g[k]) + w[k]);
    self.incrementIterations();
  }
}

interface MomentumInternals extends SgdInternals {
  m: tf.Scalar; // the momentum
  useNesterov: boolean;
  accumulations: Slot[];
}

/** tf.train.momentum (not Nesterov) with a fused update on cpu. */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(grads: Grads): void {
    const self = this as unknown as MomentumInternals;
    const groups: [tf.Variable, tf.Tensor, tf.Variable][] = [];
    pairs(grads).forEach(([value, grad], i) => {
      const acc = slot(self.accumulations, i, value, '/momentum');
      if (grad) groups.push([value, grad, acc]);
    });
    const mems = self.useNesterov ? null : memories(groups);
    const c = float32Memory(self.c, false);
    const mu = float32Memory(self.m, false);
    if (!mems || !c || !mu) return super.applyGradients(grads);
    const [negLr, momentum] = [c[0], mu[0]];
    for (const [w, g, a] of mems) {
      for (let k = 0; k < w.length; k++) {
        const ak = f(f(momentum * a[k]) + g[k]);
        a[k] = ak;
        w[k] = f(f(negLr * ak) + w[k]);
      }
    }
    self.incrementIterations();
  }
}
