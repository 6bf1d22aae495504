// The run folder of a run on a person's own data (schema 3): config.json carries the data file and
// its fitted preprocessing (enough to prepare new rows for the exported model) and the class weights
// under the reference's key; SUMMARY.txt and README.txt say where the data came from and how it was
// read and prepared; hostile column, class and file names stay text in every output.
import { expect } from '@esm-bundle/chai';
import { modelComparisonCsv } from '../../src/compare/comparison-csv';
import { runsLatex } from '../../src/compare/comparison-latex';
import { perClassMetricsCsv, testPredictionsCsv } from '../../src/export/csv-files';
import { configJson, runConfig } from '../../src/export/json-files';
import { readmeTxt } from '../../src/export/readme-txt';
import { planRunFiles } from '../../src/export/run-files';
import { summaryTxt } from '../../src/export/summary-txt';
import { displayWidth } from '../../src/export/text-format';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { dataFile } from '../../src/recorder/run-record-data-file';
import { isObject } from '../../src/recorder/run-record-fields';
import { transformRow } from '../../src/training/datasets/table/preprocess-transform';
import { fixedRun } from '../fixtures/export-fixtures';
import { HOSTILE_CLASSES } from '../fixtures/hostile';
import { HOSTILE_COLUMNS, HOSTILE_FILE, hostileTableRun, ownImagesRun, ownTableRun } from '../fixtures/own-data-records';
import { parseCsv } from '../fixtures/parse-csv';

const plan = (r: LabRunRecord) => planRunFiles(r, { best: {}, checkpoints: [] }, true);
/** The text with wrapped lines joined, so that a value reads as one line. */
const joined = (text: string) => text.replace(/\n +/g, ' ');

describe('config.json of a run on its own data', () => {
  it('class_weights is the reference key, a boolean; the loss and the weights are said', () => {
    const own = JSON.parse(configJson(ownTableRun().record));
    expect(own).to.include({ class_weights: true, loss: 'weighted_cross_entropy' });
    expect(own.class_weight_values).to.deep.equal([140 / (3 * 84), 140 / (3 * 42), 140 / (3 * 14)]);
    const builtin = JSON.parse(configJson(fixedRun().record));
    expect(builtin).to.include({ class_weights: false, loss: 'cross_entropy', class_weight_values: null });
    expect(builtin).to.not.have.property('data_file');
    for (const c of [own, builtin]) expect(typeof c.class_weights).to.equal('boolean'); // as the reference's config.json
  });

  it('holds the whole data file, preprocessing included', () => {
    for (const { record } of [ownTableRun(), ownImagesRun()]) {
      const c = JSON.parse(configJson(record));
      expect(c.data_file).to.deep.equal(record.dataset.data_file);
      expect(c).to.include({ dataset: 'file', dataset_sha256: record.dataset.sha256 });
    }
  });

  it('is enough to prepare a new row for the exported model, exactly as the training rows were', () => {
    const parsed: unknown = JSON.parse(configJson(ownTableRun().record));
    const file = dataFile(isObject(parsed) ? parsed.data_file : null, 'config.json data_file');
    if (file.kind !== 'table') throw new Error('not a table');
    const pre = file.preprocessing;
    const [age, bmi] = pre.inputs.map((i) => (i.kind === 'numeric' && i.scaler.scaling === 'standard' ? i.scaler : { mean: NaN, std: NaN }));
    const row = transformRow(pre, { age: '50', bmi: '27,5', smoker: 'yes', region: 'north', outcome: 'ill' });
    const want = [(50 - age.mean) / age.std, (27.5 - bmi.mean) / bmi.std, 0, 1, 0, 1, 0, 0];
    expect(Array.from(row)).to.have.length(pre.outputNames.length);
    Array.from(row).forEach((v, i) => expect(v, pre.outputNames[i]).to.be.closeTo(want[i], 1e-6));
    // Missing bmi: the train mean (0 once standardized); a region never seen in train: all zeros.
    const odd = Array.from(transformRow(pre, { age: '50', bmi: 'NA', smoker: 'no', region: 'mars' }));
    expect(odd[1]).to.be.closeTo(0, 1e-6);
    expect(odd.slice(2)).to.deep.equal([1, 0, 0, 0, 0, 0]);
  });
});

