import { expect } from '@esm-bundle/chai';
import { zipSync } from 'fflate';
import { importFiles, type ImportResult, type SourceFile } from '../../src/compare/import-runs';
import { buildRunZip } from '../../src/export/index';
import type { RunRecord } from '../../src/recorder/run-record';
import { validateRunRecord } from '../../src/recorder/run-record-validate';
import { fixedRun } from '../fixtures/export-fixtures';

const NOW = new Date('2026-02-03T04:05:06.789Z');

/** The repo's own reference-layout fixtures: folder → files. */
const OWN_FIXTURES = {
  frac_cnn_20250101_120000_ecg: ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt'],
  pct_mlp_20250102_090000: ['results_summary.json', 'training_history.csv'],
  'Ωmega_naïve_20250103_101500_数字': ['training_history.csv'],
  json_hist_20250104_080000: ['results_summary.json', 'training_history.json'],
} as const;
type OwnFixture = keyof typeof OWN_FIXTURES;

/** The three real runs of the reference script, served from the repo's sibling ../shared (never committed here). */
const REFERENCE_RUNS_URL = '/__wds-outside-root__/1/shared/fixtures/reference-runs';
const REFERENCE_RUNS = {
  complex_cnn_20251203_152820_curated_patient_wise: ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt', 'confusion_matrix.png'],
  lstm_autoencoder_20251129_201505_beat_wise: ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt'],
  simple_cnn_20251128_225939_beat_wise_stratified: ['results_summary.json', 'training_history.csv', 'training_history.json', 'per_class_metrics.csv', 'config.json', 'SUMMARY.txt'],
} as const;

const enc = new TextEncoder();
const bytesOf = (text: string) => enc.encode(text);

/** The file's bytes, or null when the server does not have it. */
async function fetchBytes(url: string): Promise<Uint8Array | null> {
  const res = await fetch(encodeURI(url));
  return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
}

/** folder/file → bytes for the given folders under `base`. */
async function folderFiles(base: string, folders: Record<string, readonly string[]>): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const [folder, files] of Object.entries(folders)) {
    for (const f of files) {
      const bytes = await fetchBytes(`${base}/${folder}/${f}`);
      if (!bytes) throw new Error(`fixture missing: ${base}/${folder}/${f}`);
      out.set(`${folder}/${f}`, bytes);
    }
  }
  return out;
}

async function ownFixtures(...names: OwnFixture[]): Promise<Map<string, Uint8Array>> {
  const chosen = names.length ? names : (Object.keys(OWN_FIXTURES) as OwnFixture[]);
  return folderFiles('/test/fixtures/reference-layout', Object.fromEntries(chosen.map((n) => [n, OWN_FIXTURES[n]])));
}

const copy = (b: Uint8Array) => new Uint8Array(b) as Uint8Array<ArrayBuffer>;

function source(path: string, data: Uint8Array | string | Blob): SourceFile {
  const blob = data instanceof Blob ? data : new Blob([typeof data === 'string' ? bytesOf(data) : copy(data)]);
  return { name: path.slice(path.lastIndexOf('/') + 1), path, blob };
}

/** A loose file as <input type=file multiple> gives it: no relative path. */
const loose = (name: string, data: Uint8Array | string | Blob): SourceFile => ({ ...source(name, data), path: '' });

/** The files as a folder pick gives them (webkitRelativePath = `${root}/${path}`). */
function folderPick(root: string, files: Map<string, Uint8Array>): SourceFile[] {
  return [...files].map(([p, b]) => source(`${root}/${p}`, b));
}

/** A zip with the files under `prefix`. */
function zipOf(files: Map<string, Uint8Array> | Record<string, Uint8Array>, prefix = ''): Uint8Array {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  return zipSync(Object.fromEntries(entries.map(([p, b]) => [prefix + p, b])));
}

const FRAC = 'frac_cnn_20250101_120000_ecg';
const PCT = 'pct_mlp_20250102_090000';
const OMEGA = 'Ωmega_naïve_20250103_101500_数字';
const JSON_HIST = 'json_hist_20250104_080000';

