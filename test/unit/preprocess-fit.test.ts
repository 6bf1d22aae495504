// prepareTable's fitting: train rows only (no leak from validation or test), scaling, one-hot
// categories and their cap, unseen categories; transformRow reproduces the dataset's rows.
import { expect } from '@esm-bundle/chai';
import { prepareTable, transformRow } from '../../src/training/datasets/table/preprocess';
import type { FittedPreprocessing, PreparedTable } from '../../src/training/datasets/table/preprocess-types';
import type { ParsedTable, TableChoice } from '../../src/training/datasets/table/table';
import { profileTable } from '../../src/training/datasets/table/profile';
import { choice, expectRefusal, makeTable, mean, people, RATIOS } from './preprocess-fixtures';

const prep = (t: ParsedTable, over: Partial<TableChoice> = {}) => prepareTable(t, profileTable(t), choice(t, over), RATIOS, 5);
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const column = (p: PreparedTable, part: 'train' | 'val' | 'test', j: number) => {
  const d = p.dataset.inputShape[0];
  return Array.from(p.split[part].x).filter((_, i) => i % d === j);
};
const cellsOf = (t: ParsedTable, r: number): Record<string, string> => Object.fromEntries(t.header.map((h, c) => [h, t.columns[c][r]]));

/** people(90) with a few missing ages, one in every 15 rows. */
function withGaps(): ParsedTable {
  const t = people(90, 7);
  for (let r = 0; r < 90; r += 15) t.columns[0][r] = '';
  return t;
}

describe('prepareTable: fitted on the train rows only', () => {
  const over: Partial<TableChoice> = { categorical: ['color'], missing: 'impute' };

  it('validation and test values do not reach the scaler, the imputer or the categories', () => {
    const t = withGaps();
    const a = prep(t, over);
    const outside = [...a.split.val.indices, ...a.split.test.indices]; // no row dropped: dataset row = table row
    const t2 = structuredClone(t);
    for (const r of outside) {
      t2.columns[0][r] = r % 3 === 0 ? '' : String(Number(t.columns[0][r] || 1) * 1000 + 1e6);
      t2.columns[1][r] = '-5000';
      t2.columns[2][r] = 'purple';
    }
    const b = prep(t2, over);
    expect(Array.from(b.split.train.indices)).to.deep.equal(Array.from(a.split.train.indices));
    expect(b.preprocessing.inputs).to.deep.equal(a.preprocessing.inputs);
    expect(b.split.train.x).to.deep.equal(a.split.train.x);
    expect(column(b, 'val', 1)).to.not.deep.equal(column(a, 'val', 1)); // val/test did change, and were transformed
  });

  it('the fitted mean, std and imputed value are those of the train rows, computed here independently', () => {
    const t = withGaps();
    const p = prep(t, over);
    const trainCells = Array.from(p.split.train.indices, (r) => t.columns[0][r]);
    const observed = trainCells.filter((c) => c !== '').map(Number);
    expect(trainCells.length - observed.length, 'train rows with a missing age').to.be.greaterThan(0);
    const filled = trainCells.map((c) => (c === '' ? mean(observed) : Number(c)));
    const age = p.preprocessing.inputs[0];
    if (age.kind !== 'numeric' || age.scaler.scaling !== 'standard') throw new Error('age: standard numeric expected');
    expect(age.impute).to.be.closeTo(mean(observed), 1e-9);
    expect(age.scaler.mean).to.be.closeTo(mean(filled), 1e-9);
    expect(age.scaler.std).to.be.closeTo(std(filled), 1e-9);
    expect(mean(column(p, 'train', 0))).to.be.closeTo(0, 1e-6);
    expect(std(column(p, 'train', 0))).to.be.closeTo(1, 1e-6);
    const valRow = p.split.val.indices.find((r) => t.columns[0][r] !== '')!;
    const i = Array.from(p.split.val.indices).indexOf(valRow);
    expect(column(p, 'val', 0)[i]).to.be.closeTo((Number(t.columns[0][valRow]) - mean(filled)) / std(filled), 1e-5);
  });
});

describe('prepareTable: scaling', () => {
  it("'minmax' maps the train range onto [0, 1]; val and test may fall outside", () => {
    const t = people(60);
    const p = prep(t, { categorical: ['color'], scaling: 'minmax' });
    const trainAge = column(p, 'train', 0);
    expect(Math.min(...trainAge)).to.equal(0);
    expect(Math.max(...trainAge)).to.equal(1);
    const age = p.preprocessing.inputs[0];
    const raw = Array.from(p.split.train.indices, (r) => Number(t.columns[0][r]));
    expect(age).to.deep.equal({ column: 'age', kind: 'numeric', impute: null, scaler: { scaling: 'minmax', min: Math.min(...raw), max: Math.max(...raw) } });
  });

  it("'none' keeps the numbers; a constant column gets std 1 and range 1", () => {
    const t = people(30);
    const none = prep(t, { categorical: ['color'], scaling: 'none' });
    expect(column(none, 'train', 0)).to.deep.equal(Array.from(none.split.train.indices, (r) => Number(t.columns[0][r])));
    t.columns[1].fill('170.5');
    const standard = prep(t, { categorical: ['color'] });
    expect(standard.preprocessing.inputs[1]).to.deep.include({ scaler: { scaling: 'standard', mean: 170.5, std: 1 } });
    expect(column(standard, 'test', 1).every((v) => v === 0)).to.equal(true);
    const minmax = prep(t, { categorical: ['color'], scaling: 'minmax' });
    expect(column(minmax, 'val', 1).every((v) => v === 0)).to.equal(true);
  });
});

