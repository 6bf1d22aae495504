// Pure backend decision (no tfjs, no DOM): which backends to try, in which order, and why the
// others are skipped. backend.ts probes the browser and feeds the probes in; the unit tests feed
// made-up probes. The choice is always reported, never silent.
import type { BackendChoice, BackendName, BackendReport } from './types';

export type AdapterInfo = NonNullable<BackendReport['adapter']>;

export interface BackendProbes {
  webgpu: { available: boolean; software: boolean; reason?: string; adapter?: AdapterInfo };
  webgl: { available: boolean; reason?: string; renderer?: string };
  wasm: { available: boolean; reason?: string };
}

export interface BackendPlan {
  /** Backends to try, best first; the first that initialises is used. */
  order: BackendName[];
  /** Backends left out before trying, with the reason shown to the user. */
  skipped: { name: BackendName; reason: string }[];
  /**
   * The first backends of `order` worth timing on this model before choosing (backend-probe.ts):
   * set when more than one fast-enough candidate remains, empty otherwise (and for a forced backend).
   */
  probe: BackendName[];
}

/** Thrown when the requested backend cannot run this model (shown to the user as is). */
export class BackendError extends Error {
  override name = 'BackendError';
}

export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Why auto skips a software WebGPU adapter. */
export function softwareAdapterReason(adapter?: AdapterInfo): string {
  const what = adapter && !mentionsSwiftShader(adapter) ? adapter.description || adapter.vendor || 'fallback adapter' : 'SwiftShader';
  return `software adapter (${what}), slower than wasm; force it with ?backend=webgpu`;
}

/** A software WebGL renderer (SwiftShader, llvmpipe, Microsoft Basic Render): slower than wasm here. */
export function isSoftwareRenderer(renderer?: string): boolean {
  return !!renderer && /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

function mentionsSwiftShader(a: Partial<AdapterInfo>): boolean {
  return [a.architecture, a.vendor, a.description, a.device].some((s) => typeof s === 'string' && /swiftshader/i.test(s));
}

/** A software (CPU-emulated) WebGPU adapter: a fallback adapter or SwiftShader by name. */
export function isSoftwareAdapter(a: Partial<AdapterInfo>): boolean {
  return a.isFallbackAdapter === true || mentionsSwiftShader(a);
}

/**
 * The backends to try for `choice`. 'auto' orders webgpu → webgl → wasm → cpu, leaving out unavailable
 * backends and a software WebGPU adapter (measured here 18× slower than wasm for an MLP, and seconds of
 * shader compilation just to probe it); a software WebGL renderer is skipped too when wasm runs
 * (measured slower here for MLPs and, with the conv kernels of wasm-kernels/, for CNNs). Those guesses
 * are checked by measurement where the caller can: when two or more candidates remain (the backends of
 * `order` but cpu, cpu too when wasm is missing, plus a skipped software WebGL renderer) they are
 * `probe`, and the caller times this model on each (backend-probe.ts). A forced backend is used alone;
 * forcing one the browser lacks throws BackendError.
 */
export function chooseBackend(choice: BackendChoice, probes: BackendProbes): BackendPlan {
  if (choice !== 'auto') {
    if (!(AUTO_ORDER as readonly string[]).includes(choice)) throw new BackendError(`unknown backend: ${String(choice)}`);
    if (choice !== 'cpu' && !probes[choice].available) {
      throw new BackendError(`backend ${choice} was requested but is not available: ${probes[choice].reason ?? 'unknown reason'}`);
    }
    return { order: [choice], skipped: [], probe: [] };
  }
  const order: BackendName[] = [];
  const skipped: BackendPlan['skipped'] = [];
  const skip = (name: BackendName, reason: string) => skipped.push({ name, reason });
  const { webgpu, webgl, wasm } = probes;
  if (!webgpu.available) skip('webgpu', webgpu.reason ?? 'not available');
  else if (webgpu.software) skip('webgpu', softwareAdapterReason(webgpu.adapter));
  else order.push('webgpu');
  const softwareGl = webgl.available && wasm.available && isSoftwareRenderer(webgl.renderer);
  if (!webgl.available) skip('webgl', webgl.reason ?? 'not available');
  else if (softwareGl) skip('webgl', `software renderer (${webgl.renderer}), slower than wasm here; force it with ?backend=webgl`);
  else order.push('webgl');
  if (!wasm.available) skip('wasm', wasm.reason ?? 'not available');
  else order.push('wasm');
  order.push('cpu');
  // cpu is a candidate only without wasm; a skipped software WebGL renderer is one (its skip is a guess).
  const probe: BackendName[] = [...order.filter((b) => b !== 'cpu' || !wasm.available), ...(softwareGl ? (['webgl'] as const) : [])];
  return { order, skipped, probe: probe.length > 1 ? probe : [] };
}

/** The backend after `from` in the automatic order, for a run whose device was lost; null after cpu. */
export function nextBackend(from: BackendName): BackendName | null {
  return AUTO_ORDER[AUTO_ORDER.indexOf(from) + 1] ?? null;
}
