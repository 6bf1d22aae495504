import { expect } from '@esm-bundle/chai';
import { deflateSync, zipSync } from 'fflate';
import JSZip from 'jszip';
import { crc32, listZip, readZipFiles, ZipFormatError, ZipTooLargeError } from '../../src/compare/zip-reader';

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const all = () => true;
const byPath = (files: { path: string; bytes: Uint8Array }[]) => new Map(files.map((f) => [f.path, text(f.bytes)]));

/** Deterministic incompressible bytes (xorshift32). */
function randomBytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(n / 4));
  let x = seed;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, n);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** A Blob whose slices record every byte count actually read from them. */
class CountingBlob extends Blob {
  constructor(parts: BlobPart[], readonly reads: number[], readonly onRead?: () => void) {
    super(parts);
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    return new CountingBlob([super.slice(start, end, type)], this.reads, this.onRead);
  }
  private record() {
    this.reads.push(this.size);
    this.onRead?.();
  }
  override arrayBuffer() {
    this.record();
    return super.arrayBuffer();
  }
  override bytes() {
    this.record();
    return super.bytes();
  }
  override text() {
    this.record();
    return super.text();
  }
  override stream() {
    this.record();
    return super.stream();
  }
}

// A hand-made zip writer for the cases real writers cannot produce (lying sizes, ZIP64, CP437, …).
interface RawEntry {
  name: string | number[]; // bytes: written as is
  data: Uint8Array; // written as is (already deflated for method 8)
  method?: number;
  flags?: number;
  crc?: number;
  size?: number; // declared uncompressed size
  zip64?: boolean;
}
function craftZip(entries: RawEntry[], opts: { zip64?: boolean; disk?: number } = {}): Uint8Array<ArrayBuffer> {
  const parts: number[] = [];
  const u16 = (n: number) => parts.push(n & 0xff, (n >>> 8) & 0xff);
  const u32 = (n: number) => (u16(n & 0xffff), u16(n >>> 16));
  const u64 = (n: number) => (u32(n % 2 ** 32), u32(Math.floor(n / 2 ** 32)));
  const bytes = (b: ArrayLike<number>) => parts.push(...Array.from(b));
  const names = entries.map((e) => (typeof e.name === 'string' ? enc.encode(e.name) : Uint8Array.from(e.name)));
  const offsets: number[] = [];
  entries.forEach((e, i) => {
    offsets.push(parts.length);
    u32(0x04034b50), u16(45), u16(e.flags ?? 0), u16(e.method ?? 0), u32(0);
    u32(e.crc ?? crc32(e.data)), u32(e.zip64 ? 0xffffffff : e.data.length), u32(e.zip64 ? 0xffffffff : e.size ?? e.data.length);
    u16(names[i].length), u16(e.zip64 ? 20 : 0), bytes(names[i]);
    if (e.zip64) u16(1), u16(16), u64(e.size ?? e.data.length), u64(e.data.length);
    bytes(e.data);
  });
  const cdStart = parts.length;
  entries.forEach((e, i) => {
    u32(0x02014b50), u16(45), u16(45), u16(e.flags ?? 0), u16(e.method ?? 0), u32(0);
    u32(e.crc ?? crc32(e.data)), u32(e.zip64 ? 0xffffffff : e.data.length), u32(e.zip64 ? 0xffffffff : e.size ?? e.data.length);
    u16(names[i].length), u16(e.zip64 ? 28 : 0), u16(0), u16(0), u16(0), u32(0), u32(e.zip64 ? 0xffffffff : offsets[i]);
    bytes(names[i]);
    if (e.zip64) u16(1), u16(24), u64(e.size ?? e.data.length), u64(e.data.length), u64(offsets[i]);
  });
  const cdSize = parts.length - cdStart;
  if (opts.zip64) {
    const recordAt = parts.length;
    u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0);
    u64(entries.length), u64(entries.length), u64(cdSize), u64(cdStart);
    u32(0x07064b50), u32(0), u64(recordAt), u32(1);
  }
  u32(0x06054b50), u16(opts.disk ?? 0), u16(opts.disk ?? 0);
  if (opts.zip64) u16(0xffff), u16(0xffff), u32(0xffffffff), u32(0xffffffff);
  else u16(entries.length), u16(entries.length), u32(cdSize), u32(cdStart);
  u16(0);
  return Uint8Array.from(parts);
}

