import { expect } from '@esm-bundle/chai';
import { CHUNK_BYTES, readTable } from '../../src/training/datasets/table/csv-read';
import { BYTES_PER_CELL, estimateTableBytes, MAX_COLUMNS, MAX_ROWS, MEMORY_BUDGET_BYTES, TABLE_LIMITS } from '../../src/training/datasets/table/limits';
import { expectTableError, file } from './table-test-helpers';

const table = (rows: number, columns: number): string =>
  [Array.from({ length: columns }, (_, c) => `c${c}`).join(','), ...Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => r + c).join(','))].join('\n');

describe('table limits', () => {
  it('are named constants: 1,000,000 rows, 1,000 columns, a memory budget', () => {
    expect(MAX_ROWS).to.equal(1_000_000);
    expect(MAX_COLUMNS).to.equal(1_000);
    expect(TABLE_LIMITS).to.deep.include({ maxRows: MAX_ROWS, maxColumns: MAX_COLUMNS, memoryBudgetBytes: MEMORY_BUDGET_BYTES, bytesPerCell: BYTES_PER_CELL });
    expect(estimateTableBytes(1000, 5000, TABLE_LIMITS)).to.equal(1000 * BYTES_PER_CELL + 5000);
    // The measured shape (900,000 × 12, 100 MB) fits; a million rows × 1,000 columns does not.
    expect(estimateTableBytes(900_000 * 12, 100e6, TABLE_LIMITS)).to.be.below(MEMORY_BUDGET_BYTES);
    expect(estimateTableBytes(1e6 * 1e3, 4e9, TABLE_LIMITS)).to.be.above(MEMORY_BUDGET_BYTES);
  });

  it('refuses more rows than the limit, naming it', async () => {
    expect((await readTable(table(3, 2), {}, { limits: { maxRows: 3 } })).rowCount).to.equal(3);
    await expectTableError(readTable(table(4, 2), {}, { limits: { maxRows: 3 } }), 'the table has more than 3 data rows, the limit: use a sample of its rows');
  });

  it('refuses more columns than the limit, naming it', async () => {
    expect((await readTable(table(2, 5), {}, { limits: { maxColumns: 5 } })).header.length).to.equal(5);
    await expectTableError(readTable(table(2, 1204), {}, { limits: { maxColumns: 1000 } }), 'the table has 1,204 columns, more than the limit of 1,000 columns');
  });

  it('refuses a table whose memory would pass the budget, counted or estimated from the start of the file', async () => {
    const small = table(100, 4);
    await expectTableError(
      readTable(small, {}, { limits: { memoryBudgetBytes: 10_000, bytesPerCell: 40 } }),
      /^the table is too large to hold in memory: 100 rows × 4 columns need about 1\d\.\d kB \(40 bytes a cell plus the text\), more than the memory budget of 10\.0 kB: use fewer rows or columns$/,
    );
    // A 3 MiB file is refused after its first MiB, on the estimate.
    const big = table(3 * 200_000, 2);
    expect(big.length).to.be.above(3 * CHUNK_BYTES);
    const progress: number[] = [];
    await expectTableError(
      readTable(file(big), {}, { limits: { memoryBudgetBytes: 20e6 }, onProgress: (p) => progress.push(p.done) }),
      /^the table is too large to hold in memory: about [\d,]+ rows × 2 columns, estimated from the start of the file, need about/,
    );
    expect(progress).to.deep.equal([]);
  });

  it('refuses a record longer than the limit (a quote never closed in a large file)', async () => {
    const text = 'a,b\n1,"never closed\n' + 'x,y\n'.repeat(600_000);
    await expectTableError(readTable(file(text), {}, { limits: { maxRecordChars: 1_000_000 } }), /^row 2: one record runs past 1,000,000 characters: a quoted field is probably never closed/);
  });
});
