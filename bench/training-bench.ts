// Training throughput on each requested backend, in this page: a bare `model.fit` and the lab's trainer
// (`train()` of src/training/trainer.ts, with its per-epoch validation and snapshots) on the same model,
// data and batch size, for a fixed number of steps per block (an "epoch" over a training part of
// steps × batch samples). Each run trains 1 warm-up block and `blocks` timed ones; fit and trainer
// alternate, `repeats` times (once when a repeat takes over 20 s). After every block it records tf.memory() (tensors, GPU bytes) to show
// memory stays flat. Driven by bench/run-bench.mjs; the result lands in window.__bench.
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../src/training/datasets/index';
import { splitDataset } from '../src/training/split';
import { initBackend } from '../src/training/backend';
import { buildModel } from '../src/training/models';
import { uploadPart, disposePart } from '../src/training/trainer-ops';
import { train } from '../src/training/trainer';
import { plural } from '../src/units';
import { DEFAULT_CNN, DEFAULT_RATIOS, DEFAULT_SYNTHETIC, DEFAULT_TRAIN_CONFIG } from '../src/training/config';
import type { BackendName, DatasetSplit, ModelSpec, SplitPart, TrainConfig } from '../src/training/types';
import { median } from './median.mjs';

type ModelName = 'mlp' | 'cnn';
type Variant = 'fit' | 'lab';

/** One block's figures: its throughput and the memory left after it. */
interface Block {
  samplesPerSec: number;
  numTensors: number;
  gpuBytes: number | null;
}

/** Samples/s of the repeats (median, min, max) and the memory after every block of every run. */
interface Series {
  samplesPerSec: number[]; // one per repeat: the mean of its timed blocks
  median: number;
  min: number;
  max: number;
  tensorsPerBlock: number[][]; // per repeat, after each block (the warm-up first)
  gpuBytesPerBlock: (number | null)[][];
  tensorGrowth: number; // max over repeats of (after the last block − after the warm-up)
}

export interface BenchRow {
  backend: BackendName;
  model: ModelName;
  batch: number;
  steps: number;
  repeats?: number; // as many as ran: fewer than asked when one took over SLOW_REPEAT_MS
  ranOn?: string;
  fit?: Series;
  lab?: Series;
  labOverFit?: number; // median lab ÷ median fit (target 5: ≥ 0.95)
  error?: string;
}

const params = new URLSearchParams(location.search);
const list = (name: string, fallback: string) => (params.get(name) ?? fallback).split(',').filter(Boolean);
const backends = list('backends', 'webgpu,webgl,wasm,cpu') as BackendName[];
const models = list('model', 'mlp,cnn') as ModelName[];
const batches = list('batch', '64,256').map(Number);
const repeats = Number(params.get('repeats') ?? 3);
const blocks = Number(params.get('blocks') ?? 2);
const datasetId = 'mnist';
const WASM_PATH = '/tfjs-wasm/';
const MLP_SPEC: ModelSpec = { kind: 'mlp', hidden: [128], activation: 'relu', dropout: 0 };
const SPECS: Record<ModelName, ModelSpec> = { mlp: MLP_SPEC, cnn: { ...DEFAULT_CNN } };
/**
 * Steps per block: enough for a stable figure on fast paths, few enough that the slow ones (cpu,
 * SwiftShader WebGPU/WebGL) keep the whole bench under 10 minutes. `?steps=N` overrides them all.
 */
const DEFAULT_STEPS: Record<ModelName, Partial<Record<BackendName, number>>> = {
  mlp: { wasm: 100, webgl: 20, cpu: 12, webgpu: 3 },
  cnn: { wasm: 12, webgl: 6, cpu: 2, webgpu: 2 },
};
/** A repeat (trainer and fit) slower than this is not repeated: SwiftShader WebGPU trains a CNN at ~20 samples/s. */
const SLOW_REPEAT_MS = 20_000;
const out = document.getElementById('out')!;

function stepsFor(model: ModelName, backend: BackendName, batch: number): number {
  const given = params.get('steps');
  if (given) return Number(given);
  const at64 = DEFAULT_STEPS[model][backend] ?? 10;
  return Math.max(1, Math.round((at64 * 64) / batch));
}

/** The first `n` rows of a split part (the part's rows are already shuffled by the split). */
function head(part: SplitPart, n: number, pixels: number): SplitPart {
  n = Math.min(n, part.n);
  const y = part.y.slice(0, n);
  const classCounts = part.classCounts.map((_, c) => y.filter((v) => v === c).length);
  return { x: part.x.slice(0, n * pixels), y, n, indices: part.indices.slice(0, n), classCounts };
}

function memory(): Pick<Block, 'numTensors' | 'gpuBytes'> {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return { numTensors: m.numTensors, gpuBytes: m.numBytesInGPU ?? null };
}

function benchConfig(backend: BackendName, batch: number): TrainConfig {
  return { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs: 1 + blocks, batchSize: batch, learningRate: 0.001, backend };
}