const byId = (r: ImportResult, id: string): RunRecord => {
  const hit = r.records.find((x) => x.run_id === id);
  if (!hit) throw new Error(`no record ${id} among ${r.records.map((x) => x.run_id).join(', ')}; problems: ${JSON.stringify(r.problems)}`);
  return hit;
};
const notesOf = (r: ImportResult, path: string) => r.notes.filter((n) => n.path === path).map((n) => n.text);
const close = (a: number | null | undefined, b: number) => expect(a).to.be.closeTo(b, 1e-9);
const withoutOrigin = ({ origin: _o, updated_at: _u, ...rest }: RunRecord) => rest;

describe('importFiles: the reference script’s three real runs (from ../shared)', () => {
  let files: Map<string, Uint8Array>;

  before(async function () {
    const probe = await fetch(`${REFERENCE_RUNS_URL}/simple_cnn_20251128_225939_beat_wise_stratified/results_summary.json`);
    if (!probe.ok) {
      console.warn(`SKIPPED: the real reference runs are not reachable at ${REFERENCE_RUNS_URL} (../shared/fixtures/reference-runs absent)`);
      this.skip();
    }
    files = await folderFiles(REFERENCE_RUNS_URL, REFERENCE_RUNS);
  });

  it('a folder pick of checkpoints/: each run with its model, parameters, best epoch, percent accuracies, F1, confusion matrix, 20 epochs, device', async () => {
    const result = await importFiles(folderPick('checkpoints', files), { now: NOW });
    expect(result.problems).to.deep.equal([]);
    expect(result.notes).to.deep.equal([]); // already percent and fractions: nothing converted
    expect(result.records.map((r) => r.run_id).sort()).to.deep.equal(Object.keys(REFERENCE_RUNS).sort());

    const complex = byId(result, 'complex_cnn_20251203_152820_curated_patient_wise');
    expect(complex.model_name).to.equal('complex_cnn');
    expect(complex.model_parameters).to.equal(3349190);
    expect(complex.status).to.equal('completed');
    expect(complex.origin).to.deep.equal({ kind: 'imported', file: 'checkpoints', path: 'complex_cnn_20251203_152820_curated_patient_wise', format: 'reference', imported_at: complex.origin.kind === 'imported' ? complex.origin.imported_at : '' });
    expect(new Date(complex.origin.kind === 'imported' ? complex.origin.imported_at : '').getTime()).to.equal(NOW.getTime());
    expect(complex.start_time).to.equal('2025-12-03T15:28:04.941971');
    expect(complex.end_time).to.equal('2025-12-03T15:42:03.407235');
    expect(complex.training_duration_seconds).to.equal(838.465264);
    expect(complex.training_duration_formatted).to.equal('0:13:58');
    expect(complex.training.best_epoch).to.equal(2);
    expect(complex.training.model_selection_method).to.equal('validation_accuracy');
    expect(complex.training.best_val_accuracy).to.equal(85.6494694474936);
    expect(complex.training.best_val_loss).to.equal(0.6976005114869555); // history at epoch 2
    expect(complex.training.epochs_completed).to.equal(20);
    expect(complex.training.final_test_acc).to.equal(70.0299554321619);
    expect(complex.test!.test_accuracy).to.equal(76.19639073573464);
    expect(complex.test!.test_loss).to.equal(1.2002210431410192);
    expect(complex.test!.evaluated_model).to.equal('best');
    expect(complex.test!.evaluated_epoch).to.equal(2);
    const pc = complex.test!.per_class_metrics!;
    expect(pc.per_class.class_name).to.deep.equal(['Normal', 'Supraventricular', 'Ventricular', 'Fusion', 'Paced', 'Unknown']);
    expect(pc.per_class.f1[0]).to.equal(0.8412387692616574);
    expect(pc.per_class.f1[3]).to.equal(0.016973125884016973);
    expect(pc.macro.f1).to.equal(0.38692957957373014);
    const support = [10819, 159, 620, 22, 2044, 23];
    const f1 = [0.8412387692616574, 0.2748091603053435, 0.49730788056779246, 0.016973125884016973, 0.6912485414235706, 0];
    close(pc.weighted.f1, f1.reduce((s, x, i) => s + x * support[i], 0) / 13687);
    expect(complex.dataset.num_test_samples).to.equal(13687);
    expect(complex.test!.confusion_matrix![0]).to.deep.equal([8380, 148, 884, 650, 757, 0]);
    expect(complex.test!.confusion_matrix![5]).to.deep.equal([13, 2, 5, 1, 2, 0]);
    expect(complex.config).to.include({ epochs: 20, batch_size: 64, learning_rate: 0.001, weight_decay: 1e-5, seed: 42, device: 'cuda', optimizer: null, dataset: 'mit-bih-arrhythmia-database-1.0.0', stratified: false, save_freq: 10, train_ratio: 0.75, class_weights: true });
    expect(complex.config.extra).to.include({ window_size: 0.8, lead: 0, split_mode: 'curated_patient_wise', model: 'complex_cnn' });
    expect(complex.config.extra).to.not.have.property('class_weights');
    expect(JSON.parse(String(complex.config.extra!.curated_test))).to.deep.equal(['104', '105', '109', '124', '202', '223']);
    expect(complex.dataset.extra).to.include({ num_train_records: 36, num_val_records: 6, num_test_records: 6 });
    expect(complex.history).to.have.length(20);
    expect(complex.history[1]).to.deep.equal({
      epoch: 2, train_loss: 0.25340407272177984, train_acc: 89.17447285395832, val_loss: 0.6976005114869555, val_acc: 85.6494694474936,
      learning_rate: 0.001, epoch_time_seconds: null, samples_per_second: null, test_loss: 1.2002210431410192, test_acc: 76.19639073573464,
    });

    const lstm = byId(result, 'lstm_autoencoder_20251129_201505_beat_wise');
    expect(lstm.model_name).to.equal('lstm_autoencoder');
    expect(lstm.model_parameters).to.equal(443527);
    expect(lstm.training.best_epoch).to.equal(19);
    expect(lstm.test!.test_accuracy).to.equal(98.94752229206256);
    expect(lstm.test!.per_class_metrics!.per_class.f1[1]).to.equal(0.8896103896103896);
    expect(lstm.test!.confusion_matrix![1]).to.deep.equal([48, 274, 5, 0, 1, 0]);
    expect(lstm.history).to.have.length(20);
    expect(lstm.history.every((e) => typeof e.test_acc === 'number' && typeof e.test_loss === 'number')).to.equal(true);
    expect(lstm.config.device).to.equal('cuda');

    const simple = byId(result, 'simple_cnn_20251128_225939_beat_wise_stratified');
    expect(simple.model_name).to.equal('simple_cnn');
    expect(simple.model_parameters).to.equal(64966);
    expect(simple.training.best_epoch).to.equal(19);
    expect(simple.training.model_selection_method).to.equal(null);
    expect(simple.training.best_val_accuracy).to.equal(98.44298245614036);
    expect(simple.test!.test_accuracy).to.equal(98.36281245431954);
    expect(simple.test!.evaluated_model).to.equal(null);
    expect(simple.test!.per_class_metrics!.per_class.f1[4]).to.equal(0.995069033530572);
    expect(simple.test!.confusion_matrix![0]).to.deep.equal([11322, 7, 13, 0, 3, 0]);
    expect(simple.history).to.have.length(20);
    expect(simple.history.some((e) => 'test_loss' in e || 'test_acc' in e)).to.equal(false);
    expect(simple.config.device).to.equal('cuda');
    expect(simple.config.dataset).to.equal('mitdb');

    for (const r of result.records) {
      expect(validateRunRecord(r)).to.deep.equal(r);
      expect(r.test!.test_accuracy).to.be.within(1, 100); // percent
    }
  });

  it('the same runs zipped as project/checkpoints/… (depth 2) import alike, with the zip as their file', async () => {
    const picked = await importFiles(folderPick('checkpoints', files), { now: NOW });
    const zipped = await importFiles([loose('project.zip', zipOf(files, 'project/checkpoints/'))], { now: NOW });
    expect(zipped.problems).to.deep.equal([]);
    expect(zipped.records.map(withoutOrigin)).to.deep.equal(picked.records.map(withoutOrigin).map((r) => ({ ...r, dataset: { ...r.dataset, source: r.dataset.source.replace('checkpoints/', 'project.zip/project/checkpoints/') } })));
    const simple = byId(zipped, 'simple_cnn_20251128_225939_beat_wise_stratified');
    expect(simple.origin).to.include({ file: 'project.zip', path: 'project/checkpoints/simple_cnn_20251128_225939_beat_wise_stratified', format: 'reference' });
  });
});

