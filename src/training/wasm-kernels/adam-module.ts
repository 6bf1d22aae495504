// The Adam update as one WebAssembly SIMD function over the wasm backend's own memory: tfjs's Adam
// runs about 16 kernels per weight, each a pass over it, and on MLP [128] they took a quarter of a
// training step. The function is assembled byte by byte (wasm-assembler.ts): a few dozen instructions.
//
// adam(w, g, m, v, out, n, b1, b2, c1, c2, a1, a2, eps, negLr): for k < n, with every operation
// rounded to float32 in the order tfjs's kernels compute it (so the result is bit-identical):
//   m[k] = m[k]·b1 + g[k]·c1;  v[k] = v[k]·b2 + (g[k]·g[k])·c2
//   out[k] = ((m[k] / a1) / (√(v[k] / a2) + eps))·negLr + w[k]
// where w, g, m, v, out are byte offsets of float32 arrays, c = 1 − b, a = 1 − b^t.

import { F32, functionBody, get, I32, i32, isShared, loopWhileBelow, memarg as memargAt, Op, oneFunctionModule, set, simd, Simd, sleb, V128 } from './wasm-assembler';

// Locals: the 14 parameters, then the loop's byte offset and ends, the splatted constants and temporaries.
const [W, G, M, V, OUT, N] = [0, 1, 2, 3, 4, 5];
const [B1, B2, C1, C2, A1, A2, EPS, NEG_LR] = [6, 7, 8, 9, 10, 11, 12, 13];
const [AT, END4, END] = [14, 15, 16]; // i32
const SPLAT = 17; // v128 × 8: the splatted B1 … NEG_LR, in that order
const [GV, MV, VV] = [25, 26, 27]; // v128
const [GS, MS, VS] = [28, 29, 30]; // f32

const memarg = memargAt();
/** The address `base + at` on the stack. */
const addr = (base: number) => [...get(base), ...get(AT), Op.i32Add];

/** One step of the update, in vector (4 floats) or scalar form. */
function update(wide: boolean): number[] {
  const load = wide ? [...simd(Simd.load), ...memarg] : [Op.f32Load, ...memarg];
  const store = wide ? [...simd(Simd.store), ...memarg] : [Op.f32Store, ...memarg];
  const [add, mul, div, sqrt] = wide ? [simd(Simd.add), simd(Simd.mul), simd(Simd.div), simd(Simd.sqrt)] : [[Op.f32Add], [Op.f32Mul], [Op.f32Div], [Op.f32Sqrt]];
  const k = (param: number) => get(wide ? SPLAT + (param - B1) : param);
  const [g, m, v] = wide ? [GV, MV, VV] : [GS, MS, VS];
  return [
    ...addr(G), ...load, ...set(g),
    ...addr(M), ...load, ...k(B1), ...mul, ...get(g), ...k(C1), ...mul, ...add, ...set(m),
    ...addr(V), ...load, ...k(B2), ...mul, ...get(g), ...get(g), ...mul, ...k(C2), ...mul, ...add, ...set(v),
    ...addr(M), ...get(m), ...store,
    ...addr(V), ...get(v), ...store,
    ...addr(OUT),
    ...get(m), ...k(A1), ...div,
    ...get(v), ...k(A2), ...div, ...sqrt, ...k(EPS), ...add,
    ...div, ...k(NEG_LR), ...mul,
    ...addr(W), ...load, ...add,
    ...store,
  ];
}

const loopUntil = (until: number, step: number, body: number[]) => loopWhileBelow(AT, get(until), i32(step), body);

function adamBody(): number[] {
  const splats = [B1, B2, C1, C2, A1, A2, EPS, NEG_LR].flatMap((p, i) => [...get(p), ...simd(Simd.splat), ...set(SPLAT + i)]);
  const code = [
    ...splats,
    // END4: the bytes of the whole groups of 4; END: of all n.
    ...get(N), Op.i32Const, ...sleb(-4), Op.i32And, Op.i32Const, 2, Op.i32Shl, ...set(END4),
    ...get(N), Op.i32Const, 2, Op.i32Shl, ...set(END),
    ...loopUntil(END4, 16, update(true)),
    ...loopUntil(END, 4, update(false)),
  ];
  return functionBody([[3, I32], [11, V128], [3, F32]], code);
}

/** The module: imports env.memory (shared for the threaded build), exports `adam`. */
export function adamModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32];
  return oneFunctionModule('adam', params, adamBody(), shared);
}

export type AdamFunction = (w: number, g: number, m: number, v: number, out: number, n: number, b1: number, b2: number, c1: number, c2: number, a1: number, a2: number, eps: number, negLr: number) => void;

const instances = new WeakMap<WebAssembly.Memory, AdamFunction | null>();

/** The update bound to `memory`, compiled once per memory; null where WebAssembly SIMD is missing. */
export function adamOn(memory: WebAssembly.Memory): AdamFunction | null {
  if (!instances.has(memory)) {
    let fn: AdamFunction | null = null;
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(adamModuleBytes(isShared(memory))), { env: { memory } });
      fn = instance.exports.adam as AdamFunction;
    } catch {
      fn = null; // tfjs's own Adam runs instead
    }
    instances.set(memory, fn);
  }
  return instances.get(memory)!;
}
