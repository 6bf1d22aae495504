// The MLP training step outside tfjs's graph (dense-step.ts, over matmul-module.ts and dense-math.ts):
// the product against a float64 reference for every shape edge and a transposed A, with and without
// FMA; the step's loss and gradients against tfjs's own gradients of the same loss on the same
// backend, for every activation, class weights, weight decay and a short last batch; the step runs
// no tfjs kernel; epochs through it train like the tfjs path; and which models it takes.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/training/backend';
import { DenseStep } from '../../src/training/dense-step';
import { buildModel } from '../../src/training/models';
import { createRng } from '../../src/training/rng';
import { trainEpoch, type Loop } from '../../src/training/train-epoch';
import { createTicker, l2Penalty, lossTerms, makeOptimizer, reorderPart, uploadPart } from '../../src/training/trainer-ops';
import { ACTIVATIONS, type MlpSpec } from '../../src/training/types';
import { matmulModuleBytes, type MatMulFunction } from '../../src/training/wasm-kernels/matmul-module';
import { blobs, config, expectLearned, of, run, started, stripes, WASM_PATH } from './train-helpers';

/** max |got − want| / max |want| */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).to.equal(want.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    worst = Math.max(worst, Math.abs(got[i] - want[i]));
  }
  expect(scale, 'a non-trivial reference').to.be.greaterThan(0);
  return worst / scale;
}

describe('matmul-module: the product over a memory', () => {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const variants: [string, MatMulFunction][] = [];
  for (const fma of [false, true]) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(matmulModuleBytes(false, fma)), { env: { memory } });
      variants.push([fma ? 'with FMA' : 'multiply then add', instance.exports.matmul as MatMulFunction]);
    } catch {
      if (!fma) throw new Error('the SIMD module must compile');
    }
  }

  it('compiles both variants here (Chromium has relaxed SIMD)', () => expect(variants.map(([name]) => name)).to.deep.equal(['multiply then add', 'with FMA']));

  // m, k, n around the 4-row and 8- and 4-column tiles, and a layer-like shape.
  const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 9, 13], [9, 3, 12], [13, 17, 3], [64, 37, 21], [6, 2, 1]];
  for (const [name, matmul] of variants) {
    for (const transposed of [false, true]) {
      for (const accumulate of [0, 1]) {
        it(`${name}: every edge shape, A ${transposed ? 'transposed' : 'row-major'}, ${accumulate ? 'added to' : 'written over'} C`, () => {
          const rng = createRng(5);
          for (const [m, k, n] of shapes) {
            // A, B and C at odd offsets, B and C with padded rows (ldb, ldc > n).
            const [ldb, ldc] = [n + 3, n + 1];
            const [a, b, c] = [4 * 17, 4 * (17 + m * k + 5), 4 * (17 + m * k + 5 + k * ldb + 7)];
            const heap = new Float32Array(memory.buffer);
            for (let i = 0; i < m * k + k * ldb + m * ldc + 20; i++) heap[17 + i] = rng.normal();
            const before = heap.slice(c / 4, c / 4 + m * ldc);
            const [rsA, csA] = transposed ? [1, m] : [k, 1];
            matmul(a, b, c, m, k, n, rsA, csA, ldb, ldc, accumulate);
            const got: number[] = [];
            const want: number[] = [];
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < ldc; j++) {
                let s = accumulate || j >= n ? before[i * ldc + j] : 0;
                if (j < n) for (let p = 0; p < k; p++) s += heap[a / 4 + i * rsA + p * csA] * heap[b / 4 + p * ldb + j];
                got.push(heap[c / 4 + i * ldc + j]);
                want.push(s);
              }
            }
            expect(relativeError(got, want), `${m}×${k}×${n}`).to.be.below(1e-5);
          }
        });
      }
    }
  }
});

/** A model, its weights and a split part on wasm. */
async function setUp(spec: MlpSpec, weighted: boolean, samples = 120) {
  await initBackend('wasm', WASM_PATH);
  const split = blobs(samples);
  const model = buildModel(spec, split.inputShape, 3, 11);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const part = uploadPart(split.train, split.inputShape, 3, weighted ? [1, 2.5, 0.5] : null);
  return { model, weights, part };
}

