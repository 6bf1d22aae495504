// Hostile input (issue 8): a corpus of bad files, all generated here (no binary fixtures), fed to the
// Compare view's importer, and hostile names followed through every output the lab writes. Each bad
// thing must end as one clear problem naming its file, leave the other runs importing, and leave no
// half-imported record behind; each hostile name must stay text.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { Deflate, zipSync } from 'fflate';
import { modelComparisonCsv } from '../../src/compare/comparison-csv';
import { runsLatex } from '../../src/compare/comparison-latex';
import { figureInput } from '../../src/compare/figure-input';
import { groupRuns } from '../../src/compare/groups';
import { importFiles, type ImportResult, type SourceFile } from '../../src/compare/import-runs';
import { latexEscape } from '../../src/compare/latex-table';
import { crc32 } from '../../src/compare/zip-reader';
import { csvText } from '../../src/export/csv';
import { renderCompareFigure } from '../../src/export/figures/compare/index';
import { planRunFiles } from '../../src/export/run-files';
import { summaryTxt } from '../../src/export/summary-txt';
import type { RunRecord } from '../../src/recorder/run-record';
import { fixedRun } from '../fixtures/export-fixtures';
import { FORMULA_FOLDER, HISTORY, HOSTILE_CLASSES, HOSTILE_FOLDER, HOSTILE_MODEL, HOSTILE_ZIP_NAME, hostileReferenceZip, LATEX_MODEL, summaryOf } from '../fixtures/hostile';
import { attachTest, baseRecord, makeHistory, makePredictions } from '../fixtures/export-records';
import { parseCsv } from '../fixtures/parse-csv';
import { pageTexts, readPdf } from '../fixtures/parse-pdf';

const NOW = new Date('2026-02-03T04:05:06.789Z');
const enc = new TextEncoder();
const MB = 2 ** 20;

// ---------------------------------------------------------------------------------------------
// Building the corpus

function source(path: string, data: Uint8Array | string | Blob): SourceFile {
  const blob = data instanceof Blob ? data : new Blob([typeof data === 'string' ? enc.encode(data) : new Uint8Array(data)]);
  return { name: path.slice(path.lastIndexOf('/') + 1), path, blob };
}
const loose = (name: string, data: Uint8Array | string | Blob): SourceFile => ({ ...source(name, data), path: '' });

/** A good run folder's files under `folder/`. */
function goodFolder(folder: string, model = 'mlp'): Record<string, Uint8Array> {
  return { [`${folder}/results_summary.json`]: enc.encode(JSON.stringify(summaryOf(model))), [`${folder}/training_history.csv`]: enc.encode(HISTORY) };
}

// A hand-made zip writer for what real writers refuse to write (lying sizes, `../` names, encryption flags).
interface RawEntry {
  name: string;
  data: Uint8Array; // written as is (already deflated for method 8)
  method?: number;
  flags?: number;
  size?: number; // declared uncompressed size (default: data.length)
  crc?: number;
}
function craftZip(entries: RawEntry[]): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  let at = 0;
  const push = (b: Uint8Array) => (chunks.push(b), (at += b.length));
  const header = (n: number) => {
    const b = new Uint8Array(n);
    return { b, v: new DataView(b.buffer) };
  };
  const names = entries.map((e) => enc.encode(e.name));
  const offsets: number[] = [];
  entries.forEach((e, i) => {
    offsets.push(at);
    const { b, v } = header(30);
    v.setUint32(0, 0x04034b50, true), v.setUint16(4, 20, true), v.setUint16(6, (e.flags ?? 0) | 0x800, true), v.setUint16(8, e.method ?? 0, true);
    v.setUint32(14, e.crc ?? crc32(e.data), true), v.setUint32(18, e.data.length, true), v.setUint32(22, e.size ?? e.data.length, true), v.setUint16(26, names[i].length, true);
    push(b), push(names[i]), push(e.data);
  });
  const cdStart = at;
  entries.forEach((e, i) => {
    const { b, v } = header(46);
    v.setUint32(0, 0x02014b50, true), v.setUint16(4, 20, true), v.setUint16(6, 20, true), v.setUint16(8, (e.flags ?? 0) | 0x800, true), v.setUint16(10, e.method ?? 0, true);
    v.setUint32(16, e.crc ?? crc32(e.data), true), v.setUint32(20, e.data.length, true), v.setUint32(24, e.size ?? e.data.length, true), v.setUint16(28, names[i].length, true);
    v.setUint32(42, offsets[i], true);
    push(b), push(names[i]);
  });
  const { b, v } = header(22);
  v.setUint32(0, 0x06054b50, true), v.setUint16(8, entries.length, true), v.setUint16(10, entries.length, true), v.setUint32(12, at - cdStart, true), v.setUint32(16, cdStart, true);
  push(b);
  const out = new Uint8Array(at);
  let o = 0;
  for (const c of chunks) out.set(c, o), (o += c.length);
  return out;
}
const stored = (files: Record<string, Uint8Array>): RawEntry[] => Object.entries(files).map(([name, data]) => ({ name, data }));

/**
 * A results_summary.json of `size` bytes (a real summary padded with spaces), deflated by fflate's
 * streaming Deflate from one reused 1 MB buffer: the test never holds the inflated file.
 */
