import { expect } from '@esm-bundle/chai';
import { isMissingCell, isNumberCell } from '../../src/training/datasets/table/cells';
import { readTable } from '../../src/training/datasets/table/csv-read';
import { numbersOnlyWithFew, profileColumn, profileTable, proposeChoice, proposeLabel } from '../../src/training/datasets/table/profile';
import type { ColumnProfile, ParsedTable } from '../../src/training/datasets/table/table';

/** A table of named columns of cells; row numbers start at 2 (below a header). */
function tableOf(columns: Record<string, string[]>): ParsedTable {
  const header = Object.keys(columns);
  const rowCount = columns[header[0]].length;
  return {
    header,
    columns: header.map((h) => columns[h]),
    rowCount,
    rowNumbers: Int32Array.from({ length: rowCount }, (_, r) => r + 2),
    skippedBlankRows: 0,
    source: { fileName: 't.csv', bytes: 0, sha256: '', encoding: 'utf-8', delimiter: ',', decimalComma: false, hasHeader: true },
  };
}
const one = (cells: string[], name = 'x'): ColumnProfile => profileColumn(tableOf({ [name]: cells }), 0);
const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

describe('table cells', () => {
  it('knows missing markers, case-insensitively', () => {
    for (const m of ['', 'NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', '?', '-']) expect(isMissingCell(m), m).to.equal(true);
    for (const m of ['0', 'none', 'NAN2', '--', 'x']) expect(isMissingCell(m), m).to.equal(false);
  });

  it('knows numbers as spreadsheets write them', () => {
    for (const n of ['3', '-0.5', '+2', '.5', '5.', '1e-3', '2E+10']) expect(isNumberCell(n), n).to.equal(true);
    for (const n of ['0x10', 'Infinity', '1,5', '1 000', 'e5', '.', '1e']) expect(isNumberCell(n), n).to.equal(false);
  });
});