/** tfjs's gradients of the trainer's loss on rows [start, start + size), and the loss. */
function tfjsGradients(model: tf.LayersModel, weights: tf.Variable[], part: ReturnType<typeof uploadPart>, start: number, size: number, wd: number) {
  return tf.tidy(() => {
    const sums: number[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const probs = model.apply(tf.slice(part.x, start, size), { training: true }) as tf.Tensor;
      const { sum, weight } = lossTerms(probs, tf.slice(part.y, start, size), part.w && tf.slice(part.w, start, size));
      sums.push(sum.dataSync()[0], weight.dataSync()[0]);
      const loss = tf.div(sum, weight) as tf.Scalar;
      const penalty = l2Penalty(weights, wd);
      return penalty ? tf.add(loss, penalty) : loss;
    }, weights);
    return { cost: value.dataSync()[0], sums, grads: weights.map((w) => grads[w.name].dataSync()) };
  });
}

describe('DenseStep: the gradients of an MLP step', () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation}, two hidden layers: the loss and every gradient are tfjs's`, async () => {
      const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [13, 6], activation, dropout: 0 }, false);
      const step = DenseStep.create(model, weights, 32, 0)!;
      expect(step, 'the step applies').to.not.equal(null);
      const want = tfjsGradients(model, weights, part, 8, 32, 0);
      const got = step.gradients(part, 8, 32);
      expect(got.loss.lossSum).to.be.closeTo(want.sums[0], 1e-4 * Math.abs(want.sums[0]));
      expect(got.loss.weightSum).to.equal(32);
      expect(got.cost).to.be.closeTo(want.cost, 1e-5);
      weights.forEach((w, i) => expect(relativeError(got.grads[w.name].dataSync(), want.grads[i]), w.name).to.be.below(1e-4));
      tf.dispose(Object.values(got.grads));
      step.dispose();
      model.dispose();
    });
  }

  it('dropout (tanh, two hidden layers): the loss and gradients are tfjs’s for the same masks, drawn in order from the generator given', async () => {
    const rate = 0.3;
    const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [12, 7], activation: 'tanh', dropout: rate }, false);
    const step = DenseStep.create(model, weights, 32, 0)!;
    expect(step, 'the step takes dropout').to.not.equal(null);
    const size = 32;
    // The masks the step will draw: layer by layer, row-major, kept where the draw is ≥ rate.
    const draws = createRng(77);
    const masks = [12, 7].map((units) => tf.tensor2d(Float32Array.from({ length: size * units }, () => (draws.next() >= rate ? 1 : 0)), [size, units]));
    const [k1, b1, k2, b2, k3, b3] = weights;
    const want = tf.tidy(() => {
      const sums: number[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const x = tf.reshape(tf.slice(part.x, 0, size), [size, -1]);
        const h1 = tf.div(tf.mul(tf.tanh(tf.add(tf.matMul(x, k1), b1)), masks[0]), 1 - rate);
        const h2 = tf.div(tf.mul(tf.tanh(tf.add(tf.matMul(h1, k2), b2)), masks[1]), 1 - rate);
        const probs = tf.softmax(tf.add(tf.matMul(h2, k3), b3));
        const { sum, weight } = lossTerms(probs, tf.slice(part.y, 0, size), null);
        sums.push(sum.dataSync()[0]);
        return tf.div(sum, weight) as tf.Scalar;
      }, weights);
      return { cost: value.dataSync()[0], sums, grads: weights.map((w) => grads[w.name].dataSync()) };
    });
    const got = step.gradients(part, 0, size, createRng(77).next);
    expect(got.cost).to.be.closeTo(want.cost, 1e-5);
    weights.forEach((w, i) => expect(relativeError(got.grads[w.name].dataSync(), want.grads[i]), w.name).to.be.below(1e-4));
    // A different draw gives different gradients: the masks are really applied.
    const other = step.gradients(part, 0, size, createRng(78).next);
    expect(relativeError(other.grads[k1.name].dataSync(), want.grads[0])).to.be.above(1e-2);
    tf.dispose([...masks, ...Object.values(got.grads), ...Object.values(other.grads)]);
    step.dispose();
    model.dispose();
  });

  it('class weights, weight decay and a short last batch: the loss, correct count and gradients are tfjs’s', async () => {
    const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 }, true);
    const step = DenseStep.create(model, weights, 32, 0.01)!;
    const start = part.n - 5;
    const want = tfjsGradients(model, weights, part, start, 5, 0.01);
    const got = step.gradients(part, start, 5);
    expect(got.loss.lossSum).to.be.closeTo(want.sums[0], 1e-4 * Math.abs(want.sums[0]));
    expect(got.loss.weightSum).to.be.closeTo(want.sums[1], 1e-5);
    expect(got.cost).to.be.closeTo(want.cost, 1e-5);
    const probs = model.predict(tf.slice(part.x, start, 5)) as tf.Tensor;
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(tf.slice(part.y, start, 5), -1)), 'int32')).dataSync()[0];
    expect(got.loss.correct).to.equal(correct);
    weights.forEach((w, i) => expect(relativeError(got.grads[w.name].dataSync(), want.grads[i]), w.name).to.be.below(1e-4));
    tf.dispose([probs, ...Object.values(got.grads)]);
    step.dispose();
    model.dispose();
  });

  it('runs no tfjs kernel, and leaves no tensor or heap block behind but its gradients', async () => {
    const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [8], activation: 'tanh', dropout: 0 }, false);
    const backend = tf.backend();
    const [tensors, dataIds] = [tf.memory().numTensors, backend.numDataIds()];
    const step = DenseStep.create(model, weights, 16, 0)!;
    let grads: tf.NamedTensorMap = {};
    const profile = await tf.profile(() => {
      grads = step.gradients(part, 0, 16).grads;
    });
    expect(profile.kernels.map((k) => k.name)).to.deep.equal([]);
    expect(Object.keys(grads)).to.deep.equal(weights.map((w) => w.name));
    tf.dispose(Object.values(grads));
    step.dispose();
    expect(tf.memory().numTensors).to.equal(tensors);
    expect(backend.numDataIds()).to.equal(dataIds);
    model.dispose();
  });

  it('a step that fails midway (data gone from the heap) leaves no gradient tensor behind', async () => {
    const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, false);
    const step = DenseStep.create(model, weights, 8, 0)!;
    const gone = { ...part, x: tf.tensor(part.x.dataSync(), part.x.shape) };
    gone.x.dispose();
    const tensors = tf.memory().numTensors;
    expect(() => step.gradients(gone, 0, 8)).to.throw(/not float32 data on the wasm heap/);
    expect(tf.memory().numTensors).to.equal(tensors);
    step.dispose();
    model.dispose();
    tf.dispose([part.x, part.y]);
  });

  it('takes only plain MLPs on wasm', async () => {
    const take = async (spec: Parameters<typeof buildModel>[0], backend: 'wasm' | 'cpu' = 'wasm') => {
      await initBackend(backend, WASM_PATH);
      const split = blobs(50);
      const model = spec.kind === 'cnn' ? buildModel(spec, [6, 6, 1], 3, 1) : buildModel(spec, split.inputShape, 3, 1);
      const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const step = DenseStep.create(model, weights, 8, 0);
      const partial = DenseStep.create(model, weights.slice(1), 8, 0);
      step?.dispose();
      model.dispose();
      return [step !== null, partial !== null];
    };
    expect(await take({ kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 })).to.deep.equal([true, false]);
    expect(await take({ kind: 'mlp', hidden: [], activation: 'relu', dropout: 0 })).to.deep.equal([true, false]);
    expect(await take({ kind: 'mlp', hidden: [4, 3], activation: 'relu', dropout: 0.2 })).to.deep.equal([true, false]);
    expect(await take({ kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, 'cpu')).to.deep.equal([false, false]);
    expect(await take({ kind: 'cnn', filters: [2], kernelSize: 3, dense: 4, activation: 'relu', dropout: 0 })).to.deep.equal([false, false]);
  });
});

