import { expect } from '@esm-bundle/chai';
import Papa from 'papaparse';
import { CHUNK_BYTES, readTable, tableHead } from '../../src/training/datasets/table/csv-read';
import { detectDecimalComma, detectDelimiter, detectHeader } from '../../src/training/datasets/table/detect';
import { file } from './table-test-helpers';

const rowsOf = (t: { columns: string[][]; rowCount: number }) => Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => c[r]));

describe('table reading: delimiter', () => {
  it('detects comma, semicolon and tab', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5,6\n', true)).to.equal(',');
    expect(detectDelimiter('a;b;c\n1;2;3\n4;5;6\n', true)).to.equal(';');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n', true)).to.equal('\t');
  });

  it('is not misled by decimal commas, quoted delimiters or text with other delimiters', () => {
    expect(detectDelimiter('x;y\n1,5;2,25\n3,5;4\n', true)).to.equal(';');
    expect(detectDelimiter('name,note\nann,"a; b; c"\nbob,"x;y"\n', true)).to.equal(',');
    expect(detectDelimiter('name\tnote\nann\tred, green\nbob\tblue\n', true)).to.equal('\t');
  });

  it('takes a one-column table as comma-separated', () => {
    expect(detectDelimiter('value\n1\n2\n', true)).to.equal(',');
  });

  it('reads with the delimiter found or the one chosen', async () => {
    const text = 'a;b\n1;x\n';
    const found = await readTable(text);
    expect(found.source.delimiter).to.equal(';');
    expect(found.header).to.deep.equal(['a', 'b']);
    const chosen = await readTable(text, { delimiter: ',' });
    expect(chosen.source.delimiter).to.equal(',');
    expect(chosen.header).to.deep.equal(['a;b']);
  });
});

describe('table reading: header', () => {
  it('detects a header over numbers, and none above numbers or repeated values', () => {
    expect(detectHeader([['height', 'class'], ['1.5', 'a'], ['1.7', 'b']], false)).to.equal(true);
    expect(detectHeader([['1', '2'], ['3', '4']], false)).to.equal(false);
    expect(detectHeader([['5.1', '3.5', 'setosa'], ['4.9', '3.0', 'setosa']], false)).to.equal(false);
    expect(detectHeader([['apple', 'red'], ['cherry', 'red']], false)).to.equal(false);
    expect(detectHeader([['fruit', 'colour'], ['apple', 'red'], ['cherry', 'red']], false)).to.equal(true);
    expect(detectHeader([['x', 'y'], ['3,5', '1,25']], true)).to.equal(true);
    expect(detectHeader([['2,5', '1,25'], ['3,5', '1,5']], true)).to.equal(false);
  });

  it('names columns "column 1".."column N" without a header, and keeps the first row as data', async () => {
    const t = await readTable('5.1,3.5,setosa\n4.9,3.0,setosa\n6.3,2.9,virginica\n');
    expect(t.source.hasHeader).to.equal(false);
    expect(t.header).to.deep.equal(['column 1', 'column 2', 'column 3']);
    expect(t.rowCount).to.equal(3);
    expect(Array.from(t.rowNumbers)).to.deep.equal([1, 2, 3]);
  });

  it('follows the person\'s choice', async () => {
    const asData = await readTable('a,b\n1,2\n', { hasHeader: false });
    expect(asData.header).to.deep.equal(['column 1', 'column 2']);
    expect(rowsOf(asData)).to.deep.equal([['a', 'b'], ['1', '2']]);
    const asHeader = await readTable('1,2\n3,4\n', { hasHeader: true });
    expect(asHeader.header).to.deep.equal(['1', '2']);
    expect(rowsOf(asHeader)).to.deep.equal([['3', '4']]);
  });
});

