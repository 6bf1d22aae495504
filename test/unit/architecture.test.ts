import { expect } from '@esm-bundle/chai';
import { ArchitectureError, planArchitecture } from '../../src/training/architecture';
import type { CnnSpec, MlpSpec } from '../../src/training/types';

const rows = (spec: Parameters<typeof planArchitecture>[0], input: number[], classes: number) =>
  planArchitecture(spec, input, classes).layers.map((l) => [l.name, l.type, l.outputShape, l.params]);

describe('planArchitecture', () => {
  it('plans an MLP with dropout: shapes and parameter counts by hand', () => {
    const spec: MlpSpec = { kind: 'mlp', hidden: [8, 4], activation: 'relu', dropout: 0.2 };
    expect(rows(spec, [2], 3)).to.deep.equal([
      ['dense_1', 'Dense', [null, 8], 2 * 8 + 8],
      ['dropout_1', 'Dropout', [null, 8], 0],
      ['dense_2', 'Dense', [null, 4], 8 * 4 + 4],
      ['dropout_2', 'Dropout', [null, 4], 0],
      ['output', 'Dense', [null, 3], 4 * 3 + 3],
    ]);
    const plan = planArchitecture(spec, [2], 3);
    expect(plan.totalParams).to.equal(24 + 36 + 15);
    expect(plan.trainableParams).to.equal(75);
    expect(plan.layers.every((l) => l.trainable)).to.equal(true);
  });

  it('flattens image input for an MLP and allows no hidden layer', () => {
    const spec: MlpSpec = { kind: 'mlp', hidden: [5], activation: 'tanh', dropout: 0 };
    expect(rows(spec, [4, 4, 1], 2)).to.deep.equal([
      ['flatten', 'Flatten', [null, 16], 0],
      ['dense_1', 'Dense', [null, 5], 16 * 5 + 5],
      ['output', 'Dense', [null, 2], 5 * 2 + 2],
    ]);
    expect(rows({ kind: 'mlp', hidden: [], activation: 'relu', dropout: 0 }, [4], 3)).to.deep.equal([
      ['output', 'Dense', [null, 3], 15],
    ]);
  });

  it('plans a CNN: same-padded convolutions, 2x2 pooling, flatten, dense, dropout, output', () => {
    const spec: CnnSpec = { kind: 'cnn', filters: [4, 8], kernelSize: 3, dense: 16, activation: 'relu', dropout: 0.5 };
    expect(rows(spec, [8, 8, 1], 10)).to.deep.equal([
      ['conv2d_1', 'Conv2D', [null, 8, 8, 4], 3 * 3 * 1 * 4 + 4],
      ['max_pooling2d_1', 'MaxPooling2D', [null, 4, 4, 4], 0],
      ['conv2d_2', 'Conv2D', [null, 4, 4, 8], 3 * 3 * 4 * 8 + 8],
      ['max_pooling2d_2', 'MaxPooling2D', [null, 2, 2, 8], 0],
      ['flatten', 'Flatten', [null, 32], 0],
      ['dense_1', 'Dense', [null, 16], 32 * 16 + 16],
      ['dropout_1', 'Dropout', [null, 16], 0],
      ['output', 'Dense', [null, 10], 16 * 10 + 10],
    ]);
    expect(planArchitecture(spec, [8, 8, 1], 10).totalParams).to.equal(40 + 296 + 528 + 170);
  });

  it('floors odd sizes when pooling and counts input channels in the kernel', () => {
    const spec: CnnSpec = { kind: 'cnn', filters: [2], kernelSize: 5, dense: 0, activation: 'elu', dropout: 0 };
    expect(rows(spec, [7, 5, 3], 2)).to.deep.equal([
      ['conv2d_1', 'Conv2D', [null, 7, 5, 2], 5 * 5 * 3 * 2 + 2],
      ['max_pooling2d_1', 'MaxPooling2D', [null, 3, 2, 2], 0],
      ['flatten', 'Flatten', [null, 12], 0],
      ['output', 'Dense', [null, 2], 12 * 2 + 2],
    ]);
  });

  it('accepts 4 pooling blocks on 28x28 and rejects a 5th with a readable error', () => {
    const cnn = (filters: number[]): CnnSpec => ({ kind: 'cnn', filters, kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 });
    const four = planArchitecture(cnn([4, 4, 4, 4]), [28, 28, 1], 10);
    expect(four.layers.find((l) => l.name === 'max_pooling2d_4')?.outputShape).to.deep.equal([null, 1, 1, 4]);
    expect(() => planArchitecture(cnn([4, 4, 4, 4, 4]), [28, 28, 1], 10)).to.throw(ArchitectureError, /too many pooling blocks for 28x28/);
  });

  it('rejects a CNN on tabular input, bad sizes and fewer than 2 classes', () => {
    const cnn: CnnSpec = { kind: 'cnn', filters: [4], kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 };
    expect(() => planArchitecture(cnn, [4], 3)).to.throw(ArchitectureError, /CNN needs image input/);
    const mlp: MlpSpec = { kind: 'mlp', hidden: [0], activation: 'relu', dropout: 0 };
    expect(() => planArchitecture(mlp, [2], 3)).to.throw(ArchitectureError, /hidden layer 1 size: 0/);
    expect(() => planArchitecture({ ...mlp, hidden: [4], dropout: 1 }, [2], 3)).to.throw(/dropout rate: 1/);
    expect(() => planArchitecture({ ...mlp, hidden: [4] }, [2], 1)).to.throw(/at least 2 classes/);
  });
});
