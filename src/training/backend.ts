// Probes the browser (WebGPU adapter, WebGL context, WebAssembly), picks the tfjs backend with the
// pure chooseBackend, initialises it and reports what ran and why the others were skipped.
// Works in the training worker and on the page (tests).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { threadingProbe, wasmThreading } from './wasm-threads';
import { BackendError, chooseBackend, isSoftwareAdapter, type AdapterInfo, type BackendProbes } from './backend-choice';
import type { BackendChoice, BackendName, BackendReport } from './types';
import { errorText } from '../units';
import './wasm-kernels/register'; // Conv2DBackprop* for wasm: CNNs train there too
import { probePlan } from './backend-probe-run';
import type { ProbeShape } from './backend-probe';

export * from './backend-choice';


interface LegacyAdapter {
  info?: Partial<GPUAdapterInfo>;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<Partial<GPUAdapterInfo>>;
}

async function probeWebgpu(): Promise<BackendProbes['webgpu']> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { available: false, software: false, reason: 'WebGPU is not supported here (no navigator.gpu)' };
  try {
    // The same descriptor tfjs-backend-webgpu uses, so we describe the adapter it will get.
    const powerPreference = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
    const adapter = (await gpu.requestAdapter({ powerPreference })) as (GPUAdapter & LegacyAdapter) | null;
    if (!adapter) return { available: false, software: false, reason: 'navigator.gpu.requestAdapter() returned no adapter' };
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const described: AdapterInfo = {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    };
    return { available: true, software: isSoftwareAdapter(described), adapter: described };
  } catch (e) {
    return { available: false, software: false, reason: `requesting a WebGPU adapter failed: ${errorText(e)}` };
  }
}

function probeWebgl(): BackendProbes['webgl'] {
  if (typeof OffscreenCanvas === 'undefined') return { available: false, reason: 'no OffscreenCanvas for a WebGL context' };
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return { available: false, reason: 'could not create a WebGL context' };
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer };
  } catch (e) {
    return { available: false, reason: `creating a WebGL context failed: ${errorText(e)}` };
  }
}

function probeWasm(): BackendProbes['wasm'] {
  try {
    const header = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    if (typeof WebAssembly === 'object' && WebAssembly.validate(header)) return { available: true };
  } catch {
    // fall through
  }
  return { available: false, reason: 'WebAssembly is not supported here' };
}

/** What this browser offers, without initialising any tfjs backend. */
export async function probeBackends(): Promise<BackendProbes> {
  return { webgpu: await probeWebgpu(), webgl: probeWebgl(), wasm: probeWasm() };
}

/** tf.setBackend returns false and only console.warns the cause: capture it for the report. */
async function trySetBackend(name: BackendName, wasmPath: string): Promise<string | null> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    warn.apply(console, args);
  };
  let restoreCores = () => {};
  try {
    if (name === 'wasm') {
      // The threaded SIMD build where the page is cross-origin isolated (SharedArrayBuffer), else
      // the single-threaded SIMD one. Both are read when the wasm backend initialises.
      const { threaded, threads } = wasmThreading(threadingProbe());
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
      setThreadsCount(threads);
      setWasmPaths(wasmPath);
      if (threaded) restoreCores = reportCoresToWasm(threads);
    }
    const ok = await tf.setBackend(name);
    await tf.ready();
    if (!ok || tf.getBackend() !== name) {
      const cause = warnings.filter((w) => !/^Initialization of backend/.test(w)).join('; ').split('\n')[0];
      return `initialisation failed${cause ? `: ${cause}` : ''}`;
    }
    // A first op proves the backend computes (shader compilation, wasm instantiation).
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
    const value = (await probe.data())[0];
    probe.dispose();
    return value === 2 ? null : `a test computation gave ${value} instead of 2`;
  } catch (e) {
    return `initialisation failed: ${errorText(e)}`;
  } finally {
    console.warn = warn;
    restoreCores();
  }
}

/**
 * tfjs-backend-wasm 4.22 caps its thread pool at navigator.hardwareConcurrency / 2 (it assumes two
 * hyperthreads per core), read once while the module instantiates: 1 thread on a 2-core machine,
 * whatever setThreadsCount asks. Until the returned undo runs, this worker's navigator reports
 * 2 × threads, so the pool gets `threads`.
 */
function reportCoresToWasm(threads: number): () => void {
  const nav = globalThis.navigator;
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  return () => {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else Reflect.deleteProperty(nav, 'hardwareConcurrency');
  };
}

/** wasm, else cpu, without probing the GPU backends (inference off the training worker); the one initialised. */
export async function initCpuBackend(wasmPath: string): Promise<BackendName> {
  const wasm = await trySetBackend('wasm', wasmPath);
  if (wasm === null) return 'wasm';
  const cpu = await trySetBackend('cpu', wasmPath);
  if (cpu !== null) throw new BackendError(`neither wasm (${wasm}) nor cpu (${cpu}) could be initialised`);
  return 'cpu';
}

/**
 * Initialises the backend for `choice` (see chooseBackend) and reports it. wasmPath is the URL
 * prefix of a folder holding tfjs-backend-wasm.wasm and tfjs-backend-wasm-simd.wasm. With `shape`
 * (the run's model, input and batch) an automatic choice among several candidates is measured
 * (backend-probe-run.ts) and the report's `probe` says how. Throws BackendError when nothing usable is left.
 */
export async function initBackend(choice: BackendChoice, wasmPath: string, shape?: ProbeShape): Promise<BackendReport> {
  const probes = await probeBackends();
  let plan = chooseBackend(choice, probes);
  // With the run's model shape, several candidates are timed (or read from this browser's cache).
  let probe: BackendReport['probe'];
  if (shape && plan.probe.length > 1) {
    const env = { userAgent: globalThis.navigator?.userAgent ?? '', tfjsVersion: tf.version.tfjs, adapter: probes.webgpu.adapter?.description, renderer: probes.webgl.renderer };
    ({ plan, probe } = await probePlan(plan, env, shape, (name) => trySetBackend(name, wasmPath)));
  }
  const skipped = [...plan.skipped];
  for (const name of plan.order) {
    const failure = await trySetBackend(name, wasmPath);
    if (failure === null) {
      const report: BackendReport = { name, forced: choice !== 'auto', skipped, tfjsVersion: tf.version.tfjs };
      if (probes.webgpu.adapter) report.adapter = probes.webgpu.adapter;
      if (probes.webgl.renderer) report.webglRenderer = probes.webgl.renderer;
      if (name === 'wasm') report.wasmThreads = getThreadsCount(); // XNNPACK's pool as built: 1 = single-threaded
      if (probe) report.probe = probe;
      return report;
    }
    skipped.push({ name, reason: failure });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new BackendError(choice === 'auto' ? `no tfjs backend could be initialised (${why})` : `backend ${choice} failed: ${why}`);
}