describe('DenseStep in trainEpoch', () => {
  /** Two epochs of Adam with class weights and weight decay, through the dense step or through tfjs. */
  async function twoEpochs(dense: boolean, rate = 0) {
    const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [16, 8], activation: 'relu', dropout: rate }, true, 400);
    const cfg = config({ backend: 'wasm', optimizer: 'adam', batchSize: 16, weightDecay: 1e-3 });
    const optimizer = makeOptimizer('adam', cfg.learningRate);
    const ticker = createTicker();
    const step = dense ? DenseStep.create(model, weights, cfg.batchSize, cfg.weightDecay) : null;
    const loop: Loop = {
      model,
      optimizer,
      weights,
      dense: step,
      train: part,
      config: cfg,
      batchesPerEpoch: Math.ceil(part.n / cfg.batchSize),
      emit: () => {},
      signal: new AbortController().signal,
      tick: ticker.tick,
    };
    const passes = [await trainEpoch(loop, 1, cfg.learningRate), await trainEpoch(loop, 2, cfg.learningRate)];
    const state = await Promise.all((await optimizer.getWeights()).map(async (w) => [w.name, Array.from(await w.tensor.data())] as const));
    const out = { passes: passes.map((p) => p!), weights: model.getWeights().map((w) => w.dataSync()), state, tensors: tf.memory().numTensors };
    ticker.close();
    step?.dispose();
    optimizer.dispose();
    model.dispose();
    tf.dispose([part.x, part.y, part.w!]);
    return out;
  }

  it('trains as the tfjs path does: the same epoch sums and, after two epochs, the same weights and Adam state within float32 rounding', async () => {
    const fast = await twoEpochs(true);
    const slow = await twoEpochs(false);
    fast.passes.forEach((p, i) => {
      expect(p.correct, `epoch ${i + 1} correct`).to.equal(slow.passes[i].correct);
      expect(p.weightSum).to.be.closeTo(slow.passes[i].weightSum, 1e-3);
      expect(p.lossSum).to.be.closeTo(slow.passes[i].lossSum, 1e-3 * slow.passes[i].lossSum);
    });
    fast.weights.forEach((w, i) => expect(relativeError(w, slow.weights[i]), `weight ${i}`).to.be.below(1e-3));
    const slot = (name: string) => name.replace(/\/(kernel|bias)_\d+\//, '/$1/'); // tfjs numbers repeated variable names
    expect(fast.state.map(([name]) => slot(name))).to.deep.equal(slow.state.map(([name]) => slot(name)));
    fast.state.forEach(([name, values], i) => expect(relativeError(values, slow.state[i][1]), name).to.be.below(1e-3));
  });

  it('with dropout, its masks are seeded per epoch from the run seed: the same run gives the same weights', async () => {
    const [a, b] = [await twoEpochs(true, 0.25), await twoEpochs(true, 0.25)];
    expect(a.weights.map((w) => Array.from(w))).to.deep.equal(b.weights.map((w) => Array.from(w)));
    expect(a.passes.map((p) => p.lossSum)).to.deep.equal(b.passes.map((p) => p.lossSum));
    const none = await twoEpochs(true, 0);
    expect(none.passes[0].lossSum).to.not.equal(a.passes[0].lossSum);
  });

  it('accepts a part only when its rows fit the first layer and its labels the output, and refuses rows it cannot hold', async () => {
    const { model, weights, part } = await setUp({ kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, false);
    const step = DenseStep.create(model, weights, 8, 0)!;
    const order = Int32Array.from({ length: part.n }, (_, i) => part.n - 1 - i);
    const reordered = reorderPart(part, order);
    expect(step.accepts(reordered)).to.equal(true);
    const wrongWidth = { ...reordered, x: tf.zeros([part.n, 3]) };
    expect(step.accepts(wrongWidth)).to.equal(false);
    const wrongClasses = { ...reordered, y: tf.zeros([part.n, 4]) as tf.Tensor2D };
    expect(step.accepts(wrongClasses)).to.equal(false);
    // More rows than its scratch holds, or rows past the part's end: refused, nothing written.
    expect(() => step.gradients(reordered, 0, 9)).to.throw(RangeError, /at most 8/);
    expect(() => step.gradients(reordered, part.n - 4, 8)).to.throw(RangeError);
    tf.dispose([wrongWidth.x, wrongClasses.y, reordered.x, reordered.y, part.x, part.y]);
    step.dispose();
    model.dispose();
  });
});

