// The one versioned record of a run: what training produces, the recorder stores, the exporters
// read and the compare view loads. Keys and units follow the reference script's
// results_summary.json (snake_case; accuracy in percent; precision/recall/F1 as fractions) and
// add ours. Timestamps are ISO 8601 with the UTC offset. Validation lives in run-record-validate.ts.
import type { BackendName, DatasetId, LayerInfo, LrSchedule, ModelSpec, Monitor, OptimizerName, SyntheticOptions } from '../training/types';

export const SCHEMA_VERSION = 1 as const;

export const RUN_STATUSES = ['running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunConfig {
  // Reference keys first.
  epochs: number;
  batch_size: number;
  learning_rate: number;
  weight_decay: number;
  seed: number;
  device: BackendName | null; // backend actually used (null until known)
  // Ours: enough to re-run the same experiment.
  optimizer: OptimizerName;
  lr_schedule: LrSchedule;
  early_stopping: { enabled: boolean; patience: number; monitor: Monitor };
  save_freq: number;
  backend_requested: BackendName | 'auto';
  model: ModelSpec;
  dataset: DatasetId;
  synthetic: SyntheticOptions | null; // generator options for synthetic sets, else null
  train_ratio: number;
  val_ratio: number;
  test_ratio: number;
  stratified: true;
  standardized: boolean;
  url_query: string; // the lab address query that reproduces this run
}

export interface RunDataset {
  num_classes: number;
  class_names: string[];
  num_train_samples: number;
  num_val_samples: number;
  num_test_samples: number;
  // Ours.
  id: DatasetId;
  name: string;
  source: string;
  sha256: string; // of the dataset's features and labels (see recorder/dataset-hash.ts)
  input_shape: number[];
  class_distribution: { train: number[]; val: number[]; test: number[] };
}

export interface RunArchitecture {
  layers: LayerInfo[];
  total_params: number;
  trainable_params: number;
  non_trainable_params: number;
}

export interface RunEnvironment {
  user_agent: string;
  backend: BackendName | null;
  backend_forced: boolean;
  backends_skipped: { name: BackendName; reason: string }[];
  webgpu_adapter: { vendor: string; architecture: string; device: string; description: string; is_fallback_adapter: boolean } | null;
  webgl_renderer: string | null;
  tfjs_version: string | null;
  app_version: string;
  hardware_concurrency: number | null;
}

/** One finished epoch; accuracy in percent. */
export interface EpochRecord {
  epoch: number;
  train_loss: number;
  train_acc: number;
  val_loss: number;
  val_acc: number;
  learning_rate: number;
  epoch_time_seconds: number;
  samples_per_second: number;
}

export interface RunTraining {
  model_selection_method: 'validation_loss' | 'validation_accuracy';
  best_epoch: number; // 0 while none
  best_val_accuracy: number | null;
  best_val_loss: number | null;
  epochs_completed: number;
  early_stopped: boolean;
  final_train_loss: number | null;
  final_train_acc: number | null;
  final_val_loss: number | null;
  final_val_acc: number | null;
  final_learning_rate: number | null;
  final_test_loss: number | null; // the last epoch's model on the test set
  final_test_acc: number | null;
}

export interface AveragedMetricsRecord {
  precision: number;
  recall: number;
  f1: number;
}

export interface RunTest {
  test_loss: number;
  test_accuracy: number; // percent
  evaluated_model: 'best' | 'final'; // which weights produced these numbers
  evaluated_epoch: number;
  per_class_metrics: {
    per_class: { class_name: string[]; precision: number[]; recall: number[]; f1: number[]; support: number[] };
    macro: AveragedMetricsRecord;
    weighted: AveragedMetricsRecord;
  };
  confusion_matrix: number[][];
}

/** A stored model (best, periodic or the latest resume point); the weights live in the artifact store. */
export interface CheckpointRef {
  kind: 'best' | 'periodic' | 'latest';
  epoch: number;
  key: string; // artifact store key
  bytes: number;
  with_optimizer: boolean;
}

export interface RunRecord {
  schema_version: typeof SCHEMA_VERSION;
  run_id: string; // `${model_name}_${YYYYMMDD_HHMMSS}` (+ `_2`… on a clash): the folder name
  run_name: string; // user-editable label, defaults to run_id
  status: RunStatus;
  status_reason: string;
  // Reference keys.
  model_name: string;
  model_parameters: number;
  start_time: string;
  end_time: string | null;
  training_duration_seconds: number;
  training_duration_formatted: string; // H:MM:SS
  config: RunConfig;
  dataset: RunDataset;
  training: RunTraining;
  test: RunTest | null;
  // Ours.
  architecture: RunArchitecture;
  environment: RunEnvironment;
  history: EpochRecord[];
  checkpoints: CheckpointRef[];
  notes: string;
  tags: string[];
  updated_at: string;
}
