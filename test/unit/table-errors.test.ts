import { expect } from '@esm-bundle/chai';
import { readTable } from '../../src/training/datasets/table/csv-read';
import { DatasetError } from '../../src/training/datasets/errors';
import { TableError } from '../../src/training/datasets/table/table-error';
import { expectTableError, file } from './table-test-helpers';

describe('table reading: bad input', () => {
  it('is a named TableError, a DatasetError too', async () => {
    const e = await expectTableError(readTable(file('')), 'data.csv is empty (0 bytes)');
    expect(e.name).to.equal('TableError');
    expect(e).to.be.instanceOf(DatasetError);
    expect(new TableError('x')).to.be.instanceOf(Error);
  });

  it('refuses an empty file, empty pasted text and a file of blank lines', async () => {
    await expectTableError(readTable(''), 'the pasted text is empty');
    await expectTableError(readTable(file('\uFEFF')), 'the file is empty');
    await expectTableError(readTable(file('\n  \n\t\n')), 'the file is empty: it holds only blank lines (3)');
    await expectTableError(readTable(' \n\n'), 'the pasted text is empty: it holds only blank lines (2)');
  });

  it('refuses a header without data rows', async () => {
    await expectTableError(readTable(file('height,width,class\n\n')), 'the file has a header row (height, width, class) but no data rows');
    await expectTableError(readTable('a;b'), 'the pasted text has a header row (a, b) but no data rows');
  });

  it('lists ragged rows: how many, the first few with their field counts', async () => {
    const lines = ['a,b,c,d,e'];
    for (let i = 2; i <= 40; i++) lines.push(i === 7 ? '1,2,3,4' : i === 19 ? '1,2,3,4,5,6' : i > 30 ? '1,2,3' : '1,2,3,4,5');
    await expectTableError(
      readTable(lines.join('\n')),
      '12 rows have a different number of fields than the header (5): row 7 has 4, row 19 has 6, row 31 has 3, row 32 has 3, row 33 has 3, …; a cell that holds the delimiter must be quoted',
    );
    await expectTableError(readTable('a,b\n1,2\n3\n'), '1 row has a different number of fields than the header (2): row 3 has 1; a cell that holds the delimiter must be quoted');
    await expectTableError(
      readTable('1,2\n3,4,5\n', { hasHeader: false }),
      '1 row has a different number of fields than the first row (2): row 2 has 3; a cell that holds the delimiter must be quoted',
    );
  });

  it('asks about the delimiter when most rows are ragged', async () => {
    await expectTableError(readTable('a;b\n1;2,5\n3;4,5\n', { delimiter: ',' }), /^2 rows have .* than the header \(1\): row 2 has 2, row 3 has 2; most rows differ: is the delimiter right \(read as ","\)\?$/);
  });

  it('names duplicate column names, and names empty ones "column N"', async () => {
    await expectTableError(readTable('x,y,x,z,y,x\n1,2,3,4,5,6\n'), 'the header names columns twice: "x" (columns 1, 3 and 6), "y" (columns 2 and 5); every column needs its own name');
    const t = await readTable('x,,z,\n1,2,3,4\n');
    expect(t.header).to.deep.equal(['x', 'column 2', 'z', 'column 4']);
    await expectTableError(readTable('column 2,\n1,2\n'), /^the header names a column twice: "column 2" \(columns 1 and 2\)/);
  });

  it('says where a quoted field is never closed or is malformed', async () => {
    await expectTableError(readTable('a,b\n1,2\n3,"open\n5,6\n'), 'row 3: a quoted field is never closed (a \'"\' opens it and no \'"\' ends it)');
    await expectTableError(readTable('a,b\n1,2\n3,"x"y\n'), /^row 3: a quoted field is malformed: its closing '"' is followed by more text/);
  });

  it('refuses a forced delimiter that makes one ragged column out of a binary file', async () => {
    await expectTableError(readTable(file(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x61]))), /^this does not look like a text table: \d+ % of its first 11 characters are control characters$/);
  });
});
