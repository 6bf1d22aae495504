// Export as PyTorch, run for real: runs trained in the built site are exported (from the Lab and from
// the run view), train.py runs with Debian's PyTorch on one process and on two (--spawn 2, gloo), and
// what it writes is checked against the browser run, read by the lab's own importer, and its tfjs
// weights are loaded back and predict as PyTorch did. Tiny CNNs (RGB images) check the weight layouts
// both ways without a browser. PyTorch is Debian's python3-torch at /usr/bin/python3 (see
// scripts/system-deps.mjs); the `python3` first on PATH may be another Python without it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { freshPage, useSiteAndBrowser } from './harness.mjs';
import { loadPytorchModules } from './pytorch-modules.mjs';
import { measurementsCsv } from './own-data-files.mjs';
import { download, readCsv, unzip } from './run-zip.mjs';

import { torchPython as PYTHON } from '../../scripts/system-deps.mjs';
/** Test accuracy may differ by this many percentage points between the browser run and PyTorch's. */
const ACCURACY_TOLERANCE = 2;
/** Losses per epoch agree this closely (same initial weights, batch order and optimizer; float32 on both). */
const LOSS_TOLERANCE = 1e-3;
/** Class probabilities of the weights brought back, tfjs vs PyTorch. */
const PROBABILITY_TOLERANCE = 1e-4;

const work = mkdtempSync(join(tmpdir(), 'trainlab-pytorch-'));
after(() => rmSync(work, { recursive: true, force: true }));

function python(args, cwd) {
  // No __pycache__ beside train.py (the generator's test imports it from src/).
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  return execFileSync(PYTHON, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/** Runs train.py; returns the run folder it wrote and its results_summary.json. */
function trainPy(exportDir, args) {
  const out = python(['train.py', ...args], exportDir);
  const folder = /^Run folder: (.+)$/m.exec(out)?.[1];
  assert.ok(folder, `train.py names its run folder:\n${out}`);
  return { folder, out, summary: JSON.parse(readFileSync(join(folder, 'results_summary.json'), 'utf8')) };
}

const json = (path) => JSON.parse(readFileSync(path, 'utf8'));
const losses = (summary) => summary.history.map((h) => h.train_loss);
const maxDiff = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

/** Every file under `root` as the Compare view's folder pick gives them (path from the folder's name). */
function folderFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ name, path: `${basename(root)}/${relative(root, path)}`, blob: new Blob([readFileSync(path)]) });
    }
  };
  walk(root);
  return files;
}

/** The class probabilities of test_predictions.csv. */
function probabilities(folder) {
  return readCsv(join(folder, 'test_predictions.csv')).map((row) => Object.keys(row).filter((k) => k.startsWith('prob_')).map((k) => Number(row[k])));
}

/** best_model/ (tfjs layout, written by train.py) loaded with tfjs; its probabilities on `x`. */
async function tfjsPredict(modelDir, x) {
  const modelJson = json(join(modelDir, 'model.json'));
  const bytes = readFileSync(join(modelDir, modelJson.weightsManifest[0].paths[0]));
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  }));
  try {
    return tf.tidy(() => model.predict(x).arraySync());
  } finally {
    model.dispose();
  }
}

function expectSameProbabilities(got, want, what) {
  assert.equal(got.length, want.length, what);
  const diff = Math.max(...got.map((row, i) => maxDiff(row, want[i])));
  assert.ok(diff <= PROBABILITY_TOLERANCE, `${what}: probabilities differ by ${diff}`);
  return diff;
}

