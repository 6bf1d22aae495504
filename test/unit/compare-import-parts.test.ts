import { expect } from '@esm-bundle/chai';
import { historyFromCsv, historyFromJson } from '../../src/compare/import-history';
import { perClassFromCsv, weightedAverages } from '../../src/compare/import-metrics';
import { JsonReader } from '../../src/compare/import-read';
import { deviceFromSummaryTxt, parseRunFolderName } from '../../src/compare/import-reference';
import { gatherContainers } from '../../src/compare/import-sources';
import { cellNumber, csvTable, ImportFormatError, nullNonFinite, parseCsv, parseJson } from '../../src/compare/import-text';
import { accuracyFactor, metricFactor, scaled, scaleOf } from '../../src/compare/import-units';
import { findRunFolders, isRunFile } from '../../src/compare/run-folders';

const enc = new TextEncoder();
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('import text: Python-written JSON and CSV', () => {
  it('bare NaN / Infinity / -Infinity become null, never inside strings', () => {
    const text = '{"a": NaN, "b": [Infinity, -Infinity, 1], "s": "NaN \\" Infinity", "t": "-Infinity"}';
    expect(nullNonFinite(text)).to.equal('{"a": null, "b": [null, null, 1], "s": "NaN \\" Infinity", "t": "-Infinity"}');
    expect(parseJson(text, 'x.json')).to.deep.equal({ a: null, b: [null, null, 1], s: 'NaN " Infinity', t: '-Infinity' });
  });

  it('damaged JSON is an ImportFormatError naming the file', () => {
    const e = thrown(() => parseJson('{"a": 1,', 'results_summary.json'));
    expect(e).to.be.instanceOf(ImportFormatError);
    expect(e.message).to.match(/^results_summary\.json: not valid JSON \(.+\)$/);
  });

  it('CSV: quotes, doubled quotes, commas and line breaks inside quotes, CRLF or LF, blank lines', () => {
    const text = 'a,b\r\n"x, ""y""","line\nbreak"\r\n\r\n1,2\n';
    expect(parseCsv(text, 'f.csv')).to.deep.equal([['a', 'b'], ['x, "y"', 'line\nbreak'], ['1', '2']]);
    expect(parseCsv('a,b\n1,2', 'f.csv')).to.deep.equal([['a', 'b'], ['1', '2']]);
    expect(thrown(() => parseCsv('a\n"open', 'f.csv')).message).to.equal('f.csv: a quoted field is never closed');
  });

  it('csvTable names missing columns (sorted) and short rows', () => {
    expect(thrown(() => csvTable('val_loss\n1\n', 'h.csv', ['val_loss', 'train_acc'])).message).to.equal('h.csv: missing column train_acc');
    expect(thrown(() => csvTable('x\n1\n', 'h.csv', ['val_loss', 'val_acc'])).message).to.equal('h.csv: missing columns val_acc, val_loss');
    expect(thrown(() => csvTable('a,b\n1\n', 'h.csv', ['a'])).message).to.equal('h.csv: row 2 has 1 fields, the header has 2');
    expect(thrown(() => csvTable('', 'h.csv', ['a'])).message).to.equal('h.csv: the file is empty');
  });

  it('cells: numbers, empty and nan/inf as null, text as an error with row and column', () => {
    expect(cellNumber(' 1e-3 ', 'f', 'w')).to.equal(0.001);
    for (const s of ['', 'nan', 'NaN', 'inf', '-inf', 'Infinity']) expect(cellNumber(s, 'f', 'w'), s).to.equal(null);
    expect(thrown(() => cellNumber('abc', 'h.csv', 'row 3, column val_acc')).message).to.equal('h.csv: row 3, column val_acc is not a number ("abc")');
  });
});

