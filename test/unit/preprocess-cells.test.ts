import { expect } from '@esm-bundle/chai';
import { asRead, naturalCompare, naturalSort, readNumberCell } from '../../src/training/datasets/table/preprocess-cells';

describe('natural order', () => {
  it('compares digit runs by value and text by code unit', () => {
    expect(naturalSort(['class10', 'class2', 'class1'])).to.deep.equal(['class1', 'class2', 'class10']);
    expect(naturalSort(['10', '2', '1', '100', '9'])).to.deep.equal(['1', '2', '9', '10', '100']);
    expect(naturalSort(['b', 'a', 'B', 'A', 'á'])).to.deep.equal(['A', 'B', 'a', 'b', 'á']); // code units, not the locale's order
    expect(naturalSort(['x1y10', 'x1y9', 'x10y1', 'x2'])).to.deep.equal(['x1y9', 'x1y10', 'x2', 'x10y1']);
    expect(naturalSort(['1', '0', '-1', 'a', ''])).to.deep.equal(['', '-1', '0', '1', 'a']);
    expect(naturalSort(['100000000000000000001', '99999999999999999999'])).to.deep.equal(['99999999999999999999', '100000000000000000001']);
    expect(naturalSort(['img12.png', 'img12', 'img1.png'])).to.deep.equal(['img1.png', 'img12', 'img12.png']);
  });

  it('keeps values that compare equal in the order first seen, and drops duplicates', () => {
    expect(naturalCompare('007', '7')).to.equal(0);
    expect(naturalSort(['007', '7', '3', '007'])).to.deep.equal(['3', '007', '7']);
    expect(naturalSort(['7', '007', '3'])).to.deep.equal(['3', '7', '007']);
  });

  it('is a consistent order (antisymmetric, transitive) on mixed names', () => {
    const names = ['a10', 'a2', 'a02', 'b', 'a', '10', '9', 'a2b', 'a2a', '-', '', 'Z1', 'z1', '1.5', '1.10'];
    for (const a of names) for (const b of names) expect(Math.sign(naturalCompare(a, b)), `${a} vs ${b}`).to.equal(-Math.sign(naturalCompare(b, a)));
    const sorted = naturalSort(names);
    for (let i = 0; i + 1 < sorted.length; i++) expect(naturalCompare(sorted[i], sorted[i + 1])).to.be.at.most(0);
  });
});

describe('cells of numeric features', () => {
  it('are a number, missing (null), or not a finite number (NaN)', () => {
    expect(readNumberCell('3.25')).to.equal(3.25);
    expect(readNumberCell('-1e3')).to.equal(-1000);
    expect(readNumberCell('+.5')).to.equal(0.5);
    for (const c of ['', 'NA', 'n/a', 'NaN', 'null', '?', '-']) expect(readNumberCell(c), c).to.equal(null);
    for (const c of ['3,25', '0x10', 'Infinity', '1e999', '1 000', 'abc', '1.2.3']) expect(readNumberCell(c), c).to.be.NaN;
  });

  it('of a new row are read as the reader stores them: trimmed, decimal commas as points in such files', () => {
    expect(asRead(' 3,25 ', true)).to.equal('3.25');
    expect(asRead('3,25', false)).to.equal('3,25');
    expect(asRead('red, green', true)).to.equal('red, green');
    expect(asRead('1,000,5', true)).to.equal('1,000,5');
  });
});