/** Offset of the central (or local) header naming `name` in a zip's bytes. */
function headerOf(zip: Uint8Array, name: string, central: boolean): number {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const nameAt = central ? 46 : 30;
  for (let i = 0; i + nameAt <= zip.length; i++) {
    if (v.getUint32(i, true) !== (central ? 0x02014b50 : 0x04034b50)) continue;
    const len = v.getUint16(i + (central ? 28 : 26), true);
    if (text(zip.subarray(i + nameAt, i + nameAt + len)) === name) return i;
  }
  throw new Error(`no header for ${name}`);
}
/** Overwrites a 32-bit field of both headers of `name` (central offset; the local one is 4 less). */
function patch(zip: Uint8Array, name: string, centralField: number, value: number): Uint8Array<ArrayBuffer> {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  v.setUint32(headerOf(zip, name, true) + centralField, value, true);
  v.setUint32(headerOf(zip, name, false) + centralField - 2, value, true);
  return out;
}
const CRC_FIELD = 16;
const SIZE_FIELD = 24;

const summary = JSON.stringify({ model_name: 'mlp', test: { test_accuracy: 97.5 } });
const history = 'epoch,loss\n1,0.5\n2,0.25\n';

describe('zip reader', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(enc.encode('123456789'))).to.equal(0xcbf43926);
    expect(crc32(new Uint8Array(0))).to.equal(0);
  });

  it('reads stored and deflated entries written by JSZip, with UTF-8 names, skipping directories', async () => {
    const zip = new JSZip();
    zip.file('naïve_数字/results_summary.json', summary, { compression: 'DEFLATE', createFolders: true });
    zip.file('naïve_数字/training_history.csv', history, { compression: 'STORE' });
    zip.file('naïve_数字/README.txt', 'x'.repeat(5000), { compression: 'DEFLATE' });
    const blob = await zip.generateAsync({ type: 'blob' });
    const listed = await listZip(blob);
    expect(listed.find((e) => e.path === 'naïve_数字/')?.isDirectory).to.equal(true);
    const csv = listed.find((e) => e.path.endsWith('.csv'))!;
    expect([csv.method, csv.size, csv.compressedSize, csv.crc32]).to.deep.equal([0, history.length, history.length, crc32(enc.encode(history))]);
    expect(listed.find((e) => e.path.endsWith('.json'))!.method).to.equal(8);
    const files = await readZipFiles(blob, { want: all });
    expect(files.map((f) => f.path)).to.deep.equal(['naïve_数字/results_summary.json', 'naïve_数字/training_history.csv', 'naïve_数字/README.txt']);
    const got = byPath(files);
    expect(got.get('naïve_数字/results_summary.json')).to.equal(summary);
    expect(got.get('naïve_数字/training_history.csv')).to.equal(history);
    expect(got.get('naïve_数字/README.txt')).to.equal('x'.repeat(5000));
  });

  it('reads zips written by fflate and inflates only what `want` accepts', async () => {
    const bytes = zipSync({
      'run/results_summary.json': [enc.encode(summary), { level: 9 }],
      'run/history.csv': [enc.encode(history), { level: 0 }],
      'run/weights.bin': [randomBytes(10_000), { level: 0 }],
    });
    const asked: string[] = [];
    const files = await readZipFiles(new Blob([bytes]), { want: (p) => (asked.push(p), p.endsWith('.json')) });
    expect(asked).to.have.members(['run/results_summary.json', 'run/history.csv', 'run/weights.bin']);
    expect([...byPath(files)]).to.deep.equal([['run/results_summary.json', summary]]);
  });

  it('reads only the wanted byte ranges, never the 5 MB of weights', async () => {
    const zip = new JSZip();
    zip.file('mlp_20261126_192000/results_summary.json', summary);
    zip.file('mlp_20261126_192000/best_model/model.json', '{"format":"layers-model"}');
    zip.file('mlp_20261126_192000/best_model/weights.bin', randomBytes(5 * 2 ** 20), { binary: true, compression: 'STORE' });
    zip.file('mlp_20261126_192000/training_history.csv', history, { compression: 'DEFLATE' });
    const reads: number[] = [];
    const blob = new CountingBlob([await zip.generateAsync({ type: 'blob' })], reads);
    const files = await readZipFiles(blob, { want: (p) => /\.(json|csv|txt)$/.test(p) });
    expect(files.map((f) => f.path.split('/').pop())).to.deep.equal(['results_summary.json', 'model.json', 'training_history.csv']);
    expect(byPath(files).get('mlp_20261126_192000/training_history.csv')).to.equal(history);
    expect(reads.length).to.be.greaterThan(0);
    expect(reads.reduce((a, b) => a + b, 0)).to.be.lessThan(64 * 1024);
  });

  it('finds the end record behind a comment of the longest length', async () => {
    const zip = new JSZip();
    zip.file('a.json', summary);
    const blob = await zip.generateAsync({ type: 'blob', compression: 'DEFLATE', comment: 'c'.repeat(0xffff) });
    expect(byPath(await readZipFiles(blob, { want: all })).get('a.json')).to.equal(summary);
  });

  it('opens run.zips inside a zip one level deep, stored ones without reading them', async () => {
    const deep = zipSync({ 'x.json': enc.encode('{}') });
    const runA = zipSync({
      'mlp_a/results_summary.json': enc.encode(summary),
      'mlp_a/best_model/weights.bin': [randomBytes(5 * 2 ** 20, 7), { level: 0 }],
      'mlp_a/deep.zip': [deep, { level: 0 }],
    });
    const runB = zipSync({ 'cnn_b/results_summary.json': enc.encode('{"model_name":"cnn"}'), 'cnn_b/history.csv': enc.encode(history) });
    const outer = new JSZip();
    outer.file('runs/a.zip', runA, { compression: 'STORE' });
    outer.file('runs/b.zip', runB, { compression: 'DEFLATE' });
    outer.file('notes.txt', 'two runs');
    const reads: number[] = [];
    const blob = new CountingBlob([await outer.generateAsync({ type: 'blob' })], reads);
    const asked: string[] = [];
    const files = await readZipFiles(blob, { want: (p) => (asked.push(p), /\.(json|csv|txt)$/.test(p)) });
    expect(files.map((f) => f.path).sort()).to.deep.equal([
      'notes.txt',
      'runs/a.zip/mlp_a/results_summary.json',
      'runs/b.zip/cnn_b/history.csv',
      'runs/b.zip/cnn_b/results_summary.json',
    ]);
    expect(byPath(files).get('runs/a.zip/mlp_a/results_summary.json')).to.equal(summary);
    expect(asked).to.include('runs/a.zip/mlp_a/deep.zip');
    expect(asked.some((p) => p.includes('x.json'))).to.equal(false);
    expect(reads.reduce((a, b) => a + b, 0)).to.be.lessThan(64 * 1024);
    // One level only: the zip inside the inner zip comes back as a file when wanted, unopened.
    const deeper = await readZipFiles(blob, { want: (p) => p.endsWith('deep.zip') });
    expect(deeper.map((f) => f.path)).to.deep.equal(['runs/a.zip/mlp_a/deep.zip']);
    expect(deeper[0].bytes).to.deep.equal(deep);
    // nested: false leaves every .zip entry closed.
    const flat = await readZipFiles(blob, { want: (p) => p.endsWith('.zip'), nested: false });
    expect(flat.map((f) => f.path)).to.deep.equal(['runs/a.zip', 'runs/b.zip']);
    expect(flat[1].bytes).to.deep.equal(runB);
  });

  it('prefixes errors from an inner zip with its path', async () => {
    const outer = zipSync({ 'runs/a.zip': [enc.encode('not a zip at all, just text'), { level: 0 }] });
    const error = await rejection(readZipFiles(new Blob([outer]), { want: all }));
    expect(error).to.be.instanceOf(ZipFormatError);
    expect(error.message).to.equal('runs/a.zip: not a zip file (no end of central directory record)');
  });

  it('rejects what is not a zip with a message a person understands', async () => {
    const canvas = new OffscreenCanvas(8, 8);
    canvas.getContext('2d')!.fillRect(0, 0, 4, 4);
    const png = await canvas.convertToBlob({ type: 'image/png' });
    const good = zipSync({ 'a.json': enc.encode(summary), 'b.bin': randomBytes(3000) });
    const cases: [string, Blob, RegExp][] = [
      ['empty', new Blob([]), /^not a zip file \(the file is empty\)$/],
      ['png', new File([png], 'run.zip'), /^not a zip file \(no end of central directory record\)$/],
      ['random', new Blob([randomBytes(100_000, 3)]), /^not a zip file/],
      ['text', new Blob(['hello, world']), /^not a zip file/],
      ['cut at the end', new Blob([good.subarray(0, good.length - 5)]), /^not a zip file/],
      ['cut in half', new Blob([good.subarray(0, good.length >> 1)]), /^not a zip file/],
      ['front cut off', new Blob([good.subarray(1000)]), /^damaged zip: .*(truncated|past the end)/],
    ];
    for (const [what, blob, message] of cases) {
      const error = await rejection(readZipFiles(blob, { want: all }));
      expect(error, what).to.be.instanceOf(ZipFormatError);
      expect(error.name, what).to.equal('ZipFormatError');
      expect(error.message, what).to.match(message);
    }
    expect(await rejection(listZip(new Blob([randomBytes(10, 9)])))).to.be.instanceOf(ZipFormatError);
  });

  it('refuses declared sizes past the budget before inflating anything', async () => {
    // The data is not valid deflate: a reader that inflated first would fail with ZipFormatError.
    const junk = new Uint8Array(20).fill(0xff);
    const small = new Blob([craftZip([{ name: 'a.json', data: junk, method: 8, size: 600 }, { name: 'b.json', data: junk, method: 8, size: 600 }])]);
    const error = (await rejection(readZipFiles(small, { want: all, maxTotalBytes: 1000 }))) as ZipTooLargeError;
    expect(error).to.be.instanceOf(ZipTooLargeError);
    expect(error.name).to.equal('ZipTooLargeError');
    expect(error.message).to.equal('would expand to 1.2 kB, past the 1000 B limit');
    expect([error.limit, error.size]).to.deep.equal([1000, 1200]);

    const huge = new Blob([craftZip([{ name: 'ok.json', data: enc.encode('{}') }, { name: 'bomb.json', data: junk, method: 8, size: 2_000_000_000 }])]);
    const bomb = await rejection(readZipFiles(huge, { want: all }));
    expect(bomb).to.be.instanceOf(ZipTooLargeError);
    expect(bomb.message).to.equal('would expand to 1.9 GB, past the 1 GB limit');
    // Entries that are not wanted do not count.
    expect([...byPath(await readZipFiles(huge, { want: (p) => p === 'ok.json' }))]).to.deep.equal([['ok.json', '{}']]);
  });

  it('counts an inflated inner zip against the budget, a stored one not', async () => {
    const inner = zipSync({ 'r/a.json': enc.encode('{}'), 'r/w.bin': [randomBytes(50_000), { level: 0 }] });
    const deflated = new Blob([zipSync({ 'run.zip': [inner, { level: 6 }] })]);
    const stored = new Blob([zipSync({ 'run.zip': [inner, { level: 0 }] })]);
    const want = (p: string) => p.endsWith('.json');
    expect(await rejection(readZipFiles(deflated, { want, maxTotalBytes: 40_000 }))).to.be.instanceOf(ZipTooLargeError);
    expect((await readZipFiles(stored, { want, maxTotalBytes: 40_000 })).map((f) => f.path)).to.deep.equal(['run.zip/r/a.json']);
    expect((await readZipFiles(deflated, { want, maxTotalBytes: 60_000 })).map((f) => f.path)).to.deep.equal(['run.zip/r/a.json']);
  });

  it('stops inflating as soon as a lying directory entry passes the budget', async () => {
    const zeros = zipSync({ 'big.txt': [new Uint8Array(64 * 2 ** 20), { level: 9 }] });
    const lying = new Blob([patch(zeros, 'big.txt', SIZE_FIELD, 100)]);
    const error = (await rejection(readZipFiles(lying, { want: all, maxTotalBytes: 2 ** 20 }))) as ZipTooLargeError;
    expect(error).to.be.instanceOf(ZipTooLargeError);
    expect(error.message).to.match(/^entry "big\.txt" expands past the 1 MB limit \(.* inflated so far; its directory entry declares 100 B\)$/);
    expect(error.size).to.be.greaterThan(2 ** 20).and.lessThan(32 * 2 ** 20);
  });

  it('rejects a size mismatch or a bad CRC as damage', async () => {
    const zip = zipSync({ 'a.json': enc.encode(summary), 'b.csv': [enc.encode(history), { level: 0 }] });
    const cases: [string, Uint8Array<ArrayBuffer>, RegExp][] = [
      ['deflated size', patch(zip, 'a.json', SIZE_FIELD, summary.length + 1), /^damaged zip: entry "a\.json" holds \d+ bytes but its directory entry says \d+$/],
      ['deflated crc', patch(zip, 'a.json', CRC_FIELD, 0x12345678), /^damaged zip: entry "a\.json" fails its CRC-32 check \(0x[0-9a-f]{8}, expected 0x12345678\)$/],
      ['stored crc', patch(zip, 'b.csv', CRC_FIELD, 1), /^damaged zip: entry "b\.csv" fails its CRC-32 check/],
    ];
    const flipped = zip.slice();
    flipped[headerOf(zip, 'b.csv', false) + 30 + 'b.csv'.length] ^= 1; // the first byte of b.csv's data
    cases.push(['stored data', flipped, /^damaged zip: entry "b\.csv" fails its CRC-32 check/]);
    const badDeflate = craftZip([{ name: 'c.json', data: new Uint8Array([0xff, 0xff, 0xff]), method: 8, size: 10 }]);
    cases.push(['bad deflate', badDeflate, /^damaged zip: entry "c\.json" does not inflate/]);
    for (const [what, bytes, message] of cases) {
      const error = await rejection(readZipFiles(new Blob([bytes]), { want: all }));
      expect(error, what).to.be.instanceOf(ZipFormatError);
      expect(error.message, what).to.match(message);
    }
  });

  it('reads a ZIP64 archive (end record, locator and extra fields)', async () => {
    const csv = enc.encode(history.repeat(20));
    const bytes = craftZip(
      [
        { name: 'run/a.json', data: enc.encode(summary) },
        { name: 'run/b.csv', data: deflateSync(csv), method: 8, size: csv.length, crc: crc32(csv), zip64: true },
      ],
      { zip64: true },
    );
    const blob = new Blob([bytes]);
    const listed = await listZip(blob);
    expect(listed.map((e) => [e.path, e.size, e.method])).to.deep.equal([['run/a.json', summary.length, 0], ['run/b.csv', csv.length, 8]]);
    expect(listed[1].localHeaderOffset).to.equal(headerOf(bytes, 'run/b.csv', false));
    expect(listed[1].localHeaderOffset).to.be.greaterThan(0);
    const got = byPath(await readZipFiles(blob, { want: all }));
    expect(got.get('run/a.json')).to.equal(summary);
    expect(got.get('run/b.csv')).to.equal(history.repeat(20));
  });

  it('decodes CP437 names without the UTF-8 flag and turns backslashes into slashes', async () => {
    const cafe = [...enc.encode('dir\\caf'), 0x82, ...enc.encode('.json')];
    const bytes = craftZip([
      { name: cafe, data: enc.encode('{}') },
      { name: 'x\\ünï.txt', data: enc.encode('u'), flags: 0x800 },
    ]);
    expect((await listZip(new Blob([bytes]))).map((e) => e.path)).to.deep.equal(['dir/café.json', 'x/ünï.txt']);
  });

  it('rejects multi-disk archives, unknown methods and encryption, naming the entry', async () => {
    const multi = craftZip([{ name: 'a.json', data: enc.encode('{}') }], { disk: 1 });
    expect((await rejection(listZip(new Blob([multi])))).message).to.match(/^multi-disk \(split\) zip archives are not supported/);
    const odd = new Blob([
      craftZip([
        { name: 'a.json', data: enc.encode('{}') },
        { name: 'b.json', data: enc.encode('xx'), method: 12 },
        { name: 'c.json', data: enc.encode('yy'), flags: 1 },
      ]),
    ]);
    const bzip = await rejection(readZipFiles(odd, { want: (p) => p !== 'c.json' }));
    expect(bzip).to.be.instanceOf(ZipFormatError);
    expect(bzip.message).to.equal('unsupported zip: entry "b.json" uses compression method 12 (bzip2); only stored and deflate are supported');
    const locked = await rejection(readZipFiles(odd, { want: (p) => p === 'c.json' }));
    expect(locked.message).to.equal('unsupported zip: entry "c.json" is encrypted');
    expect((await listZip(odd)).map((e) => e.encrypted)).to.deep.equal([false, false, true]);
    expect([...byPath(await readZipFiles(odd, { want: (p) => p === 'a.json' }))]).to.deep.equal([['a.json', '{}']]);
  });

  it('stops on abort, before or during the work, with the signal’s reason', async () => {
    const bytes = zipSync({ 'a.json': enc.encode('{}'), 'b.json': enc.encode('[]') });
    const reason = new DOMException('stopped by the user', 'AbortError');
    const early = new AbortController();
    early.abort(reason);
    expect(await rejection(readZipFiles(new Blob([bytes]), { want: all, signal: early.signal }))).to.equal(reason);
    const midway = new AbortController();
    const blob = new CountingBlob([bytes], [], () => midway.abort(reason));
    expect(await rejection(readZipFiles(blob, { want: all, signal: midway.signal }))).to.equal(reason);
  });
});
