import { expect } from '@esm-bundle/chai';
import { parseCsvDataset, sortClassNames } from '../../src/training/datasets/csv';
import { DatasetError } from '../../src/training/datasets/errors';
import { loadIris } from '../../src/training/datasets/iris';
import type { Dataset } from '../../src/training/types';

const opts = { id: 'iris' as const, name: 'Test', source: 'test.csv' };
const parse = (text: string, labelColumn?: string): Dataset => parseCsvDataset(text, { ...opts, labelColumn });
const row = (ds: Dataset, i: number): number[] => Array.from(ds.features.subarray(i * ds.inputShape[0], (i + 1) * ds.inputShape[0]));

function expectError(fn: () => unknown, message: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DatasetError);
    expect((e as Error).name).to.equal('DatasetError');
    if (typeof message === 'string') expect((e as Error).message).to.equal(message);
    else expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected DatasetError: ${message}`);
}

describe('Iris', () => {
  let iris: Dataset;
  let text: string;
  before(async () => {
    iris = await loadIris(fetch, '/public/');
    text = await (await fetch('/public/datasets/iris.csv')).text();
  });

  it('has 150 rows, 4 features, 50 per class', () => {
    expect(iris.numSamples).to.equal(150);
    expect(iris.inputShape).to.deep.equal([4]);
    expect(iris.kind).to.equal('tabular');
    expect(iris.id).to.equal('iris');
    expect(iris.source).to.equal('public/datasets/iris.csv');
    expect(iris.features.length).to.equal(600);
    expect(iris.classNames).to.deep.equal(['setosa', 'versicolor', 'virginica']);
    const counts = [0, 0, 0];
    iris.labels.forEach((l) => counts[l]++);
    expect(counts).to.deep.equal([50, 50, 50]);
  });

  it('has the known first and last rows and class means', () => {
    expect(row(iris, 0).map((v) => +v.toFixed(1))).to.deep.equal([5.1, 3.5, 1.4, 0.2]);
    expect(iris.labels[0]).to.equal(0);
    expect(row(iris, 149).map((v) => +v.toFixed(1))).to.deep.equal([5.9, 3.0, 5.1, 1.8]);
    expect(iris.labels[149]).to.equal(2);
    const means = [0, 1, 2].map((c) => {
      const m = [0, 0, 0, 0];
      for (let i = 0; i < 150; i++) if (iris.labels[i] === c) row(iris, i).forEach((v, j) => (m[j] += v / 50));
      return m.map((v) => +v.toFixed(3));
    });
    expect(means).to.deep.equal([
      [5.006, 3.428, 1.462, 0.246],
      [5.936, 2.77, 4.26, 1.326],
      [6.588, 2.974, 5.552, 2.026],
    ]);
  });

  it('reports a missing file', async () => {
    let err: unknown;
    await loadIris(fetch, '/nowhere/').catch((e) => (err = e));
    expect(err).to.be.instanceOf(DatasetError);
    expect((err as Error).message).to.match(/could not load the Iris data set from \/nowhere\/datasets\/iris.csv: HTTP 404/);
  });

  it('names row and column of a non-numeric value', () => {
    const lines = text.split('\n');
    lines[16] = lines[16].replace(/,[^,]*,([a-z]+)$/, ',abc,$1');
    expectError(() => parse(lines.join('\n')), 'row 17, column "petal_width": "abc" is not a number');
  });
});

describe('parseCsvDataset', () => {
  it('reads features and labels, the last column by default', () => {
    const ds = parse('a,b,label\n1,2,x\n3,4.5,y\n-1e-3,0,x\n');
    expect(ds.inputShape).to.deep.equal([2]);
    expect(ds.numSamples).to.equal(3);
    expect(Array.from(ds.features)).to.deep.equal([1, 2, 3, 4.5, Math.fround(-1e-3), 0]);
    expect(Array.from(ds.labels)).to.deep.equal([0, 1, 0]);
    expect(ds.classNames).to.deep.equal(['x', 'y']);
    expect(ds.name).to.equal('Test');
    expect(ds.source).to.equal('test.csv');
  });

  it('takes a named label column from anywhere', () => {
    const ds = parse('kind,a,b\nb,1,2\na,3,4\n', 'kind');
    expect(Array.from(ds.features)).to.deep.equal([1, 2, 3, 4]);
    expect(ds.classNames).to.deep.equal(['a', 'b']); // sorted, not in order of appearance
    expect(Array.from(ds.labels)).to.deep.equal([1, 0]);
  });

  it('sorts numeric labels numerically, others by code unit', () => {
    expect(sortClassNames(['10', '2', '1', '2'])).to.deep.equal(['1', '2', '10']);
    expect(sortClassNames(['b', 'B', 'a'])).to.deep.equal(['B', 'a', 'b']);
  });

  it('tolerates a BOM, CRLF, spaces and blank lines', () => {
    const ds = parse('\uFEFFa , b,c\r\n1, 2 ,x\r\n\r\n3,4,y\r\n\r\n');
    expect(ds.numSamples).to.equal(2);
    expect(Array.from(ds.features)).to.deep.equal([1, 2, 3, 4]);
    expect(ds.classNames).to.deep.equal(['x', 'y']);
  });

  it('rejects malformed input with messages naming the place', () => {
    expectError(() => parse(''), 'the CSV file is empty');
    expectError(() => parse(' \n\n'), 'the CSV file is empty');
    expectError(() => parse('1,2,3\n4,5,6\n'), /^no header row: the first row \(1,2,3\) looks like data/);
    expectError(() => parse('5.1,3.5,setosa\n4.9,3.0,setosa\n7,3.2,versicolor\n'), /^no header row/);
    expectError(() => parse('a,b,c\n1,2,x\n3,4\n'), 'row 3 has 2 fields, the header has 3');
    expectError(() => parse('a,b,c\n1,2,x\n3,4,y,5\n'), 'row 3 has 4 fields, the header has 3');
    expectError(() => parse('a,b,c\n1,2,x\n1,,y\n'), 'row 3, column "b": "" is not a number');
    expectError(() => parse('a,b,c\n1,2,x\n1,2,x\n'), 'label column "c" has 1 class (x); need at least 2');
    expectError(() => parse('a,b,c\n1,2,x\n', 'kind'), 'label column "kind" not found (columns: a, b, c)');
    expectError(() => parse('a,b,c\n'), 'the CSV file has a header but no data rows');
    expectError(() => parse('a,b,c\n1,2,\n3,4,y\n'), 'row 2, column "c": the label is empty');
    expectError(() => parse('a,a,c\n1,2,x\n'), 'duplicate column name "a" (columns 1 and 2)');
    expectError(() => parse('a,,c\n1,2,x\n'), 'column 2 of the header has no name');
    expectError(() => parse('label\nx\ny\n'), /^need at least one feature column/);
    expectError(() => parse('a,b,c\n1,2,"x\n'), /^row \d+: /);
  });
});
