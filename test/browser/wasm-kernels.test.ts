// The conv kernels of src/training/wasm-kernels/ against the cpu backend, and a CNN trained on wasm.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { buildModel } from '../../src/training/models';
import { lossTerms } from '../../src/training/trainer-ops';
import { ACTIVATIONS, type CnnSpec, type ModelSpec } from '../../src/training/types';
import { allowLabProduct } from '../../src/training/wasm-kernels/batch-mat-mul';
import { WASM_KERNELS } from '../../src/training/wasm-kernels/register';
import { config, epochs, finished, run, started, stripes, WASM_PATH } from './train-helpers';

const CNN: CnnSpec = { kind: 'cnn', filters: [8, 16], kernelSize: 3, dense: 32, activation: 'relu', dropout: 0 };

async function on<T>(backend: 'cpu' | 'wasm', f: () => T | Promise<T>): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

/** Every value of `got` within 1e-4 of `want`'s largest magnitude (a relative tolerance per tensor). */
function expectClose(got: Float32Array | number[], want: Float32Array | number[], what: string): void {
  expect(got.length, what).to.equal(want.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    worst = Math.max(worst, Math.abs(got[i] - want[i]));
  }
  expect(scale, `${what}: a non-trivial reference`).to.be.greaterThan(0);
  expect(worst / scale, `${what}: max |wasm − cpu| / max |cpu|`).to.be.at.most(1e-4);
}

/** Random data made on cpu and copied, so both backends see the same numbers. */
const seeded = (shape: number[], seed: number) => tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed)).arraySync();

/** d/dx and d/dw of Σ r·conv2d(x, w) on the current backend. */
type ConvPad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function convGrads(x: unknown, w: unknown, r: unknown, stride: number, pad: ConvPad): Float32Array[] {
  return tf.tidy(() => {
    const f = (xt: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, stride, pad), tf.tensor(r as number[][][][])));
    return tf.grads(f)([tf.tensor(x as number[][][][]), tf.tensor(w as number[][][][])]).map((g) => g.dataSync() as Float32Array);
  });
}

