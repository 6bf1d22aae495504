// The list of misclassified test rows (issue 12, point 2), checked against cases worked by hand.
import { expect } from '@esm-bundle/chai';
import { listMistakes, mistakeCaption, mistakesGallery, mistakesOfCell, MistakesError, sameTestRows, sampleOf, samplesFrom, sortMistakes, STORED_BEFORE_ROWS } from '../../src/app/mistakes';

// 6 test rows, 3 classes: rows 1, 3 and 4 are wrong.
const P = {
  yTrue: Int32Array.from([0, 0, 1, 1, 2, 2]),
  yPred: Int32Array.from([0, 1, 1, 0, 1, 2]),
  probabilities: Float32Array.from([
    0.8, 0.1, 0.1,
    0.3, 0.6, 0.1,
    0.1, 0.8, 0.1,
    0.9, 0.05, 0.05,
    0.2, 0.45, 0.35,
    0.1, 0.1, 0.8,
  ]),
  rowIndex: Int32Array.from([40, 11, 7, 23, 5, 2]),
};

describe('mistakes', () => {
  it('lists the misclassified test rows with true and predicted class, confidence and row index', () => {
    const list = listMistakes(P, 3);
    expect(list.map((m) => ({ ...m, confidence: Number(m.confidence.toFixed(4)) }))).to.deep.equal([
      { position: 1, rowIndex: 11, trueClass: 0, predicted: 1, confidence: 0.6 },
      { position: 3, rowIndex: 23, trueClass: 1, predicted: 0, confidence: 0.9 },
      { position: 4, rowIndex: 5, trueClass: 2, predicted: 1, confidence: 0.45 },
    ]);
    expect(listMistakes({ ...P, rowIndex: undefined }, 3).map((m) => m.rowIndex)).to.deep.equal([null, null, null]);
  });

  it('sorts by confidence either way, ties in test order', () => {
    const list = listMistakes(P, 3);
    expect(sortMistakes(list, 'most-confident').map((m) => m.position)).to.deep.equal([3, 1, 4]);
    expect(sortMistakes(list, 'least-confident').map((m) => m.position)).to.deep.equal([4, 1, 3]);
    const tie = [{ ...list[2], confidence: 0.6 }, list[0]];
    expect(sortMistakes(tie, 'most-confident').map((m) => m.position)).to.deep.equal([1, 4]);
    expect(list.map((m) => m.position)).to.deep.equal([1, 3, 4]); // the input is left as it was
  });

  it('filters by a confusion-matrix cell; null shows all; a diagonal cell has none', () => {
    const list = listMistakes(P, 3);
    expect(mistakesOfCell(list, { trueClass: 2, predicted: 1 }).map((m) => m.position)).to.deep.equal([4]);
    expect(mistakesOfCell(list, { trueClass: 1, predicted: 1 })).to.deep.equal([]);
    expect(mistakesOfCell(list, null)).to.have.length(3);
  });

  it('captions a mistake "true → predicted (confidence %)"', () => {
    expect(mistakeCaption(listMistakes(P, 3)[1], ['cat', 'dog', 'eel'])).to.equal('dog → cat (90.0 %)');
  });

  it('refuses predictions that do not fit together, saying how', () => {
    expect(() => listMistakes({ ...P, yPred: P.yPred.subarray(1) }, 3)).to.throw(MistakesError, 'mistakes: 6 true classes but 5 predictions');
    expect(() => listMistakes(P, 4)).to.throw(MistakesError, 'mistakes: 18 probabilities for 6 rows × 4 classes');
    expect(() => listMistakes({ ...P, rowIndex: Int32Array.from([1]) }, 3)).to.throw(MistakesError, 'mistakes: 1 row indices for 6 test rows');
    expect(() => listMistakes({ ...P, yTrue: Int32Array.from([0, 0, 1, 1, 2, 7]) }, 3)).to.throw(MistakesError, 'class out of range at test row 5');
  });

  it('finds each mistake\'s features by its row index into the dataset', () => {
    const features = Float32Array.from({ length: 30 * 2 }, (_, i) => i);
    const samples = { kind: 'tabular' as const, inputShape: [2], features, by: 'rowIndex' as const };
    const [first] = listMistakes(P, 3);
    expect(Array.from(sampleOf(samples, first)!)).to.deep.equal([22, 23]); // row 11
    expect(sampleOf(samples, { ...first, rowIndex: null })).to.equal(null);
    expect(sampleOf(samples, { ...first, rowIndex: 30 })).to.equal(null);
    expect(Array.from(sampleOf({ ...samples, by: 'position' }, first)!)).to.deep.equal([2, 3]); // test row 1
  });

  it('takes the dataset\'s rows when at hand, else the test split\'s; checks the recorded rows against the split', () => {
    const split = { kind: 'image' as const, inputShape: [2, 2, 1], datasetId: 'mnist' as const, test: { x: new Float32Array(24), indices: P.rowIndex } };
    const dataset = { kind: 'image' as const, inputShape: [2, 2, 1], features: new Float32Array(4 * 41), id: 'mnist' as const };
    expect(samplesFrom({ split, dataset })).to.deep.include({ by: 'rowIndex', features: dataset.features, invert: true });
    expect(samplesFrom({ split, dataset: null })).to.deep.include({ by: 'position', features: split.test.x, invert: true });
    expect(sameTestRows(P.rowIndex, split)).to.equal('');
    expect(sameTestRows(Int32Array.from([40, 11, 7, 23, 2, 5]), split)).to.match(/not the ones this run recorded/);
  });

  it('has no gallery for a run stored before its test rows were recorded', () => {
    const samples = { kind: 'image' as const, inputShape: [1, 1, 1], features: new Float32Array(64), by: 'rowIndex' as const };
    expect(mistakesGallery({ ...P, rowIndex: undefined }, 3, samples)).to.deep.include({ samples: null, unavailable: STORED_BEFORE_ROWS });
    expect(mistakesGallery(P, 3, samples)).to.deep.include({ samples, unavailable: '' });
    expect(mistakesGallery(P, 3, null, 'its data is not kept here').unavailable).to.equal('its data is not kept here');
  });
});
