// prepareTable: checking the choice, labels and classes, cells that are not numbers, missing values
// (drop vs impute, counted), and the split. Fitting, leakage and transformRow: preprocess-fit.test.ts.
import { expect } from '@esm-bundle/chai';
import { MAX_CLASSES } from '../../src/training/datasets/table/preprocess-types';
import { readTable } from '../../src/training/datasets/table/csv-read';
import { prepareTable, transformRow } from '../../src/training/datasets/table/preprocess';
import type { ParsedTable, TableChoice } from '../../src/training/datasets/table/table';
import { SplitError, stratifiedSplitIndices } from '../../src/training/split';
import { profileTable } from '../../src/training/datasets/table/profile';
import { choice, expectRefusal, makeTable, mean, people, RATIOS } from './preprocess-fixtures';

const prep = (t: ParsedTable, over: Partial<TableChoice> = {}, seed = 1) => prepareTable(t, profileTable(t), choice(t, over), RATIOS, seed);

describe('prepareTable: the choice', () => {
  const t = people(30);
  const refuse = (over: Partial<TableChoice>, message: string) => expectRefusal(() => prep(t, over), message);

  it('refuses, by name, what the table does not have or the choice contradicts', () => {
    refuse({ label: 'kind' }, 'label column "kind" is not in the table (columns: age, height, color, label)');
    refuse({ features: ['age', 'weight'] }, 'feature column "weight" is not in the table (columns: age, height, color, label)');
    refuse({ features: ['age', 'label'] }, 'column "label" is the label; it cannot also be a feature');
    refuse({ features: [] }, 'choose at least one feature column besides the label');
    refuse({ features: ['age', 'age'] }, 'feature column "age" is chosen twice');
    refuse({ features: ['age'], categorical: ['color'] }, 'categorical column "color" is not among the features (age)');
    refuse({ scaling: 'robust' as never }, 'scaling must be one of standard, minmax, none (got robust)');
    refuse({ missing: 'zero' as never }, 'missing values must be handled by one of drop, impute (got zero)');
    refuse({ maxCategories: 0 }, 'the category limit must be an integer ≥ 1 (got 0)');
    const twice = makeTable(['x', 'x', 'label'], [['1', '2', 'a']]);
    expectRefusal(() => prep(twice, { features: ['x'] }), 'feature column "x" is ambiguous: columns 1 and 2 both have that name');
  });

  it('gives a tabular "file" dataset named after the file, and its split along the same rows', () => {
    const p = prep(t, { categorical: ['color'] });
    expect(p.dataset).to.include({ id: 'file', kind: 'tabular', name: 'people.csv', numSamples: 30 });
    expect(p.dataset.source).to.equal(`file:people.csv sha256=${'ab'.repeat(32)}`);
    expect(p.dataset.inputShape).to.deep.equal([5]);
    expect(p.preprocessing.outputNames).to.deep.equal(['age', 'height', 'color=blue', 'color=green', 'color=red']);
    expect(p.split).to.include({ datasetId: 'file', kind: 'tabular', seed: 1 });
    const indices = stratifiedSplitIndices(p.dataset.labels, p.dataset.classNames, RATIOS, 1);
    for (const part of ['train', 'val', 'test'] as const) {
      const s = p.split[part];
      expect(Array.from(s.indices)).to.deep.equal(indices[part]);
      s.indices.forEach((row, i) => {
        expect(s.y[i]).to.equal(p.dataset.labels[row]);
        expect(Array.from(s.x.subarray(i * 5, i * 5 + 5))).to.deep.equal(Array.from(p.dataset.features.subarray(row * 5, row * 5 + 5)));
      });
      expect(p.counts[part]).to.equal(s.n);
    }
    expect(p.split.train.classCounts).to.deep.equal([6, 6, 6]);
    expect(p.counts).to.equal(p.preprocessing.rows);
  });
});

