// The training step's fast paths: fused optimizer updates (fused-optimizers.ts) give exactly tfjs's
// results and saved state (fused on cpu, Adam fused on wasm too); the per-epoch reordered copy, sliced
// per batch, gives exactly the per-step gathered batches; and the tensor count stays flat after
// epoch 1 for CNNs on webgl and cpu (webgpu's CNN and every MLP backend: trainer.test.ts).
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/training/backend';
import { FusedAdamOptimizer, FusedMomentumOptimizer, FusedSGDOptimizer, float32Memory } from '../../src/training/fused-optimizers';
import { buildModel } from '../../src/training/models';
import { createRng } from '../../src/training/rng';
import { trainEpoch, type Loop } from '../../src/training/train-epoch';
import { createTicker, makeOptimizer, uploadPart } from '../../src/training/trainer-ops';
import type { BackendName, ModelSpec, OptimizerName } from '../../src/training/types';
import { blobs, config, expectLearned, expectSteadyMemory, finished, run, stripes, WASM_PATH } from './train-helpers';

const CPU_SIDE: BackendName[] = ['wasm', 'cpu'];

/** A few shapes like a layer's kernel and bias, with seeded values. */
function makeVars(seed: number): tf.Variable[] {
  const rng = createRng(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return [tf.variable(tf.tensor2d(values(37 * 5), [37, 5])), tf.variable(tf.tensor1d(values(5)))];
}

/** Applies the same seeded gradients `steps` times; returns the variables' and slots' values. */
async function applySteps(opt: tf.Optimizer, steps: number): Promise<{ vars: Float32Array[]; slots: Float32Array[]; iterations: number; kernels: number }> {
  const vars = makeVars(7);
  const rng = createRng(99);
  let kernels = 0; // run by the steps after the first (which creates the slots)
  for (let s = 0; s < steps; s++) {
    const grads = Object.fromEntries(vars.map((v) => [v.name, tf.tensor(Float32Array.from({ length: v.size }, () => rng.normal()), v.shape)]));
    if (s === 0) opt.applyGradients(grads);
    else kernels += (await tf.profile(() => opt.applyGradients(grads))).kernels.length;
    tf.dispose(Object.values(grads));
  }
  const weights = await opt.getWeights();
  const result = {
    vars: await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array)),
    slots: await Promise.all(weights.filter((w) => w.name !== 'iter').map(async (w) => (await w.tensor.data()) as Float32Array)),
    iterations: opt.iterations,
    kernels,
  };
  tf.dispose([...vars, ...weights.filter((w) => w.name === 'iter').map((w) => w.tensor)]);
  return result;
}

const pairsOf: [string, () => tf.Optimizer, () => tf.Optimizer][] = [
  ['adam', () => new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-8), () => tf.train.adam(0.01, 0.9, 0.999, 1e-8)],
  ['sgd', () => new FusedSGDOptimizer(0.05), () => tf.train.sgd(0.05)],
  ['momentum', () => new FusedMomentumOptimizer(0.05, 0.9), () => tf.train.momentum(0.05, 0.9)],
];

