// A sweep's PyTorch export, built from records and their shared split (run_sweep.py and train.py are
// run for real by test/e2e/pytorch-sweep.test.mjs): one train.py and data/, a configuration and initial
// weights per run whose paths resolve from configs/, sweep.json, the README's commands, the refusals.
import { expect } from '@esm-bundle/chai';
import { unzipSync } from 'fflate';
import type { LabRunRecord } from '../../src/recorder/run-record';
import type { SweepRecord } from '../../src/recorder/sweep-record';
import { buildPytorchSweepZip, pytorchSweepFiles, pytorchSweepZipName, RUN_SWEEP_PY, type PytorchSweepInput } from '../../src/export/pytorch/sweep';
import { TRAIN_PY } from '../../src/export/pytorch/index';
import type { SavedModel } from '../../src/training/types';
import { completedRecord, makeSplit } from '../helpers/run-fixtures';

const SWEEP_ID = 'sweep_20261201_120000';
const IDS = ['mlp_20261201_120100', 'mlp_20261201_120200'];

function initialModel(value: number): SavedModel {
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'mlp', layers: [] } },
    weightSpecs: [{ name: 'dense_1/kernel', shape: [2, 1], dtype: 'float32' }],
    weightData: Float32Array.of(value, value + 1).buffer,
    format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null,
  };
}

function runOf(id: string, lr: number): LabRunRecord {
  const r = completedRecord();
  return { ...r, run_id: id, sweep_id: SWEEP_ID, config: { ...r.config, learning_rate: lr } };
}

function sweepOf(records: LabRunRecord[]): SweepRecord {
  return {
    schema_version: 1, sweep_id: SWEEP_ID, name: 'learning rates', created_at: '2026-12-01T12:00:00.000+01:00', updated_at: '2026-12-01T12:03:00.000+01:00',
    status: 'completed', status_reason: '',
    definition: { mode: 'grid', params: [{ key: 'lr', values: ['0.01', '0.1'] }], draws: null, repeats: 1, draw_seed: 1, split_seed: 1, base_query: 'model=mlp' },
    swept_keys: ['lr'],
    runs: records.map((r, index) => ({ index, config_index: index, seed: 1, query: `lr=${r.config.learning_rate}`, values: { lr: String(r.config.learning_rate) }, run_id: r.run_id, status: 'done' })),
  };
}

function input(records = [runOf(IDS[0], 0.01), runOf(IDS[1], 0.1)]): PytorchSweepInput {
  return { sweep: sweepOf(records), runs: records.map((record, i) => ({ record, initial: initialModel(i * 10), topology: null })), split: makeSplit(), exportedAt: new Date(2026, 11, 1, 12) };
}

const text = (data: unknown) => (typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array));
const byPath = (i = input()) => new Map(pytorchSweepFiles(i).map((f) => [f.path, f.data]));
const json = (files: Map<string, unknown>, path: string) => JSON.parse(text(files.get(path)));