describe('table profile', () => {
  it('types numeric, categorical and empty columns; counts missing and distinct values; shows examples', () => {
    const t = tableOf({
      num: ['1', '2.5', 'NA', '2.50', '', '3'],
      cat: ['red', 'blue', 'red', '?', 'green', 'blue'],
      none: ['', 'NA', '-', 'null', '', 'n/a'],
    });
    const [num, cat, none] = profileTable(t);
    expect(num).to.deep.equal({ name: 'num', index: 0, type: 'numeric', missing: 2, distinct: 3, examples: ['1', '2.5', '2.50', '3'], labelCandidate: false, regressionLike: false });
    expect(cat).to.deep.include({ type: 'categorical', missing: 1, distinct: 3, examples: ['red', 'blue', 'green'] });
    expect(none).to.deep.include({ type: 'empty', missing: 6, distinct: 0, examples: [] });
    expect(num.notNumbers).to.equal(undefined);
  });

  it('keeps a column of numbers with a few slips numeric, listing the slips with their rows', () => {
    const cells = range(100, (i) => String(i));
    cells[10] = 'n/k';
    cells[50] = '12 kg';
    const p = one(cells);
    expect(p.type).to.equal('numeric');
    expect(p.notNumbers).to.deep.equal({ count: 2, first: [{ row: 12, value: 'n/k' }, { row: 52, value: '12 kg' }] });
    expect(p.distinct).to.equal(100);
  });

  it('allows a handful (3) or 5 % of slips, and at most one in five, then the column is categorical', () => {
    expect(numbersOnlyWithFew(20, 3)).to.equal(true); // a handful
    expect(numbersOnlyWithFew(20, 4)).to.equal(false);
    expect(numbersOnlyWithFew(950, 50)).to.equal(true); // 5 %
    expect(numbersOnlyWithFew(949, 51)).to.equal(false);
    expect(numbersOnlyWithFew(8, 2)).to.equal(true);
    expect(numbersOnlyWithFew(7, 2)).to.equal(false); // more than one in five
    expect(numbersOnlyWithFew(0, 1)).to.equal(false);
    const five = one([...range(95, String), 'a', 'b', 'c', 'd', 'e', 'f']);
    expect(five.type).to.equal('categorical');
    expect(five.notNumbers).to.equal(undefined);
    const slips = one([...range(97, String), 'a', 'b', 'c']);
    expect(slips.notNumbers?.count).to.equal(3);
    const many = one([...range(1000, String), ...range(60, (i) => `x${i}`)]);
    expect(many.type).to.equal('categorical');
    const listed = one([...range(1000, String), ...range(50, (i) => `x${i}`)]);
    expect(listed.type).to.equal('numeric');
    expect(listed.notNumbers?.count).to.equal(50);
    expect(listed.notNumbers?.first.map((f) => f.value)).to.deep.equal(['x0', 'x1', 'x2', 'x3', 'x4']);
  });

  it('marks regression-like columns: fractional, more than 20 distinct values and more than 5 % of rows', () => {
    expect(one(range(100, (i) => (i / 7).toFixed(3))).regressionLike).to.equal(true);
    expect(one(range(100, (i) => String(i))).regressionLike, 'whole numbers may be class codes').to.equal(false);
    expect(one(range(100, (i) => ((i % 20) + 0.5).toString())).regressionLike, '20 distinct').to.equal(false);
    expect(one(range(100, (i) => ((i % 21) + 0.5).toString())).regressionLike, '21 distinct of 100').to.equal(true);
    expect(one(range(1000, (i) => ((i % 40) + 0.5).toString())).regressionLike, '40 distinct of 1000: 4 %').to.equal(false);
    expect(one(range(100, (i) => `c${i}`)).regressionLike, 'categorical').to.equal(false);
  });

  it('proposes the label by name, else the last column that is not empty', () => {
    const names = (t: ParsedTable) => proposeLabel(profileTable(t))?.name;
    expect(names(tableOf({ a: ['1'], Species: ['x'], b: ['2'] }))).to.equal('Species');
    for (const n of ['label', 'CLASS', 'Target', 'y', 'species']) expect(names(tableOf({ [n]: ['1'], z: ['2'] })), n).to.equal(n);
    expect(names(tableOf({ a: ['1'], classes: ['x'], b: ['2'] }))).to.equal('b');
    expect(names(tableOf({ a: ['1'], b: ['2'], c: [''] }))).to.equal('b');
    expect(profileTable(tableOf({ Class: ['1'], b: ['2'] })).map((p) => p.labelCandidate)).to.deep.equal([true, false]);
  });

  it('prefers the names in order: label, class, target, y, species (a coordinate y never beats label)', () => {
    const names = (t: ParsedTable) => proposeLabel(profileTable(t))?.name;
    expect(names(tableOf({ x: ['1'], y: ['2'], label: ['a'] }))).to.equal('label');
    expect(names(tableOf({ species: ['s'], target: ['t'], z: ['2'] }))).to.equal('target');
    expect(names(tableOf({ y: ['1'], Class: ['c'] }))).to.equal('Class');
  });

  it('proposes the default choice: every other column that is not empty, categorical as profiled', async () => {
    const t = await readTable('id,colour,empty,size,class\n1,red,,1.5,a\n2,blue,,2.5,b\n3,red,,0.5,a\n');
    expect(proposeChoice(profileTable(t))).to.deep.equal({
      label: 'class',
      features: ['id', 'colour', 'size'],
      categorical: ['colour'],
      scaling: 'standard',
      missing: 'drop',
      notNumbersAsMissing: false,
      maxCategories: 50,
    });
  });

  it('profiles decimal-comma files as numbers', async () => {
    const t = await readTable('x;y\n3,14;a\n2,5;b\n');
    expect(profileTable(t)[0]).to.deep.include({ type: 'numeric', examples: ['3.14', '2.5'] });
  });
});