describe('fused optimizers', () => {
  for (const backend of CPU_SIDE) {
    for (const [name, fused, plain] of pairsOf) {
      it(`${name} on ${backend}: bit-identical variables and slots to tfjs's, same class name and slot names`, async () => {
        await initBackend(backend, WASM_PATH);
        const [a, b] = [fused(), plain()];
        const [x, y] = [await applySteps(a, 6), await applySteps(b, 6)];
        expect(x.iterations).to.equal(6);
        // cpu: one pass, no tfjs kernel; wasm: Adam in one WebAssembly pass, the others tfjs's own update.
        if (backend === 'cpu' || name === 'adam') expect(x.kernels, 'the fused update runs no tfjs kernel').to.equal(0);
        else expect(x.kernels).to.equal(y.kernels);
        expect(y.kernels).to.be.greaterThan(0);
        expect(x.iterations).to.equal(y.iterations);
        x.vars.forEach((v, i) => expect(Array.from(v), `variable ${i}`).to.deep.equal(Array.from(y.vars[i])));
        expect(x.slots.length).to.equal(y.slots.length);
        x.slots.forEach((v, i) => expect(Array.from(v), `slot ${i}`).to.deep.equal(Array.from(y.slots[i])));
        expect(a.getClassName()).to.equal(b.getClassName());
        const names = async (o: tf.Optimizer) => {
          const weights = await o.getWeights();
          tf.dispose(weights.filter((w) => w.name === 'iter').map((w) => w.tensor));
          return weights.map((w) => w.name.replace(/^.*\//, ''));
        };
        expect(await names(a)).to.deep.equal(await names(b));
        a.dispose();
        b.dispose();
      });
    }

    it(`a model trained through minimize on ${backend}: the same losses step by step with fused and tfjs's Adam`, async () => {
      // tfjs-wasm caches each weight's packed XNNPACK matmul operator by tensor id: a weight updated
      // in place would keep its old values in the forward pass.
      await initBackend(backend, WASM_PATH);
      const x = tf.randomUniform([32, 12], 0, 1, 'float32', 3);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), 'int32'), 3).toFloat();
      const losses = async (opt: tf.Optimizer) => {
        const model = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, [12], 3, 1);
        const out: number[] = [];
        for (let s = 0; s < 5; s++) {
          const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!;
          out.push((await cost.data())[0]);
          cost.dispose();
        }
        model.dispose();
        opt.dispose();
        return out;
      };
      const fused = await losses(new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-8));
      expect(fused).to.deep.equal(await losses(tf.train.adam(0.01, 0.9, 0.999, 1e-8)));
      expect(fused[4]).to.be.lessThan(fused[0]);
      tf.dispose([x, y]);
    });

    it(`adam on ${backend} never changes memory another tensor shares: a clone of a variable keeps its values`, async () => {
      await initBackend(backend, WASM_PATH);
      const v = tf.variable(tf.ones([4]));
      const copy = tf.clone(v); // shares v's memory until v is assigned
      expect(float32Memory(v, true)).to.equal(null);
      const opt: tf.Optimizer = new FusedAdamOptimizer(0.1, 0.9, 0.999, 1e-8);
      opt.applyGradients({ [v.name]: tf.ones([4]) });
      expect(Array.from(await copy.data())).to.deep.equal([1, 1, 1, 1]);
      expect((await v.data())[0]).to.be.closeTo(0.9, 1e-6);
      tf.dispose([v, copy]);
      opt.dispose();
    });
  }
});

describe('one epoch through trainEpoch', () => {
  /** One epoch of an MLP on blobs; returns its weights and stats. */
  async function epochWith(backend: BackendName, optimizer: OptimizerName, gatherPerStep: boolean, weighted: boolean) {
    await initBackend(backend, WASM_PATH);
    const split = blobs(300);
    const cfg = config({ backend, optimizer, batchSize: 16, weightDecay: 1e-3 });
    const model = buildModel({ kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 }, split.inputShape, 3, cfg.seed);
    const opt = makeOptimizer(optimizer, cfg.learningRate);
    const train = uploadPart(split.train, split.inputShape, 3, weighted ? [1, 2, 0.5] : null);
    const ticker = createTicker();
    const loop: Loop = {
      model,
      optimizer: opt,
      weights: model.trainableWeights.map((w) => w.read() as tf.Variable),
      train,
      config: cfg,
      batchesPerEpoch: Math.ceil(train.n / cfg.batchSize),
      emit: () => {},
      signal: new AbortController().signal,
      tick: ticker.tick,
      gatherPerStep,
    };
    const before = tf.memory().numTensors;
    const passes = [await trainEpoch(loop, 1, cfg.learningRate), await trainEpoch(loop, 2, cfg.learningRate)];
    const leaked = tf.memory().numTensors - before;
    const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
    ticker.close();
    tf.dispose([train.x, train.y, ...(train.w ? [train.w] : [])]);
    opt.dispose();
    model.dispose();
    return { passes: passes.map((p) => ({ ...p!, seconds: 0 })), weights, leaked };
  }

  for (const backend of CPU_SIDE) {
    it(`on ${backend}, the reordered copy trains exactly the batches of the per-step gather (Adam, weight decay, class weights)`, async () => {
      const a = await epochWith(backend, 'adam', false, true);
      const b = await epochWith(backend, 'adam', true, true);
      expect(a.passes).to.deep.equal(b.passes);
      expect(a.weights).to.deep.equal(b.weights);
      // Adam's two moment slots per weight appear during epoch 1; nothing more after that.
      expect(a.leaked).to.equal(b.leaked);
    });
  }
});

describe('memory stays flat after epoch 1 (target 7)', () => {
  const cnn: ModelSpec = { kind: 'cnn', filters: [4], kernelSize: 3, dense: 8, activation: 'relu', dropout: 0 };
  for (const backend of ['webgl', 'cpu'] as const) {
    it(`a CNN on ${backend}: the tensor count per epoch never changes, and it learns`, async () => {
      const r = await run(stripes(60), cnn, config({ backend, epochs: 3, batchSize: 8, learningRate: 0.02 }));
      expectLearned(r, backend);
    });
  }

  it('an MLP on wasm with class weights and momentum: the tensor count per epoch never changes', async () => {
    const r = await run(blobs(), { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 }, config({ backend: 'wasm', epochs: 3, optimizer: 'momentum', classWeights: 'balanced' }));
    expect(finished(r).status).to.equal('completed');
    expectSteadyMemory(r);
  });
});
