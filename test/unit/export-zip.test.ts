import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import JSZip from 'jszip';
import { buildRunZip, ExportError, runFileList } from '../../src/export/index';
import type { SavedModel } from '../../src/training/types';
import { emptyRun, fixedRun, stoppedRun } from '../fixtures/export-fixtures';
import { savedMlp } from '../fixtures/export-models';

/** Compression method per entry, read from the zip's central directory (0 = STORE, 8 = DEFLATE). */
function zipMethods(bytes: Uint8Array): Map<string, number> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd >= 0 && v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    expect(v.getUint32(p, true)).to.equal(0x02014b50);
    const nameLen = v.getUint16(p + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    out.set(name, v.getUint16(p + 10, true));
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

/** Every key path of `ref` ("test.per_class_metrics.macro.f1"), arrays as leaves. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}
const at = (obj: unknown, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);

let tiny: SavedModel;

async function unzip(blob: Blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const zip = await JSZip.loadAsync(bytes);
  const files = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name);
  return { bytes, zip, files };
}

describe('run.zip', () => {
  before(async () => {
    await tf.setBackend('cpu');
    tiny = await savedMlp([4], [8], 3, 5);
  });

  it('a completed run: exactly runFileList under the run folder, JSON parses, weights stored', async () => {
    const { record, predictions } = fixedRun();
    const models = { best: tiny, checkpoints: [{ epoch: 5, model: tiny }] };
    const { bytes, zip, files } = await unzip(await buildRunZip({ record, predictions, models }));
    const expected = runFileList(record, models);
    expect([...files].sort()).to.deep.equal([...expected].sort());
    for (const name of ['results_summary.json', 'training_history.csv', 'confusion_matrix.pdf', 'best_model/model.json', 'checkpoint_epoch_5/weights.bin', 'README.txt']) {
      expect(expected).to.include(`mlp_20261126_192000/${name}`);
    }
    for (const f of files.filter((n) => n.endsWith('.json'))) {
      const text = await zip.file(f)!.async('string');
      expect(() => JSON.parse(text), f).not.to.throw();
    }
    const methods = zipMethods(bytes);
    for (const f of files) expect(methods.get(f), f).to.equal(/\.(bin|png)$/.test(f) ? 0 : 8);
    // UTF-8 without loss: the CSV bytes decode strictly and keep "naïve".
    const csv = await zip.file(`${record.run_id}/per_class_metrics.csv`)!.async('uint8array');
    expect(new TextDecoder('utf-8', { fatal: true }).decode(csv)).to.contain('naïve,2,');
  });

  it('results_summary.json has every key path of the reference script’s', async () => {
    const { record, predictions } = fixedRun();
    const { zip } = await unzip(await buildRunZip({ record, predictions, models: { best: null, checkpoints: [] } }));
    const ours = JSON.parse(await zip.file(`${record.run_id}/results_summary.json`)!.async('string'));
    // A copy of a reference run's results_summary.json, less its ECG-only keys (config.window_size,
    // config.lead, dataset.*_records) that have no meaning for TrainLab runs.
    const reference = await (await fetch('/test/fixtures/reference-results-summary.json')).json();
    const paths = keyPaths(reference);
    expect(paths.length).to.be.greaterThan(25);
    for (const p of paths) {
      expect(at(ours, p), p).not.to.equal(undefined);
      expect(Array.isArray(at(ours, p)), p).to.equal(Array.isArray(at(reference, p)));
    }
    expect(ours.test.test_accuracy).to.be.within(0, 100); // percent, like the reference
    expect(ours.test.per_class_metrics.macro.f1).to.be.within(0, 1); // fraction
  });

  it('model.json loads with tf.loadLayersModel over http (relative weights path) and predicts', async () => {
    const { record, predictions } = fixedRun();
    const { zip } = await unzip(await buildRunZip({ record, predictions, models: { best: tiny, checkpoints: [{ epoch: 5, model: tiny }] } }));
    const fetchFunc = async (input: RequestInfo | URL) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const file = zip.file(decodeURIComponent(new URL(url).pathname.slice(1)));
      return file ? new Response(await file.async('uint8array') as Uint8Array<ArrayBuffer>, { status: 200 }) : new Response('', { status: 404 });
    };
    const json = JSON.parse(await zip.file(`${record.run_id}/best_model/model.json`)!.async('string'));
    expect(json.format).to.equal('layers-model');
    expect(json.weightsManifest[0].paths).to.deep.equal(['weights.bin']);
    const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.4], [1, 2, 3, 4]]);
    const original = await tf.loadLayersModel(tf.io.fromMemory(tiny));
    const want = await (original.predict(x) as tf.Tensor).array();
    for (const folder of ['best_model', 'checkpoint_epoch_5']) {
      const model = await tf.loadLayersModel(`http://zip.invalid/${record.run_id}/${folder}/model.json`, { fetchFunc });
      const got = (await (model.predict(x) as tf.Tensor).array()) as number[][];
      expect(got).to.deep.equal(want);
      model.dispose();
    }
    original.dispose();
    x.dispose();
  });

  it('a stopped run (no test results) still gets every file that makes sense', async () => {
    const { record } = stoppedRun();
    const models = { best: tiny, checkpoints: [{ epoch: 5, model: tiny }] };
    const { zip, files } = await unzip(await buildRunZip({ record, predictions: null, models }));
    const names = files.map((f) => f.slice(record.run_id.length + 1));
    expect(names).to.include.members(['SUMMARY.txt', 'README.txt', 'results_summary.json', 'config.json', 'training_history.csv', 'training_curves.png', 'loss_curve.pdf', 'best_model/weights.bin', 'checkpoint_epoch_5/model.json']);
    expect(names).not.to.include.members(['per_class_metrics.csv']);
    expect(names.filter((n) => /confusion|predictions|per_class_metrics/.test(n))).to.deep.equal([]);
    const summary = await zip.file(`${record.run_id}/SUMMARY.txt`)!.async('string');
    expect(summary).to.contain('NOT IN THIS FOLDER');
    expect(summary.replace(/\n +/g, ' ')).to.contain('the run was stopped after epoch 7 of 20');
    expect(JSON.parse(await zip.file(`${record.run_id}/results_summary.json`)!.async('string')).test).to.equal(null);
  });

  it('an interrupted run with no epoch: text files only', async () => {
    const { record } = emptyRun();
    const { files } = await unzip(await buildRunZip({ record, predictions: null, models: { best: null, checkpoints: [] } }));
    expect(files.map((f) => f.split('/')[1]).sort()).to.deep.equal(['README.txt', 'SUMMARY.txt', 'config.json', 'results_summary.json', 'training_history.csv', 'training_history.json']);
  });

  it('reports progress from 0 to 1 in order, naming the steps', async () => {
    const { record, predictions } = fixedRun();
    const seen: [number, string][] = [];
    await buildRunZip({ record, predictions, models: { best: tiny, checkpoints: [] } }, { onProgress: (f, what) => seen.push([f, what]) });
    expect(seen[0][0]).to.equal(0);
    expect(seen[seen.length - 1]).to.deep.equal([1, 'done']);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).to.be.at.least(seen[i - 1][0]);
    const steps = seen.map(([, w]) => w);
    expect(steps).to.include.members(['training_curves.png', 'confusion_matrix.pdf', 'zip']);
  });

  it('stops on abort, before or during the work', async () => {
    const { record, predictions } = fixedRun();
    const input = { record, predictions, models: { best: tiny, checkpoints: [] } };
    const early = new AbortController();
    early.abort();
    let error: unknown = await buildRunZip(input, { signal: early.signal }).catch((e) => e);
    expect((error as Error).name).to.equal('AbortError');
    const midway = new AbortController();
    error = await buildRunZip(input, {
      signal: midway.signal,
      onProgress: (_f, what) => what === 'loss_curve.png' && midway.abort(),
    }).catch((e) => e);
    expect((error as Error).name).to.equal('AbortError');
  });

  it('rejects predictions that do not match the record with a named error', async () => {
    const { record, predictions } = fixedRun();
    const bad = { ...predictions!, yPred: predictions!.yPred.subarray(1) };
    const error = await buildRunZip({ record, predictions: bad, models: { best: null, checkpoints: [] } }).catch((e) => e);
    expect(error).to.be.instanceOf(ExportError);
    expect(error.message).to.equal('predictions: 30 true labels but 29 predicted labels');
  });

  it('loads jsPDF and JSZip only on export (no static import in src/export)', async () => {
    const files = ['index.ts', 'zip.ts', 'figures/pdf-backend.ts', 'figures/render.ts', 'figures/canvas-backend.ts'];
    for (const f of files) {
      const src = await (await fetch(`/src/export/${f}`)).text();
      expect(src, f).not.to.match(/^import\s+(?!type\b)[^;]*from\s+'(jspdf|jszip)'/m);
    }
  });
});