function deflatedHugeJson(size: number): Uint8Array<ArrayBuffer> {
  const head = enc.encode(JSON.stringify(summaryOf('bomb')).slice(0, -1) + ',"pad":"');
  const tail = enc.encode('"}');
  const out: Uint8Array[] = [];
  const deflate = new Deflate({ level: 6 }, (chunk) => out.push(chunk));
  deflate.push(head);
  const spaces = new Uint8Array(MB).fill(0x20);
  let left = size - head.length - tail.length;
  for (; left > MB; left -= MB) deflate.push(spaces);
  deflate.push(spaces.subarray(0, left));
  deflate.push(tail, true);
  const bytes = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of out) bytes.set(c, o), (o += c.length);
  return bytes;
}

/** A Blob that counts the bytes read from it (and from its slices). */
class CountingBlob extends Blob {
  constructor(parts: BlobPart[], readonly reads: number[]) {
    super(parts);
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    return new CountingBlob([super.slice(start, end, type)], this.reads);
  }
  override arrayBuffer() {
    this.reads.push(this.size);
    return super.arrayBuffer();
  }
}

const problemsOf = (r: ImportResult, file: string) => r.problems.filter((p) => p.file === file);
const ids = (r: ImportResult) => r.records.map((x) => x.run_id);

async function importOne(file: SourceFile, opts: Partial<Parameters<typeof importFiles>[1]> = {}): Promise<ImportResult> {
  return importFiles([file], { now: NOW, ...opts });
}

// ---------------------------------------------------------------------------------------------

