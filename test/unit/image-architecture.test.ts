// The CNN preset and the planner on own-image shapes ([32,32,3], [64,64,1], [28,28,3]), and the
// MLP flattening images: the pure plan by hand, then the real tfjs model against the plan.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { planArchitecture } from '../../src/training/architecture';
import { DEFAULT_CNN, DEFAULT_MLP, LIMITS, validateModelSpec } from '../../src/training/config';
import { buildModel, describeModel } from '../../src/training/models';
import type { CnnSpec, ModelSpec } from '../../src/training/types';

const rows = (spec: ModelSpec, input: number[], classes: number) =>
  planArchitecture(spec, input, classes).layers.map((l) => [l.name, l.outputShape, l.params]);

describe('architecture on image-set shapes', () => {
  it('plans the CNN preset on 32×32 RGB', () => {
    expect(rows(DEFAULT_CNN, [32, 32, 3], 3)).to.deep.equal([
      ['conv2d_1', [null, 32, 32, 8], 3 * 3 * 3 * 8 + 8],
      ['max_pooling2d_1', [null, 16, 16, 8], 0],
      ['conv2d_2', [null, 16, 16, 16], 3 * 3 * 8 * 16 + 16],
      ['max_pooling2d_2', [null, 8, 8, 16], 0],
      ['flatten', [null, 8 * 8 * 16], 0],
      ['dense_1', [null, 32], 1024 * 32 + 32],
      ['output', [null, 3], 32 * 3 + 3],
    ]);
  });

  it('plans the CNN preset on 64×64 grayscale and 28×28 RGB', () => {
    const big = rows(DEFAULT_CNN, [64, 64, 1], 2);
    expect(big[0]).to.deep.equal(['conv2d_1', [null, 64, 64, 8], 3 * 3 * 1 * 8 + 8]);
    expect(big[4]).to.deep.equal(['flatten', [null, 16 * 16 * 16], 0]);
    expect(big[5]).to.deep.equal(['dense_1', [null, 32], 4096 * 32 + 32]);
    const small = rows(DEFAULT_CNN, [28, 28, 3], 5);
    expect(small[0]).to.deep.equal(['conv2d_1', [null, 28, 28, 8], 3 * 3 * 3 * 8 + 8]);
    expect(small[4]).to.deep.equal(['flatten', [null, 7 * 7 * 16], 0]);
  });

  it('allows the most convolution blocks the form offers on every image size', () => {
    const deep: CnnSpec = { ...DEFAULT_CNN, filters: Array(LIMITS.maxConvBlocks).fill(4) };
    for (const input of [[28, 28, 3], [32, 32, 3], [64, 64, 1]]) {
      expect(validateModelSpec(deep, 'image', 'own images')).to.deep.equal({});
      const plan = planArchitecture(deep, input, 2);
      const flatten = plan.layers.find((l) => l.name === 'flatten')!;
      const side = Math.floor(input[0] / 2 ** LIMITS.maxConvBlocks);
      expect(flatten.outputShape).to.deep.equal([null, side * side * 4]);
    }
  });

  it('the MLP flattens an image into one vector first', () => {
    expect(rows(DEFAULT_MLP, [32, 32, 3], 4)).to.deep.equal([
      ['flatten', [null, 3072], 0],
      ['dense_1', [null, 16], 3072 * 16 + 16],
      ['dense_2', [null, 16], 16 * 16 + 16],
      ['output', [null, 4], 16 * 4 + 4],
    ]);
  });

  it('the real tfjs models match the plans and predict one row per image', async () => {
    await tf.setBackend('cpu');
    const cases: [ModelSpec, number[]][] = [
      [DEFAULT_CNN, [32, 32, 3]],
      [DEFAULT_CNN, [64, 64, 1]],
      [DEFAULT_CNN, [28, 28, 3]],
      [DEFAULT_MLP, [32, 32, 3]],
    ];
    for (const [spec, input] of cases) {
      const model = buildModel(spec, input, 3, 1);
      try {
        expect(describeModel(model), `${spec.kind} ${input}`).to.deep.equal(planArchitecture(spec, input, 3).layers);
        const out = tf.tidy(() => model.predict(tf.zeros([2, ...input])) as tf.Tensor);
        expect(out.shape).to.deep.equal([2, 3]);
        out.dispose();
      } finally {
        model.dispose();
      }
    }
  });
});
