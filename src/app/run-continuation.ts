// Continuing a stored run: Resume from its last stored epoch, or Restart when no epoch was stored.
// Everything is rebuilt from the record's typed configuration (never by re-parsing its address)
// and checked before anything visible changes: the same data (SHA-256), a split that can be made.
import type { LabRunConfig, LabRunRecord, RunRecord } from '../recorder/run-record';
import { labRecord } from '../recorder/run-record-validate';
import type { RunStore } from '../recorder/run-store';
import { prepareBuiltinOffThread } from '../training/datasets/dataset-client';
import type { DatasetSplit, ModelSpec, TrainConfig } from '../training/types';
import type { LabState } from '../url-state';

export type Continuation = 'resume' | 'restart';

/**
 * What a stored run offers: Resume (interrupted or stopped, with a stored epoch and epochs left),
 * Restart (interrupted before its first epoch was stored), or nothing (finished, failed, imported).
 */
export function continuationOf(r: RunRecord): Continuation | null {
  if (r.origin.kind !== 'lab' || (r.status !== 'interrupted' && r.status !== 'stopped')) return null;
  const stored = r.training.epochs_completed > 0 && r.checkpoints.some((c) => c.kind === 'latest');
  if (stored) return r.training.epochs_completed < r.config.epochs ? 'resume' : null;
  return r.status === 'interrupted' || r.training.epochs_completed === 0 ? 'restart' : null;
}

/** The trainer's configuration of a stored lab run. */
export function trainConfigOf(c: LabRunConfig): TrainConfig {
  return {
    epochs: c.epochs, batchSize: c.batch_size, optimizer: c.optimizer, learningRate: c.learning_rate, weightDecay: c.weight_decay,
    schedule: structuredClone(c.lr_schedule), earlyStopping: { ...c.early_stopping }, seed: c.seed, backend: c.backend_requested, saveFreq: c.save_freq,
    classWeights: c.class_weights ? 'balanced' : 'none',
  };
}

/** The Lab's state for a stored run: its dataset, split, model and hyperparameters; the other model kind's fields are kept. */
export function labStateOf(r: LabRunRecord, current: LabState): LabState {
  const c = r.config;
  return {
    ...current,
    dataset: c.dataset,
    synthetic: c.synthetic ? { ...c.synthetic } : current.synthetic,
    ratios: { train: c.train_ratio, val: c.val_ratio, test: c.test_ratio },
    model: c.model.kind,
    mlp: c.model.kind === 'mlp' ? structuredClone(c.model) : current.mlp,
    cnn: c.model.kind === 'cnn' ? structuredClone(c.model) : current.cnn,
    config: trainConfigOf(c),
    autostart: false,
  };
}

export interface PreparedContinuation {
  how: Continuation;
  record: LabRunRecord;
  state: LabState;
  split: DatasetSplit;
  model: ModelSpec;
  config: TrainConfig;
}

/** A run's data rebuilt for its state: the split (or why it cannot be made) and the data's SHA-256. */
export interface DataAccess {
  prepare(state: LabState): Promise<{ split: DatasetSplit | null; splitError: string; sha256: string }>;
}

const defaultData: DataAccess = {
  prepare: (s) => {
    if (s.dataset === 'file') throw new Error('resuming a run on your own data is not supported yet');
    return prepareBuiltinOffThread({ id: s.dataset, synthetic: s.synthetic, ratios: s.ratios, seed: s.config.seed });
  },
};

/**
 * Everything needed to continue `stored`, or a readable error; `current` is not changed (the caller
 * applies `state` only once this resolves).
 */
export async function prepareContinuation(stored: RunRecord, current: LabState, data: DataAccess = defaultData): Promise<PreparedContinuation> {
  const id = stored.run_id;
  if (stored.origin.kind !== 'lab') throw new Error(`${id} was imported from ${stored.origin.file}: only runs trained in this lab can be resumed or restarted`);
  const how = continuationOf(stored);
  if (!how) throw new Error(`${id} is ${stored.status}: there is nothing to resume or restart`);
  const record = labRecord(stored);
  const state = labStateOf(record, current);
  const { split, splitError, sha256: hash } = await data.prepare(state);
  if (!split) throw new Error(`cannot rebuild the split of ${id}: ${splitError}`);
  if (hash !== record.dataset.sha256) {
    throw new Error(`the dataset is not the one ${id} was trained on (SHA-256 ${hash.slice(0, 12)}… ≠ ${record.dataset.sha256.slice(0, 12)}…)`);
  }
  const model = state.model === 'mlp' ? state.mlp : state.cnn;
  return { how, record, state, split, model, config: state.config };
}

/**
 * Frees the periodic checkpoints of every run but `current`; a run that can be resumed keeps its
 * latest snapshot (what Resume continues from). Returns the bytes freed.
 */
export async function freeOtherCheckpoints(store: RunStore, current: string | undefined): Promise<number> {
  const { runs } = await store.listRuns();
  let freed = 0;
  for (const r of runs) {
    if (r.run_id !== current) freed += await store.deleteCheckpoints(r.run_id, { keepBest: true, keepLatest: continuationOf(r) === 'resume' });
  }
  return freed;
}