describe('import units: decided per file', () => {
  it('all ≤ 1 is fractions, any > 1 is percent, nothing known is null', () => {
    expect(scaleOf([0.2, 1, null, 0.99])).to.equal('fraction');
    expect(scaleOf([0.2, 1.5])).to.equal('percent');
    expect(scaleOf([null, undefined])).to.equal(null);
    expect(accuracyFactor([0.5, 0.7]).factor).to.equal(100);
    expect(accuracyFactor([0.5, 70]).factor).to.equal(1);
    expect(metricFactor([0.5, 0.7]).factor).to.equal(1);
    expect(metricFactor([50, 0.7]).factor).to.equal(0.01);
  });

  it('conversion reads as the decimal written (0.575 → 57.5, 57.5 % → 0.575)', () => {
    expect(0.575 * 100).not.to.equal(57.5); // why scaled rounds
    expect(scaled(0.575, 100)).to.equal(57.5);
    expect(scaled(0.29, 100)).to.equal(29);
    expect(scaled(57.5, 0.01)).to.equal(0.575);
    expect(scaled(null, 100)).to.equal(null);
  });
});

describe('import history', () => {
  it('a CSV without an epoch column numbers rows from 1; fractions converted for the whole file', () => {
    const h = historyFromCsv('train_loss,train_acc,val_loss,val_acc\n1,0.5,1,0.985\n0.5,1,0.6,0.9\n');
    expect(h.epochs.map((e) => [e.epoch, e.train_acc, e.val_acc])).to.deep.equal([[1, 50], [2, 100]].map(([ep, ta], i) => [ep, ta, [98.5, 90][i]]));
    expect(h.notes).to.deep.equal(['training_history.csv: accuracies given as fractions (0–1); shown in percent']);
    expect(h.hasTest).to.equal(false);
    expect(h.epochs[0]).not.to.have.property('test_loss');
  });

  it('a value in percent anywhere keeps the whole file in percent', () => {
    const h = historyFromCsv('epoch,train_loss,train_acc,val_loss,val_acc,test_acc\n1,1,0.9,1,0.8,\n2,1,45,1,0.5,0.7\n');
    expect(h.epochs.map((e) => e.train_acc)).to.deep.equal([0.9, 45]);
    expect(h.epochs.map((e) => e.test_acc)).to.deep.equal([null, 0.7]);
    expect(h.notes).to.deep.equal([]);
  });

  it('bad epochs and bad JSON shapes are named', () => {
    expect(thrown(() => historyFromCsv('epoch,train_loss,train_acc,val_loss,val_acc\n1.5,1,1,1,1\n')).message).to.equal('training_history.csv: row 1: epoch must be a whole number (got 1.5)');
    expect(thrown(() => historyFromJson([1])).message).to.equal('training_history.json: must be an object with one array per metric');
    expect(thrown(() => historyFromJson({ train_loss: [1], train_acc: [1] })).message).to.equal('training_history.json: missing arrays val_acc, val_loss');
    expect(thrown(() => historyFromJson({ train_loss: [1, 2], train_acc: [1], val_loss: [1], val_acc: [1] })).message).to.equal('training_history.json: train_acc has 1 values, train_loss has 2');
    expect(thrown(() => historyFromJson({ train_loss: ['1'], train_acc: [1], val_loss: [1], val_acc: [1] })).message).to.equal('training_history.json: train_loss[0] must be a number (got "1")');
  });
});

