// Trains the same model on each requested backend through the real worker and reports throughput.
// Driven by bench/run-bench.mjs; results land in window.__bench.
import { loadDataset } from '../src/training/datasets/index';
import { splitDataset } from '../src/training/split';
import { TrainingBridge } from '../src/training/bridge';
import { DEFAULT_RATIOS, DEFAULT_SYNTHETIC, DEFAULT_TRAIN_CONFIG } from '../src/training/config';
import type { BackendName, DatasetId, EpochMetrics, ModelSpec, TrainingEvent } from '../src/training/types';

interface BenchRow {
  backend: BackendName;
  ranOn?: string;
  samplesPerSec?: number;
  epochSeconds?: number;
  error?: string;
}

const params = new URLSearchParams(location.search);
const backends = (params.get('backends') ?? 'webgpu,webgl,wasm,cpu').split(',') as BackendName[];
const epochs = Number(params.get('epochs') ?? 2);
const datasetId = (params.get('dataset') ?? 'mnist') as DatasetId;
const hidden = (params.get('hidden') ?? '128,64').split(',').map(Number);
const batchSize = Number(params.get('batch') ?? 64);
const out = document.getElementById('out')!;

async function benchOne(backend: BackendName, split: ReturnType<typeof splitDataset>): Promise<BenchRow> {
  const model: ModelSpec = { kind: 'mlp', hidden, activation: 'relu', dropout: 0 };
  const config = { ...structuredClone(DEFAULT_TRAIN_CONFIG), epochs, batchSize, learningRate: 0.001, backend };
  const history: EpochMetrics[] = [];
  let ranOn: string | undefined;
  const final = await new TrainingBridge().start({ split, model, config }, (e: TrainingEvent) => {
    if (e.type === 'started') ranOn = e.backend.name + (e.backend.adapter && e.backend.name === 'webgpu' ? ` (${e.backend.adapter.vendor} ${e.backend.adapter.architecture})` : '');
    if (e.type === 'epoch') history.push(e.metrics);
  });
  if (final.type === 'failed') return { backend, ranOn, error: final.message };
  // The first epoch includes shader compilation and upload; report the later ones when there are any.
  const steady = history.length > 1 ? history.slice(1) : history;
  const samplesPerSec = steady.reduce((a, h) => a + h.samplesPerSec, 0) / steady.length;
  const epochSeconds = steady.reduce((a, h) => a + h.seconds, 0) / steady.length;
  return { backend, ranOn, samplesPerSec, epochSeconds };
}

async function main() {
  const ds = await loadDataset(datasetId, DEFAULT_SYNTHETIC);
  const split = splitDataset(ds, DEFAULT_RATIOS, 42, { standardize: ds.kind === 'tabular' });
  const rows: BenchRow[] = [];
  for (const backend of backends) {
    out.textContent = `running ${backend}…`;
    rows.push(await benchOne(backend, split).catch((e) => ({ backend, error: String(e) })));
  }
  const result = { dataset: ds.name, trainSamples: split.train.n, model: `MLP [${hidden}]`, batchSize, epochs, userAgent: navigator.userAgent, rows };
  out.textContent = JSON.stringify(result, null, 2);
  (window as unknown as { __bench: unknown }).__bench = result;
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: String(e) };
});
