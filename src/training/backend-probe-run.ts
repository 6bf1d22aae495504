// Times a few training steps of the run's own model on each candidate backend (random data of the
// run's shape, the real model from buildModel) and caches the rates per browser and model shape.
// The cache is IndexedDB: the probe runs in the training worker, which has no localStorage, and the
// Cache API needs a secure context; IndexedDB works in workers everywhere (idb is already used).
import * as tf from '@tensorflow/tfjs';
import { openDB } from 'idb';
import type { BackendPlan } from './backend-choice';
import { isProbeRates, planFromProbe, probeCacheKey, type ProbeEnvironment, type ProbeRate, type ProbeShape } from './backend-probe';
import { DenseStep } from './dense-step';
import { buildModel } from './models';
import { lossTerms, makeOptimizer } from './trainer-ops';
import type { BackendName, BackendReport } from './types';
import { errorText } from '../units';


/**
 * Timed steps stop after this long (at least MIN_STEPS, at most MAX_STEPS), after one warm-up step; a
 * candidate whose first timed step is already CLEARLY_SLOWER × slower than the best so far stops there
 * (a SwiftShader WebGL step of the CNN preset takes most of a second here).
 */
const PROBE_BUDGET_MS = 250;
const MIN_STEPS = 2;
const MAX_STEPS = 10;
const CLEARLY_SLOWER = 2;
const DB_NAME = 'trainlab-backend-probe';
const STORE = 'rates';
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;


/**
 * Samples per second of the model's training step on the current tfjs backend (set by the caller).
 * Warm-up passes (shader compilation, wasm operator setup) are not timed; each pass's loss is read
 * back, so queued GPU work is inside the time. Behind a faster `bestSoFar`, the forward pass is timed
 * first: a step is never faster than its forward pass, so when that alone is CLEARLY_SLOWER × slower,
 * its rate is returned as an upper bound without compiling the backward pass (most of a SwiftShader
 * WebGL probe). The timed steps also stop as soon as they are clearly slower.
 */
async function measureCurrentBackend(shape: ProbeShape, bestSoFar = 0): Promise<Omit<ProbeRate, 'name'>> {
  const { spec, inputShape, numClasses, batchSize } = shape;
  const model = buildModel(spec, inputShape, numClasses, 1);
  const optimizer = makeOptimizer('adam', 1e-3);
  const x = tf.randomUniform([batchSize, ...inputShape]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batchSize], 0, numClasses, 'int32') as tf.Tensor1D, numClasses).toFloat() as tf.Tensor2D);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = () => {
    const { sum, weight } = lossTerms(model.apply(x, { training: true }) as tf.Tensor, y, null);
    return tf.div(sum, weight) as tf.Scalar;
  };
  const read = async (cost: tf.Scalar) => {
    const value = (await cost.data())[0];
    cost.dispose();
    if (!Number.isFinite(value)) throw new Error(`the probe's loss is ${value}`);
  };
  const forward = () => read(tf.tidy(loss));
  // What the trainer runs: the dense step where it applies (an MLP on wasm), else minimize.
  const part = { x, y, n: batchSize, w: null };
  const created = DenseStep.create(model, weights, batchSize, 0);
  const dense = created?.accepts(part) ? created : null;
  const denseStep = async () => {
    const { grads, cost } = dense!.gradients(part, 0, batchSize);
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    if (!Number.isFinite(cost)) throw new Error(`the probe's loss is ${cost}`);
  };
  const step = dense ? denseStep : () => read(optimizer.minimize(loss, true, weights)!);
  const timed = async (pass: () => Promise<void>) => {
    const t0 = performance.now();
    await pass();
    return (batchSize * 1000) / (performance.now() - t0);
  };
  try {
    // (tfjs's forward pass bounds only tfjs's step: the dense step may be faster than it.)
    if (bestSoFar > 0 && !dense) {
      await forward();
      const forwardRate = await timed(forward);
      if (forwardRate * CLEARLY_SLOWER < bestSoFar) return { samplesPerSec: forwardRate, upperBound: true };
    }
    await step();
    let steps = 0;
    const t0 = performance.now();
    const rate = () => (steps * batchSize * 1000) / (performance.now() - t0);
    while (steps < MAX_STEPS && (steps < MIN_STEPS || performance.now() - t0 < PROBE_BUDGET_MS)) {
      await step();
      steps++;
      if (rate() * CLEARLY_SLOWER < bestSoFar) break;
    }
    return { samplesPerSec: rate() };
  } finally {
    created?.dispose();
    model.dispose();
    optimizer.dispose();
    x.dispose();
    y.dispose();
  }
}

/** Measures each candidate in turn (best guess first); `use` makes it the current backend (null, or why it failed). */
async function probeCandidates(
  candidates: readonly BackendName[],
  shape: ProbeShape,
  use: (name: BackendName) => Promise<string | null>,
): Promise<ProbeRate[]> {
  const rates: ProbeRate[] = [];
  for (const name of candidates) {
    try {
      const failure = await use(name);
      const best = Math.max(0, ...rates.map((r) => r.samplesPerSec ?? 0));
      rates.push(failure === null ? { name, ...(await measureCurrentBackend(shape, best)) } : { name, samplesPerSec: null, error: failure });
    } catch (e) {
      rates.push({ name, samplesPerSec: null, error: errorText(e) });
    }
  }
  return rates;
}

const openCache = () => openDB(DB_NAME, 1, { upgrade: (db) => void db.createObjectStore(STORE) });

/** The cached rates for `key`, or null (none, too old, or no IndexedDB here). */
async function cachedRates(key: string): Promise<ProbeRate[] | null> {
  try {
    const db = await openCache();
    try {
      const hit: unknown = await db.get(STORE, key);
      if (!hit || typeof hit !== 'object') return null;
      const { rates, at } = hit as { rates?: unknown; at?: unknown };
      return typeof at === 'number' && Date.now() - at < MAX_AGE_MS && isProbeRates(rates) ? rates : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Stores the rates for `key`; a failure only costs the next run a new probe. */
async function cacheRates(key: string, rates: readonly ProbeRate[]): Promise<void> {
  try {
    const db = await openCache();
    try {
      await db.put(STORE, { rates, at: Date.now() }, key);
    } finally {
      db.close();
    }
  } catch {
    // no IndexedDB (private mode, quota): measure again next time
  }
}

/**
 * The plan after measuring plan.probe on `shape` (or reading this browser's cached rates for it), with
 * the probe's part of the backend report. `use` initialises a backend (null, or why it failed).
 */
export async function probePlan(
  plan: BackendPlan,
  env: ProbeEnvironment,
  shape: ProbeShape,
  use: (name: BackendName) => Promise<string | null>,
): Promise<{ plan: BackendPlan; probe: NonNullable<BackendReport['probe']> }> {
  const t0 = performance.now();
  const key = probeCacheKey(env, shape, plan.probe);
  const cached = await cachedRates(key);
  const rates = cached ?? (await probeCandidates(plan.probe, shape, use));
  if (!cached && rates.some((r) => r.samplesPerSec !== null)) await cacheRates(key, rates);
  const next = planFromProbe(plan, rates);
  return { plan: next.plan, probe: { summary: next.summary, rates: next.ranked, cached: cached !== null, ms: Math.round(performance.now() - t0) } };
}
