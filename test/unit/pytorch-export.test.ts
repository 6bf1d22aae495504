// The PyTorch export's files, built from records and splits (the run itself and train.py are
// exercised for real by test/e2e/pytorch.test.mjs): data/, config.json, README.md, the .npy writer.
import { expect } from '@esm-bundle/chai';
import { unzipSync } from 'fflate';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { npyFloat32, npyHeader } from '../../src/export/pytorch/npy';
import { checkSplit, dataFiles, preprocessingOf, type ExportSplit } from '../../src/export/pytorch/data-files';
import { buildPytorchZip, pytorchFiles, pytorchZipName, TRAIN_PY } from '../../src/export/pytorch/index';
import { readmeMd } from '../../src/export/pytorch/readme';
import type { DatasetSplit, SavedModel, SplitPart } from '../../src/training/types';
import { completedRecord } from '../helpers/run-fixtures';
import { ownImagesRun, ownTableRun } from '../fixtures/own-data-records';
import { lcg } from '../fixtures/export-records';
import { parseCsv } from '../fixtures/parse-csv';

/** A split that fits the record: its classes, input shape and class counts; seeded values. */
function splitOf(record: LabRunRecord): ExportSplit {
  const d = record.dataset;
  const size = d.input_shape.reduce((a, b) => a * b, 1);
  const rand = lcg(5);
  let row = 0;
  const part = (counts: number[]): SplitPart => {
    const y = Int32Array.from(counts.flatMap((n, c) => Array<number>(n).fill(c)));
    const x = Float32Array.from({ length: y.length * size }, () => rand() * 4 - 2);
    return { x, y, n: y.length, indices: Int32Array.from(y, () => row++ * 3), classCounts: [...counts] };
  };
  const dist = d.class_distribution;
  return {
    datasetId: d.id, kind: d.input_shape.length > 1 ? 'image' : 'tabular', inputShape: [...d.input_shape], classNames: [...d.class_names],
    seed: record.config.split_seed, ratios: { train: 0.7, val: 0.15, test: 0.15 }, train: part(dist.train), val: part(dist.val), test: part(dist.test),
  };
}

/** A model's topology and weights without optimizer state, as the trainer's initial snapshot has them. */
function initialModel(bytes = 8): SavedModel {
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'mlp', layers: [] } },
    weightSpecs: [{ name: 'dense_1/kernel', shape: [2, 1], dtype: 'float32' }],
    weightData: new Float32Array(bytes / 4).map((_, i) => i + 0.5).buffer,
    format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null,
  };
}

const text = (data: unknown) => (typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array));
const input = (record: LabRunRecord, over: Partial<Parameters<typeof pytorchFiles>[0]> = {}) =>
  ({ record, split: splitOf(record), initial: initialModel(), topology: null, exportedAt: new Date(2026, 11, 1, 12), ...over });