/** The checks every PyTorch run folder must pass against the browser run (`browser`: its results_summary.json). */
function expectLikeBrowser(run, browser, world) {
  const s = run.summary;
  const { device: _device, ...config } = s.config;
  const { device: _browserDevice, ...browserConfig } = browser.config;
  assert.deepEqual(config, browserConfig, 'the same configuration');
  assert.equal(s.config.device, 'cpu');
  assert.equal(s.model_parameters, browser.model_parameters);
  assert.deepEqual(s.architecture.layers, browser.architecture.layers, 'the same layers, shapes and parameter counts');
  for (const key of ['class_names', 'num_train_samples', 'num_val_samples', 'num_test_samples', 'class_distribution', 'sha256']) {
    assert.deepEqual(s.dataset[key], browser.dataset[key], `dataset.${key}`);
  }
  assert.deepEqual({ framework: s.environment.framework, device: s.environment.device, world: s.environment.world_size }, { framework: 'PyTorch', device: 'cpu', world });
  assert.match(s.environment.framework_version, /^\d+\.\d+/);
  assert.equal(s.history.length, browser.history.length, 'as many epochs');
  const lossDiff = maxDiff(losses(s), losses(browser));
  assert.ok(lossDiff < LOSS_TOLERANCE, `train losses per epoch within ${LOSS_TOLERANCE} (max difference ${lossDiff})`);
  const accDiff = Math.abs(s.test.test_accuracy - browser.test.test_accuracy);
  assert.ok(accDiff <= ACCURACY_TOLERANCE, `test accuracy ${s.test.test_accuracy} vs the browser's ${browser.test.test_accuracy}`);
  const files = readdirSync(run.folder);
  for (const f of ['results_summary.json', 'training_history.json', 'training_history.csv', 'per_class_metrics.csv', 'test_predictions.csv', 'config.json',
    'SUMMARY.txt', 'training_curves.png', 'training_curves.pdf', 'loss_curve.png', 'accuracy_curve.pdf', 'confusion_matrix.png', 'best_model.pt', 'best_model']) {
    assert.ok(files.includes(f), `${f} in the run folder`);
  }
  return { lossDiff, accDiff };
}

/**
 * Trains `query` in the site (after `prepare`, e.g. choosing a file, when given; else at once),
 * downloads run.zip and the PyTorch export (from the Lab, or from the run's view), runs train.py on
 * one process and with --spawn 2, and checks all of it; returns the export's folder.
 */