describe('prepareTable: labels and classes', () => {
  it('drops rows without a label before the split, and counts them', () => {
    const t = people(33);
    for (const r of [0, 4, 7]) t.columns[3][r] = r === 7 ? 'NA' : '';
    const p = prep(t);
    expect(p.counts).to.include({ total: 33, droppedNoLabel: 3, droppedMissing: 0, kept: 30 });
    expect(p.dataset.numSamples).to.equal(30);
  });

  it('orders classes naturally, whatever the row order', () => {
    const names = ['class10', 'class2', 'class1', 'class2', 'class10', 'class1'];
    const rows = [...names, ...names].map((n, i) => [String(i), n]);
    const p = prep(makeTable(['x', 'label'], rows));
    expect(p.dataset.classNames).to.deep.equal(['class1', 'class2', 'class10']);
    expect(p.preprocessing.label).to.deep.equal({ column: 'label', classes: ['class1', 'class2', 'class10'] });
    expect(Array.from(p.dataset.labels.subarray(0, 6))).to.deep.equal([2, 1, 0, 1, 2, 0]);
    const numeric = prep(makeTable(['x', 'label'], rows.map(([x, n]) => [x, n.slice(5)])));
    expect(numeric.dataset.classNames).to.deep.equal(['1', '2', '10']);
  });

  it('refuses a single class, too many classes, and a regression target', () => {
    const one = makeTable(['x', 'label'], [['1', 'a'], ['2', 'a'], ['3', ''], ['4', 'a']]);
    expectRefusal(() => prep(one), 'label column "label" has 1 class ("a") in the 3 rows kept; a classifier needs at least 2');
    const many = makeTable(['x', 'label'], Array.from({ length: MAX_CLASSES + 1 }, (_, i) => [String(i), `c${i}`]));
    expectRefusal(() => prep(many), `label column "label" has 1,001 classes; at most 1,000 are supported`);
    const price = makeTable(['x', 'label'], Array.from({ length: 60 }, (_, i) => [String(i), (i * 1.7).toFixed(2)]));
    expect(profileTable(price)[1]).to.include({ type: 'numeric', regressionLike: true });
    expectRefusal(() => prep(price), 'label column "label" looks like a regression target (60 distinct numeric values); this lab trains classifiers');
  });

  it('accepts a numeric label whose values are few, or whole-number codes', () => {
    const halves = makeTable(['x', 'label'], Array.from({ length: 100 }, (_, i) => [String(i), String(0.5 + (i % 20))]));
    expect(prep(halves, {}, 1).dataset.classNames.slice(0, 3)).to.deep.equal(['0.5', '1.5', '2.5']);
    const codes = makeTable(['x', 'label'], Array.from({ length: 120 }, (_, i) => [String(i), String(i % 30)]));
    const p = prepareTable(codes, profileTable(codes), choice(codes), { train: 0.5, val: 0.25, test: 0.25 }, 1);
    expect(p.dataset.classNames).to.have.length(30);
    expect(p.dataset.classNames.slice(8, 12)).to.deep.equal(['8', '9', '10', '11']);
  });

  it('refuses a class too small for the split, naming it and its count', () => {
    const rows = [...Array.from({ length: 20 }, (_, i) => [String(i), 'big']), ['99', 'rare']];
    try {
      const t = makeTable(['x', 'label'], rows);
      prepareTable(t, profileTable(t), choice(t), { train: 0.4, val: 0.3, test: 0.3 }, 1);
      expect.fail('expected a SplitError');
    } catch (e) {
      expect(e).to.be.instanceOf(SplitError);
      expect((e as Error).message).to.equal('class "rare" has 1 sample: too few for one in train at ratio 0.4');
    }
  });
});

describe('prepareTable: cells that are not numbers', () => {
  const prep = (t: ParsedTable, over: Partial<TableChoice> = {}) => prepareTable(t, profileTable(t), choice(t, { categorical: ['color'], ...over }), RATIOS, 1);
  const table = () => {
    const t = people(30);
    t.columns[0][3] = 'forty';
    t.columns[0][9] = '12a';
    t.columns[1][5] = 'tall';
    return t;
  };

  it('are refused, listed with column, row number and value', () => {
    expectRefusal(
      () => prep(table()),
      '3 cells of numeric features are not numbers: column "age" row 5 "forty", column "age" row 11 "12a", column "height" row 7 "tall". Treat them as missing, or make the column categorical.',
    );
    const many = people(30);
    for (let r = 0; r < 7; r++) many.columns[0][r] = `x${r}`;
    expectRefusal(() => prep(many), /^7 cells .* column "age" row 6 "x4", and 2 more\. Treat them/);
  });

  it('are missing when asked: dropped or imputed, and counted', () => {
    const dropped = prep(table(), { notNumbersAsMissing: true });
    expect(dropped.counts.notNumbers).to.deep.equal([{ column: 'age', cells: 2 }, { column: 'height', cells: 1 }]);
    expect(dropped.counts).to.include({ droppedMissing: 3, kept: 27 });
    const imputed = prep(table(), { notNumbersAsMissing: true, missing: 'impute' });
    expect(imputed.counts.kept).to.equal(30);
    const age = imputed.counts.imputed[0];
    expect(age.column).to.equal('age');
    expect(age.train + age.val + age.test).to.equal(2);
  });

  it('come from a decimal-comma file as numbers, and a new row of that file reads the same', async () => {
    const rows = ['1,5', '2,5', '3', '4', '5,25', '6', '-0,5', '8', '9', '1e1'].map((x, i) => `${x};${['a', 'b'][i % 2]}`);
    const t = await readTable(`x;label\n${rows.join('\n')}\n`);
    expect(t.source.decimalComma).to.equal(true);
    const p = prepareTable(t, profileTable(t), choice(t, { scaling: 'none' }), RATIOS, 1);
    expect(Array.from(p.dataset.features)).to.deep.equal([1.5, 2.5, 3, 4, 5.25, 6, -0.5, 8, 9, 10]);
    expect(p.preprocessing.cells.decimalComma).to.equal(true);
    expect(Array.from(transformRow(p.preprocessing, { x: ' 7,75 ' }))).to.deep.equal([7.75]);
  });
});

