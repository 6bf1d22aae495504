// Pure (no tfjs, no DOM): whether tfjs's wasm backend may use its threaded SIMD build and with how
// many threads. Threads need SharedArrayBuffer, which browsers give only to cross-origin isolated
// pages and their workers (COOP same-origin + COEP require-corp: vite.config.ts, public/coi-sw.js).

/** What the browser says; backend.ts reads it from globalThis, the unit tests make it up. */
export interface ThreadingProbe {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean; // typeof SharedArrayBuffer === 'function'
  hardwareConcurrency: number | undefined; // navigator.hardwareConcurrency (absent in some browsers)
}

export interface WasmThreading {
  /** The value for tfjs's WASM_HAS_MULTITHREAD_SUPPORT flag: use the threaded SIMD build. */
  threaded: boolean;
  /** XNNPACK's thread-pool size for setThreadsCount (the calling thread included): 1 when not threaded. */
  threads: number;
}

/**
 * tfjs's threaded build pre-starts 8 pthread workers; a larger pool would start more. Measured only
 * on 2 cores so far: a guess above that.
 */
export const MAX_WASM_THREADS = 8;

/**
 * Fewest logical cores for the threaded build. On the quiet 2-core test machine 2 threads were even
 * with one (`npm run bench:training -- --backends=wasm` with and without `--isolation=off`, 2 × 2
 * repeats: MLP [128] −3 % at batch 64, ±0 at 256; CNN preset +1 % and +5 %); on the same machine
 * busy with other work (load 13-15) they fell to 0.5-0.9x. Raise this to 4 to keep 2-core machines
 * single-threaded if that shows up in use; more cores are unmeasured.
 */
export const MIN_CORES_FOR_THREADS = 2;

export function wasmThreading(probe: ThreadingProbe): WasmThreading {
  if (!probe.crossOriginIsolated || !probe.sharedArrayBuffer) return { threaded: false, threads: 1 };
  const cores = Number.isInteger(probe.hardwareConcurrency) && probe.hardwareConcurrency! > 0 ? probe.hardwareConcurrency! : 1;
  // One core: the threaded build would only add a pool that never runs in parallel.
  if (cores < Math.max(2, MIN_CORES_FOR_THREADS)) return { threaded: false, threads: 1 };
  return { threaded: true, threads: Math.min(cores, MAX_WASM_THREADS) };
}

/** This browser's probe (page or worker). */
export function threadingProbe(): ThreadingProbe {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hardwareConcurrency: globalThis.navigator?.hardwareConcurrency,
  };
}