async function exportAndTrain(env, lab, name, query, from, prepare) {
  const { page, errors } = await freshPage(env, { acceptDownloads: true });
  const dir = join(work, name);
  mkdirSync(dir);
  await page.goto(`${env.site.url}?${query}&backend=cpu${prepare ? '' : '&autostart=1'}`);
  if (prepare) await prepare(page, dir);
  await page.getByText('Test accuracy').waitFor({ timeout: 120_000 });
  const runZip = await download(page, () => page.getByRole('button', { name: 'Download run.zip' }).click());
  const runZipPath = join(dir, runZip.suggestedFilename());
  await runZip.saveAs(runZipPath);
  const runId = runZip.suggestedFilename().replace(/\.zip$/, '');
  if (from === 'run view') {
    await page.evaluate((id) => (location.hash = `#runs/${encodeURIComponent(id)}`), runId);
    await page.getByRole('region', { name: `Run ${runId}` }).waitFor();
  }
  const exported = await download(page, () => page.getByRole('button', { name: 'Export as PyTorch' }).click());
  assert.equal(exported.suggestedFilename(), `${runId}_pytorch.zip`);
  const zipPath = join(dir, exported.suggestedFilename());
  await exported.saveAs(zipPath);
  assert.deepEqual(errors, []);
  await page.close();

  unzip(runZipPath, dir);
  const browser = json(join(dir, runId, 'results_summary.json'));
  const names = unzip(zipPath, dir);
  const exportDir = join(dir, `${runId}_pytorch`);
  for (const f of ['train.py', 'config.json', 'README.md', 'initial_model/model.json', 'initial_model/weights.bin', 'data/train.csv', 'data/val.csv', 'data/test.csv', 'data/preprocessing.json']) {
    assert.ok(names.includes(`${runId}_pytorch/${f}`), `${f} in the export`);
  }
  const config = json(join(exportDir, 'config.json'));
  assert.deepEqual(config.config, browser.config, "config.json holds the run's configuration as recorded");
  assert.deepEqual(config.dataset.class_names, browser.dataset.class_names);
  assert.deepEqual([config.data.parts.train.n, config.data.parts.val.n, config.data.parts.test.n],
    [browser.dataset.num_train_samples, browser.dataset.num_val_samples, browser.dataset.num_test_samples]);
  assert.match(readFileSync(join(exportDir, 'README.md'), 'utf8'), /Tested with PyTorch 1\.13/);

  const t0 = performance.now();
  const single = trainPy(exportDir, ['--out', join(dir, 'one')]);
  const singleSeconds = (performance.now() - t0) / 1000;
  const spawned = trainPy(exportDir, ['--out', join(dir, 'two'), '--spawn', '2']);
  const one = expectLikeBrowser(single, browser, 1);
  const two = expectLikeBrowser(spawned, browser, 2);
  assert.ok(maxDiff(losses(single.summary), losses(spawned.summary)) < 1e-5, 'two processes train as one (the global batch is kept)');
  assert.match(spawned.summary.environment.distributed, /^DistributedDataParallel \(gloo, spawn\)$/);

  // The lab's own importer reads both run folders as runs, beside the browser run's zip.
  const imported = await lab.importFiles(
    [...folderFiles(single.folder), ...folderFiles(spawned.folder), { name: basename(runZipPath), path: '', blob: new Blob([readFileSync(runZipPath)]) }],
    { now: new Date() },
  );
  assert.deepEqual(imported.problems, []);
  assert.equal(imported.records.length, 3);
  const record = imported.records.find((r) => r.run_id === basename(single.folder));
  assert.ok(record, 'the single-process run imported under its folder name');
  assert.deepEqual({ format: record.origin.format, status: record.status, device: record.config.device, epochs: record.history.length },
    { format: 'reference', status: 'completed', device: 'cpu', epochs: browser.history.length });
  assert.equal(record.test.test_accuracy, single.summary.test.test_accuracy);
  assert.deepEqual(record.dataset.class_names, browser.dataset.class_names);
  assert.equal(record.model_parameters, browser.model_parameters);

  // The weights brought back: tfjs predicts the exported test rows as PyTorch did.
  const test = readCsv(join(exportDir, 'data/test.csv'));
  const features = Object.keys(test[0]).filter((k) => k !== 'source_row' && k !== 'label');
  const x = tf.tensor2d(test.map((row) => features.map((k) => Number(row[k]))));
  const back = expectSameProbabilities(await tfjsPredict(join(single.folder, 'best_model'), x), probabilities(single.folder), `${name}: tfjs vs PyTorch`);
  x.dispose();
  const browserSamples = browser.history.reduce((a, h) => a + h.samples_per_second, 0) / browser.history.length;
  const torchSamples = single.summary.history.reduce((a, h) => a + h.samples_per_second, 0) / single.summary.history.length;
  console.log(`${name}: test accuracy browser ${browser.test.test_accuracy.toFixed(2)} %, PyTorch ${single.summary.test.test_accuracy.toFixed(2)} % ` +
    `(2 processes ${spawned.summary.test.test_accuracy.toFixed(2)} %); max train-loss difference ${one.lossDiff.toExponential(1)} / ${two.lossDiff.toExponential(1)}; ` +
    `samples/s browser (cpu backend) ${Math.round(browserSamples)}, PyTorch ${Math.round(torchSamples)}; train.py ${singleSeconds.toFixed(1)} s; ` +
    `weights brought back: max probability difference ${back.toExponential(1)}`);
  return { exportDir, single };
}

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** train.py in `processes` processes started with torchrun's environment (RANK, WORLD_SIZE, …), as torchrun would. */
async function trainPyAsTorchrun(exportDir, args, processes) {
  const port = await freePort();
  const runs = Array.from({ length: processes }, (_, rank) => new Promise((resolve, reject) => {
    const env = { ...process.env, WORLD_SIZE: String(processes), RANK: String(rank), LOCAL_RANK: String(rank), MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port) };
    execFile(PYTHON, ['train.py', ...args], { cwd: exportDir, env, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`rank ${rank}: ${stderr}`)) : resolve(stdout)));
  }));
  const [out] = await Promise.all(runs);
  const folder = /^Run folder: (.+)$/m.exec(out)?.[1];
  assert.ok(folder, `rank 0 names its run folder:\n${out}`);
  return json(join(folder, 'results_summary.json'));
}

