// Pure part of the measured backend choice (no tfjs, no DOM): the cache key of a probe, and the order
// and report that follow from the measured rates. backend-probe-run.ts times the candidates.
import { AUTO_ORDER, type BackendPlan } from './backend-choice';
import type { BackendName, BackendReport, ModelSpec } from './types';

/** Bump when a change makes old measurements misleading (new kernels, another probe procedure). */
export const PROBE_VERSION = 4; // 2: the wasm BatchMatMul that transposes first; 3: the dense step on wasm; 4: the lab product in the wasm kernels

export type ProbeRate = NonNullable<BackendReport['probe']>['rates'][number];

/** What the probe trains: the run's model on samples of the run's shape, at the run's batch size. */
export interface ProbeShape {
  spec: ModelSpec;
  inputShape: number[];
  numClasses: number;
  batchSize: number;
}

/** The browser and GPU a measurement belongs to. */
export interface ProbeEnvironment {
  userAgent: string;
  tfjsVersion: string;
  adapter?: string; // WebGPU adapter description, when there is one
  renderer?: string; // WebGL renderer, when there is one
}

/** JSON with object keys sorted, so equal specs give equal keys whatever their key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * One measurement per browser (user agent, tfjs version, adapter and renderer), model shape (spec,
 * input shape, classes, batch size) and candidate list: any change measures again.
 */
export function probeCacheKey(env: ProbeEnvironment, shape: ProbeShape, candidates: readonly BackendName[]): string {
  return stableJson({ v: PROBE_VERSION, env, shape, candidates });
}

const rateText = (r: number) => `${Math.round(r).toLocaleString('en-US')} samples/s`;
/** A measured rate, or "at most" one when only the forward pass was timed (a step is never faster). */
const measured = (r: ProbeRate) => `${r.upperBound ? '≤ ' : ''}${rateText(r.samplesPerSec!)}${r.upperBound ? ' (its forward pass alone)' : ''}`;

/** "wasm: 1,850 samples/s in the probe vs webgl 260 samples/s" (failed candidates say so). */
export function probeSummary(ranked: readonly ProbeRate[]): string {
  const [best, ...rest] = ranked;
  if (!best || best.samplesPerSec === null) return 'every candidate failed in the probe';
  const others = rest.map((r) => (r.samplesPerSec === null ? `${r.name} failed` : `${r.name} ${measured(r)}`));
  return `${best.name}: ${rateText(best.samplesPerSec)} in the probe${others.length ? ` vs ${others.join(', ')}` : ''}`;
}

/** Fastest first; failed (null) candidates last, in their given order. */
export function rankRates(rates: readonly ProbeRate[]): ProbeRate[] {
  return rates
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (b.r.samplesPerSec ?? -1) - (a.r.samplesPerSec ?? -1) || a.i - b.i)
    .map(({ r }) => r);
}

/**
 * The plan after a probe of plan.probe: the fastest candidate first, then the backends that were not
 * candidates (cpu, as the last resort); the slower and the failed candidates are `skipped` with their
 * measured rate or error (replacing a guessed reason), so the report says why each was not used. Rates for backends outside
 * the candidates are ignored; a candidate without a rate counts as failed.
 */
export function planFromProbe(plan: BackendPlan, rates: readonly ProbeRate[]): { plan: BackendPlan; summary: string; ranked: ProbeRate[] } {
  const byName = new Map(rates.map((r) => [r.name, r]));
  const ranked = rankRates(plan.probe.map((name) => byName.get(name) ?? { name, samplesPerSec: null, error: 'not measured' }));
  const [best] = ranked;
  const winner = best && best.samplesPerSec !== null ? best : null;
  const skipped = plan.skipped.filter((s) => !plan.probe.includes(s.name)); // the probe's reasons replace the guesses
  for (const r of ranked) {
    if (r === winner) continue;
    const reason =
      r.samplesPerSec === null
        ? `failed in the probe: ${r.error ?? 'unknown error'}`
        : `slower in the probe: ${measured(r)} vs ${winner!.name} ${rateText(winner!.samplesPerSec!)}`;
    skipped.push({ name: r.name, reason });
  }
  const rest = plan.order.filter((b) => !plan.probe.includes(b));
  const order = winner ? [winner.name, ...rest] : rest;
  return { plan: { order, skipped, probe: [] }, summary: probeSummary(ranked), ranked };
}

/** Whether a stored value (IndexedDB) is a list of probe rates, before it is trusted. */
export function isProbeRates(v: unknown): v is ProbeRate[] {
  return (
    Array.isArray(v) &&
    v.every(
      (r: unknown) =>
        !!r &&
        typeof r === 'object' &&
        (AUTO_ORDER as readonly unknown[]).includes((r as ProbeRate).name) &&
        ((r as ProbeRate).samplesPerSec === null || (typeof (r as ProbeRate).samplesPerSec === 'number' && Number.isFinite((r as ProbeRate).samplesPerSec))) &&
        ((r as ProbeRate).error === undefined || typeof (r as ProbeRate).error === 'string') &&
        ((r as ProbeRate).upperBound === undefined || typeof (r as ProbeRate).upperBound === 'boolean'),
    )
  );
}
