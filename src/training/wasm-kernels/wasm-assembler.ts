// The little of the WebAssembly binary format that the lab's hand-assembled kernels need: LEB128
// numbers, vectors and sections, the opcodes they use, and a one-function module over an imported
// memory. The kernels are assembled byte by byte so that the build needs no WebAssembly toolchain.

export const enum Op {
  block = 0x02,
  loop = 0x03,
  if = 0x04,
  else = 0x05,
  br = 0x0c,
  brIf = 0x0d,
  end = 0x0b,
  localGet = 0x20,
  localSet = 0x21,
  localTee = 0x22,
  f32Load = 0x2a,
  f32Store = 0x38,
  i32Const = 0x41,
  f32Const = 0x43,
  i32Eqz = 0x45,
  i32GeS = 0x4e,
  i32GeU = 0x4f,
  i32Add = 0x6a,
  i32Mul = 0x6c,
  i32And = 0x71,
  i32Shl = 0x74,
  f32Sqrt = 0x91,
  f32Add = 0x92,
  f32Mul = 0x94,
  f32Div = 0x95,
  simd = 0xfd,
}

/** SIMD opcodes (after the 0xfd prefix, as unsigned LEB128). */
export const enum Simd {
  load = 0x00,
  load32Splat = 0x09,
  store = 0x0b,
  splat = 0x13,
  sqrt = 0xe3,
  add = 0xe4,
  mul = 0xe6,
  div = 0xe7,
  relaxedMadd = 0x105, // a·b + c, fused where the machine has FMA (relaxed SIMD)
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};

export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};

export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const text = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

export const get = (i: number): number[] => [Op.localGet, ...uleb(i)];
export const set = (i: number): number[] => [Op.localSet, ...uleb(i)];
export const simd = (op: Simd): number[] => [Op.simd, ...uleb(op)];
export const i32 = (n: number): number[] => [Op.i32Const, ...sleb(n)];
/** A memory access's immediate: alignment hint 1 byte (addresses need not be aligned) and a static offset. */
export const memarg = (offset = 0): number[] => [0, ...uleb(offset)];

/** `while (local < until) { body; local += step }`, `until` and `step` being code that pushes an i32 (unsigned compare unless `signed`). */
export function loopWhileBelow(local: number, until: number[], step: number[], body: number[], signed = false): number[] {
  return [
    Op.block, 0x40, Op.loop, 0x40,
    ...get(local), ...until, signed ? Op.i32GeS : Op.i32GeU, Op.brIf, 1,
    ...body,
    ...get(local), ...step, Op.i32Add, ...set(local),
    Op.br, 0, Op.end, Op.end,
  ];
}

/** A function body: its locals as [count, type] runs, then the code (ending the function). */
export const functionBody = (locals: [number, number][], code: number[]): number[] => [
  ...vec(locals.map(([count, type]) => [...uleb(count), type])),
  ...code,
  Op.end,
];

/**
 * A module that imports env.memory (shared for the threaded build) and exports one function `name`
 * taking `params` and returning nothing.
 */
export function oneFunctionModule(name: string, params: number[], body: number[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec(params.map((p) => [p])), 0]]));
  const limits = sharedMemory ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const imports = section(2, vec([[...text('env'), ...text('memory'), 0x02, ...limits]]));
  const functions = section(3, vec([[0]]));
  const exports = section(7, vec([[...text(name), 0x00, 0]]));
  const code = section(10, vec([[...uleb(body.length), ...body]]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...functions, ...exports, ...code]);
}

/** Whether `memory` is the threaded build's shared memory. */
export const isShared = (memory: WebAssembly.Memory): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