describe('prepareTable: categories', () => {
  it('one-hot encodes train categories in natural order, with a cap', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`size${[10, 2, 1][i % 3]}`, ['a', 'b'][i % 2]]);
    const t = makeTable(['size', 'label'], rows);
    const p = prep(t, { categorical: ['size'] });
    expect(p.preprocessing.outputNames).to.deep.equal(['size=size1', 'size=size2', 'size=size10']);
    p.split.train.indices.forEach((r, i) => {
      const hot = Array.from(p.split.train.x.subarray(i * 3, i * 3 + 3));
      expect(hot).to.deep.equal([1, 2, 10].map((n) => (rows[r][0] === `size${n}` ? 1 : 0)));
    });
    expectRefusal(
      () => prep(t, { categorical: ['size'], maxCategories: 2 }),
      'categorical column "size" has 3 categories in the training split, more than the limit of 2: raise the limit, or leave the column out',
    );
  });

  it('a category unseen in train encodes as all zeros, as recorded', () => {
    const t = people(45);
    const a = prep(t, { categorical: ['color'] });
    const row = a.split.test.indices[0];
    t.columns[2][row] = 'purple';
    const p = prep(t, { categorical: ['color'] });
    expect(p.preprocessing.unseenCategory).to.equal('all zeros');
    expect(p.preprocessing.inputs[2]).to.deep.include({ categories: ['blue', 'green', 'red'] });
    expect(Array.from(p.dataset.features.subarray(row * 5 + 2, row * 5 + 5))).to.deep.equal([0, 0, 0]);
    expect(Array.from(transformRow(p.preprocessing, { age: '30', height: '160', color: 'teal' }).subarray(2))).to.deep.equal([0, 0, 0]);
  });
});

describe('transformRow', () => {
  it("reproduces every row of the dataset from the table's text cells", () => {
    const t = withGaps();
    t.columns[0][7] = 'old';
    for (const [over, kept] of [[{ missing: 'impute' }, 90], [{ missing: 'drop', scaling: 'minmax' }, 83]] as const) {
      const p = prep(t, { categorical: ['color'], notNumbersAsMissing: true, ...over });
      expect(p.dataset.numSamples).to.equal(kept);
      const d = p.dataset.inputShape[0];
      const rows = Array.from({ length: 90 }, (_, r) => r).filter((r) => over.missing === 'impute' || (t.columns[0][r] !== '' && r !== 7));
      rows.forEach((r, i) => expect(transformRow(p.preprocessing, cellsOf(t, r)), `row ${r}`).to.deep.equal(p.dataset.features.slice(i * d, (i + 1) * d)));
    }
  });

  it('survives JSON: the preprocessing is plain data, and transforms the same after a round trip', () => {
    const t = withGaps();
    const p = prep(t, { categorical: ['color'], missing: 'impute' });
    const json = JSON.stringify(p.preprocessing);
    const back = JSON.parse(json) as FittedPreprocessing;
    expect(back).to.deep.equal(p.preprocessing);
    const typed = (v: unknown): boolean => ArrayBuffer.isView(v) || (typeof v === 'object' && v !== null && Object.values(v).some(typed));
    expect(typed(p.preprocessing)).to.equal(false);
    expect(transformRow(back, cellsOf(t, 0))).to.deep.equal(p.dataset.features.slice(0, 5));
  });

  it('refuses cells it cannot encode, and reads an absent column as missing', () => {
    const t = people(30);
    const dropped = prep(t, { categorical: ['color'] }).preprocessing;
    expectRefusal(() => transformRow(dropped, { age: '', height: '170', color: 'red' }), 'column "age" is missing: rows with missing values were dropped in training, so there is no value to fill in');
    expectRefusal(() => transformRow(dropped, { height: '170', color: 'red' }), /^column "age" is missing/);
    expectRefusal(() => transformRow(dropped, { age: 'NA', height: '170', color: 'red' }), 'column "age" is missing ("NA"): rows with missing values were dropped in training, so there is no value to fill in');
    expectRefusal(() => transformRow(dropped, { age: 'old', height: '170', color: 'red' }), 'column "age": "old" is not a number');
    const imputed = prep(t, { categorical: ['color'], missing: 'impute', notNumbersAsMissing: true }).preprocessing;
    const age = imputed.inputs[0];
    if (age.kind !== 'numeric' || age.scaler.scaling !== 'standard' || age.impute === null) throw new Error('age: imputed standard numeric expected');
    const expected = (age.impute - age.scaler.mean) / age.scaler.std;
    expect(transformRow(imputed, { age: 'old', height: '170', color: 'red' })[0]).to.equal(Math.fround(expected));
    expect(transformRow(imputed, { height: '170', color: 'red' })[0]).to.equal(Math.fround(expected));
  });

  it('takes column names that are JavaScript property names as plain data', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [String(i), ['x', 'y'][i % 2], ['a', 'b'][i % 2]]);
    const t = makeTable(['__proto__', 'constructor', 'label'], rows);
    const p = prep(t, { categorical: ['constructor'] });
    expect(p.preprocessing.outputNames).to.deep.equal(['__proto__', 'constructor=x', 'constructor=y']);
    expect(transformRow(p.preprocessing, cellsOf(t, 3))).to.deep.equal(p.dataset.features.slice(9, 12));
    expectRefusal(() => transformRow(p.preprocessing, {}), /^column "__proto__" is missing/);
  });
});
