// Pure backend decision (no tfjs, no DOM): which backends to try, in which order, and why the
// others are skipped. backend.ts probes the browser and feeds the probes in; the unit tests feed
// made-up probes. The choice is always reported, never silent.
import type { BackendChoice, BackendName, BackendReport, ModelKind } from './types';

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
}

/** Thrown when the requested backend cannot run this model (shown to the user as is). */
export class BackendError extends Error {
  override name = 'BackendError';
}

export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export const WASM_CNN_REASON = 'tfjs 4.22 wasm has no conv backprop kernels';

/** Why auto skips a software WebGPU adapter. */
export function softwareAdapterReason(adapter?: AdapterInfo): string {
  const what = adapter && !mentionsSwiftShader(adapter) ? adapter.description || adapter.vendor || 'fallback adapter' : 'SwiftShader';
  return `software adapter (${what}), slower than wasm; force it with ?backend=webgpu`;
}

/** A software WebGL renderer (SwiftShader, llvmpipe, Microsoft Basic Render): slower than wasm for MLPs. */
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
 * The backends to try for `choice`. 'auto' tries webgpu → webgl → wasm → cpu, skipping a software
 * WebGPU adapter, unavailable backends, and wasm for CNNs. A software WebGL renderer is skipped for
 * MLPs when wasm can run them (measured here: wasm about twice as fast as SwiftShader WebGL); CNNs keep
 * it, as their only other choice is the plain-JS cpu backend. A forced backend is used alone; forcing
 * wasm for a CNN, or a backend the browser lacks, throws BackendError.
 */
export function chooseBackend(choice: BackendChoice, modelKind: ModelKind, probes: BackendProbes): BackendPlan {
  if (choice !== 'auto') {
    if (!(AUTO_ORDER as readonly string[]).includes(choice)) throw new BackendError(`unknown backend: ${String(choice)}`);
    if (choice === 'wasm' && modelKind === 'cnn') {
      throw new BackendError(`cannot train a CNN on the wasm backend: ${WASM_CNN_REASON}`);
    }
    if (choice !== 'cpu' && !probes[choice].available) {
      throw new BackendError(`backend ${choice} was requested but is not available: ${probes[choice].reason ?? 'unknown reason'}`);
    }
    return { order: [choice], skipped: [] };
  }
  const order: BackendName[] = [];
  const skipped: BackendPlan['skipped'] = [];
  const skip = (name: BackendName, reason: string) => skipped.push({ name, reason });
  const { webgpu, webgl, wasm } = probes;
  if (!webgpu.available) skip('webgpu', webgpu.reason ?? 'not available');
  else if (webgpu.software) skip('webgpu', softwareAdapterReason(webgpu.adapter));
  else order.push('webgpu');
  if (!webgl.available) skip('webgl', webgl.reason ?? 'not available');
  else if (modelKind === 'mlp' && wasm.available && isSoftwareRenderer(webgl.renderer)) {
    skip('webgl', `software renderer (${webgl.renderer}), slower than wasm for an MLP; force it with ?backend=webgl`);
  } else order.push('webgl');
  if (modelKind === 'cnn') skip('wasm', WASM_CNN_REASON);
  else if (!wasm.available) skip('wasm', wasm.reason ?? 'not available');
  else order.push('wasm');
  order.push('cpu');
  return { order, skipped };
}

/**
 * The backend after `from` in the automatic order that can train `modelKind` (CNNs skip wasm), for a
 * run whose device was lost; null when none is left.
 */
export function nextBackend(from: BackendName, modelKind: ModelKind): BackendName | null {
  const rest = AUTO_ORDER.slice(AUTO_ORDER.indexOf(from) + 1);
  return rest.find((b) => !(b === 'wasm' && modelKind === 'cnn')) ?? null;
}
