import { expect } from '@esm-bundle/chai';
import { readTable } from '../../src/training/datasets/table/csv-read';
import { byteOrderMark, detectEncoding, firstInvalidUtf8, notTextReason } from '../../src/training/datasets/table/encoding';
import { bytes, expectTableError, file, utf16 } from './table-test-helpers';

const cafe1252 = bytes('name,n\n', [0x63, 0x61, 0x66, 0xe9], ',1\n', [0x74, 0x68, 0xe9], ',2\n'); // "café" and "thé" in Windows-1252

describe('table encoding: detection', () => {
  it('reads a byte order mark', () => {
    expect(byteOrderMark(bytes([0xef, 0xbb, 0xbf], 'a'))).to.deep.equal({ encoding: 'utf-8', length: 3 });
    expect(byteOrderMark(bytes([0xff, 0xfe, 0x61, 0]))).to.deep.equal({ encoding: 'utf-16le', length: 2 });
    expect(byteOrderMark(bytes([0xfe, 0xff, 0, 0x61]))).to.deep.equal({ encoding: 'utf-16be', length: 2 });
    expect(byteOrderMark(bytes('a,b'))).to.equal(null);
  });

  it('takes valid UTF-8 for UTF-8, anything else for Windows-1252', () => {
    expect(detectEncoding(bytes('café,1\n'), true)).to.equal('utf-8');
    expect(detectEncoding(bytes('plain ascii\n'), true)).to.equal('utf-8');
    expect(detectEncoding(bytes([0x63, 0x61, 0x66, 0xe9]), true)).to.equal('windows-1252');
    expect(detectEncoding(utf16('a,b\n1,2\n', 'le'), true)).to.equal('utf-16le');
    expect(detectEncoding(utf16('a,b\n1,2\n', 'be'), true)).to.equal('utf-16be');
  });

  it('recognises UTF-16 without a byte order mark by its zero bytes', () => {
    expect(detectEncoding(utf16('height,class\n1.5,a\n', 'le', false), true)).to.equal('utf-16le');
    expect(detectEncoding(utf16('height,class\n1.5,a\n', 'be', false), true)).to.equal('utf-16be');
  });

  it('does not count a UTF-8 character cut off by the end of the first bytes against UTF-8', () => {
    const cut = bytes('ab,', [0xc3]); // the first byte of "é"
    expect(detectEncoding(cut, false)).to.equal('utf-8');
    expect(detectEncoding(cut, true)).to.equal('windows-1252');
  });

  it('finds the first invalid UTF-8 sequence', () => {
    expect(firstInvalidUtf8(bytes('ok é ✓ 😀'), true)).to.equal(-1);
    expect(firstInvalidUtf8(bytes('ab', [0xc0, 0x80]), true)).to.equal(2); // overlong
    expect(firstInvalidUtf8(bytes('a', [0xed, 0xa0, 0x80]), true)).to.equal(1); // surrogate
    expect(firstInvalidUtf8(bytes('abc', [0xf5, 0x80, 0x80, 0x80]), true)).to.equal(3); // past U+10FFFF
    expect(firstInvalidUtf8(bytes('x', [0xe2, 0x41]), true)).to.equal(1); // continuation missing
  });

  it('tells binary files from text', () => {
    expect(notTextReason(bytes([0x50, 0x4b, 0x03, 0x04]), 'PK\x03\x04')).to.match(/zip archive.*xlsx/);
    expect(notTextReason(bytes('a,b'), 'a,b\n1,\x002')).to.equal('this does not look like a text table: it holds NUL characters (the first on line 2)');
    expect(notTextReason(bytes('x'), 'a\x01\x02\x03b,c\n')).to.match(/^this does not look like a text table: 38 % of its first 8 characters are control characters$/);
    expect(notTextReason(bytes('x'), 'a,b\tc\r\n1,2\f3\n')).to.equal(null);
  });
});

describe('table encoding: reading', () => {
  const firstCells = async (content: Uint8Array, encoding?: 'utf-8' | 'windows-1252') => {
    const t = await readTable(file(content), encoding ? { encoding } : {});
    return { encoding: t.source.encoding, header: t.header, first: t.columns[0] };
  };

  it('reads UTF-8 with and without a BOM (the BOM is not part of the first name)', async () => {
    expect(await firstCells(bytes('café,n\nthé,1\n'))).to.deep.equal({ encoding: 'utf-8', header: ['café', 'n'], first: ['thé'] });
    expect(await firstCells(bytes([0xef, 0xbb, 0xbf], 'café,n\nthé,1\n'))).to.deep.equal({ encoding: 'utf-8', header: ['café', 'n'], first: ['thé'] });
  });

  it('reads UTF-16 LE and BE with a BOM', async () => {
    for (const endian of ['le', 'be'] as const) {
      const t = await readTable(file(utf16('größe,name\n1.5,café\n2.5,naïve\n', endian)));
      expect(t.source.encoding).to.equal(`utf-16${endian}`);
      expect(t.header).to.deep.equal(['größe', 'name']);
      expect(t.columns[1]).to.deep.equal(['café', 'naïve']);
    }
  });

  it('reads Windows-1252 from a spreadsheet export ("café" as 63 61 66 E9)', async () => {
    expect(await firstCells(cafe1252)).to.deep.equal({ encoding: 'windows-1252', header: ['name', 'n'], first: ['café', 'thé'] });
  });

  it('falls back to Windows-1252 when the first invalid UTF-8 comes after the first MiB', async () => {
    const rows = Array.from({ length: 120_000 }, (_, i) => `row${i},${i}\n`).join('');
    expect(rows.length).to.be.greaterThan(1 << 20);
    const t = await readTable(file(bytes('name,n\n', rows, [0x63, 0x61, 0x66, 0xe9], ',7\n')));
    expect(t.source.encoding).to.equal('windows-1252');
    expect(t.rowCount).to.equal(120_001);
    expect(t.columns[0][120_000]).to.equal('café');
  });

  it('keeps the encoding the person chose', async () => {
    expect(await firstCells(bytes('café,n\nthé,1\n'), 'windows-1252')).to.deep.equal({ encoding: 'windows-1252', header: ['cafÃ©', 'n'], first: ['thÃ©'] });
  });

  it('says where UTF-8 forced by the person meets invalid bytes, and suggests Windows-1252', async () => {
    await expectTableError(
      readTable(file(cafe1252), { encoding: 'utf-8' }),
      'the file is not valid UTF-8: the bytes at 10 (line 2) are no UTF-8 character; it may be windows-1252 (files saved by spreadsheets on Windows): choose that encoding',
    );
  });

  it('hashes the file\'s bytes (SHA-256)', async () => {
    const t = await readTable(file(bytes('a,b\n1,2\n')));
    expect(t.source.sha256).to.equal('492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470');
    const pasted = await readTable('a,b\n1,2\n');
    expect(pasted.source).to.deep.include({ fileName: 'pasted text', sha256: '492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470', encoding: 'utf-8' });
  });

  it('refuses binary files with a clear message', async () => {
    await expectTableError(readTable(file(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'sheet.csv')), /^this does not look like a text table: it is a zip archive/);
    await expectTableError(readTable(file(bytes('a,b\n1,2\n', [0, 0, 0, 7, 0, 0]))), 'this does not look like a text table: it holds NUL characters (the first on line 3)');
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    await expectTableError(readTable(file(noise)), /^this does not look like a text table/);
  });
});