describe('prepareTable: missing feature values', () => {
  const table = () => {
    const t = people(60, 4);
    for (const r of [1, 2, 3, 10]) t.columns[0][r] = '';
    for (const r of [3, 20]) t.columns[2][r] = 'N/A';
    t.columns[3][30] = ''; // no label: dropped first, not counted as missing features
    t.columns[0][30] = '';
    return t;
  };

  it("'drop' removes rows missing any chosen feature before the split, counted per column", () => {
    const p = prep(table(), { categorical: ['color'] });
    expect(p.counts).to.deep.include({ total: 60, droppedNoLabel: 1, droppedMissing: 5, kept: 54 });
    expect(p.counts.droppedByColumn).to.deep.equal([{ column: 'age', rows: 4 }, { column: 'height', rows: 0 }, { column: 'color', rows: 2 }]);
    expect(p.counts.imputed.every((c) => c.train + c.val + c.test === 0)).to.equal(true);
    expect(p.preprocessing.inputs.every((i) => i.impute === null)).to.equal(true);
    expect(p.counts.train + p.counts.val + p.counts.test).to.equal(54);
  });

  it("'impute' keeps them and fills them with train values, counted per column and split", () => {
    const t = table();
    const p = prep(t, { categorical: ['color'], missing: 'impute' });
    expect(p.counts).to.deep.include({ droppedNoLabel: 1, droppedMissing: 0, kept: 59 });
    const sum = (c: { train: number; val: number; test: number }) => c.train + c.val + c.test;
    expect(p.counts.imputed.map(sum)).to.deep.equal([4, 0, 2]);
    const rowsOf = (part: 'train' | 'val' | 'test') => Array.from(p.split[part].indices, (i) => (i < 30 ? i : i + 1)); // table row of dataset row i
    for (const part of ['train', 'val', 'test'] as const) {
      expect(p.counts.imputed[0][part], part).to.equal(rowsOf(part).filter((r) => t.columns[0][r] === '').length);
    }
    const trainAges = rowsOf('train').map((r) => t.columns[0][r]).filter((c) => c !== '').map(Number);
    expect(p.preprocessing.inputs[0].impute).to.be.closeTo(mean(trainAges), 1e-12);
  });

  it('fills a category with the most frequent in train, ties going to the first in natural order', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ['z', ['x', 'y'][i % 2]]);
    const t = makeTable(['kind', 'label'], rows);
    const c = choice(t, { categorical: ['kind'], missing: 'impute' });
    const { split } = prepareTable(t, profileTable(t), c, RATIOS, 1); // the split depends on the labels alone
    // train: "b", "a", "b", "a"… (a tie, "b" seen first); val and test: "c" but one missing cell
    Array.from(split.train.indices).forEach((r, i) => (rows[r][0] = i % 2 === 0 ? 'b' : 'a'));
    for (const r of [...split.val.indices, ...split.test.indices]) rows[r][0] = 'c';
    rows[split.val.indices[0]][0] = '';
    const t2 = makeTable(['kind', 'label'], rows);
    const p = prepareTable(t2, profileTable(t2), c, RATIOS, 1);
    expect(p.preprocessing.inputs[0]).to.deep.equal({ column: 'kind', kind: 'categorical', impute: 'a', categories: ['a', 'b'] });
    expect(p.counts.imputed).to.deep.equal([{ column: 'kind', train: 0, val: 1, test: 0 }]);
    const row = split.val.indices[0];
    expect(Array.from(p.dataset.features.subarray(row * 2, row * 2 + 2))).to.deep.equal([1, 0]); // imputed "a"
  });

  it('refuses a table left without rows, and a feature without train values', () => {
    const t = people(12);
    t.columns[1].fill('');
    const all = { features: ['age', 'height', 'color'], categorical: ['color'] }; // the profiler proposes no empty column: chosen by hand
    expectRefusal(() => prep(t, all), 'no rows left: each of the 12 labelled rows misses a feature value (column "height" in 12); impute missing values, or leave such columns out');
    expectRefusal(() => prep(t, { ...all, missing: 'impute' }), /^feature column "height" has no values in the \d+ rows of the training split: nothing to fit it on$/);
  });
});
