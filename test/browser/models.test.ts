import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { planArchitecture } from '../../src/training/architecture';
import { buildModel, describeModel } from '../../src/training/models';
import type { ModelSpec } from '../../src/training/types';

const cases: { title: string; spec: ModelSpec; input: number[]; classes: number }[] = [
  { title: 'MLP with dropout', spec: { kind: 'mlp', hidden: [8, 4], activation: 'relu', dropout: 0.2 }, input: [2], classes: 3 },
  { title: 'MLP on images', spec: { kind: 'mlp', hidden: [6], activation: 'sigmoid', dropout: 0 }, input: [6, 6, 1], classes: 4 },
  {
    title: 'CNN with dense and dropout',
    spec: { kind: 'cnn', filters: [4, 8], kernelSize: 3, dense: 16, activation: 'relu', dropout: 0.5 },
    input: [8, 8, 1],
    classes: 10,
  },
  {
    title: 'CNN on odd RGB input, kernel 5, no dense',
    spec: { kind: 'cnn', filters: [3], kernelSize: 5, dense: 0, activation: 'tanh', dropout: 0 },
    input: [7, 5, 3],
    classes: 2,
  },
];

async function weightsOf(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

describe('buildModel / describeModel', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  for (const c of cases) {
    it(`${c.title}: the pure plan equals the real tfjs model layer by layer`, () => {
      const model = buildModel(c.spec, c.input, c.classes, 1);
      try {
        const plan = planArchitecture(c.spec, c.input, c.classes);
        expect(describeModel(model)).to.deep.equal(plan.layers);
        expect(model.countParams()).to.equal(plan.totalParams);
        const last = model.layers[model.layers.length - 1];
        expect(last.name).to.equal('output');
        expect((last.getConfig() as { activation: string }).activation).to.equal('softmax');
      } finally {
        model.dispose();
      }
    });
  }

  it('the same seed gives the same initial weights, another seed different ones', async () => {
    const spec = cases[2].spec;
    const a = buildModel(spec, [8, 8, 1], 10, 7);
    const b = buildModel(spec, [8, 8, 1], 10, 7);
    const c = buildModel(spec, [8, 8, 1], 10, 8);
    try {
      const [wa, wb, wc] = await Promise.all([weightsOf(a), weightsOf(b), weightsOf(c)]);
      expect(wa).to.deep.equal(wb);
      // every kernel differs (biases start at zero in both)
      const kernels = (w: number[][]) => w.filter((_, i) => i % 2 === 0);
      kernels(wa).forEach((k, i) => expect(k).to.not.deep.equal(kernels(wc)[i]));
      // and layers of one model do not share a seed
      expect(kernels(wa)[0].slice(0, 5)).to.not.deep.equal(kernels(wa)[1].slice(0, 5));
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('refuses impossible shapes before touching tfjs', () => {
    const before = tf.memory().numTensors;
    expect(() => buildModel({ kind: 'cnn', filters: [4], kernelSize: 3, dense: 0, activation: 'relu', dropout: 0 }, [2], 3, 1)).to.throw(
      /CNN needs image input/,
    );
    expect(tf.memory().numTensors).to.equal(before);
  });
});