describe('PyTorch export: .npy', () => {
  it("writes NumPy's version 1.0 header (64-byte aligned) and little-endian float32 values in C order", () => {
    expect(npyHeader([3, 2, 2, 1])).to.equal(`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2, 2, 1), }`.padEnd(117, ' ') + '\n');
    expect(npyHeader([5])).to.match(/'shape': \(5,\), }/);
    const values = Float32Array.from([1.5, -2, 0.1, 3e-8, 7, 8]);
    const bytes = npyFloat32(values, [3, 2]);
    expect(Array.from(bytes.subarray(0, 8))).to.deep.equal([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const view = new DataView(bytes.buffer);
    const headerLength = view.getUint16(8, true);
    expect((10 + headerLength) % 64).to.equal(0);
    expect(String.fromCharCode(...bytes.subarray(10 + headerLength - 1, 10 + headerLength))).to.equal('\n');
    const back = Array.from({ length: 6 }, (_, i) => view.getFloat32(10 + headerLength + 4 * i, true));
    expect(back).to.deep.equal(Array.from(values));
    expect(() => npyFloat32(values, [4, 2])).to.throw(RangeError, /holds 8 values, got 6/);
  });
});

describe('PyTorch export: data/', () => {
  it('a table: one CSV per part with the source row, every input in full precision (read back exactly) and the label index', () => {
    const record = completedRecord();
    const split = splitOf(record);
    const { files, data } = dataFiles(record, split);
    expect(files.map((f) => f.path)).to.deep.equal(['data/train.csv', 'data/val.csv', 'data/test.csv', 'data/preprocessing.json']);
    expect(data).to.deep.include({ kind: 'tabular', feature_names: ['x1', 'x2'], own_data: false, preprocessing: 'data/preprocessing.json' });
    expect(data.parts.val).to.deep.equal({ rows: 'data/val.csv', features: null, n: 9, class_counts: [3, 3, 3] });
    const rows = parseCsv(text(files[2].data));
    expect(rows[0]).to.deep.equal(['source_row', 'x1', 'x2', 'label']);
    expect(rows.length).to.equal(1 + split.test.n);
    rows.slice(1).forEach((r, i) => {
      expect(Number(r[0])).to.equal(split.test.indices[i]);
      expect(Math.fround(Number(r[1]))).to.equal(split.test.x[2 * i]);
      expect(Number(r[1])).to.equal(split.test.x[2 * i]); // the float32 value itself, not a rounding of it
      expect(Number(r[3])).to.equal(split.test.y[i]);
    });
  });

  it("own table: inputs named as prepared, and the preprocessing fitted on the train split in data/preprocessing.json", () => {
    const { record } = ownTableRun();
    const split = splitOf(record);
    const { files, data } = dataFiles(record, split);
    const f = record.dataset.data_file!;
    if (f.kind !== 'table') throw new Error('fixture');
    expect(data.feature_names).to.deep.equal(f.preprocessing.outputNames);
    expect(data.own_data).to.equal(true);
    expect(parseCsv(text(files[0].data))[0]).to.deep.equal(['source_row', ...f.preprocessing.outputNames, 'label']);
    const pre = JSON.parse(text(files.at(-1)!.data));
    expect(pre.kind).to.equal('table');
    expect(pre.fitted).to.deep.equal(f.preprocessing);
  });

  it('images: N × H × W × C float32 .npy per part with the labels in CSV; own images name their decoding options', () => {
    const { record } = ownImagesRun();
    const split = splitOf(record);
    const { files, data } = dataFiles(record, split);
    expect(files.map((f) => f.path)).to.deep.equal(['data/train.csv', 'data/train_x.npy', 'data/val.csv', 'data/val_x.npy', 'data/test.csv', 'data/test_x.npy', 'data/preprocessing.json']);
    expect(data).to.deep.include({ kind: 'image', feature_names: null });
    expect(data.parts.test).to.deep.equal({ rows: 'data/test.csv', features: 'data/test_x.npy', n: 30, class_counts: record.dataset.class_distribution.test });
    const npy = files[5].data as Uint8Array;
    const headerLength = new DataView(npy.buffer).getUint16(8, true);
    expect(String.fromCharCode(...npy.subarray(10, 10 + headerLength))).to.match(/'shape': \(30, 32, 32, 3\)/);
    expect(npy.byteLength).to.equal(10 + headerLength + 4 * 30 * 32 * 32 * 3);
    expect(new DataView(npy.buffer).getFloat32(10 + headerLength + 4 * 5, true)).to.equal(split.test.x[5]);
    expect(parseCsv(text(files[4].data))[0]).to.deep.equal(['source_row', 'label']);
    const pre = JSON.parse(text(files.at(-1)!.data));
    expect(pre).to.deep.include({ kind: 'images' });
    expect(pre.images.options.size).to.equal(32);
  });

  it("built-in tables: the train split's standardisation (mean and std per feature)", () => {
    const record = completedRecord();
    const split = { ...splitOf(record), standardization: { mean: Float32Array.from([0.5, -1]), std: Float32Array.from([2, 1]) } };
    expect(preprocessingOf(record, split)).to.deep.include({ kind: 'standardize', mean: [0.5, -1], std: [2, 1] });
  });

  it('a split that is not the one the run recorded is refused, saying what differs', () => {
    const record = completedRecord();
    const split: DatasetSplit = splitOf(record);
    const fewer = { ...split, val: { ...split.val, n: 8, y: split.val.y.slice(1), classCounts: [2, 3, 3] } };
    expect(() => checkSplit(record, fewer)).to.throw(/not the one it trained on: val: 8 rows ≠ 9 recorded/);
    expect(() => checkSplit(record, { ...split, classNames: ['a', 'b', 'x'] })).to.throw(/classes \["a","b","x"\]/);
  });
});

describe('PyTorch export: the zip', () => {
  it('train.py, config.json, README.md, initial_model/ (model weights only) and data/; config.json holds the run as recorded', () => {
    const record = completedRecord();
    const files = pytorchFiles(input(record));
    expect(files.map((f) => f.path)).to.deep.equal([
      'train.py', 'config.json', 'README.md', 'initial_model/model.json', 'initial_model/weights.bin',
      'data/train.csv', 'data/val.csv', 'data/test.csv', 'data/preprocessing.json',
    ]);
    expect(files[0].data).to.equal(TRAIN_PY);
    expect(TRAIN_PY).to.match(/^#!\/usr\/bin\/env python3\n/).and.match(/def epoch_order\(seed, epoch, n\):/);
    const config = JSON.parse(text(files[1].data));
    expect(config).to.deep.include({ format: 'trainlab-pytorch', version: 1, run_id: record.run_id, model_name: 'mlp' });
    expect(config.config).to.deep.equal(record.config);
    expect(config.dataset).to.deep.equal(record.dataset);
    expect(config.architecture).to.deep.equal(record.architecture);
    expect(config.initial_model).to.deep.equal({ model_json: 'initial_model/model.json', weights: 'initial_model/weights.bin' });
    expect(config.browser_run).to.deep.include({ run_id: record.run_id, test_accuracy: record.test!.test_accuracy, best_epoch: record.training.best_epoch });
    expect(config.exported_at).to.match(/^2026-12-01T12:00:00\.000[+-]\d\d:\d\d$/);
    const modelJson = JSON.parse(text(files[3].data));
    expect(modelJson.weightsManifest).to.deep.equal([{ paths: ['weights.bin'], weights: initialModel().weightSpecs }]);
    expect(new Float32Array(files[4].data as ArrayBuffer)).to.deep.equal(Float32Array.from([0.5, 1.5]));
  });

  it('the optimizer state of a snapshot is left out; a run stored before initial weights were kept: the topology of another snapshot, without weights', () => {
    const record = completedRecord();
    const best: SavedModel = { ...initialModel(12), weightSpecs: [...initialModel().weightSpecs, { name: 'iter', shape: [], dtype: 'float32', group: 'optimizer' }], trainingConfig: { loss: 'x' } };
    const files = pytorchFiles(input(record, { initial: null, topology: best }));
    expect(files.map((f) => f.path)).to.include('initial_model/model.json').and.not.include('initial_model/weights.bin');
    const modelJson = JSON.parse(text(files.find((f) => f.path === 'initial_model/model.json')!.data));
    expect(modelJson.weightsManifest[0].weights.map((w: { name: string }) => w.name)).to.deep.equal(['dense_1/kernel']);
    expect(modelJson).to.not.have.property('trainingConfig');
    expect(JSON.parse(text(files[1].data)).initial_model).to.deep.equal({ model_json: 'initial_model/model.json', weights: null });
    expect(text(files[2].data)).to.match(/trained before TrainLab kept initial weights/);
    const withOptimizer = pytorchFiles(input(record, { initial: { ...best, weightData: Float32Array.from([0.5, 1.5, 9]).buffer } }));
    expect(JSON.parse(text(withOptimizer[3].data)).weightsManifest[0].weights).to.deep.equal(initialModel().weightSpecs, 'the optimizer state is left out');
    expect(new Float32Array(withOptimizer[4].data as ArrayBuffer)).to.deep.equal(Float32Array.from([0.5, 1.5]));
    expect(() => pytorchFiles(input(record, { initial: { ...best, weightSpecs: [...best.weightSpecs].reverse() } }))).to.throw(/unexpected weights in the snapshot: iter/);
    expect(() => pytorchFiles(input({ ...record, origin: { kind: 'imported', file: 'a.zip', path: '', format: 'trainlab', imported_at: record.end_time! } }))).to.throw(/was imported/);
  });

  it('README: the commands (one process, --device cuda, torchrun, --spawn, --config), the tested PyTorch, and own data said to be in data/', () => {
    const { record } = ownTableRun();
    const { data } = dataFiles(record, splitOf(record));
    const md = readmeMd(record, data, true);
    for (const command of ['python train.py', 'python train.py --device cpu', 'torchrun --nproc_per_node=4 train.py', 'python train.py --spawn 2', 'python train.py --config other.json']) {
      expect(md).to.include(`\n${command} `);
    }
    expect(md).to.match(/Tested with PyTorch 1\.13\.0 \(Debian 12 python3-torch/);
    expect(md).to.match(/\*\*data\/ holds your own data\*\*: the rows of `patients\.csv`/);
    expect(md).to.match(/The global batch size stays 64\*\*/);
    const builtin = completedRecord();
    expect(readmeMd(builtin, dataFiles(builtin, splitOf(builtin)).data, true)).to.match(/data\/ holds the built-in data set Spirals/).and.not.match(/your own data/);
  });

  it('buildPytorchZip: every file under {run_id}_pytorch/, named {run_id}_pytorch.zip', async () => {
    const record = completedRecord();
    const zip = unzipSync(new Uint8Array(await (await buildPytorchZip(input(record))).arrayBuffer()));
    const names = Object.keys(zip).filter((n) => !n.endsWith('/'));
    expect(names.length).to.equal(9);
    expect(names.every((n) => n.startsWith(`${record.run_id}_pytorch/`))).to.equal(true);
    expect(new TextDecoder().decode(zip[`${record.run_id}_pytorch/train.py`])).to.equal(TRAIN_PY);
    expect(pytorchZipName(record)).to.equal(`${record.run_id}_pytorch.zip`);
  });
});
