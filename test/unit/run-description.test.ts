import { expect } from '@esm-bundle/chai';
import { importFiles, type SourceFile } from '../../src/compare/import-runs';
import { planRunFiles } from '../../src/export/run-files';
import {
  dataFields, describeRun, environmentFields, fieldText, modelFields, NOT_RECORDED, ownDataFields, timeFields, trainingFields,
  type Field, type FieldValue, type RunSection,
} from '../../src/export/run-description';
import { summaryTxt } from '../../src/export/summary-txt';
import type { LabRunRecord, RunRecord } from '../../src/recorder/run-record';
import { fixedRun } from '../fixtures/export-fixtures';
import { ownImagesRun, ownTableRun } from '../fixtures/own-data-records';

/** The value of `label` in `section` (the first field with that label). */
function value(sections: RunSection[], section: RunSection['title'], label: string): FieldValue {
  const s = sections.find((x) => x.title === section);
  if (!s) throw new Error(`no section ${section} among ${sections.map((x) => x.title).join(', ')}`);
  const f = s.fields.find(([k]) => k === label);
  if (!f) throw new Error(`no field ${label} in ${section}: ${s.fields.map(([k]) => k).join(', ')}`);
  return f[1];
}

/** Every text the sections hold. */
const allTexts = (sections: RunSection[]): string[] => sections.flatMap((s) => s.fields.flatMap(([k, v]) => [k, ...(typeof v === 'string' ? [v] : v)]));

/** A lab run whose environment has skipped backends and a backend change. */
function labRun(): LabRunRecord {
  const { record } = fixedRun();
  record.environment.backend = 'wasm';
  record.environment.webgpu_adapter = null;
  record.environment.backends_skipped = [
    { name: 'webgpu', reason: 'a software adapter (SwiftShader), not a GPU' },
    { name: 'webgl', reason: 'software renderer; wasm is faster for an MLP' },
  ];
  record.environment.backend_switches = [{ from: 'webgpu', to: 'wasm', after_epoch: 3, reason: 'GPU device lost', time: '2026-11-26T19:20:10.000+01:00' }];
  return record;
}

/** SUMMARY.txt with its alignment and wrapping undone: each "Label: value" on one line of single spaces. */
function summaryText(r: LabRunRecord): string {
  return summaryTxt(r, planRunFiles(r, { best: null, checkpoints: [] }, true)).replace(/\s+/g, ' ');
}

/** The shared fields read in SUMMARY.txt exactly as the run view gets them. */
function expectSummaryAgrees(r: LabRunRecord) {
  const text = summaryText(r);
  const shared: Field[] = [...modelFields(r), ...timeFields(r), ...environmentFields(r), ...trainingFields(r), ...dataFields(r), ...ownDataFields(r)];
  for (const [label, v] of shared) {
    const line = `${label ? `${label}: ` : ''}${fieldText(v)}`.replace(/\s+/g, ' ');
    expect(text, `SUMMARY.txt says ${line}`).to.contain(line);
  }
}