describe('wasm kernels (BatchMatMul, Conv2DBackpropFilter, Conv2DBackpropInput, MaxPoolGrad) against the cpu backend', () => {
  before(async () => {
    setWasmPaths(WASM_PATH);
    await tf.setBackend('wasm');
    await tf.ready();
  });
  after(async () => {
    await tf.setBackend('cpu');
  });

  it('are the kernels registered for wasm', () => {
    for (const k of WASM_KERNELS) expect(tf.getKernel(k.kernelName, 'wasm'), k.kernelName).to.equal(k);
  });

  it('every kernel a CNN training step runs on cpu is registered for wasm (every activation, kernel 3 and 5)', async () => {
    const used = new Set<string>();
    for (const activation of ACTIVATIONS) {
      for (const kernelSize of [3, 5]) {
        const spec: ModelSpec = { kind: 'cnn', filters: [4, 8], kernelSize, dense: 8, activation, dropout: 0.2 };
        const profile = await on('cpu', () =>
          tf.profile(() => {
            const model = buildModel(spec, [12, 12, 1], 3, 1);
            const opt = tf.train.adam(1e-3);
            const x = tf.randomNormal([4, 12, 12, 1]);
            const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
            opt.minimize(() => {
              const { sum, weight } = lossTerms(model.apply(x, { training: true }) as tf.Tensor, y, null);
              return tf.div(sum, weight) as tf.Scalar;
            });
            tf.dispose([x, y]);
            opt.dispose();
            model.dispose();
          }),
        );
        profile.kernelNames.forEach((n) => used.add(n));
      }
    }
    const kernels = [...used].filter((n) => tf.getKernel(n, 'cpu'));
    expect(kernels).to.include.members(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']);
    expect(kernels.filter((n) => !tf.getKernel(n, 'wasm'))).to.deep.equal([]);
  });

  for (const kernel of [3, 5]) {
    for (const pad of ['same', 'valid'] as const) {
      for (const stride of [1, 2]) {
        for (const lab of [true, false]) {
          it(`conv2d gradients: kernel ${kernel}, ${pad}, stride ${stride}, batch 3, 3 → 4 channels, 9×8 input (${lab ? "the lab's product" : 'XNNPACK'})`, async () => {
            const x = seeded([3, 9, 8, 3], 1);
            const w = seeded([kernel, kernel, 3, 4], 2);
            const outShape = tf.tidy(() => tf.conv2d(tf.tensor(x as number[][][][]) as tf.Tensor4D, tf.tensor(w as number[][][][]) as tf.Tensor4D, stride, pad).shape);
            const r = seeded(outShape, 3);
            const want = await on('cpu', () => convGrads(x, w, r, stride, pad));
            allowLabProduct(lab);
            try {
              const got = await on('wasm', () => convGrads(x, w, r, stride, pad));
              expectClose(got[0], want[0], 'dx');
              expectClose(got[1], want[1], 'dw');
            } finally {
              allowLabProduct(true);
            }
          });
        }
      }
    }
  }

  // Even and uneven sizes, padding only on one side: the grid of conv-grid.ts against cpu.
  const uneven: [number, number, ConvPad][] = [[2, 3, 'same'], [4, 2, 'same'], [3, 2, [[0, 0], [0, 2], [1, 0], [0, 0]]], [2, 5, 'valid']];
  for (const [kh, kw, pad] of uneven) {
    it(`conv2d gradients: a ${kh}×${kw} kernel, ${JSON.stringify(pad)}, stride 1, batch 2, 5 → 3 channels, 7×6 input`, async () => {
      const x = seeded([2, 7, 6, 5], 4);
      const w = seeded([kh, kw, 5, 3], 5);
      const outShape = tf.tidy(() => tf.conv2d(tf.tensor(x as number[][][][]) as tf.Tensor4D, tf.tensor(w as number[][][][]) as tf.Tensor4D, 1, pad).shape);
      const r = seeded(outShape, 6);
      const want = await on('cpu', () => convGrads(x, w, r, 1, pad));
      const got = await on('wasm', () => convGrads(x, w, r, 1, pad));
      expectClose(got[0], want[0], 'dx');
      expectClose(got[1], want[1], 'dw');
    });
  }

  it('Identity (tf.clone, the tensors tfjs saves for a backward pass) shares the data: no copy, and each side outlives the other', async () => {
    const t = tf.tensor1d([1, 2, 3]);
    const ids = tf.backend().numDataIds();
    const offset = (x: tf.Tensor) => (tf.backend() as unknown as { getMemoryOffset(id: object): number }).getMemoryOffset(x.dataId);
    const copy = tf.clone(t);
    expect(tf.backend().numDataIds(), 'no new data').to.equal(ids);
    expect(offset(copy)).to.equal(offset(t));
    t.dispose();
    expect(Array.from(await copy.data())).to.deep.equal([1, 2, 3]);
    const again = tf.clone(copy);
    copy.dispose();
    expect(Array.from(await again.data())).to.deep.equal([1, 2, 3]);
    again.dispose();
    expect(tf.backend().numDataIds()).to.equal(ids - 1);
    const words = tf.tensor1d(['a', 'b'], 'string');
    const strings = tf.clone(words);
    expect(await strings.data()).to.deep.equal(['a', 'b']);
    tf.dispose([words, strings]);
  });

  it('conv2d gradients of a one-channel first layer (28×28×1 → 8, batch 5) match cpu', async () => {
    const [x, w] = [seeded([5, 28, 28, 1], 4), seeded([3, 3, 1, 8], 5)];
    const r = seeded([5, 28, 28, 8], 6);
    const want = await on('cpu', () => convGrads(x, w, r, 1, 'same'));
    const got = await on('wasm', () => convGrads(x, w, r, 1, 'same'));
    expectClose(got[0], want[0], 'dx');
    expectClose(got[1], want[1], 'dw');
  });

  // Shapes [a, b] before transposing; the batch dimensions broadcast (1 against 3, none against 1,
  // [1, 1] against [5]) like tf.matMul's.
  const products: [number[], number[]][] = [[[37, 9], [9, 20]], [[3, 5, 7], [3, 7, 4]], [[1, 5, 7], [3, 7, 4]], [[64, 784], [784, 128]], [[2, 3], [1, 3, 4]], [[1, 1, 2, 3], [5, 3, 4]]];
  for (const [aShape, bShape] of products) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        for (const lab of [true, false]) {
          it(`matMul ${aShape.join('×')}${transposeA ? 'ᵀ' : ''} · ${bShape.join('×')}${transposeB ? 'ᵀ' : ''} matches cpu (${lab ? "the lab's product" : 'XNNPACK'})`, async () => {
            allowLabProduct(lab);
            const swap = (shape: number[], t: boolean) => (t ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape);
            const [a, b] = [seeded(swap(aShape, transposeA), 8), seeded(swap(bShape, transposeB), 9)];
            const product = () => tf.tidy(() => tf.matMul(tf.tensor(a as number[][]), tf.tensor(b as number[][]), transposeA, transposeB).dataSync() as Float32Array);
            const shape = () => tf.tidy(() => tf.matMul(tf.tensor(a as number[][]), tf.tensor(b as number[][]), transposeA, transposeB).shape);
            const [want, wantShape] = [await on('cpu', product), await on('cpu', shape)];
            // The backend's count: the transposed copies are its data, not the engine's tensors.
            const before = await on('wasm', () => tf.backend().numDataIds());
            try {
              expectClose(await on('wasm', product), want, 'a·b');
              expect(await on('wasm', shape), 'the broadcast batch shape').to.deep.equal(wantShape);
            } finally {
              allowLabProduct(true);
            }
            expect(tf.backend().numDataIds(), 'no heap block left behind').to.equal(before);
          });
        }
      }
    }
  }

  for (const [size, stride, pad] of [[2, 2, 'valid'], [3, 2, 'same'], [3, 1, 'same']] as const) {
    it(`maxPool gradient: pool ${size}, stride ${stride}, ${pad}, batch 3, 4 channels`, async () => {
      const x = seeded([3, 9, 8, 4], 7);
      const outShape = tf.tidy(() => tf.maxPool(tf.tensor(x as number[][][][]) as tf.Tensor4D, size, stride, pad).shape);
      const r = seeded(outShape, 8);
      const grad = () =>
        tf.tidy(() => tf.grad((xt: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xt as tf.Tensor4D, size, stride, pad), tf.tensor(r as number[][][][]))))(tf.tensor(x as number[][][][])).dataSync() as Float32Array);
      expectClose(await on('wasm', grad), await on('cpu', grad), 'dx');
    });
  }

  /** The loss of 8 Adam steps of the CNN preset (tfjs's own Adam) on fixed 12×12 data, on `backend`. */
  async function lossCurve(backend: 'cpu' | 'wasm', activation: 'relu' | 'tanh'): Promise<number[]> {
    await tf.setBackend(backend);
    const model = buildModel({ ...CNN, activation }, [12, 12, 1], 3, 1);
    const opt = tf.train.adam(1e-2);
    const x = tf.tensor(Array.from({ length: 16 * 144 }, (_, i) => Math.sin(i * 0.37)), [16, 12, 12, 1]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3);
    const losses: number[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const cost = opt.minimize(() => {
          const { sum, weight } = lossTerms(model.apply(x, { training: true }) as tf.Tensor, y, null);
          return tf.div(sum, weight) as tf.Scalar;
        }, true)!;
        losses.push((await cost.data())[0]);
        cost.dispose();
      }
    } finally {
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    }
    return losses;
  }

  for (const activation of ['relu', 'tanh'] as const) {
    it(`the CNN preset (${activation}) takes the same 8 Adam steps on wasm as on cpu`, async () => {
      const want = await lossCurve('cpu', activation);
      const got = await lossCurve('wasm', activation);
      expect(want[7], 'it learns').to.be.lessThan(want[0]);
      expectClose(got, want, `losses wasm ${got.map((v) => v.toFixed(5)).join(' ')} vs cpu ${want.map((v) => v.toFixed(5)).join(' ')}`);
    });
  }

  for (const activation of ['relu', 'tanh'] as const) {
    it(`a forced wasm CNN (${activation}) trains through the trainer with the same loss curve as cpu for the same seed`, async () => {
      const split = stripes(80);
      const cfg = { epochs: 3, batchSize: 16, weightDecay: 1e-4 };
      const spec: CnnSpec = { ...CNN, activation };
      const cpu = await run(split, spec, config({ ...cfg, backend: 'cpu' }));
      const wasm = await run(split, spec, config({ ...cfg, backend: 'wasm' }));
      expect(started(wasm).backend.name).to.equal('wasm');
      expect(finished(wasm).status).to.equal('completed');
      const [a, b] = [epochs(wasm), epochs(cpu)];
      console.log(`CNN (${activation}) loss per epoch, wasm ${a.map((m) => m.trainLoss.toFixed(5)).join(' ')} | cpu ${b.map((m) => m.trainLoss.toFixed(5)).join(' ')}`);
      expect(a.length).to.equal(3);
      expect(a[2].trainLoss, 'it learns').to.be.lessThan(a[0].trainLoss);
      for (let i = 0; i < a.length; i++) {
        for (const key of ['trainLoss', 'valLoss'] as const) {
          expect(Math.abs(a[i][key] - b[i][key]) / Math.abs(b[i][key]), `epoch ${i + 1} ${key}: wasm ${a[i][key]} vs cpu ${b[i][key]}`).to.be.below(1e-3);
        }
      }
    });
  }
});
