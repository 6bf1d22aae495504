// A matrix product as one WebAssembly SIMD function over the wasm backend's own memory, for the
// dense training step (dense-step.ts). tfjs-wasm's products go through XNNPACK, which packs the
// weight into a new operator whenever the weight is a new tensor, that is on every training step;
// this product reads the weight where it lies. It computes 4 rows × 8 columns of the result per
// pass over k, with fused multiply-adds where the browser has relaxed SIMD.
//
// matmul(a, b, c, m, k, n, rsA, csA, ldb, ldc, accumulate): for i < m, j < n,
//   C[i·ldc + j] = (accumulate ? C[i·ldc + j] : 0) + Σ_p A[i·rsA + p·csA] · B[p·ldb + j]
// where a, b, c are byte offsets of float32 arrays and the strides count floats, so A may be read
// transposed (rsA = 1, csA = rows) while B and C are row-major.
import {
  F32,
  functionBody,
  get,
  I32,
  i32,
  isShared,
  loopWhileBelow,
  memarg,
  Op,
  oneFunctionModule,
  set,
  simd,
  Simd,
  V128,
} from './wasm-assembler';

// Locals: the 11 parameters, then i32 work registers, then v128 and f32 accumulators.
const [A, B, C, M, K, N, RS_A, CS_A, LDB, LDC, ACCUMULATE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [I, J, PB, PB_END, PC, RS, CS, LB, LC] = [11, 12, 13, 14, 15, 16, 17, 18, 19];
const PA = 20; // i32 × 4: the current element of A in each of the tile's rows
const I32_LOCALS = 13;
const ACC = 24; // v128 × 8: row r, vector v at ACC + 2r + v
const [BV, AV] = [32, 34]; // v128 × 2, v128
const V128_LOCALS = 11;
const ACC_S = 35; // f32 × 4: the scalar tile's row r
const [BS, AS] = [39, 40];
const F32_LOCALS = 6;

const ROWS = 4;

/** The product of one tile of `rows` rows and `vectors` × 4 columns (0: one column, scalar), at (I, J). */
function tile(rows: number, vectors: number, fma: boolean): number[] {
  const scalar = vectors === 0;
  const perRow = scalar ? 1 : vectors; // accumulators per row
  const accLocal = (r: number, v: number) => (scalar ? ACC_S + r : ACC + 2 * r + v);
  const rowOfC = (r: number) => [...get(PC), ...(r ? [...get(LC), ...i32(r), Op.i32Mul, Op.i32Add] : [])];
  const load = (offset: number) => (scalar ? [Op.f32Load, ...memarg(offset)] : [...simd(Simd.load), ...memarg(offset)]);
  const zero = scalar ? [Op.f32Const, 0, 0, 0, 0] : [Op.f32Const, 0, 0, 0, 0, ...simd(Simd.splat)];
  const each = (f: (r: number, v: number) => number[]) =>
    Array.from({ length: rows }, (_, r) => Array.from({ length: perRow }, (_, v) => f(r, v)).flat()).flat();
  const clear = each((r, v) => [...zero, ...set(accLocal(r, v))]);
  const reload = each((r, v) => [...rowOfC(r), ...load(16 * v), ...set(accLocal(r, v))]);
  const multiplyAdd = (r: number, v: number) => {
    const [a, b] = scalar ? [AS, BS] : [AV, BV + v];
    if (scalar) return [...get(accLocal(r, v)), ...get(a), ...get(b), Op.f32Mul, Op.f32Add, ...set(accLocal(r, v))];
    if (fma) return [...get(a), ...get(b), ...get(accLocal(r, v)), ...simd(Simd.relaxedMadd), ...set(accLocal(r, v))];
    return [...get(accLocal(r, v)), ...get(a), ...get(b), ...simd(Simd.mul), ...simd(Simd.add), ...set(accLocal(r, v))];
  };
  const step = [
    ...Array.from({ length: perRow }, (_, v) => [...get(PB), ...load(16 * v), ...set(scalar ? BS : BV + v)]).flat(),
    ...Array.from({ length: rows }, (_, r) => [
      ...get(PA + r),
      ...(scalar ? [Op.f32Load, ...memarg()] : [...simd(Simd.load32Splat), ...memarg()]),
      ...set(scalar ? AS : AV),
      ...Array.from({ length: perRow }, (_, v) => multiplyAdd(r, v)).flat(),
      ...get(PA + r), ...get(CS), Op.i32Add, ...set(PA + r),
    ]).flat(),
  ];
  const store = each((r, v) => [...rowOfC(r), ...get(accLocal(r, v)), ...(scalar ? [Op.f32Store, ...memarg(16 * v)] : [...simd(Simd.store), ...memarg(16 * v)])]);
  return [
    // PC = c + I·ldc + J (bytes); PA_r = a + (I + r)·rsA; PB = b + J, PB_END = PB + k·ldb
    ...get(C), ...get(I), ...get(LC), Op.i32Mul, Op.i32Add, ...get(J), ...i32(2), Op.i32Shl, Op.i32Add, ...set(PC),
    ...Array.from({ length: rows }, (_, r) => [...get(A), ...get(I), ...i32(r), Op.i32Add, ...get(RS), Op.i32Mul, Op.i32Add, ...set(PA + r)]).flat(),
    ...get(B), ...get(J), ...i32(2), Op.i32Shl, Op.i32Add, ...set(PB),
    ...get(PB), ...get(K), ...get(LB), Op.i32Mul, Op.i32Add, ...set(PB_END),
    ...get(ACCUMULATE), Op.if, 0x40, ...reload, Op.else, ...clear, Op.end,
    ...loopWhileBelow(PB, get(PB_END), get(LB), step),
    ...store,
  ];
}

/** Every tile of the columns [J, …) `vectors` × 4 wide (0: one column): first 4 rows at a time, then one. */
function columnStrip(vectors: number, fma: boolean): number[] {
  const width = vectors === 0 ? 1 : 4 * vectors;
  const rowsThenRow = [
    ...i32(0), ...set(I),
    ...loopWhileBelow(I, [...get(M), ...i32(-(ROWS - 1)), Op.i32Add], i32(ROWS), tile(ROWS, vectors, fma), true),
    ...loopWhileBelow(I, get(M), i32(1), tile(1, vectors, fma), true),
  ];
  return loopWhileBelow(J, [...get(N), ...i32(-(width - 1)), Op.i32Add], i32(width), rowsThenRow, true);
}

function matmulBody(fma: boolean): number[] {
  const bytes = (from: number, to: number) => [...get(from), ...i32(2), Op.i32Shl, ...set(to)];
  const code = [
    ...bytes(RS_A, RS), ...bytes(CS_A, CS), ...bytes(LDB, LB), ...bytes(LDC, LC),
    ...i32(0), ...set(J),
    ...columnStrip(2, fma),
    ...columnStrip(1, fma),
    ...columnStrip(0, fma),
  ];
  return functionBody([[I32_LOCALS, I32], [V128_LOCALS, V128], [F32_LOCALS, F32]], code);
}

/** The module: imports env.memory (shared for the threaded build), exports `matmul`. */
export function matmulModuleBytes(shared: boolean, fma: boolean): Uint8Array<ArrayBuffer> {
  return oneFunctionModule('matmul', Array(11).fill(I32), matmulBody(fma), shared);
}

export type MatMulFunction = (a: number, b: number, c: number, m: number, k: number, n: number, rsA: number, csA: number, ldb: number, ldc: number, accumulate: number) => void;

export interface CompiledMatMul {
  module: WebAssembly.Module;
  fma: boolean; // compiled with relaxed SIMD's fused multiply-add
}

const modules = new Map<boolean, CompiledMatMul | null>();

/** The compiled module for a shared or unshared memory (with FMA where it validates); null without SIMD. */
export function matmulModule(shared: boolean): CompiledMatMul | null {
  if (!modules.has(shared)) {
    let compiled: CompiledMatMul | null = null;
    for (const fma of [true, false]) {
      try {
        compiled = { module: new WebAssembly.Module(matmulModuleBytes(shared, fma)), fma };
        break;
      } catch {
        compiled = null;
      }
    }
    modules.set(shared, compiled);
  }
  return modules.get(shared)!;
}

const instances = new WeakMap<WebAssembly.Memory, MatMulFunction | null>();

/** The product bound to `memory`, instantiated once per memory; null without SIMD. */
export function matmulOn(memory: WebAssembly.Memory): MatMulFunction | null {
  if (!instances.has(memory)) {
    const compiled = matmulModule(isShared(memory));
    const fn = compiled && (new WebAssembly.Instance(compiled.module, { env: { memory } }).exports.matmul as MatMulFunction);
    instances.set(memory, fn);
  }
  return instances.get(memory)!;
}
