// Evaluate on the test split (a run's view): a run with a stored 'best' model (an imported PyTorch
// run, or any run) is run on its test split, rebuilt here, in a worker of its own
// (src/training/evaluate-worker.ts, tfjs on the cpu backend), never on the page's thread and never
// in the training worker. The data is rebuilt the way Resume does (run-continuation.ts): from the
// browser run it was exported from (or another stored lab run with the same data and split), or,
// for a built-in set, from the imported configuration; its SHA-256 must be the one recorded.
import { refOf } from '../recorder/checkpoint-refs';
import type { LabRunRecord, RunRecord } from '../recorder/run-record';
import { asLabRecord } from '../recorder/run-record-validate';
import type { RunStore } from '../recorder/run-store';
import { DATASET_IDS, type BuiltinDatasetId, type DatasetSplit, type SyntheticOptions } from '../training/types';
import type { EvaluateRequest, EvaluateResult } from '../training/evaluate-worker';
import { argmaxRow, confusionMatrix, perClassMetrics } from '../training/metrics';
import { callOnce } from '../training/worker-rpc';
import { defaultLabState, type LabState } from '../url-state';
import { rebuildRunData, type DataAccess } from './run-continuation';

/** Where the test split comes from: a stored lab run's data (its own record or the browser run's), or a built-in set from the config. */
export type EvaluationSource = { kind: 'lab'; run: LabRunRecord } | { kind: 'builtin'; id: BuiltinDatasetId; synthetic: SyntheticOptions | null; ratios: LabState['ratios']; seed: number; sha256: string };

export interface Evaluation {
  run_id: string;
  accuracy: number; // percent
  n: number;
  recorded: number | null; // the run's own test accuracy, percent
  browser: { run_id: string; accuracy: number | null } | null; // the browser run it was exported from, or one on the same data and split
}

const extraText = (r: RunRecord, k: string): string | null => {
  const v = r.config.extra?.[k];
  return typeof v === 'string' ? v : null;
};

/** The data's SHA-256 the run recorded (an imported PyTorch run keeps it among the dataset's extra keys). */
export function dataShaOf(r: RunRecord): string | null {
  const extra = r.dataset.extra?.sha256;
  return r.dataset.sha256 ?? (typeof extra === 'string' ? extra : null);
}

const splitSeed = (r: RunRecord) => r.config.split_seed ?? r.config.seed;
const sameSplit = (a: RunRecord, b: RunRecord) =>
  dataShaOf(a) !== null && dataShaOf(a) === dataShaOf(b) && splitSeed(a) === splitSeed(b) &&
  a.config.train_ratio === b.config.train_ratio && a.config.val_ratio === b.config.val_ratio && a.config.test_ratio === b.config.test_ratio;

/** The stored lab run to compare with: the one the export names (config.json's exported_from), else one on the same data and split. */
export function browserRunOf(record: RunRecord, runs: readonly RunRecord[]): LabRunRecord | null {
  const lab = runs.filter((r) => r.origin.kind === 'lab' && r.run_id !== record.run_id);
  const named = extraText(record, 'exported_from');
  const pick = lab.find((r) => r.run_id === named && sameSplit(r, record)) ?? lab.find((r) => sameSplit(r, record));
  return (pick && asLabRecord(pick)) ?? null;
}

function syntheticOf(record: RunRecord): SyntheticOptions | null {
  const text = extraText(record, 'synthetic');
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as SyntheticOptions) : null;
  } catch {
    return null;
  }
}

/** Where `record`'s test split can be rebuilt from, or null (no stored model, or data this page cannot make). */
export function evaluationSource(record: RunRecord, runs: readonly RunRecord[]): EvaluationSource | null {
  if (!refOf(record, 'best')) return null;
  const own = record.origin.kind === 'lab' ? asLabRecord(record) : null;
  if (own) return { kind: 'lab', run: own };
  const browser = browserRunOf(record, runs);
  if (browser) return { kind: 'lab', run: browser };
  const c = record.config;
  const id = DATASET_IDS.find((d) => d === c.dataset);
  const sha256 = dataShaOf(record);
  const seed = splitSeed(record);
  if (!id || sha256 === null || seed === null || c.train_ratio === null || c.val_ratio === null || c.test_ratio === null) return null;
  const synthetic = syntheticOf(record);
  if (id !== 'iris' && id !== 'mnist' && !synthetic) return null;
  return { kind: 'builtin', id, synthetic, ratios: { train: c.train_ratio, val: c.val_ratio, test: c.test_ratio }, seed, sha256 };
}

