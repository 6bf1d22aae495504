import { expect } from '@esm-bundle/chai';
import { csvCell, csvNumber, csvRow, csvText, toCsv } from '../../src/export/csv';
import { perClassMetricsCsv, testPredictionsCsv, trainingHistoryCsv } from '../../src/export/csv-files';
import { ExportError } from '../../src/export/types';
import { fixedRun, TRICKY_NAMES } from '../fixtures/export-fixtures';
import { lcg } from '../fixtures/export-records';
import { parseCsv } from '../fixtures/parse-csv';

describe('CSV quoting (RFC 4180)', () => {
  it('quotes fields with commas, quotes, CR or LF and doubles quotes', () => {
    expect(csvText('plain')).to.equal('plain');
    expect(csvText('a,b')).to.equal('"a,b"');
    expect(csvText('say "hi"')).to.equal('"say ""hi"""');
    expect(csvText('two\nlines')).to.equal('"two\nlines"');
    expect(csvText('cr\rhere')).to.equal('"cr\rhere"');
    expect(csvText('needs, "quotes"')).to.equal('"needs, ""quotes"""');
    expect(csvText('')).to.equal('');
  });

  it('ends every record with CRLF and round-trips through an independent parser', () => {
    const tricky = ['a,b', 'say "hi"', 'two\nlines', 'naïve', 'Ωmega', '数字', ' spaced ', ''];
    const text = toCsv(['name', 'n'], tricky.map((s, i) => [s, i]));
    expect(text.endsWith('\r\n')).to.equal(true);
    expect(text.split('\r\n').length).to.be.greaterThan(tricky.length); // the LF inside a field is no record end
    const rows = parseCsv(text);
    expect(rows[0]).to.deep.equal(['name', 'n']);
    expect(rows.slice(1).map((r) => r[0])).to.deep.equal(tricky);
    expect(rows.slice(1).map((r) => Number(r[1]))).to.deep.equal(tricky.map((_, i) => i));
  });

  it('refuses a row whose length does not match the header', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).to.throw(RangeError, 'CSV row has 1 cells, header has 2');
  });
});

describe('CSV formula injection', () => {
  it("prefixes text cells starting with = + - @ tab or CR with an apostrophe", () => {
    expect(csvText('=SUM(A1)')).to.equal("'=SUM(A1)");
    expect(csvText('+1')).to.equal("'+1");
    expect(csvText('-cmd')).to.equal("'-cmd");
    expect(csvText('@import')).to.equal("'@import");
    expect(csvText('\tx')).to.equal("'\tx");
    expect(csvText('=1,2')).to.equal(`"'=1,2"`); // neutralised, then quoted
    expect(csvText('a=b')).to.equal('a=b'); // only the first character matters
  });

  it('leaves number cells alone: -0.5 stays a number', () => {
    expect(csvCell(-0.5)).to.equal('-0.5');
    expect(csvCell(-1e-7)).to.equal('-1e-7');
    expect(csvCell('-0.5')).to.equal("'-0.5"); // the same characters as text are text
    expect(csvRow([-2, '-2', null, true])).to.equal("-2,'-2,,true");
  });
});

describe('CSV numbers', () => {
  it('writes full precision with a dot, NaN and Infinity by name', () => {
    expect(csvNumber(0.1 + 0.2)).to.equal('0.30000000000000004');
    expect(csvNumber(1 / 3)).to.equal('0.3333333333333333');
    expect(csvNumber(1e21)).to.equal('1e+21');
    expect(csvNumber(NaN)).to.equal('NaN');
    expect(csvNumber(-Infinity)).to.equal('-Infinity');
    expect(csvNumber(Math.fround(0.1))).to.equal('0.10000000149011612');
  });

  it('round-trips every double exactly', () => {
    const rnd = lcg(3);
    for (let i = 0; i < 2000; i++) {
      const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
      expect(Number(csvNumber(x))).to.equal(x);
    }
  });
});

describe('run CSV files', () => {
  const { record, predictions } = fixedRun();

  it('per_class_metrics.csv: reference header, class names quoted and neutralised', () => {
    const text = perClassMetricsCsv(record)!;
    const lines = text.split('\r\n');
    expect(lines[0]).to.equal('class_name,class_id,precision,recall,f1_score,support');
    expect(lines[1].startsWith("'=SUM(A1),0,")).to.equal(true);
    expect(lines[2].startsWith('"needs, ""quotes""",1,')).to.equal(true);
    expect(lines[3].startsWith('naïve,2,')).to.equal(true);
    const rows = parseCsv(text);
    const pc = record.test!.per_class_metrics.per_class;
    rows.slice(1).forEach((r, i) => {
      expect(Number(r[2])).to.equal(pc.precision[i]);
      expect(Number(r[3])).to.equal(pc.recall[i]);
      expect(Number(r[4])).to.equal(pc.f1[i]);
      expect(Number(r[5])).to.equal(pc.support[i]);
    });
  });

  it('per_class_metrics.csv is absent without test results', () => {
    expect(perClassMetricsCsv({ ...record, test: null })).to.equal(null);
  });

  it('training_history.csv: the reference columns first, then ours, exact values', () => {
    const rows = parseCsv(trainingHistoryCsv(record));
    expect(rows[0]).to.deep.equal(['epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'learning_rate', 'epoch_time_seconds', 'samples_per_second']);
    expect(rows.length).to.equal(record.history.length + 1);
    expect(Number(rows[2][1])).to.equal(0.8123456789012345);
  });

  it('test_predictions.csv: one probability column per class; float32 values exact', () => {
    const rows = parseCsv(testPredictionsCsv(record, predictions!));
    expect(rows[0]).to.deep.equal(['index', 'true_label', 'predicted_label', 'confidence', ...TRICKY_NAMES.map((n) => `prob_${n}`)]);
    expect(rows.length).to.equal(predictions!.yTrue.length + 1);
    rows.slice(1).forEach((r, i) => {
      expect(Number(r[0])).to.equal(i);
      const probs = r.slice(4).map(Number);
      probs.forEach((p, j) => expect(p).to.equal(predictions!.probabilities[i * 3 + j]));
      expect(Number(r[3])).to.equal(probs[Number(r[2])]);
    });
  });

  it('test_predictions.csv rejects predictions that do not fit the record', () => {
    const bad = { ...predictions!, probabilities: predictions!.probabilities.subarray(3) };
    expect(() => testPredictionsCsv(record, bad)).to.throw(ExportError, /probabilities for 30 samples × 3 classes/);
    const outOfRange = { ...predictions!, yPred: predictions!.yPred.map((v, i) => (i === 4 ? 3 : v)) };
    expect(() => testPredictionsCsv(record, outOfRange)).to.throw(ExportError, 'predictions: label out of range at row 4 (classes 0..2)');
  });
});