/** A bare model.fit of the same model, optimizer and data; one block per fit epoch. */
async function runFit(split: DatasetSplit, spec: ModelSpec, config: TrainConfig): Promise<Block[]> {
  const numClasses = split.classNames.length;
  const model = buildModel(spec, split.inputShape, numClasses, config.seed);
  const optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-8); // tfjs's own, as a plain script would
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const part = uploadPart(split.train, split.inputShape, numClasses);
  const result: Block[] = [];
  let t0 = 0;
  try {
    await model.fit(part.x, part.y, {
      batchSize: config.batchSize,
      epochs: config.epochs,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochBegin: async () => void (t0 = performance.now()),
        onEpochEnd: async () => void result.push({ samplesPerSec: part.n / ((performance.now() - t0) / 1000), ...memory() }),
      },
    });
  } finally {
    disposePart(part);
    optimizer.dispose();
    model.dispose();
  }
  return result;
}

/** The lab's trainer on the same split; one block per epoch (its training pass only). */
async function runLab(split: DatasetSplit, spec: ModelSpec, config: TrainConfig): Promise<{ blocks: Block[]; ranOn: string }> {
  const result: Block[] = [];
  let ranOn = '';
  let failure = '';
  const controller = new AbortController();
  await train(
    { split, model: spec, config, wasmPath: WASM_PATH },
    (e) => {
      if (e.type === 'started') ranOn = e.backend.name + (e.backend.adapter && e.backend.name === 'webgpu' ? ` (${e.backend.adapter.vendor} ${e.backend.adapter.architecture})` : '') + (e.backend.webglRenderer && e.backend.name === 'webgl' ? ` (${e.backend.webglRenderer})` : '') + (e.backend.name === 'wasm' && e.backend.wasmThreads ? ` (${plural(e.backend.wasmThreads, 'thread')})` : '');
      if (e.type === 'epoch') result.push({ samplesPerSec: e.metrics.samplesPerSec, ...memory() });
      if (e.type === 'failed') failure = e.message;
    },
    controller.signal,
  );
  if (failure) throw new Error(failure);
  return { blocks: result, ranOn };
}

function series(runs: Block[][]): Series {
  const rates = runs.map((r) => {
    const timed = r.slice(1);
    return timed.reduce((a, b) => a + b.samplesPerSec, 0) / timed.length;
  });
  const tensorsPerBlock = runs.map((r) => r.map((b) => b.numTensors));
  return {
    samplesPerSec: rates,
    median: median(rates),
    min: Math.min(...rates),
    max: Math.max(...rates),
    tensorsPerBlock,
    gpuBytesPerBlock: runs.map((r) => r.map((b) => b.gpuBytes)),
    tensorGrowth: Math.max(...tensorsPerBlock.map((t) => t[t.length - 1] - t[0])),
  };
}

async function benchOne(backend: BackendName, model: ModelName, batch: number, full: DatasetSplit): Promise<BenchRow> {
  const steps = stepsFor(model, backend, batch);
  const row: BenchRow = { backend, model, batch, steps };
  const pixels = full.inputShape.reduce((a, b) => a * b, 1);
  const split: DatasetSplit = {
    ...full,
    train: head(full.train, steps * batch, pixels),
    val: head(full.val, 256, pixels),
    test: head(full.test, 256, pixels),
  };
  const spec = SPECS[model];
  const config = benchConfig(backend, batch);
  try {
    // The trainer first: it initialises the backend (or says why it cannot train this model there).
    const runs: Record<Variant, Block[][]> = { fit: [], lab: [] };
    for (let r = 0; r < repeats; r++) {
      out.textContent = `${backend} ${model} batch ${batch}: repeat ${r + 1} of ${repeats}…`;
      const t0 = performance.now();
      const lab = await runLab(split, spec, config);
      row.ranOn = lab.ranOn;
      runs.lab.push(lab.blocks);
      runs.fit.push(await runFit(split, spec, config));
      if (performance.now() - t0 > SLOW_REPEAT_MS) break; // a slow path: one repeat keeps the bench short
    }
    row.repeats = runs.lab.length;
    row.fit = series(runs.fit);
    row.lab = series(runs.lab);
    row.labOverFit = row.lab.median / row.fit.median;
  } catch (e) {
    row.error = e instanceof Error ? e.message : String(e);
  }
  return row;
}

async function main() {
  const ds = await loadDataset(datasetId, DEFAULT_SYNTHETIC);
  const split = splitDataset(ds, DEFAULT_RATIOS, 42);
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  for (const backend of backends) {
    // Check once that the backend starts at all, so that an absent one costs no time per model.
    const started = await initBackend(backend, WASM_PATH).then(() => null, (e: unknown) => String(e instanceof Error ? e.message : e));
    for (const model of models) {
      for (const batch of batches) {
        rows.push(started ? { backend, model, batch, steps: 0, error: started } : await benchOne(backend, model, batch, split));
      }
    }
  }
  const result = {
    dataset: ds.name,
    models: Object.fromEntries(models.map((m) => [m, m === 'mlp' ? `MLP [${MLP_SPEC.hidden.join(',')}]` : 'CNN preset'])),
    optimizer: 'adam',
    learningRate: 0.001,
    repeats,
    blocks,
    seconds: (performance.now() - t0) / 1000,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    tfjs: tf.version.tfjs,
    rows,
  };
  out.textContent = JSON.stringify(result, null, 2);
  (window as unknown as { __bench: unknown }).__bench = result;
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: String(e) };
});