describe('importFiles: reference-layout fixtures', () => {
  let own: Map<string, Uint8Array>;
  before(async () => {
    own = await ownFixtures();
  });
  const only = (folder: string) => new Map([...own].filter(([p]) => p.startsWith(`${folder}/`)));

  it('accuracies as fractions: converted to percent with a note per file; LaTeX specials and non-Latin names kept', async () => {
    const result = await importFiles(folderPick('runs', only(FRAC)), { now: NOW });
    expect(result.problems).to.deep.equal([]);
    const r = byId(result, FRAC);
    expect(notesOf(result, FRAC).sort()).to.deep.equal([
      'results_summary.json: accuracies given as fractions (0–1); shown in percent',
      'training_history.csv: accuracies given as fractions (0–1); shown in percent',
    ]);
    expect(r.model_name).to.equal('cnn_a_b&c%');
    expect(r.dataset.class_names).to.deep.equal(['a_b&c%', '数字', 'Ωmega', 'naïve']);
    expect(r.test!.per_class_metrics!.per_class.class_name).to.deep.equal(['a_b&c%', '数字', 'Ωmega', 'naïve']);
    expect(r.test!.test_accuracy).to.equal(76);
    expect(r.training.best_val_accuracy).to.equal(75);
    expect(r.training.final_train_acc).to.equal(85);
    expect(r.training.final_test_acc).to.equal(74);
    expect(r.training.best_val_loss).to.equal(0.72);
    expect(r.history.map((e) => e.train_acc)).to.deep.equal([50, 70, 85]);
    expect(r.history.map((e) => e.val_acc)).to.deep.equal([55, 75, 72.5]);
    expect(r.history.map((e) => e.test_acc)).to.deep.equal([52, 76, 74]);
    expect(r.history.map((e) => e.test_loss)).to.deep.equal([1.15, 0.65, 0.68]);
    expect(r.history.map((e) => e.learning_rate)).to.deep.equal([0.01, 0.01, 0.005]);
    // Precision/recall/F1 were fractions already: unchanged.
    expect(r.test!.per_class_metrics!.per_class.precision).to.deep.equal([1, 0.5, 0.5, 0.75]);
    expect(r.test!.per_class_metrics!.macro).to.deep.equal({ precision: 0.6875, recall: 0.675, f1: 0.65 });
    // By hand, support 10/20/30/40: F1 (5 + 12 + 21 + 32)/100, precision (10 + 10 + 15 + 30)/100, recall (4 + 12 + 24 + 36)/100.
    const w = r.test!.per_class_metrics!.weighted;
    close(w.f1, 0.7);
    close(w.precision, 0.65);
    close(w.recall, 0.76);
    expect(r.dataset.num_test_samples).to.equal(100);
    expect(r.config.device).to.equal('cpu'); // SUMMARY.txt's Device line
    expect(r.config).to.include({ epochs: 3, batch_size: 32, learning_rate: 0.01, seed: 7, dataset: 'ecg-set', train_ratio: 0.6, stratified: true, save_freq: 2 });
    expect(r.config.extra).to.deep.equal({
      model: 'cnn_a_b&c%', data_dir: '../data/ecg-set', window_size: 0.8, lead: 1, curated_test: null, checkpoint_dir: 'checkpoints',
      num_classes: 4, train_records: '["100","101","102"]',
    });
    expect(r.dataset.extra).to.deep.equal({ num_train_records: 3, num_val_records: 1, num_test_records: 1, train_records: '["100","101","102"]', val_records: '["103"]', test_records: '["104"]' });
    expect(r.dataset).to.include({ id: 'ecg-set', name: 'ecg-set', source: `runs/${FRAC}`, sha256: null });
  });

  it('percent accuracies stay; precision/recall/F1 in percent become fractions with a note; NaN and Infinity read as missing', async () => {
    const result = await importFiles(folderPick('runs', only(PCT)), { now: NOW });
    expect(result.problems).to.deep.equal([]);
    const r = byId(result, PCT);
    expect(notesOf(result, PCT)).to.deep.equal(['results_summary.json: precision, recall and F1 given in percent; shown as fractions (0–1)']);
    expect(r.test!.test_accuracy).to.equal(85);
    expect(r.history.map((e) => e.train_acc)).to.deep.equal([60, 75.5, 84, 88]);
    const pc = r.test!.per_class_metrics!;
    expect(pc.per_class.precision).to.deep.equal([0.9, 0.8]);
    expect(pc.per_class.f1).to.deep.equal([0.875, 0.775]);
    expect(pc.macro).to.deep.equal({ precision: 0.85, recall: 0.8, f1: 0.825 });
    close(pc.weighted.f1, (0.875 * 30 + 0.775 * 10) / 40); // 0.85
    close(pc.weighted.recall, (0.85 * 30 + 0.75 * 10) / 40);
    expect(r.training_duration_seconds).to.equal(null); // Infinity in the file
    expect(r.training.final_val_loss).to.equal(0.55); // NaN in the summary: the history's last epoch
    expect(r.config).to.include({ device: 'mps', optimizer: 'sgd', dataset: 'two_moons.csv', weight_decay: 0 });
    expect(r.config.extra).to.deep.equal({ hidden_sizes: '[64,32]' });
    expect(r.training.model_selection_method).to.equal(null);
    expect(r.test!.evaluated_model).to.equal(null);
    expect(r.test!.evaluated_epoch).to.equal(null);
    expect(r.training.best_epoch).to.equal(3);
    expect(r.training.best_val_loss).to.equal(0.5);
    expect(r.history.some((e) => 'test_acc' in e)).to.equal(false);
    expect(r.test!.confusion_matrix).to.deep.equal([[26, 4], [2, 8]]);
  });

  it('a folder with only training_history.csv: a run from its history and the folder name (no test)', async () => {
    const result = await importFiles(folderPick('runs', only(OMEGA)), { now: NOW });
    expect(result.problems).to.deep.equal([]);
    const r = byId(result, OMEGA);
    expect(r.model_name).to.equal('Ωmega_naïve');
    expect(r.start_time).to.equal('2025-01-03T10:15:00');
    expect(r.end_time).to.equal(null);
    expect(r.model_parameters).to.equal(null);
    expect(r.test).to.equal(null);
    expect(r.status).to.equal('completed');
    expect(r.history.map((e) => e.val_acc)).to.deep.equal([30, 40, 52]);
    expect(r.training).to.include({ best_epoch: 3, best_val_accuracy: 52, best_val_loss: 1.3, epochs_completed: 3, final_train_acc: 60, final_learning_rate: 0.05 });
    expect(r.config).to.include({ epochs: 3, batch_size: null, learning_rate: 0.1, device: null, dataset: 'unknown' });
    expect(notesOf(result, OMEGA)).to.deep.equal(['training_history.csv: accuracies given as fractions (0–1); shown in percent']);
    expect(r.origin).to.include({ file: 'runs', path: OMEGA, format: 'reference' });
  });

  it('history from training_history.json when there is no CSV; NaN per-epoch test loss reads as null', async () => {
    const result = await importFiles(folderPick('runs', only(JSON_HIST)), { now: NOW });
    expect(result.problems).to.deep.equal([]);
    const r = byId(result, JSON_HIST);
    expect(r.history.map((e) => e.test_loss)).to.deep.equal([null, 0.61]);
    expect(r.history.map((e) => e.val_acc)).to.deep.equal([60, 70]);
    expect(r.training).to.include({ model_selection_method: 'validation_loss', best_epoch: 2, best_val_loss: 0.65, final_val_acc: 70, final_test_loss: 0.61 });
    expect(r.test).to.deep.equal({ test_loss: 0.61, test_accuracy: 69.5, evaluated_model: 'best', evaluated_epoch: 2, per_class_metrics: null, confusion_matrix: null });
    expect(r.dataset.num_test_samples).to.equal(null);
  });

  it('per-class metrics from per_class_metrics.csv when the summary has none; its unit decided for the whole file', async () => {
    const summary = JSON.parse(new TextDecoder().decode(own.get(`${FRAC}/results_summary.json`)!));
    delete summary.test.per_class_metrics;
    const csv = 'class_name,class_id,precision,recall,f1_score,support\n"a_b&c%",0,100,40,50,10\n数字,1,0.5,60,60,20\nΩmega,2,50,80,70,30\nnaïve,3,75,90,80,40\n';
    const files = new Map([...only(FRAC), [`${FRAC}/results_summary.json`, bytesOf(JSON.stringify(summary))], [`${FRAC}/per_class_metrics.csv`, bytesOf(csv)]]);
    const result = await importFiles(folderPick('runs', files), { now: NOW });
    const r = byId(result, FRAC);
    expect(notesOf(result, FRAC)).to.include('per_class_metrics.csv: precision, recall and F1 given in percent; shown as fractions (0–1)');
    const pc = r.test!.per_class_metrics!;
    expect(pc.per_class.class_name).to.deep.equal(['a_b&c%', '数字', 'Ωmega', 'naïve']);
    // 0.5 sits among percent values: it is 0.5 %, not 50 % (per file, not per value).
    expect(pc.per_class.precision).to.deep.equal([1, 0.005, 0.5, 0.75]);
    close(pc.macro.f1, 0.65);
    close(pc.weighted.f1, 0.7);
  });

  it('loose files of one folder dropped together are one run; a lone results_summary.json is a run; so is one saved under another name', async () => {
    const frac = only(FRAC);
    const drop = ['results_summary.json', 'training_history.csv', 'SUMMARY.txt'].map((n) => loose(n, frac.get(`${FRAC}/${n}`)!));
    const together = await importFiles(drop, { now: NOW });
    expect(together.problems).to.deep.equal([]);
    expect(together.records).to.have.length(1);
    const r = together.records[0];
    expect(r.run_id).to.equal('cnn_a_b&c%_20250101_120000'); // no folder name: model and start time
    expect(r.origin).to.include({ file: 'results_summary.json', path: '' });
    expect(r.history).to.have.length(3);
    expect(r.config.device).to.equal('cpu');

    const lone = await importFiles([loose('results_summary.json', own.get(`${PCT}/results_summary.json`)!)], { now: NOW });
    expect(lone.problems).to.deep.equal([]);
    expect(lone.records).to.have.length(1);
    expect(lone.records[0]).to.include({ run_id: 'pct_mlp_20250102_090000', model_name: 'pct_mlp' });
    expect(lone.records[0].history).to.deep.equal([]);
    expect(lone.records[0].training.best_val_loss).to.equal(null);

    const renamed = await importFiles([loose('pct run (copy).json', own.get(`${PCT}/results_summary.json`)!)], { now: NOW });
    expect(renamed.problems).to.deep.equal([]);
    expect(renamed.records[0].origin).to.include({ file: 'pct run (copy).json', path: '' });
  });
});

