import { expect } from '@esm-bundle/chai';
import { confusionMatrix, perClassMetrics } from '../../src/training/metrics';

const EPS = 1e-12;
function expectClose(actual: number[], expected: number[], eps = EPS): void {
  expect(actual).to.have.length(expected.length);
  actual.forEach((a, i) => expect(a, `index ${i}`).to.be.closeTo(expected[i], eps));
}

describe('confusionMatrix', () => {
  it('counts rows = true class, columns = predicted class', () => {
    const cm = confusionMatrix([0, 0, 0, 1, 1, 2, 2], Int32Array.from([0, 0, 1, 1, 0, 1, 0]), 3);
    expect(cm).to.deep.equal([
      [2, 1, 0],
      [1, 1, 0],
      [1, 1, 0],
    ]);
  });

  it('is all zeros for empty input', () => {
    expect(confusionMatrix([], [], 2)).to.deep.equal([
      [0, 0],
      [0, 0],
    ]);
  });

  it('throws on length mismatch and on labels out of range', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).to.throw(/length mismatch: 2 true labels, 1 predictions/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).to.throw(/true label out of range at 1: 2/);
    expect(() => confusionMatrix([0, 1], [-1, 1], 2)).to.throw(/predicted label out of range at 0: -1/);
    expect(() => confusionMatrix([0.5], [0], 2)).to.throw(/out of range/);
    expect(() => confusionMatrix([0], [0], 0)).to.throw(/invalid number of classes/);
  });
});