describe('SUMMARY.txt and README.txt of a run on its own data', () => {
  it('a table: file, size, SHA-256, rows, how it was read and prepared, fitted on the train split only', () => {
    const { record } = ownTableRun();
    const summary = joined(summaryTxt(record, plan(record)));
    const wanted = [
      '"patients.csv" (5,321 bytes, 203 data rows, 6 columns)',
      '4f0c6d1e2b3a49587766554433221100ffeeddccbbaa99887766554433221100',
      'windows-1252, semicolon (;) separated, header in the first row, decimal comma',
      'Label column: "outcome" (3 classes)',
      '203 in the file, 3 without a label dropped, 200 used: train 140, validation 30, test 30',
      '13 cells (train 10, validation 2, test 1)',
      '"age": numeric, standardized, (x − 42.1034) / 10.5874',
      '"bmi": numeric, standardized, (x − 26.6) / 2.95833; 2 cells not a number, read as missing; missing → 26.6 (train mean), 12 cells filled',
      '"region": categorical, one-hot over 4 categories ("east", "north", "south", "west"); missing → "east" (most frequent in train), 1 cell filled',
      'the train split only (140 rows)',
    ];
    for (const text of [summary, joined(readmeTxt(record, plan(record)))]) for (const want of wanted) expect(text).to.contain(want);
    expect(summary).to.match(/Loss: +weighted cross-entropy with balanced class weights, n \/ \(k × n_c\) from the train split/);
    expect(summaryTxt(record, plan(record))).to.match(/Class +Train +Val +Test +Weight\n *at risk +84 +18 +16 +0\.5556\n *healthy +42 +9 +8 +1\.1111\n *ill +14 +3 +6 +3\.3333/);
    expect(joined(readmeTxt(record, plan(record)))).to.contain('CLASS WEIGHTS The loss was weighted by class');
  });

  it('images: the set, its hashes, counts, skipped files and the image options', () => {
    const { record } = ownImagesRun();
    const wanted = [
      'zip "pets.zip" (1,843,221 bytes), class folders under "pets/"',
      'e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8 (of the zip file)',
      '200 images (1,790,112 bytes) in 3 class folders',
      '3 files; 4 system files ignored',
      'left out, no image readable: "fish"',
      'pets/notes.txt: not an image',
      '32×32 RGB (3 channels), values 0-1 (divided by 255)',
      'cover-center-crop: scaled to cover 32×32',
    ];
    for (const text of [joined(summaryTxt(record, plan(record))), joined(readmeTxt(record, plan(record)))]) {
      for (const want of wanted) expect(text).to.contain(want);
      expect(text).to.not.contain('Loss:');
    }
    expect(readmeTxt(record, plan(record))).to.not.contain('CLASS WEIGHTS');
    expect(joined(readmeTxt(record, plan(record)))).to.contain('(each image scaled to cover 32×32, centre-cropped, RGB, values divided by 255)');
  });

  it('a built-in run says nothing of own data or class weights', () => {
    const { record } = fixedRun();
    const summary = summaryTxt(record, plan(record));
    const readme = readmeTxt(record, plan(record));
    for (const text of [summary, readme]) expect(text).to.not.match(/Own data|THE DATA|CLASS WEIGHTS|^Loss:| Weight$/m);
  });

  it('the own-data lines of SUMMARY.txt stay within 78 columns (but for one unbreakable hash)', () => {
    for (const { record } of [ownTableRun(), ownImagesRun(), hostileTableRun()]) {
      const lines = summaryTxt(record, plan(record)).split('\n');
      const from = lines.findIndex((l) => l.startsWith('Own data'));
      const to = lines.findIndex((l, i) => i > from && l === '');
      expect(from).to.be.greaterThan(0);
      for (const line of lines.slice(from, to)) expect(displayWidth(line), line).to.be.at.most(78);
    }
  });
});

describe('hostile names in a run on its own data', () => {
  const { record, predictions } = hostileTableRun();

  it('SUMMARY.txt, README.txt and config.json print column, class and file names as they are', () => {
    const texts = [summaryTxt(record, plan(record)), readmeTxt(record, plan(record))];
    for (const text of texts.map(joined)) {
      for (const name of [...HOSTILE_COLUMNS, HOSTILE_FILE]) expect(text, name).to.include(`"${name}"`);
      expect(text).to.include('one-hot over 2 categories ("<img src=x onerror=window.__hostile=8>", "=1+2")');
      expect(text).to.include('drop: 5 rows with a missing feature value dropped before the split');
      expect(text).to.not.match(/&lt;|&gt;|&amp;|&quot;/);
    }
    for (const name of HOSTILE_CLASSES) expect(texts[0], name).to.include(name);
    const c = JSON.parse(configJson(record));
    expect(c.data_file.preprocessing.inputs.map((i: { column: string }) => i.column)).to.deep.equal(HOSTILE_COLUMNS.slice(1));
    expect(c.data_file.preprocessing.label.column).to.equal(HOSTILE_COLUMNS[0]);
    expect(c.class_names).to.deep.equal(HOSTILE_CLASSES);
    expect(runConfig(record).data_file).to.deep.equal(record.dataset.data_file);
  });

  it('the CSV files neutralise formula starts and keep the rest of each name', () => {
    const perClass = parseCsv(perClassMetricsCsv(record)!).slice(1).map((r) => r[0]);
    expect(perClass).to.deep.equal(HOSTILE_CLASSES.map((n) => (/^[=+\-@]/.test(n) ? `'${n}` : n)));
    const header = parseCsv(testPredictionsCsv(record, predictions!))[0];
    expect(header.slice(4)).to.deep.equal(HOSTILE_CLASSES.map((n) => `prob_${n}`));
    const comparison = parseCsv(modelComparisonCsv([record]));
    expect(comparison[1][comparison[0].indexOf('dataset')]).to.equal(`'${record.dataset.name}`);
  });

  it('the LaTeX table escapes the file name: no \\input survives', () => {
    const tex = runsLatex([record], { columns: ['model', 'dataset', 'test_acc'], precision: 2 });
    expect(tex).to.not.match(/\\input\b/);
    expect(tex).to.include('\\textbackslash{}input\\{/etc/passwd\\}');
  });
});
