// The dense step's products split over helper workers (matmul-pool.ts), on a cross-origin isolated
// page (web-test-runner.isolated.config.mjs): the helpers start, a split product is bit-identical
// to the same product on one thread (each row is computed the same way, whoever computes it), small
// products stay on one thread, and the MLP step on the threaded wasm build uses them.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/training/backend';
import { DenseStep } from '../../src/training/dense-step';
import { buildModel } from '../../src/training/models';
import { createRng } from '../../src/training/rng';
import { uploadPart } from '../../src/training/trainer-ops';
import { matmulOn } from '../../src/training/wasm-kernels/matmul-module';
import { helpersFor, MatMulPool, SPLIT_MIN_MULTIPLY_ADDS } from '../../src/training/wasm-kernels/matmul-pool';
import { blobs, WASM_PATH } from '../browser/train-helpers';

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('MatMulPool', () => {
  it('runs where the page is cross-origin isolated', () => {
    expect(globalThis.crossOriginIsolated).to.equal(true);
  });

  it('takes one helper per spare core, at most 3', () => {
    expect([undefined, 1, 2, 4, 16].map(helpersFor)).to.deep.equal([0, 0, 1, 3, 3]);
  });

  it('no pool over an unshared memory or without a spare core', () => {
    const plain = new WebAssembly.Memory({ initial: 1 });
    expect(MatMulPool.create(plain, matmulOn(plain)!, 4)).to.equal(null);
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    expect(MatMulPool.create(shared, matmulOn(shared)!, 1)).to.equal(null);
  });

  for (const helpers of [1, 3]) {
    it(`with ${helpers} helper${helpers > 1 ? 's' : ''}: split products are bit-identical to one thread's, every row of C written`, async () => {
      const memory = new WebAssembly.Memory({ initial: 256, maximum: 1024, shared: true });
      const matmul = matmulOn(memory)!;
      const pool = MatMulPool.create(memory, matmul, helpers + 1)!;
      try {
        await until(() => pool.ready() === helpers, 'the helpers');
        const rng = createRng(3);
        // [m, k, n, A transposed]: uneven row blocks, a transposed A, and one below the split size.
        for (const [m, k, n, transposed] of [[203, 97, 61, false], [784, 64, 128, true], [64, 784, 128, false], [9, 5, 7, false]] as const) {
          const heap = () => new Float32Array(memory.buffer);
          const [a, b, c1, c2] = [64, 64 + 4 * m * k, 64 + 4 * (m * k + k * n), 64 + 4 * (m * k + k * n + m * n)];
          for (let i = 0; i < m * k + k * n; i++) heap()[16 + i] = rng.normal();
          heap().fill(NaN, c1 / 4, c2 / 4 + m * n);
          const [rsA, csA] = transposed ? [1, m] : [k, 1];
          matmul(a, b, c1, m, k, n, rsA, csA, n, n, 0);
          pool.run(a, b, c2, m, k, n, rsA, csA, n, n, 0);
          const [one, split] = [heap().slice(c1 / 4, c1 / 4 + m * n), heap().slice(c2 / 4, c2 / 4 + m * n)];
          expect(split.some(Number.isNaN), `${m}×${k}×${n}: a row left unwritten`).to.equal(false);
          expect(Array.from(split), `${m}×${k}×${n}`).to.deep.equal(Array.from(one));
          expect(m * k * n >= SPLIT_MIN_MULTIPLY_ADDS).to.equal(m > 9);
        }
      } finally {
        pool.dispose();
      }
    });
  }
});

describe('DenseStep on the threaded wasm build', () => {
  it('splits its products over a helper and gives the gradients it gives on one thread', async () => {
    await initBackend('wasm', WASM_PATH);
    const split = blobs(400);
    const model = buildModel({ kind: 'mlp', hidden: [256, 64], activation: 'relu', dropout: 0 }, split.inputShape, 3, 2);
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const part = uploadPart(split.train, split.inputShape, 3);
    const step = DenseStep.create(model, weights, 128, 0)!;
    try {
      const first = step.gradients(part, 0, 128); // before the helper is ready: one thread
      const oneThread = weights.map((w) => Array.from(first.grads[w.name].dataSync()));
      tf.dispose(Object.values(first.grads));
      await until(() => step.threads() === 2, 'the helper', 20_000);
      const second = step.gradients(part, 0, 128);
      weights.forEach((w, i) => expect(Array.from(second.grads[w.name].dataSync()), w.name).to.deep.equal(oneThread[i]));
      expect(second.loss).to.deep.equal(first.loss);
      tf.dispose(Object.values(second.grads));
    } finally {
      step.dispose();
      model.dispose();
      tf.dispose([part.x, part.y]);
    }
  });
});