describe('hostile input: broken zips', () => {
  it('an empty file and an empty zip: one clear problem each', async () => {
    const r = await importFiles([loose('empty.zip', new Uint8Array(0)), loose('nothing.zip', zipSync({}))], { now: NOW });
    expect(r.records).to.deep.equal([]);
    expect(r.problems).to.deep.equal([
      { file: 'empty.zip', path: '', reason: 'not a zip file (the file is empty)' },
      { file: 'nothing.zip', path: '', reason: 'no run found: no folder in it holds a results_summary.json or a training_history.csv' },
    ]);
  });

  it('a truncated zip is named as probably cut short, wherever it was cut', async () => {
    const whole = zipSync({ ...goodFolder('mlp_20250101_000000'), 'mlp_20250101_000000/weights.bin': new Uint8Array(4000).map((_, i) => (i * 7919) % 251) });
    for (const keep of [whole.length - 3, whole.length >> 1, 100]) {
      const r = await importOne(loose('cut.zip', whole.subarray(0, keep)));
      expect(r.records, `cut at ${keep}`).to.deep.equal([]);
      expect(r.problems, `cut at ${keep}`).to.have.length(1);
      expect(r.problems[0].file).to.equal('cut.zip');
      expect(r.problems[0].reason, `cut at ${keep}`).to.match(/cut short \(an incomplete download or copy\)$/);
    }
  });

  it('an encrypted run file: that folder is one problem, the zip’s other folders still import', async () => {
    const summary = enc.encode(JSON.stringify(summaryOf('cnn')));
    const zip = craftZip([
      ...stored(goodFolder('good_20250101_000000')),
      { name: 'locked_20250101_000000/results_summary.json', data: summary, flags: 1 },
      { name: 'locked_20250101_000000/training_history.csv', data: enc.encode(HISTORY) },
    ]);
    const r = await importOne(loose('mixed.zip', zip));
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    // The readable history of the locked folder does not make a half record.
    expect(r.problems).to.deep.equal([
      { file: 'mixed.zip', path: 'locked_20250101_000000', reason: 'unsupported zip: entry "locked_20250101_000000/results_summary.json" is encrypted' },
    ]);
  });

  it('zips nested ten deep: the zip inside the inner zip is named, not opened, and nothing else is claimed', async () => {
    let inner: Uint8Array = zipSync(goodFolder('deep_20250101_000000'));
    for (let level = 10; level >= 1; level--) inner = zipSync({ [`level${level}.zip`]: inner });
    const r = await importFiles([loose('nested.zip', inner), ...Object.entries(goodFolder('ok_20250101_000000')).map(([p, b]) => source(`pick/${p}`, b))], { now: NOW });
    expect(ids(r)).to.deep.equal(['ok_20250101_000000']);
    expect(r.problems).to.deep.equal([
      {
        file: 'nested.zip',
        path: 'level1.zip/level2.zip',
        reason: 'not opened: a zip inside a zip inside this zip (zips inside a zip are opened one level deep); unzip the outer zip and import what it holds',
      },
    ]);
  });

  it('a huge declared size is refused before anything is inflated: one file past 64 MB, or the zip past 1 GB', async () => {
    // Not valid deflate: an importer that inflated first would report "does not inflate" instead.
    const junk = new Uint8Array(64).fill(0xff);
    const oneHuge = craftZip([...stored(goodFolder('good_20250101_000000')), { name: 'huge_20250101_000000/results_summary.json', data: junk, method: 8, size: 0xfffffff0 }]);
    const r1 = await importOne(loose('one-huge.zip', oneHuge));
    expect(ids(r1)).to.deep.equal(['good_20250101_000000']);
    expect(r1.problems).to.deep.equal([
      { file: 'one-huge.zip', path: 'huge_20250101_000000', reason: 'entry "huge_20250101_000000/results_summary.json" declares 4 GB, past the 64 MB limit for one file; it is not read' },
    ]);
    // Twenty files of 60 MB each: each under the limit for one file, together past the zip's budget.
    const many = craftZip(Array.from({ length: 20 }, (_, i) => ({ name: `r${i}_20250101_000000/training_history.csv`, data: junk, method: 8, size: 60 * MB })));
    const r2 = await importOne(loose('many.zip', many));
    expect(r2.records).to.deep.equal([]);
    expect(r2.problems).to.deep.equal([{ file: 'many.zip', path: '', reason: 'would expand to 1.2 GB, past the 1 GB limit' }]);
  });

  it('a 200 MB results_summary.json: refused from its declared size without reading its data', async () => {
    const data = deflatedHugeJson(200 * MB);
    expect(data.length).to.be.lessThan(MB); // what the test holds
    const zip = craftZip([...stored(goodFolder('good_20250101_000000')), { name: 'big_20250101_000000/results_summary.json', data, method: 8, size: 200 * MB }]);
    const reads: number[] = [];
    const r = await importOne({ name: 'big.zip', path: '', blob: new CountingBlob([zip], reads) });
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    expect(r.problems).to.deep.equal([
      { file: 'big.zip', path: 'big_20250101_000000', reason: 'entry "big_20250101_000000/results_summary.json" declares 200 MB, past the 64 MB limit for one file; it is not read' },
    ]);
    expect(reads.reduce((a, b) => a + b, 0)).to.be.lessThan(data.length / 4);
  });

  it('a zip that lies about a size (1000 B declared, 200 MB inside) is stopped while inflating', async () => {
    const data = deflatedHugeJson(200 * MB);
    const zip = craftZip([...stored(goodFolder('good_20250101_000000')), { name: 'liar_20250101_000000/results_summary.json', data, method: 8, size: 1000 }, { name: 'liar_20250101_000000/training_history.csv', data: enc.encode(HISTORY) }]);
    const r = await importOne(loose('liar.zip', zip));
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    expect(r.problems).to.have.length(1);
    const [p] = r.problems;
    expect([p.file, p.path]).to.deep.equal(['liar.zip', 'liar_20250101_000000']);
    const m = /^damaged zip: entry "liar_20250101_000000\/results_summary\.json" inflates to more than the 1000 B its directory entry declares \(stopped after ([\d.]+) (kB|MB)\)$/.exec(p.reason);
    expect(m, p.reason).to.not.equal(null);
    const stoppedAfter = Number(m![1]) * (m![2] === 'MB' ? MB : 1024);
    expect(stoppedAfter).to.be.lessThan(32 * MB); // stopped within one slice of input, far from 200 MB
  });

  it('a loose 200 MB results_summary.json is refused before it is read, and its folder yields no record', async () => {
    const huge = new Blob(['{}']);
    Object.defineProperty(huge, 'size', { value: 200 * MB });
    let read = false;
    huge.arrayBuffer = () => ((read = true), Promise.reject(new Error('read a 200 MB file')));
    const r = await importFiles(
      [source('pick/big_20250101_000000/results_summary.json', huge), source('pick/big_20250101_000000/training_history.csv', HISTORY), ...Object.entries(goodFolder('good_20250101_000000')).map(([p, b]) => source(`pick/${p}`, b))],
      { now: NOW },
    );
    expect(read).to.equal(false);
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    expect(r.problems).to.deep.equal([{ file: 'pick', path: 'big_20250101_000000', reason: `results_summary.json: ${200 * MB} bytes, past the ${64 * MB}-byte limit for one file` }]);
  });

  it('entries with ../ or absolute paths are refused, named, and never become runs', async () => {
    const summary = enc.encode(JSON.stringify(summaryOf('evil')));
    const zip = craftZip([
      ...stored(goodFolder('good_20250101_000000')),
      { name: '../../escape_20250101_000000/results_summary.json', data: summary },
      { name: '/etc/abs_20250101_000000/results_summary.json', data: summary },
      { name: 'C:/Windows/drive_20250101_000000/results_summary.json', data: summary },
      { name: 'ok/../sneaky_20250101_000000/training_history.csv', data: enc.encode(HISTORY) },
      { name: '..\\back_20250101_000000\\results_summary.json', data: summary },
      { name: 'nul\0_20250101_000000/results_summary.json', data: summary },
    ]);
    const r = await importOne(loose('paths.zip', zip));
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    const unsafe = (entry: string) => `unsafe zip: entry "${entry}" points outside the zip (an absolute path or ".."); it is not read`;
    expect(r.problems).to.have.deep.members([
      { file: 'paths.zip', path: '../../escape_20250101_000000', reason: unsafe('../../escape_20250101_000000/results_summary.json') },
      { file: 'paths.zip', path: '/etc/abs_20250101_000000', reason: unsafe('/etc/abs_20250101_000000/results_summary.json') },
      { file: 'paths.zip', path: 'C:/Windows/drive_20250101_000000', reason: unsafe('C:/Windows/drive_20250101_000000/results_summary.json') },
      { file: 'paths.zip', path: 'ok/../sneaky_20250101_000000', reason: unsafe('ok/../sneaky_20250101_000000/training_history.csv') },
      { file: 'paths.zip', path: '../back_20250101_000000', reason: unsafe('../back_20250101_000000/results_summary.json') },
      { file: 'paths.zip', path: 'nul\0_20250101_000000', reason: unsafe('nul\0_20250101_000000/results_summary.json') },
    ]);
    expect(r.problems).to.have.length(6);
  });

  it('a path listed twice is refused (which copy is the run’s cannot be told); macOS resource forks named .zip are skipped', async () => {
    const summary = enc.encode(JSON.stringify(summaryOf('twice')));
    const zip = craftZip([
      ...stored(goodFolder('good_20250101_000000')),
      { name: 'twice_20250101_000000/results_summary.json', data: summary },
      { name: 'twice_20250101_000000/training_history.csv', data: enc.encode(HISTORY) },
      { name: 'twice_20250101_000000/results_summary.json', data: enc.encode(JSON.stringify(summaryOf('other'))) },
      { name: '__MACOSX/runs/._good.zip', data: enc.encode('\x00\x05\x16\x07 AppleDouble, not a zip') },
    ]);
    const r = await importOne(loose('twice.zip', zip));
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    expect(r.problems).to.deep.equal([
      { file: 'twice.zip', path: 'twice_20250101_000000', reason: 'the zip holds "twice_20250101_000000/results_summary.json" 2 times; which one belongs to the run cannot be told' },
    ]);
  });

  it('a zip of run.zips with one broken run.zip: the others import, the broken one is named', async () => {
    const good = zipSync(goodFolder('a_20250101_000000'));
    const other = zipSync(goodFolder('b_20250101_000000'));
    const outer = zipSync({ 'runs/a.zip': [good, { level: 0 }], 'runs/broken.zip': [enc.encode('not a zip'), { level: 0 }], 'runs/b.zip': other });
    const r = await importOne(loose('all.zip', outer));
    expect(ids(r).sort()).to.deep.equal(['a_20250101_000000', 'b_20250101_000000']);
    expect(r.problems).to.deep.equal([{ file: 'all.zip', path: 'runs/broken.zip', reason: 'runs/broken.zip: not a zip file (no end of central directory record)' }]);
  });
});