describe('table reading: cells', () => {
  it('reads quoted delimiters, doubled quotes and newlines in quotes; row numbers are lines', async () => {
    const t = await readTable('name,note,n\n"Smith, J.","said ""hi""",1\n"multi\nline\ntext",plain,2\nlast,"",3\n');
    expect(rowsOf(t)).to.deep.equal([
      ['Smith, J.', 'said "hi"', '1'],
      ['multi\nline\ntext', 'plain', '2'],
      ['last', '', '3'],
    ]);
    expect(Array.from(t.rowNumbers)).to.deep.equal([2, 3, 6]);
  });

  it('trims cells and header names', async () => {
    const t = await readTable(' a , b \n 1 ,  x  \n');
    expect(t.header).to.deep.equal(['a', 'b']);
    expect(rowsOf(t)).to.deep.equal([['1', 'x']]);
  });

  it('reads CRLF and CR line ends', async () => {
    expect(rowsOf(await readTable('a,b\r\n1,2\r\n3,4\r\n'))).to.deep.equal([['1', '2'], ['3', '4']]);
    expect(rowsOf(await readTable('a,b\r1,2\r3,4'))).to.deep.equal([['1', '2'], ['3', '4']]);
  });

  it('skips and counts blank lines; the final line end is none', async () => {
    const t = await readTable('a,b\n\n1,2\n   \n,\n3,4\n');
    expect(rowsOf(t)).to.deep.equal([['1', '2'], ['3', '4']]);
    expect(t.skippedBlankRows).to.equal(3);
    expect(Array.from(t.rowNumbers)).to.deep.equal([3, 6]);
  });

  it('reads decimal commas in semicolon files as numbers with a point, when found or chosen', async () => {
    expect(detectDecimalComma([['x', 'y'], ['3,14', '2']], ';')).to.equal(true);
    expect(detectDecimalComma([['x', 'y'], ['3,14', '2.5']], ';')).to.equal(false);
    expect(detectDecimalComma([['x', 'y'], ['3,14', '2']], ',')).to.equal(false);
    const t = await readTable('x;y;name\n3,14;-0,5;a,b\n1;,25;c\n');
    expect(t.source).to.deep.include({ delimiter: ';', decimalComma: true, hasHeader: true });
    expect(rowsOf(t)).to.deep.equal([['3.14', '-0.5', 'a,b'], ['1', '.25', 'c']]);
    const kept = await readTable('x;y;name\n3,14;-0,5;a,b\n', { decimalComma: false });
    expect(rowsOf(kept)).to.deep.equal([['3,14', '-0,5', 'a,b']]);
  });

  it('reads a file of many pieces as one parse of the whole text would, quoted newlines and CRLF across piece ends included', async () => {
    const lines = ['id,text,value'];
    for (let i = 0, length = 0; length < 3.5 * CHUNK_BYTES; i++) {
      const text = i % 7 === 0 ? `"line ${i}\r\nand ""more"", with commas"` : `t${'x'.repeat(i % 13)}`;
      lines.push(`${i},${text},${(i * 0.37).toFixed(2)}`);
      length += lines[lines.length - 1].length + 2;
    }
    const text = lines.join('\r\n') + '\r\n';
    const t = await readTable(file(text));
    const expected = Papa.parse<string[]>(text.replace(/\r\n/g, '\n').trimEnd(), { delimiter: ',', newline: '\n' }).data.slice(1);
    expect(t.rowCount).to.equal(expected.length);
    const got = rowsOf(t);
    for (let r = 0; r < expected.length; r++) {
      if (got[r].join('|') !== expected[r].map((c) => c.trim()).join('|')) expect.fail(`row ${r}: ${got[r].join('|')} ≠ ${expected[r].join('|')}`);
    }
    // Every 7th record takes two lines.
    expect(t.rowNumbers[8]).to.equal(2 + 8 + 2);
  });

  it('reports progress up to the file size and stops when aborted', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(800_000);
    const seen: number[] = [];
    const t = await readTable(file(text), {}, { onProgress: (p) => seen.push(p.done) });
    expect(t.rowCount).to.equal(800_000);
    expect(seen.length).to.be.greaterThan(2);
    expect(seen[seen.length - 1]).to.equal(text.length);
    const abort = new AbortController();
    const stopped = readTable(file(text), {}, { signal: abort.signal, onProgress: () => abort.abort() });
    let error: unknown;
    await stopped.catch((e) => (error = e));
    expect((error as Error).name).to.equal('AbortError');
  });

  it('names the source and keeps a head of the rows', async () => {
    const t = await readTable(file('a,b\n1,2\n3,4\n5,6\n', 'mine.tsv'));
    expect(t.source).to.deep.include({ fileName: 'mine.tsv', bytes: 16, encoding: 'utf-8', delimiter: ',', decimalComma: false, hasHeader: true });
    const head = tableHead(t, 2);
    expect(head.rowCount).to.equal(2);
    expect(head.columns).to.deep.equal([['1', '3'], ['2', '4']]);
    expect(Array.from(head.rowNumbers)).to.deep.equal([2, 3]);
    expect(tableHead(t, Infinity).rowCount).to.equal(3);
  });
});
