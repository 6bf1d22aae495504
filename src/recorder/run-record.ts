// The one versioned record of a run: what training produces, the recorder stores, the exporters
// read and the compare view loads. Keys and units follow the reference script's
// results_summary.json (snake_case; accuracy in percent; precision/recall/F1 as fractions) and
// add ours. Timestamps are ISO 8601 with the UTC offset. Validation lives in run-record-validate.ts.
//
// Schema 2 admits runs this lab did not train (the reference script's folders, zips of them):
// `RunRecord` has open strings where such runs bring other values (model, dataset, optimizer,
// device) and leaves optional what their layout lacks; `origin` says where the record came from.
// `LabRunRecord` narrows it to what a run trained here always has: the recorder, resume and the
// run.zip exporters work on that.
//
// Schema 3 records a person's own data (`dataset.data_file`: the file or folder, its hash, how it was
// read and prepared) and the loss's class weights (`config.class_weights`, as the reference names it).
// Schema 4 records the sweep a run belongs to (`sweep_id`), the seed of its split apart from the
// seed of its weights and batch order (`config.split_seed`), and its initial weights (a checkpoint
// of kind 'initial', epoch 0), which an export to PyTorch starts from.
// Schema 5 records each epoch's recall of every class on the validation split
// (`per_class_recall_history`, beside `history`): older records and imported reference runs have none;
// and, in the environment, the threads of the wasm backend and the backend probe's measurements.
// Schema 6 records, in the environment, how each training step was computed (`training_step`: the
// lab's dense step on wasm, or tfjs's graph); older records lack it.
import type { ClassRecallEpoch } from '../training/learned-types';
import type { BackendName, DatasetId, LayerInfo, LrSchedule, ModelSpec, Monitor, OptimizerName, SyntheticOptions } from '../training/types';
import type { DataFile } from './run-data-file';
import type { RunEnvironment } from './run-environment';

// Parts of the record kept in their own modules, read through this one.
export type { DataFile } from './run-data-file';
export type { BackendProbeRecord, BackendSwitch, RunEnvironment } from './run-environment';

export const SCHEMA_VERSION = 6 as const;

/** One of the values we know, or any other string an imported run brings. */
export type Open<T extends string> = T | (string & {});

/** A plain value kept from an imported file's config (arrays and objects as JSON text). */
export type ExtraValue = string | number | boolean | null;