describe('describeRun: a run trained in the lab', () => {
  it('words the model, schedule, early stopping and seeds; no JSON', () => {
    const sections = describeRun(labRun());
    expect(sections.map((s) => s.title)).to.deep.equal(['Model', 'Training', 'Data', 'Environment']);
    expect(value(sections, 'Model', 'Model')).to.equal('MLP (hidden layers [16, 16], relu, dropout 0)');
    expect(value(sections, 'Model', 'Parameters')).to.equal('403 (403 trainable, 0 non-trainable)');
    expect(value(sections, 'Training', 'Learning rate')).to.equal('0.001 (schedule: step: × 0.5 every 10 epochs)');
    expect(value(sections, 'Training', 'Early stopping')).to.equal('off');
    expect(value(sections, 'Training', 'Epochs')).to.equal('5 (5 completed)');
    expect(value(sections, 'Training', 'Random seed')).to.equal('42 (weights and batch order)');
    expect(value(sections, 'Training', 'Started')).to.equal('2026-11-26 19:20:00 +01:00');
    expect(value(sections, 'Data', 'Split')).to.equal('train 140 (70 %), validation 30 (15 %), test 30 (15 %)');
    const data = sections.find((s) => s.title === 'Data')!.fields;
    const split = data.findIndex(([k]) => k === 'Split');
    expect(data[split + 1]).to.deep.equal(['', 'stratified by class, split seed 42, features standardized on the training split']);
    for (const t of allTexts(sections)) {
      expect(t, 'no JSON').not.to.match(/[{}]|"kind"|\[object /);
    }
  });

  it('lists the skipped backends with their reasons and the backend changes', () => {
    const sections = describeRun(labRun());
    expect(value(sections, 'Environment', 'Skipped')).to.deep.equal([
      'webgpu: a software adapter (SwiftShader), not a GPU',
      'webgl: software renderer; wasm is faster for an MLP',
    ]);
    expect(value(sections, 'Environment', 'Backend changes')).to.deep.equal(['webgpu → wasm after epoch 3: GPU device lost']);
    expect(value(sections, 'Environment', 'CPU threads')).to.equal('8');
  });

  it('says how the training steps were computed, and nothing for records before schema 6', () => {
    const r = labRun();
    expect(describeRun(r).find((s) => s.title === 'Environment')!.fields.map(([k]) => k)).to.not.include('Training step');
    r.environment.training_step = { path: 'dense', threads: 2, fma: true };
    expect(value(describeRun(r), 'Environment', 'Training step')).to.equal("the lab's dense step: WebAssembly SIMD products with fused multiply-adds on up to 2 threads");
    r.environment.training_step = { path: 'dense', threads: 1, fma: false };
    expect(value(describeRun(r), 'Environment', 'Training step')).to.equal("the lab's dense step: WebAssembly SIMD products on 1 thread");
    r.environment.training_step = { path: 'tfjs', threads: null, fma: null };
    expect(value(describeRun(r), 'Environment', 'Training step')).to.equal('TensorFlow.js (optimizer.minimize)');
  });

  it('early stopping on, another schedule, a synthetic set: all in words', () => {
    const r = labRun();
    r.config.early_stopping = { enabled: true, patience: 4, monitor: 'val_acc' };
    r.config.lr_schedule = { kind: 'plateau', factor: 0.5, patience: 3, minLr: 0.00001 };
    r.config.synthetic = { samples: 1200, noise: 0.2, classes: 3, seed: 7 };
    r.training.early_stopped = true;
    const sections = describeRun(r);
    expect(value(sections, 'Training', 'Early stopping')).to.equal('on: val_acc, patience 4');
    expect(value(sections, 'Training', 'Learning rate')).to.equal('0.001 (schedule: on plateau: × 0.5 after 3 epochs without improvement, min 0.00001)');
    expect(value(sections, 'Training', 'Epochs')).to.equal('5 (5 completed, stopped early)');
    expect(value(sections, 'Data', 'Generated')).to.equal('1,200 samples, noise 0.2, 3 classes, seed 7');
  });

  it('SUMMARY.txt says every shared field word for word', () => {
    expectSummaryAgrees(labRun());
    expect(summaryText(labRun())).to.contain('Skipped: webgpu: a software adapter (SwiftShader), not a GPU; webgl: software renderer; wasm is faster for an MLP');
  });
});

describe('describeRun: runs on a person’s own data', () => {
  it('a table: the file, how it was read and prepared, and the class-weighted loss', () => {
    const { record } = ownTableRun();
    const sections = describeRun(record);
    expect(sections.map((s) => s.title)).to.deep.equal(['Model', 'Training', 'Data', 'Own data', 'Environment']);
    expect(value(sections, 'Own data', 'Data file')).to.match(/^"patients\.csv" \(/);
    expect(value(sections, 'Own data', 'Label column')).to.be.a('string').and.contain('(3 classes)');
    expect(value(sections, 'Training', 'Loss')).to.match(/^weighted cross-entropy with balanced class weights/);
    expect(value(sections, 'Data', 'SHA-256')).to.match(/ \(of the samples and labels as trained\)$/);
    expect(value(sections, 'Data', 'Dataset')).to.equal('patients.csv (3 classes) (file)');
    expectSummaryAgrees(record);
  });

  it('an image set: its zip, the skipped files with their reasons, the sample size', () => {
    const { record } = ownImagesRun();
    const sections = describeRun(record);
    expect(value(sections, 'Own data', 'Image set')).to.match(/^zip "pets\.zip"/);
    const own = sections.find((s) => s.title === 'Own data')!.fields.map(([k, v]) => `${k}|${fieldText(v)}`);
    expect(own).to.include('|pets/notes.txt: not an image (.txt; PNG, JPEG, WebP, BMP and GIF are read)');
    expect(value(sections, 'Own data', 'Samples')).to.match(/^32×32 /);
    expect(sections.find((s) => s.title === 'Training')!.fields.some(([k]) => k === 'Loss')).to.equal(false);
    expectSummaryAgrees(record);
  });
});

const FRAC = 'frac_cnn_20250101_120000_ecg';
const FRAC_FILES = ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt'];
const OMEGA = 'Ωmega_naïve_20250103_101500_数字';

async function importFolder(base: string, folder: string, files: string[]): Promise<RunRecord> {
  const sources: SourceFile[] = [];
  for (const f of files) {
    const res = await fetch(encodeURI(`${base}/${folder}/${f}`));
    if (!res.ok) throw new Error(`fixture missing: ${base}/${folder}/${f}`);
    sources.push({ name: f, path: `runs/${folder}/${f}`, blob: await res.blob() });
  }
  const result = await importFiles(sources, { now: new Date('2026-02-03T04:05:06Z') });
  expect(result.problems).to.deep.equal([]);
  expect(result.records).to.have.length(1);
  return result.records[0];
}

describe('describeRun: runs imported from the reference script’s layout', () => {
  it('shows what the folder has, "not recorded" for the rest, and the config’s other keys as key: value', async () => {
    const r = await importFolder('/test/fixtures/reference-layout', FRAC, FRAC_FILES);
    const sections = describeRun(r);
    expect(sections.map((s) => s.title)).to.deep.equal(['Model', 'Training', 'Data', 'Environment']);
    expect(value(sections, 'Model', 'Model')).to.equal(`cnn_a_b&c% (layers ${NOT_RECORDED})`);
    expect(value(sections, 'Model', 'Parameters')).to.equal('1,234');
    expect(value(sections, 'Training', 'Batch size')).to.equal('32');
    expect(value(sections, 'Training', 'Learning rate')).to.equal('0.01 (schedule: not recorded)');
    expect(value(sections, 'Training', 'Optimizer')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Training', 'Early stopping')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Training', 'Random seed')).to.equal('7');
    expect(value(sections, 'Training', 'Checkpoints')).to.equal('every 2 epochs');
    expect(value(sections, 'Training', 'Finished')).to.equal('2025-01-01 12:05:30');
    expect(value(sections, 'Training', 'Duration')).to.equal('0:05:30 (330.3 s)');
    expect(value(sections, 'Training', 'Other settings')).to.include.members(['window_size: 0.8', 'lead: 1', 'data_dir: ../data/ecg-set', 'train_records: ["100","101","102"]']);
    expect(value(sections, 'Data', 'Input shape')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Data', 'SHA-256')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Data', 'Classes')).to.equal('4');
    expect(value(sections, 'Data', 'Other dataset fields')).to.include('num_train_records: 3');
    expect(value(sections, 'Environment', 'Device')).to.equal('cpu');
    expect(value(sections, 'Environment', 'Software and versions')).to.equal(NOT_RECORDED);
  });

  it('a folder with only its history: no end time, no parameters, no split', async () => {
    const r = await importFolder('/test/fixtures/reference-layout', OMEGA, ['training_history.csv']);
    const sections = describeRun(r);
    expect(value(sections, 'Model', 'Parameters')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Training', 'Finished')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Training', 'Duration')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Training', 'Batch size')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Data', 'Split')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Data', 'Samples')).to.equal(NOT_RECORDED);
    expect(value(sections, 'Environment', 'Device')).to.equal(NOT_RECORDED);
  });

  it('a real run of the reference script (../shared): device, split ratios, other keys', async function () {
    const base = '/__wds-outside-root__/1/shared/fixtures/reference-runs';
    const folder = 'complex_cnn_20251203_152820_curated_patient_wise';
    if (!(await fetch(`${base}/${folder}/results_summary.json`)).ok) {
      console.warn(`SKIPPED: the real reference runs are not reachable at ${base}`);
      this.skip();
    }
    const r = await importFolder(base, folder, ['results_summary.json', 'training_history.csv', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt']);
    const sections = describeRun(r);
    expect(value(sections, 'Model', 'Parameters')).to.equal('3,349,190');
    expect(value(sections, 'Environment', 'Device')).to.equal('cuda');
    expect(value(sections, 'Data', 'Split')).to.equal(`train ${NOT_RECORDED} (75 %), validation ${NOT_RECORDED} (13 %), test 13,687 (13 %)`);
    const data = sections.find((s) => s.title === 'Data')!.fields;
    expect(data[data.findIndex(([k]) => k === 'Split') + 1]).to.deep.equal(['', 'not stratified']);
    expect(value(sections, 'Training', 'Other settings')).to.include.members(['split_mode: curated_patient_wise', 'focal_loss: false']);
    // The reference's class_weights: true is read into its own field, and said as the loss.
    expect(value(sections, 'Training', 'Other settings')).to.not.include('class_weights: true');
    expect(value(sections, 'Training', 'Loss')).to.match(/^weighted cross-entropy with class weights/);
  });
});
