import { expect } from '@esm-bundle/chai';
import type { BackendPlan } from '../../src/training/backend-choice';
import { isProbeRates, planFromProbe, probeCacheKey, probeSummary, rankRates, type ProbeShape } from '../../src/training/backend-probe';

const env = { userAgent: 'Chrome/131', tfjsVersion: '4.22.0', renderer: 'ANGLE (SwiftShader)' };
const shape: ProbeShape = {
  spec: { kind: 'cnn', filters: [8, 16], kernelSize: 3, dense: 32, activation: 'relu', dropout: 0 },
  inputShape: [28, 28, 1],
  numClasses: 10,
  batchSize: 64,
};
// What chooseBackend gives with SwiftShader WebGPU and WebGL (backend.test.ts).
const plan: BackendPlan = {
  order: ['wasm', 'cpu'],
  skipped: [
    { name: 'webgpu', reason: 'software adapter (SwiftShader), slower than wasm; force it with ?backend=webgpu' },
    { name: 'webgl', reason: 'software renderer (SwiftShader), slower than wasm here; force it with ?backend=webgl' },
  ],
  probe: ['wasm', 'webgl'],
};

describe('probeCacheKey', () => {
  it('is equal for the same browser and model shape whatever the key order, different when anything changes', () => {
    const key = probeCacheKey(env, shape, plan.probe);
    const reordered: ProbeShape = { batchSize: 64, numClasses: 10, inputShape: [28, 28, 1], spec: { dropout: 0, activation: 'relu', dense: 32, kernelSize: 3, filters: [8, 16], kind: 'cnn' } };
    expect(probeCacheKey({ renderer: env.renderer, tfjsVersion: '4.22.0', userAgent: 'Chrome/131' }, reordered, ['wasm', 'webgl'])).to.equal(key);
    const changed = [
      probeCacheKey({ ...env, userAgent: 'Firefox/133' }, shape, plan.probe),
      probeCacheKey({ ...env, renderer: 'ANGLE (NVIDIA)' }, shape, plan.probe),
      probeCacheKey({ ...env, adapter: 'NVIDIA' }, shape, plan.probe),
      probeCacheKey({ ...env, tfjsVersion: '4.23.0' }, shape, plan.probe),
      probeCacheKey(env, { ...shape, batchSize: 256 }, plan.probe),
      probeCacheKey(env, { ...shape, inputShape: [32, 32, 3] }, plan.probe),
      probeCacheKey(env, { ...shape, numClasses: 2 }, plan.probe),
      probeCacheKey(env, { ...shape, spec: { kind: 'cnn', filters: [8], kernelSize: 3, dense: 32, activation: 'relu', dropout: 0 } }, plan.probe),
      probeCacheKey(env, shape, ['wasm', 'webgl', 'webgpu']),
    ];
    expect(new Set([key, ...changed]).size).to.equal(changed.length + 1);
  });
});

describe('planFromProbe', () => {
  it("puts the fastest candidate first, the slower one into skipped with both rates (replacing the guess's reason), cpu kept last", () => {
    const r = planFromProbe(plan, [
      { name: 'webgl', samplesPerSec: 260.4 },
      { name: 'wasm', samplesPerSec: 1850.2 },
    ]);
    expect(r.plan.order).to.deep.equal(['wasm', 'cpu']);
    expect(r.plan.probe).to.deep.equal([]);
    expect(r.plan.skipped).to.deep.equal([plan.skipped[0], { name: 'webgl', reason: 'slower in the probe: 260 samples/s vs wasm 1,850 samples/s' }]);
    expect(r.summary).to.equal('wasm: 1,850 samples/s in the probe vs webgl 260 samples/s');
    expect(r.ranked.map((x) => x.name)).to.deep.equal(['wasm', 'webgl']);
  });

  it('says "at most" for a candidate stopped after its forward pass', () => {
    const r = planFromProbe(plan, [
      { name: 'wasm', samplesPerSec: 1500 },
      { name: 'webgl', samplesPerSec: 99.6, upperBound: true },
    ]);
    expect(r.plan.order).to.deep.equal(['wasm', 'cpu']);
    expect(r.summary).to.equal('wasm: 1,500 samples/s in the probe vs webgl ≤ 100 samples/s (its forward pass alone)');
    expect(r.plan.skipped[1].reason).to.equal('slower in the probe: ≤ 100 samples/s (its forward pass alone) vs wasm 1,500 samples/s');
  });

  it('follows the measurement, not the fixed guess: a faster software WebGL wins', () => {
    const r = planFromProbe(plan, [
      { name: 'wasm', samplesPerSec: 900 },
      { name: 'webgl', samplesPerSec: 1200 },
    ]);
    expect(r.plan.order).to.deep.equal(['webgl', 'cpu']);
    expect(r.summary).to.equal('webgl: 1,200 samples/s in the probe vs wasm 900 samples/s');
  });

  it('a failed or unmeasured candidate is skipped with its error; all failed leaves the rest of the order', () => {
    const one = planFromProbe(plan, [{ name: 'wasm', samplesPerSec: null, error: 'kernel missing' }, { name: 'webgl', samplesPerSec: 300 }]);
    expect(one.plan.order).to.deep.equal(['webgl', 'cpu']);
    expect(one.plan.skipped.slice(1)).to.deep.equal([{ name: 'wasm', reason: 'failed in the probe: kernel missing' }]);
    expect(one.summary).to.equal('webgl: 300 samples/s in the probe vs wasm failed');
    const none = planFromProbe(plan, [{ name: 'cpu', samplesPerSec: 5000 }]);
    expect(none.plan.order, 'rates of non-candidates are ignored').to.deep.equal(['cpu']);
    expect(none.plan.skipped.slice(1).map((s) => s.reason)).to.deep.equal(['failed in the probe: not measured', 'failed in the probe: not measured']);
    expect(none.summary).to.equal('every candidate failed in the probe');
  });
});

describe('rankRates / probeSummary / isProbeRates', () => {
  it('ranks fastest first, failures last in their order; ties keep the given order', () => {
    const ranked = rankRates([
      { name: 'webgl', samplesPerSec: null },
      { name: 'wasm', samplesPerSec: 10 },
      { name: 'webgpu', samplesPerSec: 10 },
      { name: 'cpu', samplesPerSec: null },
    ]);
    expect(ranked.map((r) => r.name)).to.deep.equal(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(probeSummary([{ name: 'wasm', samplesPerSec: 12345.6 }])).to.equal('wasm: 12,346 samples/s in the probe');
  });

  it('accepts only well-formed stored rates', () => {
    expect(isProbeRates([{ name: 'wasm', samplesPerSec: 1 }, { name: 'webgl', samplesPerSec: null, error: 'x' }, { name: 'cpu', samplesPerSec: 2, upperBound: true }])).to.equal(true);
    expect(isProbeRates([])).to.equal(true);
    for (const bad of [null, {}, [{ name: 'tpu', samplesPerSec: 1 }], [{ name: 'wasm', samplesPerSec: '1' }], [{ name: 'wasm', samplesPerSec: NaN }], [{ name: 'wasm', samplesPerSec: 1, error: 3 }], [{ name: 'wasm', samplesPerSec: 1, upperBound: 'yes' }], [null]]) {
      expect(isProbeRates(bad), JSON.stringify(bad)).to.equal(false);
    }
  });
});