describe('importFiles: zips', () => {
  it('a run.zip built by the exporter imports back as the same record, apart from its origin', async () => {
    const { record, predictions } = fixedRun();
    const blob = await buildRunZip({ record, predictions, models: { best: null, checkpoints: [] } });
    const result = await importFiles([loose(`${record.run_id}.zip`, blob)], { now: NOW });
    expect(result.problems).to.deep.equal([]);
    expect(result.notes).to.deep.equal([]);
    expect(result.records).to.have.length(1);
    const back = result.records[0];
    const { origin, ...rest } = back;
    expect(rest).to.deep.equal(withoutKey(validateRunRecord(record), 'origin'));
    expect(origin).to.deep.equal({ kind: 'imported', file: `${record.run_id}.zip`, path: record.run_id, format: 'trainlab', imported_at: origin.kind === 'imported' ? origin.imported_at : '' });
    expect(back.run_id).to.equal(record.run_id);
  });

  it('a zip of run folders at depth 2 and the same folders picked: the same four runs; figures and weights ignored', async () => {
    const own = await ownFixtures();
    const files = new Map([...own, [`${FRAC}/training_curves.png`, new Uint8Array(64)], [`${PCT}/best_model.pt`, new Uint8Array(64)], ['notes.txt', bytesOf('hi')]]);
    const zipped = await importFiles([loose('all.zip', zipOf(files, 'project/checkpoints/'))], { now: NOW });
    const picked = await importFiles(folderPick('checkpoints', files), { now: NOW });
    expect(zipped.problems).to.deep.equal([]);
    expect(picked.problems).to.deep.equal([]);
    const ids = [FRAC, JSON_HIST, PCT, OMEGA];
    expect(zipped.records.map((r) => r.run_id)).to.deep.equal(ids);
    expect(zipped.records.map((r) => r.origin.kind === 'imported' && r.origin.path)).to.deep.equal(ids.map((id) => `project/checkpoints/${id}`));
    expect(picked.records.map((r) => r.origin.kind === 'imported' && [r.origin.file, r.origin.path])).to.deep.equal(ids.map((id) => ['checkpoints', id]));
    const comparable = (r: RunRecord) => ({ ...withoutOrigin(r), dataset: { ...r.dataset, source: '' } });
    expect(zipped.records.map(comparable)).to.deep.equal(picked.records.map(comparable));
    expect(zipped.notes.map((n) => n.text)).to.deep.equal(picked.notes.map((n) => n.text));
  });

  it('a zip of two run.zips: both runs, paths through the inner zip', async () => {
    const { record, predictions } = fixedRun();
    const runZip = new Uint8Array(await (await buildRunZip({ record, predictions, models: { best: null, checkpoints: [] } })).arrayBuffer());
    const own = await ownFixtures(FRAC);
    const outer = zipSync({ 'downloads/a.zip': runZip, [`${FRAC}.zip`]: zipOf(own) });
    const result = await importFiles([loose('runs.zip', outer)], { now: NOW });
    expect(result.problems).to.deep.equal([]);
    expect(result.records.map((r) => [r.run_id, r.origin.kind === 'imported' && r.origin.path, r.origin.kind === 'imported' && r.origin.format])).to.deep.equal([
      ['mlp_20261126_192000', 'downloads/a.zip/mlp_20261126_192000', 'trainlab'],
      [FRAC, `${FRAC}.zip/${FRAC}`, 'reference'],
    ]);
  });

  it('a zip with the run files at its root is named after the zip; a zip found by its signature under another name', async () => {
    const own = await ownFixtures(PCT);
    const rootFiles = new Map([...own].map(([p, b]) => [p.slice(PCT.length + 1), b]));
    const result = await importFiles([loose(`${PCT}.zip`, zipOf(rootFiles)), loose('download', zipOf(own))], { now: NOW });
    expect(result.problems).to.deep.equal([]);
    expect(result.records).to.have.length(1); // the same run twice (same run_id and end_time): kept once
    expect(result.records[0].run_id).to.equal(PCT);
    expect(result.records[0].origin).to.include({ file: `${PCT}.zip`, path: '' });
    expect(result.records[0].history).to.have.length(4);
  });

  it('reads only the run’s text files from a zip, never weights or figures', async () => {
    const own = await ownFixtures(PCT);
    const files = new Map([...own, [`${PCT}/best_model/weights.bin`, new Uint8Array(5_000_000)], [`${PCT}/training_curves.png`, new Uint8Array(1_000_000)]]);
    // A budget below the weights' size: it passes only because they are never inflated.
    const result = await importFiles([loose('run.zip', zipOf(files))], { now: NOW, maxZipBytes: 100_000 });
    expect(result.problems).to.deep.equal([]);
    expect(result.records).to.have.length(1);
  });
});