describe('perClassMetrics', () => {
  it('matches hand-computed values, with a class that is never predicted', () => {
    // cm = [[2,1,0],[1,1,0],[1,1,0]]; column sums (predicted) 4, 3, 0; row sums (support) 3, 2, 2; total 7
    // precision: 2/4 = 0.5, 1/3, 0 (class c never predicted: 0, not NaN)
    // recall:    2/3, 1/2, 0/2 = 0
    // f1: a 2·0.5·(2/3)/(0.5+2/3) = (2/3)/(7/6) = 4/7; b 2·(1/3)(1/2)/(5/6) = 2/5; c 0
    // macro: p (0.5+1/3+0)/3 = 5/18, r (2/3+1/2+0)/3 = 7/18, f1 (4/7+2/5)/3 = 34/105
    // weighted: p (3·0.5+2·1/3+2·0)/7 = 13/42, r (3·2/3+2·1/2+0)/7 = 3/7, f1 (3·4/7+2·2/5)/7 = 88/245
    // accuracy (2+1+0)/7 = 42.857…%
    const m = perClassMetrics(
      [
        [2, 1, 0],
        [1, 1, 0],
        [1, 1, 0],
      ],
      ['a', 'b', 'c'],
    );
    expect(m.per_class.class_name).to.deep.equal(['a', 'b', 'c']);
    expectClose(m.per_class.precision, [0.5, 1 / 3, 0]);
    expectClose(m.per_class.recall, [2 / 3, 0.5, 0]);
    expectClose(m.per_class.f1, [4 / 7, 2 / 5, 0]);
    expect(m.per_class.support).to.deep.equal([3, 2, 2]);
    expect(m.macro.precision).to.be.closeTo(5 / 18, EPS);
    expect(m.macro.recall).to.be.closeTo(7 / 18, EPS);
    expect(m.macro.f1).to.be.closeTo(34 / 105, EPS);
    expect(m.weighted.precision).to.be.closeTo(13 / 42, EPS);
    expect(m.weighted.recall).to.be.closeTo(3 / 7, EPS);
    expect(m.weighted.f1).to.be.closeTo(88 / 245, EPS);
    expect(m.accuracy).to.be.closeTo(300 / 7, EPS);
  });

  it('matches hand-computed values, with a class that has no support', () => {
    // yTrue [0,0,2,2], yPred [0,1,2,2] → cm [[1,1,0],[0,0,0],[0,0,2]]; predicted 1,1,2; support 2,0,2
    // precision 1/1, 0/1, 2/2; recall 1/2, 0 (no support: 0, not NaN), 2/2
    // f1: 2·1·0.5/1.5 = 2/3, 0, 1
    // macro: p 2/3, r 1.5/3 = 0.5, f1 (2/3+1)/3 = 5/9
    // weighted (support 2,0,2 of 4): p (2+2)/4 = 1, r (1+2)/4 = 0.75, f1 (2·2/3+2)/4 = 5/6; accuracy 3/4 = 75%
    const cm = confusionMatrix([0, 0, 2, 2], [0, 1, 2, 2], 3);
    const m = perClassMetrics(cm, ['x', 'y', 'z']);
    expectClose(m.per_class.precision, [1, 0, 1]);
    expectClose(m.per_class.recall, [0.5, 0, 1]);
    expectClose(m.per_class.f1, [2 / 3, 0, 1]);
    expect(m.per_class.support).to.deep.equal([2, 0, 2]);
    expectClose([m.macro.precision, m.macro.recall, m.macro.f1], [2 / 3, 0.5, 5 / 9]);
    expectClose([m.weighted.precision, m.weighted.recall, m.weighted.f1], [1, 0.75, 5 / 6]);
    expect(m.accuracy).to.equal(75);
  });

  it('gives zeros, never NaN, for an empty matrix or a class absent everywhere', () => {
    const empty = perClassMetrics(confusionMatrix([], [], 2), ['a', 'b']);
    const values = [
      ...empty.per_class.precision,
      ...empty.per_class.recall,
      ...empty.per_class.f1,
      ...Object.values(empty.macro),
      ...Object.values(empty.weighted),
      empty.accuracy,
    ];
    expect(values.every((v) => v === 0)).to.equal(true);

    // class b: no row, no column → 0 / 0 / 0; a perfect → 1 / 1 / 1; macro halves, weighted = a's
    const m = perClassMetrics(
      [
        [4, 0],
        [0, 0],
      ],
      ['a', 'b'],
    );
    expect(m.per_class.precision).to.deep.equal([1, 0]);
    expect(m.per_class.recall).to.deep.equal([1, 0]);
    expect(m.per_class.f1).to.deep.equal([1, 0]);
    expect(m.macro).to.deep.equal({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(m.weighted).to.deep.equal({ precision: 1, recall: 1, f1: 1 });
    expect(m.accuracy).to.equal(100);
  });

  it('reproduces the reference run lstm_autoencoder_20251129_201505_beat_wise', () => {
    // confusion_matrix and test.per_class_metrics copied from its results_summary.json
    const cm = [
      [11315, 12, 13, 4, 1, 0],
      [48, 274, 5, 0, 1, 0],
      [16, 2, 869, 2, 0, 0],
      [14, 0, 14, 72, 0, 0],
      [7, 0, 0, 0, 1008, 0],
      [5, 0, 0, 0, 0, 0],
    ];
    const names = ['Normal', 'Supraventricular', 'Ventricular', 'Fusion', 'Paced', 'Unknown'];
    const m = perClassMetrics(cm, names);
    expectClose(m.per_class.precision, [0.9921087242437527, 0.9513888888888888, 0.9644839067702553, 0.9230769230769231, 0.998019801980198, 0.0]);
    expectClose(m.per_class.recall, [0.997355663287792, 0.8353658536585366, 0.9775028121484814, 0.72, 0.993103448275862, 0.0]);
    expectClose(m.per_class.f1, [0.9947252747252747, 0.8896103896103896, 0.9709497206703911, 0.8089887640449438, 0.9955555555555555, 0.0]);
    expect(m.per_class.support).to.deep.equal([11345, 328, 889, 100, 1015, 5]);
    expect(m.macro.precision).to.be.closeTo(0.804846374160003, EPS);
    expect(m.macro.recall).to.be.closeTo(0.753887962895112, EPS);
    expect(m.macro.f1).to.be.closeTo(0.7766382841010925, EPS);
    expect(m.accuracy).to.be.closeTo(98.94752229206256, 1e-10); // test_accuracy
  });

  it('rejects a non-square matrix and mismatched class names', () => {
    expect(() => perClassMetrics([[1, 2]], ['a'])).to.throw(/square/);
    expect(() => perClassMetrics([[1]], ['a', 'b'])).to.throw(/2 names, 1 classes/);
  });
});