describe('Export as PyTorch', () => {
  const env = useSiteAndBrowser();
  let lab;
  before(async () => {
    try {
      python(['-c', 'import torch, numpy, matplotlib']);
    } catch (e) {
      throw new Error(`${PYTHON} lacks PyTorch, NumPy or matplotlib (Debian: python3-torch python3-numpy python3-matplotlib; node scripts/system-deps.mjs installs them): ${e.stderr ?? e.message}`);
    }
    lab = await loadPytorchModules();
  });

  it("train.py's port of the lab's generator visits the rows in the lab's order", () => {
    const cases = [[42, 1, 10], [7, 3, 700], [-5, 2, 33], [2 ** 31 + 5, 9, 100], [0, 1, 1], [123456789, 250, 1000]];
    const script = 'import json, sys\nsys.path.insert(0, sys.argv[1])\nimport train\n' +
      'print(json.dumps([train.epoch_order(s, e, n).tolist() for s, e, n in json.loads(sys.argv[2])]))';
    const py = JSON.parse(python(['-c', script, resolve('src/export/pytorch'), JSON.stringify(cases)]));
    cases.forEach(([seed, epoch, n], i) => {
      const js = Array.from(lab.createRng(lab.epochSeed(seed, epoch)).shuffle(Int32Array.from({ length: n }, (_, j) => j)));
      assert.deepEqual(py[i], js, `seed ${seed}, epoch ${epoch}, ${n} rows`);
    });
  });

  it('Moons, exported from the Lab: train.py on one process and on two reproduces the browser run', async () => {
    await exportAndTrain(env, lab, 'moons', 'dataset=moons&samples=1000&noise=0.2&model=mlp&hidden=16,16&act=relu&dropout=0&epochs=20&batch=32&lr=0.01&optimizer=adam&seed=7', 'lab');
  });

  it('Iris, exported from the run view (momentum, cosine schedule, weight decay): train.py reproduces the browser run', async () => {
    const { exportDir, single } = await exportAndTrain(env, lab, 'iris', 'dataset=iris&model=mlp&hidden=16&act=tanh&dropout=0&epochs=30&batch=16&lr=0.05&optimizer=momentum&sched=cosine&wd=0.001&seed=3', 'run view');
    // torchrun's environment (env:// initialisation), set here by hand: Debian's torchrun itself fails under Python 3.11.
    const summary = await trainPyAsTorchrun(exportDir, ['--out', join(exportDir, 'torchrun'), '--quiet'], 2);
    assert.equal(summary.environment.distributed, 'DistributedDataParallel (gloo, torchrun)');
    assert.equal(summary.environment.world_size, 2);
    assert.ok(maxDiff(losses(summary), losses(single.summary)) < 1e-5, 'two torchrun processes train as one');
  });

  it('own data (a CSV imputed and one-hot encoded in the page): data/ holds its rows as prepared and the fitted preprocessing; train.py reproduces the run', async () => {
    const { exportDir } = await exportAndTrain(env, lab, 'own', 'dataset=file&epochs=8&hidden=8&batch=16&lr=0.05&optimizer=adam&seed=3', 'lab', async (page, dir) => {
      const csvPath = join(dir, 'measurements.csv');
      writeFileSync(csvPath, measurementsCsv());
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose file' }).click();
      await (await chooser).setFiles(csvPath);
      await page.getByRole('region', { name: 'First rows of the table' }).waitFor({ timeout: 60_000 });
      await page.getByLabel('Rows with missing features').selectOption('impute');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('missing') === 'impute');
      const train = page.getByRole('button', { name: 'Train', exact: true });
      await page.waitForFunction((el) => !el.disabled, await train.elementHandle(), { timeout: 60_000 });
      await train.click();
    });
    const config = json(join(exportDir, 'config.json'));
    const preprocessing = json(join(exportDir, 'data/preprocessing.json'));
    assert.equal(preprocessing.kind, 'table');
    assert.deepEqual(preprocessing.fitted, config.dataset.data_file.preprocessing);
    assert.deepEqual(config.data.feature_names, preprocessing.fitted.outputNames);
    assert.deepEqual(Object.keys(readCsv(join(exportDir, 'data/train.csv'))[0]), ['source_row', ...preprocessing.fitted.outputNames, 'label']);
    assert.match(readFileSync(join(exportDir, 'README.md'), 'utf8'), /\*\*data\/ holds your own data\*\*: the rows of `measurements\.csv`/);
  });

  it('CNNs and an MLP on RGB images: train.py starts from the tfjs weights exactly, and the tfjs weights it writes predict as PyTorch', async () => {
    const n = 60;
    const rand = ((s) => () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32))(99);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    // 8 × 8 × 3: class 0 a bright row in the red channel, class 1 a bright column in the blue one, and noise.
    const features = Float32Array.from({ length: n * 192 }, (_, p) => {
      const [i, r, c, ch] = [Math.floor(p / 192), Math.floor(p / 24) % 8, Math.floor(p / 3) % 8, p % 3];
      const k = 1 + (i % 6);
      return ((labels[i] === 0 ? ch === 0 && r === k : ch === 2 && c === k) ? 1 : 0) + 0.3 * rand();
    });
    const ds = { id: 'mnist', name: 'stripes (8×8 RGB)', kind: 'image', source: 'test:stripes', inputShape: [8, 8, 3], classNames: ['row', 'column'], features, labels, numSamples: n };
    const split = lab.splitDataset(ds, { train: 0.6, val: 0.2, test: 0.2 }, 3);
    const config = {
      epochs: 2, batchSize: 8, optimizer: 'adam', learningRate: 0.01, weightDecay: 1e-4, schedule: { kind: 'constant' },
      earlyStopping: { enabled: false, patience: 3, monitor: 'val_loss' }, seed: 5, backend: 'cpu', saveFreq: 5, classWeights: 'none',
    };
    const specs = [
      { kind: 'cnn', filters: [4, 6], kernelSize: 3, dense: 8, activation: 'relu', dropout: 0 },
      { kind: 'cnn', filters: [5], kernelSize: 5, dense: 0, activation: 'tanh', dropout: 0.25 },
      { kind: 'mlp', hidden: [12], activation: 'elu', dropout: 0 },
    ];
    const x = tf.tensor(split.test.x, [split.test.n, 8, 8, 3]);
    for (const [i, spec] of specs.entries()) {
      const model = lab.buildModel(spec, ds.inputShape, 2, config.seed);
      let initial;
      await model.save(tf.io.withSaveHandler(async (a) => {
        initial = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData, format: a.format, generatedBy: a.generatedBy, convertedBy: null };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
      const atStart = tf.tidy(() => model.predict(x).arraySync());
      model.dispose();
      const plan = lab.planArchitecture(spec, ds.inputShape, 2);
      const record = lab.createRunRecord({
        split, datasetName: ds.name, datasetSource: ds.source, datasetSha256: '0'.repeat(64), model: spec, config, synthetic: null, standardized: false,
        urlQuery: '', layers: plan.layers, totalParams: plan.totalParams, now: new Date(), userAgent: 'node', appVersion: 'test', hardwareConcurrency: 1,
        dataFile: null, classWeightValues: null,
      });
      const exportDir = join(work, `images_${i}`);
      for (const f of lab.pytorchFiles({ record, split, initial, topology: null, exportedAt: new Date() })) {
        mkdirSync(dirname(join(exportDir, f.path)), { recursive: true });
        writeFileSync(join(exportDir, f.path), typeof f.data === 'string' ? f.data : new Uint8Array(f.data));
      }
      const what = `${spec.kind} ${JSON.stringify(spec)}`;
      // No epoch: the test set on the initial weights, which must be the browser model's.
      const start = trainPy(exportDir, ['--out', join(exportDir, 'start'), '--epochs', '0', '--quiet']);
      expectSameProbabilities(probabilities(start.folder), atStart, `${what}: PyTorch at the tfjs initial weights`);
      const trained = trainPy(exportDir, ['--out', join(exportDir, 'trained'), '--quiet']);
      assert.deepEqual(trained.summary.architecture.layers, plan.layers, `${what}: the planner's layer table`);
      assert.equal(trained.summary.model_parameters, plan.totalParams);
      assert.ok(maxDiff(probabilities(trained.folder)[0], atStart[0]) > 1e-4, `${what}: two epochs moved the weights`);
      expectSameProbabilities(await tfjsPredict(join(trained.folder, 'best_model'), x), probabilities(trained.folder), `${what}: tfjs at PyTorch's best weights`);
    }
    x.dispose();
  });
});