export const RUN_STATUSES = ['running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const IMPORT_FORMATS = ['trainlab', 'reference'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Where a record came from: trained in this lab, or read from a file (a run.zip, a folder, a zip of folders). */
export type RunOrigin =
  | { kind: 'lab' }
  | {
      kind: 'imported';
      file: string; // the file the person gave (zip, JSON or the folder's name)
      path: string; // the run folder inside it ('' when the file is the run itself)
      format: ImportFormat; // a TrainLab run.zip, or the reference script's layout
      imported_at: string;
    };

export interface RunConfig {
  // Reference keys first.
  epochs: number;
  batch_size: number | null; // null: not recorded (a reference folder with a history only)
  learning_rate: number | null;
  weight_decay: number | null;
  seed: number | null;
  /** The seed of the train/val/test split (ours; the reference splits with `seed`). */
  split_seed?: number | null;
  device: Open<BackendName> | null; // backend actually used (null until known); 'cuda', 'cpu'… for imported runs
  optimizer: Open<OptimizerName> | null;
  dataset: Open<DatasetId>;
  train_ratio: number | null;
  val_ratio: number | null;
  test_ratio: number | null;
  stratified: boolean | null;
  save_freq: number | null;
  /** The loss weighted by class, 'balanced' (n / (k × n_c) from the train split); the reference writes true/false. */
  class_weights?: boolean | null;
  // Ours: enough to re-run the same experiment (a lab run has them all).
  /** The weight of each class (class order) when class_weights is true, else null. */
  class_weight_values?: number[] | null;
  lr_schedule?: LrSchedule;
  early_stopping?: { enabled: boolean; patience: number; monitor: Monitor };
  backend_requested?: BackendName | 'auto';
  model?: ModelSpec;
  synthetic?: SyntheticOptions | null; // generator options for synthetic sets, else null
  standardized?: boolean;
  url_query?: string; // the lab address query that reproduces this run
  /** An imported config's keys that have no field here (e.g. the reference's window_size, split_mode). */
  extra?: Record<string, ExtraValue>;
}

export interface LabRunConfig extends RunConfig {
  batch_size: number;
  learning_rate: number;
  weight_decay: number;
  seed: number;
  split_seed: number;
  device: BackendName | null;
  optimizer: OptimizerName;
  dataset: DatasetId;
  train_ratio: number;
  val_ratio: number;
  test_ratio: number;
  stratified: true;
  save_freq: number;
  lr_schedule: LrSchedule;
  early_stopping: { enabled: boolean; patience: number; monitor: Monitor };
  backend_requested: BackendName | 'auto';
  model: ModelSpec;
  synthetic: SyntheticOptions | null;
  standardized: boolean;
  url_query: string;
  class_weights: boolean;
  class_weight_values: number[] | null;
}

export interface ClassDistribution {
  train: number[];
  val: number[];
  test: number[];
}

export interface RunDataset {
  num_classes: number;
  class_names: string[];
  num_train_samples: number | null;
  num_val_samples: number | null;
  num_test_samples: number | null;
  // Ours.
  id: Open<DatasetId>;
  name: string;
  source: string;
  sha256: string | null; // of the dataset's features and labels (see recorder/dataset-hash.ts)
  input_shape: number[] | null;
  class_distribution: ClassDistribution | null;
  /** A person's own data (dataset id 'file'); null for the built-in sets. */
  data_file?: DataFile | null;
  /** An imported dataset block's keys that have no field here (e.g. the reference's num_train_records). */
  extra?: Record<string, ExtraValue>;
}

export interface LabRunDataset extends RunDataset {
  num_train_samples: number;
  num_val_samples: number;
  num_test_samples: number;
  id: DatasetId;
  sha256: string;
  input_shape: number[];
  class_distribution: ClassDistribution;
  data_file: DataFile | null;
}

export interface RunArchitecture {
  layers: LayerInfo[];
  total_params: number;
  trainable_params: number;
  non_trainable_params: number;
}

/** One finished epoch; accuracy in percent. */
export interface EpochRecord {
  epoch: number;
  train_loss: number;
  train_acc: number;
  val_loss: number;
  val_acc: number;
  learning_rate: number | null;
  epoch_time_seconds: number | null;
  samples_per_second: number | null;
  /** Per-epoch test metrics: the reference script writes them when it evaluates every epoch; a lab run does not. */
  test_loss?: number | null;
  test_acc?: number | null;
}

export interface LabEpochRecord extends EpochRecord {
  learning_rate: number;
  epoch_time_seconds: number;
  samples_per_second: number;
}

export interface RunTraining {
  model_selection_method: Open<'validation_loss' | 'validation_accuracy'> | null;
  best_epoch: number; // 0 while none
  best_val_accuracy: number | null;
  best_val_loss: number | null;
  epochs_completed: number;
  early_stopped: boolean | null; // null: not recorded
  final_train_loss: number | null;
  final_train_acc: number | null;
  final_val_loss: number | null;
  final_val_acc: number | null;
  final_learning_rate: number | null;
  final_test_loss: number | null; // the last epoch's model on the test set
  final_test_acc: number | null;
}

export interface LabRunTraining extends RunTraining {
  model_selection_method: 'validation_loss' | 'validation_accuracy';
  early_stopped: boolean;
}

export interface AveragedMetricsRecord {
  precision: number;
  recall: number;
  f1: number;
}

export interface PerClassMetricsRecord {
  per_class: { class_name: string[]; precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: AveragedMetricsRecord;
  weighted: AveragedMetricsRecord; // support-weighted; computed from per_class for imported runs
}

export interface RunTest {
  test_loss: number | null;
  test_accuracy: number; // percent
  evaluated_model: 'best' | 'final' | null; // which weights produced these numbers (null: not recorded)
  evaluated_epoch: number | null;
  per_class_metrics: PerClassMetricsRecord | null;
  confusion_matrix: number[][] | null;
}

export interface LabRunTest extends RunTest {
  test_loss: number;
  evaluated_model: 'best' | 'final';
  evaluated_epoch: number;
  per_class_metrics: PerClassMetricsRecord;
  confusion_matrix: number[][];
}

export const CHECKPOINT_KINDS = ['best', 'periodic', 'latest', 'initial'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

/** A stored model (best, periodic, the latest resume point, or the initial weights at epoch 0); the weights live in the artifact store. */
export interface CheckpointRef {
  kind: CheckpointKind;
  epoch: number;
  key: string; // artifact store key
  bytes: number;
  with_optimizer: boolean;
}

export interface RunRecord {
  schema_version: typeof SCHEMA_VERSION;
  run_id: string; // `${model_name}_${YYYYMMDD_HHMMSS}` (+ `_2`… on a clash): the folder name
  run_name: string; // user-editable label, defaults to run_id
  origin: RunOrigin;
  /** The sweep this run is one of (a sweep's id, not a tag); null or absent when trained on its own. */
  sweep_id?: string | null;
  status: RunStatus;
  status_reason: string;
  // Reference keys.
  model_name: string;
  model_parameters: number | null;
  start_time: string;
  end_time: string | null;
  training_duration_seconds: number | null;
  training_duration_formatted: string; // H:MM:SS ('' when unknown)
  config: RunConfig;
  dataset: RunDataset;
  training: RunTraining;
  test: RunTest | null;
  // Ours.
  architecture: RunArchitecture | null;
  environment: RunEnvironment | null;
  history: EpochRecord[];
  /**
   * Per finished epoch, each class's recall on the validation split (percent, class order; null for a
   * class with no validation rows): the learning dynamics. Empty for a run recorded before schema 5;
   * absent for an imported reference run (the Python script records none).
   */
  per_class_recall_history?: ClassRecallEpoch[];
  checkpoints: CheckpointRef[];
  notes: string;
  tags: string[];
  updated_at: string;
}

/** A record with everything a run trained in this lab has (whatever its origin: a lab run.zip imported back has it too). */
export interface LabRunRecord extends RunRecord {
  sweep_id: string | null;
  model_parameters: number;
  training_duration_seconds: number;
  config: LabRunConfig;
  dataset: LabRunDataset;
  training: LabRunTraining;
  test: LabRunTest | null;
  architecture: RunArchitecture;
  environment: RunEnvironment;
  history: LabEpochRecord[];
  per_class_recall_history: ClassRecallEpoch[];
}