describe('hostile input: results_summary.json', () => {
  const folder = (name: string, summary: string, extra: Record<string, string> = {}) => [
    source(`bad/${name}/results_summary.json`, summary),
    ...Object.entries(extra).map(([f, text]) => source(`bad/${name}/${f}`, text)),
  ];
  const reasonOf = (r: ImportResult, name: string) => {
    const hits = r.problems.filter((p) => p.path === name);
    expect(hits, `problems of ${name}: ${JSON.stringify(r.problems)}`).to.have.length(1);
    expect(hits[0].file).to.equal('bad');
    return hits[0].reason;
  };

  it('wrong types and missing keys: one problem each, naming the file and the field; no record from any', async () => {
    const cases: [string, unknown, string][] = [
      ['top_array_20250101_000000', [1, 2], 'results_summary.json: the file must be an object (got an array)'],
      ['top_null_20250101_000000', null, 'results_summary.json: the file must be an object (got null, NaN or Infinity)'],
      ['top_text_20250101_000000', 'hello', 'results_summary.json: the file must be an object (got "hello")'],
      ['name_number_20250101_000000', summaryOf('x', { model_name: 42 }), 'results_summary.json: model_name must be text (got 42)'],
      ['no_name_20250101_000000', (() => { const s = summaryOf('x'); delete s.model_name; return s; })(), "results_summary.json: neither a TrainLab run record (no schema_version) nor the reference script's summary (no model_name)"],
      ['test_array_20250101_000000', summaryOf('x', { test: [] }), 'results_summary.json: test must be an object (got an array)'],
      ['test_empty_20250101_000000', summaryOf('x', { test: {} }), 'results_summary.json: test.test_accuracy must be a number (got nothing: the key is missing)'],
      ['names_text_20250101_000000', summaryOf('x', { dataset: { class_names: 'ab' } }), 'results_summary.json: dataset.class_names must be an array of text (got "ab")'],
      ['cm_text_20250101_000000', summaryOf('x', { test: { test_accuracy: 50, confusion_matrix: [[1, '2']] } }), 'results_summary.json: test.confusion_matrix[0][1] must be a whole number ≥ 0 (got "2")'],
      ['params_neg_20250101_000000', summaryOf('x', { model_parameters: -5 }), 'results_summary.json: model_parameters must be a whole number ≥ 0 (got -5)'],
      ['start_number_20250101_000000', summaryOf('x', { start_time: 12 }), 'results_summary.json: start_time must be text (got 12)'],
      ['start_junk_20250101_000000', summaryOf('x', { start_time: 'yesterday' }), 'results_summary.json: start_time is not a date ("yesterday")'],
      ['training_text_20250101_000000', summaryOf('x', { training: 'fast' }), 'results_summary.json: training must be an object (got "fast")'],
      ['per_class_short_20250101_000000', summaryOf('x', { test: { test_accuracy: 50, per_class_metrics: { per_class: { precision: [1], recall: [1, 1], f1: [1], support: [1] } } } }), 'results_summary.json: precision has 1 values for 2 classes'],
    ];
    const files = cases.flatMap(([name, value]) => folder(name, JSON.stringify(value), { 'training_history.csv': HISTORY }));
    const r = await importFiles([...files, ...Object.entries(goodFolder('good_20250101_000000')).map(([p, b]) => source(`fine/${p}`, b))], { now: NOW });
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    for (const [name, , reason] of cases) expect(reasonOf(r, name), name).to.equal(reason);
    expect(r.problems).to.have.length(cases.length);
  });

  it('NaN and Infinity where a number must be: a clear problem; where a number may be missing: read as missing', async () => {
    const nanAccuracy = JSON.stringify(summaryOf('x')).replace('"test_accuracy":85', '"test_accuracy":NaN');
    const nanParams = JSON.stringify(summaryOf('y')).replace('"model_parameters":1234', '"model_parameters":NaN').replace('"test_loss":0.4', '"test_loss":-Infinity');
    const nanName = JSON.stringify(summaryOf('z')).replace('"model_name":"z"', '"model_name":NaN');
    const r = await importFiles([...folder('nan_acc_20250101_000000', nanAccuracy), ...folder('nan_params_20250101_000000', nanParams), ...folder('nan_name_20250101_000000', nanName)], { now: NOW });
    expect(reasonOf(r, 'nan_acc_20250101_000000')).to.equal('results_summary.json: test.test_accuracy must be a number (got null, NaN or Infinity)');
    expect(reasonOf(r, 'nan_name_20250101_000000')).to.equal('results_summary.json: model_name must be text (got null, NaN or Infinity)');
    expect(ids(r)).to.deep.equal(['nan_params_20250101_000000']);
    expect(r.records[0].model_parameters).to.equal(null);
    expect(r.records[0].test?.test_loss).to.equal(null);
  });

  it('10,000-deep nesting (in results_summary.json, config.json or training_history.json) is refused with a clear message', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const inSummary = JSON.stringify(summaryOf('x', { config: { epochs: 2, deep: '@' } })).replace('"@"', deep(10_000));
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const r = await importFiles(
      [
        ...folder('deep_summary_20250101_000000', inSummary),
        ...folder('deep_config_20250101_000000', JSON.stringify(summaryOf('y')), { 'config.json': `{"epochs": 2, "x": ${objects}}` }),
        source('bad/deep_history_20250101_000000/training_history.json', `{"train_loss": ${deep(10_000)}}`),
        source('bad/deep_history_20250101_000000/results_summary.json', JSON.stringify(summaryOf('z'))),
        ...folder('deep_strings_20250101_000000', JSON.stringify(summaryOf('w', { notes: '['.repeat(10_000) }))),
      ],
      { now: NOW },
    );
    const message = (file: string) => `${file}: arrays and objects nest more than 64 levels deep; a run's files nest a few levels`;
    expect(reasonOf(r, 'deep_summary_20250101_000000')).to.equal(message('results_summary.json'));
    expect(reasonOf(r, 'deep_config_20250101_000000')).to.equal(message('config.json'));
    expect(reasonOf(r, 'deep_history_20250101_000000')).to.equal(message('training_history.json'));
    // Brackets inside strings are text, not nesting.
    expect(ids(r)).to.deep.equal(['deep_strings_20250101_000000']);
  });

  it('a TrainLab record nested 10,000 deep is refused the same way', async () => {
    const { record } = fixedRun();
    const text = JSON.stringify({ ...record, notes: '@' }).replace('"@"', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    const r = await importOne(source(`bad/${record.run_id}/results_summary.json`, text));
    expect(r.records).to.deep.equal([]);
    expect(r.problems).to.deep.equal([{ file: 'bad', path: record.run_id, reason: "results_summary.json: arrays and objects nest more than 64 levels deep; a run's files nest a few levels" }]);
  });

  it('a history of 100,001 epochs, a count of 10⁹ classes or 100,001 per-class rows: refused before anything that size is built', async () => {
    const rows = 100_001;
    const csv = 'train_loss,train_acc,val_loss,val_acc\n' + '0.5,50,0.5,50\n'.repeat(rows);
    const column = `[${'0.5,'.repeat(rows - 1)}0.5]`;
    const json = `{"train_loss": ${column}, "train_acc": ${column}, "val_loss": ${column}, "val_acc": ${column}}`;
    const perClass = 'class_name,precision,recall,f1_score,support\n' + 'c,0.5,0.5,0.5,1\n'.repeat(rows);
    const r = await importFiles(
      [
        source('bad/long_csv_20250101_000000/training_history.csv', csv),
        source('bad/long_cr_20250101_000000/training_history.csv', csv.replace(/\n/g, '\r')), // old Mac line ends
        source('bad/long_json_20250101_000000/training_history.json', json),
        source('bad/long_json_20250101_000000/results_summary.json', JSON.stringify(summaryOf('j'))),
        ...folder('classes_20250101_000000', JSON.stringify(summaryOf('c', { dataset: { num_classes: 1e9 }, test: { test_accuracy: 50 } }))),
        ...folder('classes_cfg_20250101_000000', JSON.stringify(summaryOf('d', { dataset: {}, test: { test_accuracy: 50 } })), { 'config.json': '{"num_classes": 4000000000}' }),
        ...folder('per_class_20250101_000000', JSON.stringify(summaryOf('p', { dataset: {}, test: { test_accuracy: 50 } })), { 'per_class_metrics.csv': perClass }),
      ],
      { now: NOW },
    );
    expect(r.records).to.deep.equal([]);
    expect(reasonOf(r, 'long_csv_20250101_000000')).to.equal("training_history.csv: 100,001 epochs, more than the 100,000 a run's history may hold");
    expect(reasonOf(r, 'long_cr_20250101_000000')).to.equal("training_history.csv: 100,001 epochs, more than the 100,000 a run's history may hold");
    expect(reasonOf(r, 'long_json_20250101_000000')).to.equal("training_history.json: 100,001 epochs, more than the 100,000 a run's history may hold");
    expect(reasonOf(r, 'classes_20250101_000000')).to.equal('results_summary.json: the dataset has 1,000,000,000 classes, more than the 100,000 a run may have');
    expect(reasonOf(r, 'classes_cfg_20250101_000000')).to.equal('config.json: the dataset has 4,000,000,000 classes, more than the 100,000 a run may have');
    expect(reasonOf(r, 'per_class_20250101_000000')).to.equal('per_class_metrics.csv: has rows for 100,001 classes, more than the 100,000 a run may have');
  });

  it('a TrainLab record with 100,001 epochs or 100,001 class names is refused before it is validated', async () => {
    const { record } = fixedRun();
    const epochs = JSON.stringify({ ...record, history: Array.from({ length: 100_001 }, () => record.history[0]) });
    const classes = JSON.stringify({ ...record, dataset: { ...record.dataset, class_names: Array.from({ length: 100_001 }, (_, i) => `c${i}`) } });
    const r = await importFiles([source('lab/long_20250101_000000/results_summary.json', epochs), source('lab/wide_20250101_000000/results_summary.json', classes)], { now: NOW });
    expect(r.records).to.deep.equal([]);
    expect(r.problems).to.deep.equal([
      { file: 'lab', path: 'long_20250101_000000', reason: "results_summary.json: 100,001 epochs, more than the 100,000 a run's history may hold" },
      { file: 'lab', path: 'wide_20250101_000000', reason: 'results_summary.json: the dataset has 100,001 classes, more than the 100,000 a run may have' },
    ]);
  });

  it('__proto__ and constructor keys pollute no prototype and survive as plain data', async () => {
    const poison = '{"polluted":"yes"}';
    const summary = JSON.stringify(summaryOf('proto', { config: { epochs: 2, '@proto': 1, constructor: { prototype: { polluted: 'yes' } } }, dataset: { class_names: ['a', 'b'], '@proto': 2 } }))
      .replace('"@proto":1', `"__proto__":${poison}`)
      .replace('"@proto":2', '"__proto__":null');
    const configJson = `{"__proto__": {"polluted": "yes", "epochs": 999}, "hidden": [4], "toString": "not a function"}`;
    const wholeFile = `{"__proto__": ${poison}, ${summary.slice(1)}`;
    const r = await importFiles(
      [source('p/proto_20250101_000000/results_summary.json', wholeFile), source('p/proto_20250101_000000/config.json', configJson), source('p/proto_20250101_000000/training_history.csv', HISTORY)],
      { now: NOW },
    );
    expect(r.problems).to.deep.equal([]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect((Object.prototype as Record<string, unknown>).polluted).to.equal(undefined);
    const [rec] = r.records;
    const extra = rec.config.extra!;
    expect(Object.getPrototypeOf(extra)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyNames(extra).sort()).to.deep.equal(['__proto__', 'constructor', 'hidden', 'toString']);
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).to.equal(poison); // results_summary.json's config wins over config.json
    expect(extra['constructor']).to.equal('{"prototype":{"polluted":"yes"}}');
    expect(extra['toString']).to.equal('not a function');
    expect(rec.config.epochs).to.equal(2); // not 999 from a prototype
    const dsExtra = rec.dataset.extra!;
    expect(Object.getPrototypeOf(dsExtra)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(dsExtra, '__proto__')?.value).to.equal(null);
    // Still plain data after a round trip through JSON (what the exporters write) and structured clone (what IndexedDB stores).
    expect(Object.getOwnPropertyDescriptor(JSON.parse(JSON.stringify(rec)).config.extra, '__proto__')?.value).to.equal(poison);
    expect(Object.getOwnPropertyDescriptor(structuredClone(rec).config.extra, '__proto__')?.value).to.equal(poison);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('__proto__ keys in a TrainLab record pollute nothing and stay plain data', async () => {
    const { record } = fixedRun();
    const text = JSON.stringify({ ...record, config: { ...record.config, extra: { '@proto': 1, constructor: 'c' } } })
      .replace('"@proto":1', '"__proto__":"{\\"polluted\\":\\"yes\\"}"')
      .replace(/^\{/, '{"__proto__":{"polluted":"yes"},');
    const r = await importOne(source(`lab/${record.run_id}/results_summary.json`, text));
    expect(r.problems).to.deep.equal([]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    const extra = r.records[0].config.extra!;
    expect(Object.getPrototypeOf(extra)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).to.equal('{"polluted":"yes"}');
    expect(extra['constructor']).to.equal('c');
  });

  it('the lab keeps working: the whole corpus in one import resolves, one problem per bad thing, the good run imported', async () => {
    const junk = new Uint8Array(64).fill(0xff);
    let nested: Uint8Array = zipSync(goodFolder('deep_20250101_000000'));
    for (let level = 10; level >= 1; level--) nested = zipSync({ [`level${level}.zip`]: nested });
    const good = zipSync(goodFolder('good_20250101_000000'));
    const corpus: SourceFile[] = [
      loose('empty.zip', new Uint8Array(0)),
      loose('cut.zip', good.subarray(0, good.length >> 1)),
      loose('locked.zip', craftZip([{ name: 'l_20250101_000000/results_summary.json', data: enc.encode('{}'), flags: 1 }])),
      loose('nested.zip', nested),
      loose('huge.zip', craftZip([{ name: 'h_20250101_000000/results_summary.json', data: junk, method: 8, size: 0xfffffff0 }])),
      loose('liar.zip', craftZip([{ name: 'x_20250101_000000/results_summary.json', data: deflatedHugeJson(8 * MB), method: 8, size: 10 }])),
      loose('escape.zip', craftZip([{ name: '../x_20250101_000000/results_summary.json', data: enc.encode('{}') }])),
      source('bad/nan_20250101_000000/results_summary.json', '{"model_name": NaN}'),
      source('bad/deep_20250101_000000/results_summary.json', '['.repeat(10_000) + ']'.repeat(10_000)),
      source('bad/types_20250101_000000/results_summary.json', JSON.stringify(summaryOf('x', { test: { test_accuracy: 'high' } }))),
      loose('good.zip', good),
    ];
    const r = await importFiles(corpus, { now: NOW });
    expect(ids(r)).to.deep.equal(['good_20250101_000000']);
    const byFile = new Map<string, number>();
    for (const p of r.problems) byFile.set(p.file, (byFile.get(p.file) ?? 0) + 1);
    expect(Object.fromEntries(byFile)).to.deep.equal({ 'empty.zip': 1, 'cut.zip': 1, 'locked.zip': 1, 'nested.zip': 1, 'huge.zip': 1, 'liar.zip': 1, 'escape.zip': 1, bad: 3 });
    for (const p of r.problems) expect(p.reason, JSON.stringify(p)).to.match(/\S{3}/);
    expect(problemsOf(r, 'good.zip')).to.deep.equal([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile names through every output

/** The hostile reference-layout runs, imported as a person would. */
async function importHostileRuns(): Promise<RunRecord[]> {
  const r = await importOne(loose(HOSTILE_ZIP_NAME, hostileReferenceZip()));
  expect(r.problems).to.deep.equal([]);
  return r.records;
}

const PREAMBLE = '\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}\\usepackage{booktabs}';
const documentWith = (body: string) => `${PREAMBLE}\n\\tracinglostchars=3\n\\begin{document}\n${body}\n\\end{document}\n`;
interface Compiled { available: boolean; ok: boolean; log: string }

// What latexEscape may write with a backslash: the escapes of the ten specials (accents and math are not needed here).
const LATEX_ESCAPES = /\\(textbackslash\{\}|textasciitilde\{\}|textasciicircum\{\}|[&%$#_{}])/g;

describe('hostile names: kept as text, escaped or neutralised in every output', () => {
  let records: RunRecord[];
  before(async () => {
    records = await importHostileRuns();
  });

  it('the imported RunRecords hold the names exactly as written', () => {
    const byId = new Map(records.map((r) => [r.run_id, r]));
    expect([...byId.keys()].sort()).to.deep.equal([FORMULA_FOLDER, HOSTILE_FOLDER].sort());
    expect(byId.get(HOSTILE_FOLDER)!.model_name).to.equal(HOSTILE_MODEL);
    expect(byId.get(HOSTILE_FOLDER)!.run_name).to.equal(HOSTILE_FOLDER);
    expect(byId.get(FORMULA_FOLDER)!.model_name).to.equal(LATEX_MODEL);
    for (const r of records) {
      expect(r.dataset.class_names).to.deep.equal(HOSTILE_CLASSES);
      expect(r.test!.per_class_metrics!.per_class.class_name).to.deep.equal(HOSTILE_CLASSES);
    }
  });

  it('csvText neutralises every formula start, even inside quotes, and leaves other text alone', () => {
    for (const v of ['=1+2', '+cmd', '-2+3', '@SUM(A1)', '\t=1', '\r=1', HOSTILE_MODEL]) expect(csvText(v), v).to.match(/^"?'/);
    expect(csvText('=HYPERLINK("x","y")')).to.equal(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvText('<script>')).to.equal('<script>');
    expect(csvText('a=1')).to.equal('a=1');
  });

  it('model_comparison.csv: formulas in names get a leading apostrophe; the text is otherwise intact', () => {
    const rows = parseCsv(modelComparisonCsv(records));
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    const byRun = new Map(rows.slice(1).map((row) => [row[col('Run_Dir')], row]));
    expect(byRun.get(HOSTILE_FOLDER)![col('Model')]).to.equal(`'${HOSTILE_MODEL}`);
    expect(byRun.get(`'${FORMULA_FOLDER}`)![col('Model')]).to.equal(LATEX_MODEL);
    expect(byRun.get(`'${FORMULA_FOLDER}`)![col('run_name')]).to.equal(`'${FORMULA_FOLDER}`);
    // No cell of any row starts like a formula unless it is a number.
    for (const row of rows.slice(1)) {
      for (const cell of row) if (/^[=+\-@\t\r]/.test(cell)) expect(Number.isFinite(Number(cell)), cell).to.equal(true);
    }
  });

  it('latexEscape turns every hostile name into text: no command survives but the escapes of specials', () => {
    for (const name of [...HOSTILE_CLASSES, HOSTILE_MODEL, LATEX_MODEL, '\\csname input\\endcsname{x}', '\\catcode`\\^=7', 'a % comment\n\\end{tabular}']) {
      const tex = latexEscape(name);
      expect(tex.replace(LATEX_ESCAPES, ''), `${name} → ${tex}`).to.not.include('\\');
      expect(tex).to.not.match(/\^\^|(?<!\\)%|\n/);
    }
    expect(latexEscape('\\input{/etc/passwd}')).to.equal('\\textbackslash{}input\\{/etc/passwd\\}');
  });

  it('comparison_table.tex escapes \\input and \\write18 and compiles with pdflatex (no file read, no shell)', async function () {
    this.timeout(180000);
    const tex = runsLatex(records, { columns: ['model', 'run_name', 'parameters', 'test_acc', 'best_val_acc', 'duration'], precision: 2 });
    expect(tex).to.not.match(/\\input\b|\\write18|\^\^5c/);
    expect(tex).to.include('\\textbackslash{}input\\{/etc/passwd\\}\\textbackslash{}write18\\{rm -rf /\\}');
    const result = await executeServerCommand<Compiled, { tex: string }>('pdflatex', { tex: documentWith(tex) });
    if (!result.available) this.skip();
    expect(result.ok, result.log).to.equal(true);
    expect(result.log).to.not.include('/etc/passwd)'); // pdflatex logs "(/etc/passwd" for a file it reads
  });

  it('the per-class F1 figure (PDF) prints each hostile class name as text, with no action or link', async () => {
    const input = figureInput(records, groupRuns(records, { kind: 'none' }), { grouped: false, showTrain: false, smoothing: 0 });
    const blob = await renderCompareFigure('per_class_f1', input, 'pdf');
    const pdf = await readPdf(new Uint8Array(await blob.arrayBuffer()));
    const texts = pageTexts(pdf);
    // Long labels wrap onto lines (at spaces, which are not drawn): compare without whitespace.
    const printed = texts.join('').replace(/\s/g, '');
    for (const name of [...HOSTILE_CLASSES, HOSTILE_FOLDER, FORMULA_FOLDER]) expect(printed, `${name} among ${JSON.stringify(texts)}`).to.include(name.replace(/\s/g, ''));
    expect(texts).to.include.members(HOSTILE_CLASSES.filter((n) => n.length <= 24 && !n.includes(' '))); // short ones on one line
    // No script, link, launch or form action from the data (jsPDF's own /OpenAction only fits the page to the window).
    const actions = pdf.text.match(/\/(JavaScript|JS|URI|Launch|SubmitForm|Annots|AA)\b/g);
    expect(actions).to.equal(null);
    expect(/\/OpenAction\s*\[\s*\d+ 0 R\s*\/FitH null\s*\]/.test(pdf.text)).to.equal(/\/OpenAction/.test(pdf.text));
  });

  it('SUMMARY.txt of a lab run prints hostile class names, run name and notes literally', () => {
    const record = baseRecord({
      runId: 'mlp_20261126_192000', classNames: HOSTILE_CLASSES, datasetName: '<b>data</b> =1+1', inputShape: [4],
      hidden: [8], epochs: 3, history: makeHistory(3, HOSTILE_CLASSES.length, 90), split: [90, 18, 18], status: 'completed', statusReason: '',
    });
    attachTest(record, makePredictions(18, HOSTILE_CLASSES.length, 0.8, 3), 0.5);
    record.run_name = '<script>alert("name")</script>';
    record.notes = '\\input{/etc/passwd} =SUM(A1) <img src=x onerror=alert(5)> javascript:alert(6)';
    record.tags = ['<b>tag</b>'];
    const text = summaryTxt(record, planRunFiles(record, { best: null, checkpoints: [] }, true));
    for (const name of HOSTILE_CLASSES) expect(text, name).to.include(name);
    expect(text).to.include('("<script>alert("name")</script>")');
    expect(text).to.include(record.notes);
    expect(text).to.include('<b>data</b> =1+1');
    expect(text).to.not.match(/&lt;|&gt;|&amp;|&quot;/);
  });
});