describe('import metrics and reading', () => {
  it('weighted averages by support; zero when nothing has support', () => {
    const pc = { class_name: ['a', 'b'], precision: [1, 0], recall: [0.5, 0.5], f1: [0.2, 0.6], support: [3, 1] };
    const w = weightedAverages(pc);
    expect([w.precision, w.recall]).to.deep.equal([0.75, 0.5]);
    expect(w.f1).to.be.closeTo(0.3, 1e-12); // (0.2·3 + 0.6·1) / 4
    expect(weightedAverages({ ...pc, support: [0, 0] })).to.deep.equal({ precision: 0, recall: 0, f1: 0 });
  });

  it('per_class_metrics.csv: macro is the mean when no file gives it; a bad support is named', () => {
    const { metrics, note } = perClassFromCsv('class_name,precision,recall,f1,support\na,1,0.5,0.5,1\nb,0.5,0.5,0.25,3\n');
    expect(note).to.equal(null);
    expect(metrics.macro).to.deep.equal({ precision: 0.75, recall: 0.5, f1: 0.375 });
    expect(thrown(() => perClassFromCsv('class_name,precision,recall,f1_score,support\na,1,1,1,2.5\n')).message).to.equal('per_class_metrics.csv: row 2, column support must be a whole number (got 2.5)');
    expect(thrown(() => perClassFromCsv('class_name,precision,recall,support\na,1,1,2\n')).message).to.equal('per_class_metrics.csv: missing column f1_score');
  });

  it('JsonReader names the file and the field path', () => {
    const r = JsonReader.of({ test: { m: [[1, 2], [3, -1]], n: 'x' } }, 'results_summary.json')!;
    const t = r.sub('test')!;
    expect(thrown(() => t.countTable('m')).message).to.equal('results_summary.json: test.m[1][1] must be a whole number ≥ 0 (got -1)');
    expect(thrown(() => t.num('n')).message).to.equal('results_summary.json: test.n must be a number (got "x")');
    expect(thrown(() => r.sub('test')!.sub('n')).message).to.equal('results_summary.json: test.n must be an object (got "x")');
    expect(t.num('absent')).to.equal(null);
    expect(new JsonReader({ a: [1], b: { c: 1 }, d: 'x', e: null, skip: 1 }, 'f').extras(new Set(['skip']))).to.deep.equal({ a: '[1]', b: '{"c":1}', d: 'x', e: null });
  });

  it('folder names and SUMMARY.txt', () => {
    expect(parseRunFolderName('simple_cnn_20251128_225939_beat_wise_stratified')).to.deep.equal({ model: 'simple_cnn', start: '2025-11-28T22:59:39' });
    expect(parseRunFolderName('mlp_20261126_192000')).to.deep.equal({ model: 'mlp', start: '2026-11-26T19:20:00' });
    expect(parseRunFolderName('checkpoints')).to.equal(null);
    expect(deviceFromSummaryTxt('Model: X\nDevice: cuda\n')).to.equal('cuda');
    expect(deviceFromSummaryTxt('Model: X\n')).to.equal(null);
  });
});

describe('run folders and sources', () => {
  const entry = (path: string) => ({ path, bytes: enc.encode('x') });

  it('any folder with results_summary.json or training_history.csv, at any depth; nothing else; no __MACOSX', () => {
    const folders = findRunFolders({
      file: 'all.zip',
      rootName: 'all',
      entries: [
        entry('a/b/c/run1/results_summary.json'),
        entry('a/b/c/run1/SUMMARY.txt'),
        entry('a/run2/training_history.csv'),
        entry('a/only-config/config.json'),
        entry('__MACOSX/a/run3/results_summary.json'),
        entry('x.zip/results_summary.json'),
        entry('results_summary.json'),
      ],
    });
    expect(folders.map((f) => [f.path, f.name, [...f.files.keys()].sort().join('+')])).to.deep.equal([
      ['', 'all', 'results_summary.json'],
      ['a/b/c/run1', 'run1', 'SUMMARY.txt+results_summary.json'],
      ['a/run2', 'run2', 'training_history.csv'],
      ['x.zip', 'x', 'results_summary.json'],
    ]);
    expect(isRunFile('run/best_model/model.json')).to.equal(false);
    expect(isRunFile('run/test_predictions.csv')).to.equal(false);
  });

  it('loose files: a repeated name starts another group; folder picks group by their top folder', async () => {
    const blob = new Blob(['{}']);
    const { containers, problems } = await gatherContainers([
      { name: 'results_summary.json', path: '', blob },
      { name: 'training_history.csv', path: '', blob },
      { name: 'results_summary.json', path: '', blob },
      { name: 'results_summary.json', path: 'pick/r1/results_summary.json', blob },
      { name: 'weights.pt', path: 'pick/r1/weights.pt', blob },
    ]);
    expect(problems).to.deep.equal([]);
    expect(containers.map((c) => [c.file, c.entries.map((e) => e.path)])).to.deep.equal([
      ['', ['results_summary.json', 'training_history.csv']],
      ['', ['results_summary.json']],
      ['pick', ['r1/results_summary.json']],
    ]);
  });

  it('a loose file past the byte limit is a problem of its own', async () => {
    const { containers, problems } = await gatherContainers(
      [{ name: 'results_summary.json', path: 'pick/r1/results_summary.json', blob: new Blob(['x'.repeat(50)]) }],
      { maxZipBytes: 10 },
    );
    expect(containers[0].entries).to.deep.equal([]);
    expect(problems).to.deep.equal([{ file: 'pick', path: 'r1', reason: 'results_summary.json: 50 bytes, past the 10-byte limit for one file' }]);
  });
});
