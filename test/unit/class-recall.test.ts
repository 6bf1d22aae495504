// Per-class validation recall (issue 12, learning dynamics): the backend counts of correct rows per
// true class, summed by evaluate() with its other stats, against counts worked out by hand.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { classCorrectCounts, classRecall } from '../../src/training/class-recall';
import { evaluate, uploadPart } from '../../src/training/trainer-ops';
import type { SplitPart } from '../../src/training/types';

const noTick = () => Promise.resolve();

describe('per-class recall', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('counts the rows of each true class whose arg-max is that class', () => {
    // true: 0 0 1 1 2; predicted: 0 1 1 1 0
    const probs = tf.tensor2d([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.3, 0.4, 0.3], [0.5, 0.2, 0.3]]);
    const y = tf.oneHot(tf.tensor1d([0, 0, 1, 1, 2], 'int32'), 3);
    const counts = classCorrectCounts(probs, y);
    expect(Array.from(counts.dataSync())).to.deep.equal([1, 2, 0]);
    tf.dispose([probs, y, counts]);
  });

  it('is the percentage of each class, null for a class with no rows', () => {
    expect(classRecall([1, 2, 0, 0], [2, 2, 4, 0])).to.deep.equal([50, 100, 0, null]);
    expect(() => classRecall([1], [1, 2])).to.throw(RangeError, 'class recall: 1 correct counts for 2 classes');
  });

  it('evaluate() sums the counts over batches with its loss and accuracy, read once, leaking no tensor', async () => {
    // A fixed linear model on 2 features: the arg-max is the larger feature (class 0 or 1), class 2 never wins.
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax', useBias: false, weights: [tf.tensor2d([[1, 0, -5], [0, 1, -5]])] })] });
    const rows = [[3, 0], [2, 1], [0, 4], [1, 0], [0, 2], [5, 1], [1, 3]];
    const labels = [0, 0, 1, 1, 2, 2, 1]; // predicted: 0 0 1 0 1 0 1
    const part: SplitPart = { x: Float32Array.from(rows.flat()), y: Int32Array.from(labels), n: rows.length, indices: Int32Array.from(rows.keys()), classCounts: [2, 3, 2] };
    const uploaded = uploadPart(part, [2], 3);
    const before = tf.memory().numTensors;
    const ev = await evaluate(model, uploaded, 3, noTick, false, true);
    expect(tf.memory().numTensors).to.equal(before);
    expect(ev.correct).to.equal(4);
    expect(ev.classCorrect).to.deep.equal([2, 2, 0]);
    expect(classRecall(ev.classCorrect!, part.classCounts)).to.deep.equal([100, (100 * 2) / 3, 0]);
    const plain = await evaluate(model, uploaded, 3, noTick);
    expect(plain.classCorrect).to.equal(undefined);
    expect(plain.loss).to.be.closeTo(ev.loss, 1e-6);
    tf.dispose([uploaded.x, uploaded.y]);
    model.dispose();
  });
});
