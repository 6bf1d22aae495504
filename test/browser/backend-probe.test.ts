// The measured automatic choice in this browser: probe, cache, report; a forced backend skips it.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, initBackend, probeBackends } from '../../src/training/backend';
import type { ProbeShape } from '../../src/training/backend-probe';
import { DEFAULT_CNN } from '../../src/training/config';
import { WASM_PATH } from './train-helpers';

const shape: ProbeShape = { spec: { ...DEFAULT_CNN }, inputShape: [28, 28, 1], numClasses: 10, batchSize: 64 };

const deleteCache = () =>
  new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase('trainlab-backend-probe');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });

describe('backend probe (initBackend with the model shape)', () => {
  before(deleteCache);
  after(async () => {
    await deleteCache();
    await tf.setBackend('cpu');
  });

  it('times each candidate on the CNN preset, picks the fastest, says why, and caches the rates', async function () {
    const plan = chooseBackend('auto', await probeBackends());
    if (plan.probe.length < 2) this.skip(); // a browser with a single candidate has nothing to measure
    const t0 = performance.now();
    const first = await initBackend('auto', WASM_PATH, shape);
    const firstMs = performance.now() - t0;
    const probe = first.probe!;
    expect(probe, 'the report says how the backend was chosen').to.exist;
    expect(probe.cached).to.equal(false);
    expect(probe.rates.map((r) => r.name)).to.have.members(plan.probe);
    const best = probe.rates[0];
    expect(best.samplesPerSec).to.be.a('number');
    for (const r of probe.rates.slice(1)) expect(r.samplesPerSec ?? 0).to.be.at.most(best.samplesPerSec!);
    expect(first.name).to.equal(best.name);
    expect(tf.getBackend()).to.equal(best.name);
    expect(probe.summary).to.match(new RegExp(`^${best.name}: [\\d,]+ samples/s in the probe vs `));
    for (const r of probe.rates.slice(1)) expect(first.skipped.find((s) => s.name === r.name)?.reason).to.match(/^(slower|failed) in the probe/);

    const t1 = performance.now();
    const again = await initBackend('auto', WASM_PATH, shape);
    const againMs = performance.now() - t1;
    expect(again.probe?.cached).to.equal(true);
    expect(again.name).to.equal(first.name);
    expect(again.probe?.rates).to.deep.equal(probe.rates);
    console.log(`probe: ${probe.summary}; first initBackend ${firstMs.toFixed(0)} ms (probe ${probe.ms} ms), cached ${againMs.toFixed(0)} ms (probe ${again.probe?.ms} ms)`);

    const other = await initBackend('auto', WASM_PATH, { ...shape, batchSize: 32 });
    expect(other.probe?.cached, 'another batch size is measured again').to.equal(false);
  });

  it('an MLP is timed on wasm through the dense step the trainer would run: a rate, no error', async function () {
    const plan = chooseBackend('auto', await probeBackends());
    if (!plan.probe.includes('wasm')) this.skip();
    const mlp: ProbeShape = { spec: { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0.1 }, inputShape: [28, 28, 1], numClasses: 10, batchSize: 64 };
    const report = await initBackend('auto', WASM_PATH, mlp);
    const wasm = report.probe!.rates.find((r) => r.name === 'wasm')!;
    expect(wasm.error, 'wasm measured').to.equal(undefined);
    expect(wasm.samplesPerSec).to.be.a('number').and.greaterThan(0);
  });

  it('a forced backend and a call without the model shape skip the probe', async () => {
    const forced = await initBackend('wasm', WASM_PATH, shape);
    expect(forced).to.include({ name: 'wasm', forced: true });
    expect(forced.probe).to.equal(undefined);
    const fixed = await initBackend('auto', WASM_PATH);
    expect(fixed.probe).to.equal(undefined);
  });
});