describe('DenseStep through the trainer (worker, wasm)', () => {
  it('an MLP with dropout learns, with the tensor count flat per epoch, and the run says it took the dense step', async () => {
    const r = await run(blobs(), { kind: 'mlp', hidden: [16, 8], activation: 'relu', dropout: 0.2 }, config({ backend: 'wasm', epochs: 3 }));
    expectLearned(r, 'wasm');
    // This page is not cross-origin isolated: the single-threaded build, so no helper.
    expect(started(r).backend.trainingStep).to.deep.equal({ path: 'dense', threads: 1, fma: true });
  });

  it('a CNN on wasm and an MLP on cpu say they took tfjs’s graph', async () => {
    const tfjs = { path: 'tfjs', threads: null, fma: null };
    const cnn = await run(stripes(40), { kind: 'cnn', filters: [2], kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 }, config({ backend: 'wasm', epochs: 1 }));
    expect(started(cnn).backend.trainingStep).to.deep.equal(tfjs);
    const cpu = await run(blobs(), { kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, config({ backend: 'cpu', epochs: 1 }));
    expect(started(cpu).backend.trainingStep).to.deep.equal(tfjs);
  });

  it('a huge learning rate fails as diverged at epoch 1, before any epoch is recorded', async () => {
    const r = await run(blobs(), { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 }, config({ backend: 'wasm', optimizer: 'sgd', learningRate: 1e30, epochs: 3, weightDecay: 0 }));
    expect(r.final.type).to.equal('failed');
    if (r.final.type !== 'failed') return;
    expect(r.final.kind).to.equal('diverged');
    expect(r.final.message).to.match(/^diverged at epoch 1: loss is (NaN|-?Infinity)$/);
    expect(of(r, 'epoch')).to.have.length(0);
  });
});
