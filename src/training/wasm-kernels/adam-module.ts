// The Adam update as one WebAssembly SIMD function over the wasm backend's own memory: tfjs's Adam
// runs about 16 kernels per weight, each a pass over it, and on MLP [128] they took a quarter of a
// training step. The function is assembled here byte by byte (a few dozen instructions), so the
// build needs no WebAssembly toolchain.
//
// adam(w, g, m, v, out, n, b1, b2, c1, c2, a1, a2, eps, negLr): for k < n, with every operation
// rounded to float32 in the order tfjs's kernels compute it (so the result is bit-identical):
//   m[k] = m[k]·b1 + g[k]·c1;  v[k] = v[k]·b2 + (g[k]·g[k])·c2
//   out[k] = ((m[k] / a1) / (√(v[k] / a2) + eps))·negLr + w[k]
// where w, g, m, v, out are byte offsets of float32 arrays, c = 1 − b, a = 1 − b^t.

const enum Op {
  block = 0x02,
  loop = 0x03,
  br = 0x0c,
  brIf = 0x0d,
  end = 0x0b,
  localGet = 0x20,
  localSet = 0x21,
  f32Load = 0x2a,
  f32Store = 0x38,
  i32Const = 0x41,
  i32GeU = 0x4f,
  i32Add = 0x6a,
  i32Shl = 0x74,
  i32And = 0x71,
  f32Sqrt = 0x91,
  f32Add = 0x92,
  f32Mul = 0x94,
  f32Div = 0x95,
  simd = 0xfd,
}
/** SIMD opcodes (after the 0xfd prefix, as unsigned LEB128). */
const enum Simd {
  load = 0x00,
  store = 0x0b,
  splat = 0x13,
  sqrt = 0xe3,
  add = 0xe4,
  mul = 0xe6,
  div = 0xe7,
}
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const text = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

// Locals: the 14 parameters, then the loop's byte offset and ends, the splatted constants and temporaries.
const [W, G, M, V, OUT, N] = [0, 1, 2, 3, 4, 5];
const [B1, B2, C1, C2, A1, A2, EPS, NEG_LR] = [6, 7, 8, 9, 10, 11, 12, 13];
const [AT, END4, END] = [14, 15, 16]; // i32
const SPLAT = 17; // v128 × 8: the splatted B1 … NEG_LR, in that order
const [GV, MV, VV] = [25, 26, 27]; // v128
const [GS, MS, VS] = [28, 29, 30]; // f32

const get = (i: number) => [Op.localGet, ...uleb(i)];
const set = (i: number) => [Op.localSet, ...uleb(i)];
const simd = (op: Simd) => [Op.simd, ...uleb(op)];
const memarg = [0, 0]; // alignment hint 1 byte (offsets need not be aligned), offset 0
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

/** `while (at < until) { body; at += step }` */
const loopUntil = (until: number, step: number, body: number[]) => [
  Op.block, 0x40, Op.loop, 0x40,
  ...get(AT), ...get(until), Op.i32GeU, Op.brIf, 1,
  ...body,
  ...get(AT), Op.i32Const, ...sleb(step), Op.i32Add, ...set(AT),
  Op.br, 0, Op.end, Op.end,
];

function adamBody(): number[] {
  const splats = [B1, B2, C1, C2, A1, A2, EPS, NEG_LR].flatMap((p, i) => [...get(p), ...simd(Simd.splat), ...set(SPLAT + i)]);
  const code = [
    ...splats,
    // END4: the bytes of the whole groups of 4; END: of all n.
    ...get(N), Op.i32Const, ...sleb(-4), Op.i32And, Op.i32Const, 2, Op.i32Shl, ...set(END4),
    ...get(N), Op.i32Const, 2, Op.i32Shl, ...set(END),
    ...loopUntil(END4, 16, update(true)),
    ...loopUntil(END, 4, update(false)),
    Op.end,
  ];
  const locals = vec([[...uleb(3), I32], [...uleb(11), V128], [...uleb(3), F32]]);
  return [...locals, ...code];
}

/** The module: imports env.memory (shared for the threaded build), exports `adam`. */
export function adamModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32];
  const type = section(1, vec([[0x60, ...vec(params.map((p) => [p])), 0]]));
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const imports = section(2, vec([[...text('env'), ...text('memory'), 0x02, ...limits]]));
  const functions = section(3, vec([[0]]));
  const exports = section(7, vec([[...text('adam'), 0x00, 0]]));
  const body = adamBody();
  const code = section(10, vec([[...uleb(body.length), ...body]]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...functions, ...exports, ...code]);
}

export type AdamFunction = (w: number, g: number, m: number, v: number, out: number, n: number, b1: number, b2: number, c1: number, c2: number, a1: number, a2: number, eps: number, negLr: number) => void;

const instances = new WeakMap<WebAssembly.Memory, AdamFunction | null>();

/** The update bound to `memory`, compiled once per memory; null where WebAssembly SIMD is missing. */
export function adamOn(memory: WebAssembly.Memory): AdamFunction | null {
  if (!instances.has(memory)) {
    let fn: AdamFunction | null = null;
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(adamModuleBytes(shared)), { env: { memory } });
      fn = instance.exports.adam as AdamFunction;
    } catch {
      fn = null; // tfjs's own Adam runs instead
    }
    instances.set(memory, fn);
  }
  return instances.get(memory)!;
}
