// Continuing a stored run: Resume from its last stored epoch, or Restart when no epoch was stored.
// Everything is rebuilt from the record's typed configuration (never by re-parsing its address)
// and checked before anything visible changes: the same data (SHA-256), a split that can be made.
import type { LabRunConfig, LabRunRecord, RunRecord } from '../recorder/run-record';
import { labRecord } from '../recorder/run-record-validate';
import type { RunStore } from '../recorder/run-store';
import { prepareBuiltinOffThread } from '../training/datasets/dataset-client';
import type { BuiltinDatasetId, Dataset, DatasetSplit, ModelSpec, TrainConfig } from '../training/types';
import { rebuildOwnData, type FoundInput, type OwnAdoption } from './own-data-resume';
import type { OwnDataSpec } from './own-data-spec';
import { defaultLabState, splitSeedOf, type LabState } from '../url-state';

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
    splitSeed: c.split_seed === c.seed ? null : c.split_seed,
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
  /** Own data, to be shown by the Lab as its current data. */
  own?: OwnAdoption;
}

/** A run's data rebuilt: the split (or why it cannot be made), the data's SHA-256, and own data's state. */
export interface RebuiltData {
  split: DatasetSplit | null;
  splitError: string;
  sha256: string;
  /** The whole dataset the split was cut from (its rows are what the stored row indices point at). */
  dataset?: Dataset;
  own?: { spec: OwnDataSpec; adoption: OwnAdoption };
}

export interface DataAccess {
  prepare(record: LabRunRecord, state: LabState): Promise<RebuiltData>;
}

/**
 * Built-in sets are rebuilt in the dataset worker; own data is looked up with `find` (the Lab's open
 * file, or the copy kept in this browser) and read and prepared as the run recorded.
 */
export function dataAccess(find: (sha256: string) => Promise<FoundInput | undefined>): DataAccess {
  return {
    async prepare(record, s) {
      const f = record.dataset.data_file;
      if (s.dataset !== 'file' || !f) return prepareBuiltinOffThread({ id: s.dataset as BuiltinDatasetId, synthetic: s.synthetic, ratios: s.ratios, seed: splitSeedOf(s) });
      const own = await rebuildOwnData(f, find, s.ratios, splitSeedOf(s));
      const p = own.adoption.prepared;
      return { split: p.split, splitError: p.splitError, sha256: p.sha256, dataset: p.dataset, own };
    },
  };
}

const defaultData = dataAccess(async () => undefined);

/**
 * Everything needed to continue `stored`, or a readable error; `current` is not changed (the caller
 * applies `state` only once this resolves).
 */
/**
 * A stored run's data rebuilt for `state` and checked: the split can be made and the data has the
 * SHA-256 the run recorded; otherwise a readable error saying what could not be done (`doing`).
 */
export async function rebuildCheckedData(record: LabRunRecord, state: LabState, data: DataAccess, doing: string): Promise<RebuiltData & { split: DatasetSplit }> {
  const id = record.run_id;
  let rebuilt: RebuiltData;
  try {
    rebuilt = await data.prepare(record, state);
  } catch (e) {
    throw new Error(`cannot ${doing} ${id}: ${(e as Error).message}`);
  }
  const { split, splitError, sha256: hash } = rebuilt;
  if (!split) throw new Error(`cannot rebuild the split of ${id}: ${splitError}`);
  if (hash !== record.dataset.sha256) {
    throw new Error(`the dataset is not the one ${id} was trained on (SHA-256 ${hash.slice(0, 12)}… ≠ ${record.dataset.sha256.slice(0, 12)}…)`);
  }
  return { ...rebuilt, split };
}

/** A stored run's data rebuilt on its own recorded settings (not the Lab's current ones) and checked, as rebuildCheckedData. */
export function rebuildRunData(record: LabRunRecord, data: DataAccess, doing: string): Promise<RebuiltData & { split: DatasetSplit }> {
  return rebuildCheckedData(record, labStateOf(record, defaultLabState()), data, doing);
}

export async function prepareContinuation(stored: RunRecord, current: LabState, data: DataAccess = defaultData): Promise<PreparedContinuation> {
  const id = stored.run_id;
  if (stored.origin.kind !== 'lab') throw new Error(`${id} was imported from ${stored.origin.file}: only runs trained in this lab can be resumed or restarted`);
  const how = continuationOf(stored);
  if (!how) throw new Error(`${id} is ${stored.status}: there is nothing to resume or restart`);
  const record = labRecord(stored);
  const state = labStateOf(record, current);
  const { split, own } = await rebuildCheckedData(record, state, data, 'continue');
  const model = state.model === 'mlp' ? state.mlp : state.cnn;
  return { how, record, state: own ? { ...state, own: own.spec } : state, split, model, config: state.config, own: own?.adoption };
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