describe('PyTorch export of a sweep', () => {
  it('holds one train.py, run_sweep.py and data/, and a configuration and initial weights per run', () => {
    const files = byPath();
    expect([...files.keys()].sort()).to.deep.equal([
      'README.md', `configs/${IDS[0]}.json`, `configs/${IDS[1]}.json`, 'data/preprocessing.json', 'data/test.csv', 'data/train.csv', 'data/val.csv',
      `initial_models/${IDS[0]}/model.json`, `initial_models/${IDS[0]}/weights.bin`, `initial_models/${IDS[1]}/model.json`, `initial_models/${IDS[1]}/weights.bin`,
      'run_sweep.py', 'sweep.json', 'train.py',
    ]);
    expect(files.get('train.py')).to.equal(TRAIN_PY);
    expect(files.get('run_sweep.py')).to.equal(RUN_SWEEP_PY);
    expect(RUN_SWEEP_PY).to.match(/--index/).and.match(/sweep\.json/);
    expect(Array.from(new Float32Array((files.get(`initial_models/${IDS[1]}/weights.bin`) as ArrayBuffer)))).to.deep.equal([10, 11]);
  });

  it("each configuration is its run's, with paths relative to configs/ that name the shared data and its own weights", () => {
    const i = input();
    const files = byPath(i);
    IDS.forEach((id, k) => {
      const c = json(files, `configs/${id}.json`);
      expect(c.format).to.equal('trainlab-pytorch');
      expect(c.run_id).to.equal(id);
      expect(c.config).to.deep.equal(i.runs[k].record.config);
      expect(c.initial_model).to.deep.equal({ model_json: `../initial_models/${id}/model.json`, weights: `../initial_models/${id}/weights.bin` });
      expect([c.data.parts.train.rows, c.data.parts.val.rows, c.data.parts.test.rows, c.data.preprocessing]).to.deep.equal(['../data/train.csv', '../data/val.csv', '../data/test.csv', '../data/preprocessing.json']);
      expect(c.data.parts.train.n).to.equal(42);
    });
    const sweep = json(files, 'sweep.json');
    expect(sweep.sweep_id).to.equal(SWEEP_ID);
    expect(sweep.runs).to.deep.equal(IDS.map((id, k) => ({ run_id: id, config: `configs/${id}.json`, values: { lr: ['0.01', '0.1'][k] }, seed: 1 })));
  });

  it('README.md lists the runs and gives the commands: all in turn, one by index, a SLURM array job over every index', () => {
    const readme = text(byPath().get('README.md'));
    expect(readme).to.contain('python run_sweep.py --index 1');
    expect(readme).to.contain('#SBATCH --array=0-1');
    expect(readme).to.contain('python run_sweep.py --index "$SLURM_ARRAY_TASK_ID"');
    expect(readme).to.match(new RegExp(`\\| 1 \\| \`${IDS[1]}\` \\| 0\\.1 \\| 1 \\|`));
  });

  it('refuses runs that do not share one split, runs of another sweep, and a sweep without runs', () => {
    const [a, b] = [runOf(IDS[0], 0.01), runOf(IDS[1], 0.1)];
    const seed = { ...b, config: { ...b.config, split_seed: b.config.split_seed + 1 } };
    expect(() => pytorchSweepFiles(input([a, seed]))).to.throw(/do not share one split .*split seed/);
    const data = { ...b, dataset: { ...b.dataset, sha256: 'f'.repeat(64) } };
    expect(() => pytorchSweepFiles(input([a, data]))).to.throw(/do not share one split .*data SHA-256 ffffffffffff/);
    const other = input([a, b]);
    other.runs[1] = { ...other.runs[1], record: { ...b, sweep_id: 'sweep_other' } };
    expect(() => pytorchSweepFiles(other)).to.throw(`${IDS[1]} is not a run of ${SWEEP_ID}`);
    expect(() => pytorchSweepFiles({ ...input(), runs: [] })).to.throw(/has no run that ended/);
    const wrong = input();
    wrong.split = { ...wrong.split, classNames: ['x', 'y', 'z'] };
    expect(() => pytorchSweepFiles(wrong)).to.throw(/is not the one it trained on/);
  });

  it('zips everything under {sweep_id}_pytorch/', async () => {
    const i = input();
    expect(pytorchSweepZipName(i.sweep)).to.equal(`${SWEEP_ID}_pytorch.zip`);
    const zip = unzipSync(new Uint8Array(await (await buildPytorchSweepZip(i)).arrayBuffer()));
    const names = Object.keys(zip);
    expect(names.every((n) => n.startsWith(`${SWEEP_ID}_pytorch/`))).to.equal(true);
    expect(names).to.include(`${SWEEP_ID}_pytorch/configs/${IDS[0]}.json`);
    expect(names.filter((n) => n.endsWith('train.py'))).to.have.length(1);
  });
});