/** The test split of `source`, checked against the recorded SHA-256. */
async function testSplit(record: RunRecord, source: EvaluationSource, data: DataAccess): Promise<DatasetSplit> {
  if (source.kind === 'lab') return (await rebuildRunData(source.run, data, 'evaluate')).split;
  const { prepareBuiltinOffThread } = await import('../training/datasets/dataset-client');
  const s = defaultLabState();
  const made = await prepareBuiltinOffThread({ id: source.id, synthetic: source.synthetic ?? s.synthetic, ratios: source.ratios, seed: source.seed });
  if (!made.split) throw new Error(`cannot rebuild the split of ${record.run_id}: ${made.splitError}`);
  if (made.sha256 !== source.sha256) throw new Error(`the dataset is not the one ${record.run_id} was trained on (SHA-256 ${made.sha256.slice(0, 12)}… ≠ ${source.sha256.slice(0, 12)}…)`);
  return made.split;
}

const startWorker = () => new Worker(new URL('../training/evaluate-worker.ts', import.meta.url), { type: 'module', name: 'trainlab-evaluate' });

/** Share of rows whose most probable class is the label, in percent (the lab's metrics on the predicted classes). */
export function accuracyOf(probabilities: Float32Array, numClasses: number, labels: Int32Array): number {
  const predicted = labels.map((_, i) => argmaxRow(probabilities, numClasses, i));
  return perClassMetrics(confusionMatrix(labels, predicted, numClasses), Array.from({ length: numClasses }, (_, k) => String(k))).accuracy;
}

/** Runs `record`'s stored best model on its rebuilt test split in a worker of its own. */
export async function evaluateRun(record: RunRecord, store: RunStore, data: DataAccess, opts: { signal?: AbortSignal; start?: () => Worker } = {}): Promise<Evaluation> {
  const { runs } = await store.listRuns();
  const source = evaluationSource(record, runs);
  const ref = refOf(record, 'best');
  if (!source || !ref) throw new Error(`${record.run_id} cannot be evaluated here: it needs a stored model and a dataset this page can rebuild`);
  const artifact = await store.getArtifact(ref.key);
  if (!artifact) throw new Error(`the best model of ${record.run_id} is not stored`);
  const split = await testSplit(record, source, data);
  opts.signal?.throwIfAborted();
  const req: EvaluateRequest = { model: artifact.model, x: split.test.x, n: split.test.n, inputShape: split.inputShape };
  const out = await callOnce<EvaluateResult>(opts.start ?? startWorker, 'evaluate', req, { signal: opts.signal });
  const browser = source.kind === 'lab' && source.run.run_id !== record.run_id ? source.run : record.origin.kind === 'lab' ? null : browserRunOf(record, runs);
  return {
    run_id: record.run_id,
    accuracy: accuracyOf(out.probabilities, out.numClasses, split.test.y),
    n: split.test.n,
    recorded: record.test?.test_accuracy ?? null,
    browser: browser && { run_id: browser.run_id, accuracy: browser.test?.test_accuracy ?? null },
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} %`);

/** "Test accuracy here: 91.11 % on 45 samples (recorded: 91.11 %; the browser run mlp_…: 88.89 %)" */
export function evaluationText(e: Evaluation): string {
  const browser = e.browser ? `; the browser run ${e.browser.run_id}: ${pct(e.browser.accuracy)}` : '';
  return `Test accuracy here: ${pct(e.accuracy)} on ${e.n} samples (recorded: ${pct(e.recorded)}${browser})`;
}
