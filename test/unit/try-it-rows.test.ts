import { expect } from '@esm-bundle/chai';
import { TableError } from '../../src/training/datasets/table/table-error';
import { encodeRow, encodeTable, standardizedPreprocessing } from '../../src/training/inference-rows';
import { predictionsCsv } from '../../src/training/inference-csv';
import { makeSplit } from '../helpers/run-fixtures';
import { tablePreprocessing } from '../fixtures/own-data-records';

const iris = () => standardizedPreprocessing(['sepal_length', 'petal_length'], { mean: [5.8, 3.7], std: [0.8, 1.75] }, makeSplit());

describe('a typed row or a table file → the model inputs', () => {
  it("a built-in set: standardised with the train split's mean and std", () => {
    const { x, notes } = encodeRow(iris(), { sepal_length: '6.6', petal_length: ' 0.2 ' });
    expect(x[0]).to.be.closeTo((6.6 - 5.8) / 0.8, 1e-6);
    expect(x[1]).to.be.closeTo((0.2 - 3.7) / 1.75, 1e-6);
    expect(notes).to.deep.equal([]);
  });

  it('a missing value that training never filled in, and a word for a number: named errors', () => {
    expect(() => encodeRow(iris(), { sepal_length: '6.6' })).to.throw(TableError, '"petal_length" is empty: give a value');
    expect(() => encodeRow(iris(), { sepal_length: 'six', petal_length: '1' })).to.throw(TableError, 'column "sepal_length": "six" is not a number');
  });

  it("a person's table: imputed values and unseen categories are said, one-hot and scaling as fitted", () => {
    const pre = tablePreprocessing();
    const { x, notes } = encodeRow(pre, { age: '', bmi: '29,6', smoker: 'yes', region: 'mars' });
    expect(Array.from(x.slice(0, 2))).to.deep.equal([0, Math.fround((29.6 - 26.60000000000001) / 2.958331309696572)]);
    expect(Array.from(x.slice(2))).to.deep.equal([0, 1, 0, 0, 0, 0]); // smoker=yes; mars is no region seen
    expect(notes).to.deep.equal([
      '"age" is empty: filled with 42.10344827586207 from the training rows',
      '"region" = "mars" never occurred in training: it counts as none of the 4 categories',
    ]);
  });

  it('a table file: one input row per row; a missing column or bad rows name themselves', () => {
    const pre = iris();
    const table = { header: ['petal_length', 'sepal_length', 'species'], columns: [['1.4', '4.5'], ['5.1', '6.0'], ['setosa', '']], rowCount: 2, rowNumbers: Int32Array.from([2, 3]) };
    const x = encodeTable(pre, table);
    expect(x.length).to.equal(4);
    expect(x[2]).to.be.closeTo((6.0 - 5.8) / 0.8, 1e-6);
    expect(() => encodeTable(pre, { ...table, header: ['petal_length', 'width', 'species'] })).to.throw(TableError, 'the file has no column "sepal_length" (its columns: petal_length, width, species)');
    const bad = { ...table, columns: [['1.4', 'x'], ['', '6.0'], ['a', 'b']] };
    expect(() => encodeTable(pre, bad)).to.throw(TableError, /^2 rows cannot be predicted: row 2: "?.*sepal_length.*; row 3: column "petal_length": "x" is not a number$/);
  });

  it('the predictions CSV: input cells, predicted class by name, confidence, one probability column per class', () => {
    const p = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]);
    const csv = predictionsCsv({ header: ['file'], rows: [['a.png'], ['=b.png']] }, p, ['cat', 'dog', 'fish']);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).to.equal('file,predicted_class,confidence,prob_cat,prob_dog,prob_fish');
    expect(lines[1]).to.equal(`a.png,dog,${Math.fround(0.7)},${Math.fround(0.1)},${Math.fround(0.7)},${Math.fround(0.2)}`);
    expect(lines[2].startsWith("'=b.png,cat,0.5,")).to.equal(true); // formula injection neutralised
    expect(lines).to.have.length(3);
    expect(() => predictionsCsv({ header: ['file'], rows: [['a']] }, p, ['cat', 'dog', 'fish'])).to.throw(RangeError);
  });
});
