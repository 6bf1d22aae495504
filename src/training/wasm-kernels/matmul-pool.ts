// The dense step's products on more than one core. Where the wasm backend runs its threaded build
// (the page is cross-origin isolated, so its memory is shared), helper workers instantiate the same
// product (matmul-module.ts) over that memory, and a large product is split by rows of its result:
// the calling thread computes the first block, each helper one of the others. They meet through a
// small shared control block per helper (Atomics.wait / notify), never through messages, so a split
// costs microseconds. A helper counts only once it says it is ready; until then, and for small
// products, the calling thread computes everything itself.
import { matmulModule, type MatMulFunction } from './matmul-module';
import { isShared } from './wasm-assembler';

// The control block of one helper, as int32: the job's sequence number, the last one it finished,
// whether it is ready, then the product's 11 arguments.
const [SEQ, DONE, READY, ARGS] = [0, 1, 2, 3];
const CONTROL_INTS = ARGS + 11;

/** Below this many multiply-adds a product stays on one thread (a split costs tens of microseconds). */
export const SPLIT_MIN_MULTIPLY_ADDS = 1 << 20;
/** The most helpers, whatever the core count: the dense step's products are a few MFLOP each. */
const MAX_HELPERS = 3;
/** A helper that has not finished its block in this long is taken for lost: the step fails. */
const HELPER_TIMEOUT_MS = 30_000;

/**
 * A helper spins this long for its next job before it sleeps, and the caller as long for a helper's
 * block: a step's products come a fraction of a millisecond apart, and waking a sleeping thread
 * costs about as much.
 */
const SPIN_MS = 0.2;

// The helper's whole program: classic-worker JavaScript, started from a blob: URL (the CSP's
// worker-src allows blob: for the wasm backend's own pthread workers).
const HELPER_SOURCE = `onmessage = ({ data: { module, memory, control } }) => {
  const matmul = new WebAssembly.Instance(module, { env: { memory } }).exports.matmul;
  const c = new Int32Array(control);
  Atomics.store(c, ${READY}, 1);
  let seq = 0;
  for (;;) {
    const spinUntil = performance.now() + ${SPIN_MS};
    while (Atomics.load(c, ${SEQ}) === seq && performance.now() < spinUntil);
    Atomics.wait(c, ${SEQ}, seq);
    seq = Atomics.load(c, ${SEQ});
    matmul(${Array.from({ length: 11 }, (_, i) => `c[${ARGS + i}]`).join(', ')});
    Atomics.store(c, ${DONE}, seq);
    Atomics.notify(c, ${DONE});
  }
};`;

interface Helper {
  worker: Worker;
  control: Int32Array<SharedArrayBuffer>;
  seq: number;
}

// Workers may block in Atomics.wait; a page's main thread may not (there it spins: tests only, the
// trainer runs in a worker).
const canBlock = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

/** Returns once `helper` has finished its current job. */
function waitFor(helper: Helper): void {
  const t0 = performance.now();
  for (let done = Atomics.load(helper.control, DONE); done !== helper.seq; done = Atomics.load(helper.control, DONE)) {
    const waited = performance.now() - t0;
    if (waited >= HELPER_TIMEOUT_MS) throw new Error(`a matrix-product helper did not answer within ${HELPER_TIMEOUT_MS / 1000} s`);
    if (canBlock && waited > SPIN_MS) Atomics.wait(helper.control, DONE, done, HELPER_TIMEOUT_MS - waited);
  }
}

/** How many helpers for `cores` logical cores. */
export const helpersFor = (cores: number | undefined): number => Math.max(0, Math.min(MAX_HELPERS, (cores ?? 1) - 1));

const pools = new WeakMap<WebAssembly.Memory, MatMulPool | null>();

export class MatMulPool {
  private readonly helpers: Helper[] = [];
  private url = '';

  private constructor(
    private readonly matmul: MatMulFunction,
    memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    count: number,
  ) {
    // Revoked on dispose, not at once: a worker's script may be fetched after its constructor returns.
    const url = (this.url = URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' })));
    try {
      for (let i = 0; i < count; i++) {
        const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * Int32Array.BYTES_PER_ELEMENT));
        const worker = new Worker(url);
        worker.postMessage({ module, memory, control: control.buffer });
        this.helpers.push({ worker, control, seq: 0 });
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /**
   * The pool over `memory` for everyone in this thread (the dense step, the BatchMatMul and conv
   * kernels), started on first use; null where `create` gives none. It lives as long as the thread:
   * its helpers sleep between products.
   */
  static shared(memory: WebAssembly.Memory, matmul: MatMulFunction): MatMulPool | null {
    if (!pools.has(memory)) pools.set(memory, MatMulPool.create(memory, matmul));
    return pools.get(memory)!;
  }

  /** A pool over `memory` when it is shared and there is a core to spare; null otherwise. */
  static create(memory: WebAssembly.Memory, matmul: MatMulFunction, cores = globalThis.navigator?.hardwareConcurrency): MatMulPool | null {
    const count = helpersFor(cores);
    const module = isShared(memory) ? matmulModule(true)?.module : null;
    if (count === 0 || !module || typeof Worker === 'undefined') return null;
    try {
      return new MatMulPool(matmul, memory, module, count);
    } catch {
      return null; // no worker could start (a policy that forbids blob: workers): one thread
    }
  }

  /** How many helpers it started. */
  get size(): number {
    return this.helpers.length;
  }

  /** How many helpers have said they are ready. */
  ready(): number {
    return this.helpers.filter((h) => Atomics.load(h.control, READY) === 1).length;
  }

  /** The product (matmul-module.ts's arguments), split by rows of C over the ready helpers when large. */
  readonly run: MatMulFunction = (a, b, c, m, k, n, rsA, csA, ldb, ldc, accumulate) => {
    const ready = m * k * n >= SPLIT_MIN_MULTIPLY_ADDS ? this.helpers.filter((h) => Atomics.load(h.control, READY) === 1) : [];
    // Blocks of whole 4-row tiles, the calling thread's first.
    const block = Math.ceil(m / (ready.length + 1) / 4) * 4;
    const started: Helper[] = [];
    for (const [i, helper] of ready.entries()) {
      const from = (i + 1) * block;
      if (from >= m) break;
      const args = [a + from * rsA * 4, b, c + from * ldc * 4, Math.min(block, m - from), k, n, rsA, csA, ldb, ldc, accumulate];
      helper.control.set(args, ARGS);
      helper.seq = (helper.seq + 1) | 0; // as the int32 the helper stores back, wrapping after 2³¹ jobs
      Atomics.store(helper.control, SEQ, helper.seq);
      Atomics.notify(helper.control, SEQ);
      started.push(helper);
    }
    this.matmul(a, b, c, started.length ? block : m, k, n, rsA, csA, ldb, ldc, accumulate);
    for (const helper of started) waitFor(helper);
  };

  dispose(): void {
    for (const helper of this.helpers.splice(0)) helper.worker.terminate();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = '';
  }
}
