import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { balancedClassWeights, classWeightsFor } from '../../src/training/class-weights';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig } from '../../src/training/config';
import { lossTerms } from '../../src/training/trainer-ops';
import type { TrainConfig } from '../../src/training/types';

describe('balanced class weights', () => {
  it("are sklearn's n / (k × n_c), checked against numbers worked by hand", () => {
    // 10 train samples, 3 classes of 6, 3, 1: 10/18, 10/9, 10/3
    const w = balancedClassWeights([6, 3, 1]);
    expect(w[0]).to.be.closeTo(0.5555555555555556, 1e-15);
    expect(w[1]).to.be.closeTo(1.1111111111111112, 1e-15);
    expect(w[2]).to.be.closeTo(3.3333333333333335, 1e-15);
    expect(balancedClassWeights([5, 5])).to.deep.equal([1, 1]);
    // 150 = 100 + 40 + 10 over 3 classes: 0.5, 1.25, 5; each class then weighs n/k = 50 in all
    expect(balancedClassWeights([100, 40, 10])).to.deep.equal([0.5, 1.25, 5]);
  });

  it('refuse a class without train samples, naming it', () => {
    expect(() => balancedClassWeights([4, 0], ['cat', 'dog'])).to.throw(RangeError, 'balanced class weights need train samples of every class: class "dog" has 0');
    expect(() => balancedClassWeights([0, 4])).to.throw(RangeError, 'class 0 has 0');
  });

  it("are none for 'none', and an unknown weighting is refused", () => {
    expect(classWeightsFor('none', [6, 3, 1])).to.equal(null);
    expect(classWeightsFor('balanced', [2, 6])).to.deep.equal([2, 2 / 3]);
    expect(() => classWeightsFor('heavy' as never, [1, 1])).to.throw(RangeError, 'invalid class weights: heavy (expected none or balanced)');
  });

  it("are a validated setting of the training config, 'none' by default", () => {
    expect(DEFAULT_TRAIN_CONFIG.classWeights).to.equal('none');
    const with_ = (classWeights: unknown) => validateTrainConfig({ ...structuredClone(DEFAULT_TRAIN_CONFIG), classWeights } as TrainConfig);
    expect(with_('balanced')).to.deep.equal({});
    expect(with_('heavy')).to.deep.equal({ classWeights: 'class weights must be one of none, balanced (got heavy)' });
    expect(with_(undefined)).to.deep.equal({ classWeights: 'class weights must be one of none, balanced (got undefined)' });
  });
});

describe('weighted cross-entropy terms', () => {
  before(() => tf.setBackend('cpu'));

  it("are Σ wᵢ·lᵢ and Σ wᵢ, PyTorch's CrossEntropyLoss(weight) being their quotient", async () => {
    const probs = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3).toFloat();
    const w = tf.tensor1d([0.5, 1, 3, 0.5]); // each sample's class weight, classes weighing 0.5, 1, 3
    const before = tf.memory().numTensors;
    const weighted = lossTerms(probs, y, w);
    const plain = lossTerms(probs, y, null);
    expect(tf.memory().numTensors - before).to.equal(4);
    const [ws, ww, ps, pw] = await Promise.all([weighted.sum, weighted.weight, plain.sum, plain.weight].map(async (t) => (await t.data())[0]));
    const ln = Math.log;
    expect(ws).to.be.closeTo(-(0.5 * ln(0.7) + 1 * ln(0.8) + 3 * ln(0.4) + 0.5 * ln(0.5)), 1e-5); // 3.49693
    expect(ww).to.equal(5);
    expect(ps).to.be.closeTo(-(ln(0.7) + ln(0.8) + ln(0.4) + ln(0.5)), 1e-5);
    expect(pw).to.equal(4);
    expect(ws / ww).to.be.closeTo(0.69939, 1e-5); // the weighted mean CrossEntropyLoss(weight=[0.5, 1, 3]) gives this batch
    tf.dispose([probs, y, w, weighted.sum, weighted.weight, plain.sum, plain.weight]);
  });
});