describe('importFiles: bad input', () => {
  it('each bad file is one problem naming it, with a reason; the good ones still load', async () => {
    const own = await ownFixtures(PCT, FRAC);
    const good = folderPick('good', new Map([...own].filter(([p]) => p.startsWith(PCT))));
    const big = zipSync({ [`${FRAC}/results_summary.json`]: bytesOf(' '.repeat(300_000)) });
    const bad: SourceFile[] = [
      loose('broken.zip', 'this is not a zip'),
      loose('no-runs.zip', zipSync({ 'notes/readme.txt': bytesOf('hello'), 'img/plot.png': new Uint8Array(10) })),
      loose('damaged.zip', zipSync({ 'run_20250101_000000/results_summary.json': bytesOf('{"model_name": "x",') })),
      source('bad-csv/lstm_20250101_000000/training_history.csv', 'epoch,train_loss,train_acc,learning_rate\n1,0.5,50,0.1\n'),
      loose('big.zip', big),
      source('odd/results_summary.json', '{"hello": 1}'),
      loose('picture.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])),
      source('wrong-shape/cnn_20250101_000000/results_summary.json', JSON.stringify({ model_name: 'cnn', start_time: '2025-01-01T00:00:00', test: { test_accuracy: 'high' } })),
    ];
    const result = await importFiles([...bad.slice(0, 4), ...good, ...bad.slice(4)], { now: NOW, maxZipBytes: 100_000 });
    expect(result.records.map((r) => r.run_id)).to.deep.equal([PCT]);
    const problems = new Map(result.problems.map((p) => [p.file, p]));
    expect(result.problems).to.have.length(bad.length);
    expect(problems.get('broken.zip')!.reason).to.match(/^not a zip file/);
    expect(problems.get('no-runs.zip')).to.deep.equal({ file: 'no-runs.zip', path: '', reason: 'no run found: no folder in it holds a results_summary.json or a training_history.csv' });
    expect(problems.get('damaged.zip')!.path).to.equal('run_20250101_000000');
    expect(problems.get('damaged.zip')!.reason).to.match(/^results_summary\.json: not valid JSON \(/);
    expect(problems.get('bad-csv')).to.deep.equal({ file: 'bad-csv', path: 'lstm_20250101_000000', reason: 'training_history.csv: missing columns val_acc, val_loss' });
    expect(problems.get('big.zip')!.reason).to.match(/past the 97\.7 kB limit/);
    expect(problems.get('odd')).to.deep.equal({ file: 'odd', path: '', reason: "results_summary.json: neither a TrainLab run record (no schema_version) nor the reference script's summary (no model_name)" });
    expect(problems.get('picture.png')!.reason).to.equal('not a zip, a run folder or a results_summary.json');
    expect(problems.get('wrong-shape')).to.deep.equal({ file: 'wrong-shape', path: 'cnn_20250101_000000', reason: 'results_summary.json: test.test_accuracy must be a number (got "high")' });
  });

  it('a damaged TrainLab record names the field; a history with a non-finite loss keeps the epochs before it', async () => {
    const { record } = fixedRun();
    const broken = { ...record, config: { ...record.config, epochs: -1 } };
    const diverged = 'epoch,train_loss,train_acc,val_loss,val_acc\n1,0.9,50,0.8,55\n2,nan,51,inf,56\n3,nan,52,nan,57\n';
    const result = await importFiles(
      [source(`x/${record.run_id}/results_summary.json`, JSON.stringify(broken)), source('y/div_20250101_000000/training_history.csv', diverged)],
      { now: NOW },
    );
    expect(result.problems).to.deep.equal([{ file: 'x', path: record.run_id, reason: 'results_summary.json: run record: config.epochs must be a non-negative integer (got -1)' }]);
    const r = byId(result, 'div_20250101_000000');
    expect(r.history).to.have.length(1);
    expect(r.training.epochs_completed).to.equal(3);
    expect(result.notes.map((n) => n.text)).to.deep.equal([
      'training_history.csv: epoch 2 has no finite train_loss, val_loss; the history is kept up to epoch 1',
    ]);
    expect(r.config).to.include({ batch_size: null, learning_rate: null });
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await importFiles([loose('a.zip', zipSync({}))], { now: NOW, signal: controller.signal }).catch((e) => e);
    expect((error as Error).name).to.equal('AbortError');
  });
});

function withoutKey<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const { [key]: _drop, ...rest } = o;
  return rest;
}
