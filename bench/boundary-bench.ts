// The decision boundary's cost (issue 12: at most 5 % of training time): Moons (1,000 samples, batch
// 32, MLP [16,16] tanh) trained with the lab's trainer for 8 epochs on each CPU backend; then one map
// (one predict of the 100×100 grid) timed alone. Prints the map's time against an epoch's and the
// share of the training time the maps the trainer drew took. Driven by bench/run-boundary-bench.mjs;
// the result lands in window.__boundaryBench.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/training/backend';
import { DEFAULT_TRAIN_CONFIG } from '../src/training/config';
import { makeSynthetic } from '../src/training/datasets/synthetic';
import { BoundaryProbe } from '../src/training/decision-boundary-model';
import { buildModel } from '../src/training/models';
import { splitDataset } from '../src/training/split';
import { train } from '../src/training/trainer';
import type { ModelSpec, TrainingEvent } from '../src/training/types';
import { median } from './median.mjs';

const WASM_PATH = '/tfjs-wasm/';
const MLP: ModelSpec = { kind: 'mlp', hidden: [16, 16], activation: 'tanh', dropout: 0 };
const EPOCHS = 8;

interface Row {
  backend: string;
  mapMs: number; // median of 5
  epochMs: number; // mean of epochs 2…
  mapsDrawn: number;
  overheadPercent: number; // the drawn maps' time ÷ the training time
}

async function measure(backend: 'wasm' | 'cpu'): Promise<Row> {
  const split = splitDataset(makeSynthetic('moons', { samples: 1000, noise: 0.1, classes: 2, seed: 1 }), { train: 0.7, val: 0.15, test: 0.15 }, 1, { standardize: true });
  const events: TrainingEvent[] = [];
  const config = { ...DEFAULT_TRAIN_CONFIG, backend, epochs: EPOCHS, batchSize: 32, seed: 1 };
  await train({ split, model: MLP, config, wasmPath: WASM_PATH }, (e) => void events.push(e), new AbortController().signal);
  const epochs = events.filter((e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch');
  const failed = events.find((e) => e.type === 'failed');
  if (failed && failed.type === 'failed') throw new Error(`${backend}: ${failed.message}`);
  const epochMs = (1000 * epochs.slice(1).reduce((s, e) => s + e.metrics.seconds, 0)) / (epochs.length - 1);
  await initBackend(backend, WASM_PATH);
  const model = buildModel(MLP, [2], 2, 1);
  const probe = BoundaryProbe.create(split)!;
  try {
    await probe.grid(model, 0); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await probe.grid(model, i);
      times.push(performance.now() - t0);
    }
    const mapMs = median(times);
    const mapsDrawn = epochs.filter((e) => e.boundary).length;
    return { backend, mapMs, epochMs, mapsDrawn, overheadPercent: (100 * mapsDrawn * mapMs) / (epochMs * epochs.length) };
  } finally {
    probe.dispose();
    model.dispose();
    tf.disposeVariables();
  }
}

async function main() {
  const rows: Row[] = [];
  for (const backend of ['wasm', 'cpu'] as const) rows.push(await measure(backend));
  return { epochs: EPOCHS, rows };
}

main().then(
  (result) => ((window as unknown as { __boundaryBench: unknown }).__boundaryBench = result),
  (e: unknown) => ((window as unknown as { __boundaryBench: unknown }).__boundaryBench = { error: String(e) }),
);
