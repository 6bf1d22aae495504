// Types shared by the page and the training worker. Neither side imports the other's globals;
// both import this file. Accuracies are in percent (0–100), as in the reference results_summary.json.
import type { DecisionBoundary } from './decision-boundary';
import type { BoundaryGrid } from './learned-types';

export const DATASET_IDS = ['spirals', 'moons', 'circles', 'xor', 'blobs', 'iris', 'mnist'] as const;
export type BuiltinDatasetId = (typeof DATASET_IDS)[number];
/** A built-in set, or 'file': a person's own table (CSV/TSV) or image folder/zip. */
export type DatasetId = BuiltinDatasetId | 'file';
export const SYNTHETIC_DATASETS = ['spirals', 'moons', 'circles', 'xor', 'blobs'] as const;
export type SyntheticDatasetId = (typeof SYNTHETIC_DATASETS)[number];

export const isSyntheticDataset = (id: string): id is SyntheticDatasetId => (SYNTHETIC_DATASETS as readonly string[]).includes(id);

export type DatasetKind = 'tabular' | 'image';

/** Options of the synthetic 2-D generators; ignored by Iris and MNIST. */
export interface SyntheticOptions {
  samples: number; // total points, 50..20000
  noise: number; // 0..1, standard deviation scale
  classes: number; // 2..5; blobs and spirals use it, moons/circles/xor are 2-class
  seed: number;
}

/** A whole dataset before splitting: row-major features, one integer label per row. */
export interface Dataset {
  id: DatasetId;
  name: string; // e.g. "Spirals (3 classes)", "Iris", "MNIST 10k"
  kind: DatasetKind;
  source: string; // where it came from: "synthetic:spirals seed=1 noise=0.1", "public/datasets/iris.csv", ...
  inputShape: number[]; // per sample: [2], [4], [28, 28, 1]
  classNames: string[];
  features: Float32Array; // numSamples * prod(inputShape)
  labels: Int32Array; // numSamples, each in [0, classNames.length)
  numSamples: number;
}

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

export interface SplitPart {
  x: Float32Array; // n * prod(inputShape)
  y: Int32Array; // n
  n: number;
  indices: Int32Array; // row indices into the source dataset
  classCounts: number[]; // per class
}

export interface DatasetSplit {
  datasetId: DatasetId;
  kind: DatasetKind;
  inputShape: number[];
  classNames: string[];
  seed: number;
  ratios: SplitRatios;
  train: SplitPart;
  val: SplitPart;
  test: SplitPart;
}

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface MlpSpec {
  kind: 'mlp';
  hidden: number[]; // units per hidden Dense layer, e.g. [16, 16]
  activation: Activation;
  dropout: number; // 0..0.9, after each hidden layer when > 0
}

export interface CnnSpec {
  kind: 'cnn';
  filters: number[]; // one conv(3x3, same)+maxpool(2) block per entry, e.g. [8, 16]
  kernelSize: number; // 3 or 5
  dense: number; // units of the Dense layer after Flatten (0 = none)
  activation: Activation;
  dropout: number; // before the output layer when > 0
}

export type ModelSpec = MlpSpec | CnnSpec;
export type ModelKind = ModelSpec['kind'];

/** One row of the architecture table, identical whether computed by the pure planner or read from tfjs. */
export interface LayerInfo {
  name: string; // e.g. "dense_1", "conv2d_1"
  type: string; // tfjs class name: Dense, Conv2D, MaxPooling2D, Flatten, Dropout
  outputShape: (number | null)[]; // batch dimension first, as null
  params: number;
  trainable: boolean;
}

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'step'; stepSize: number; gamma: number } // lr * gamma^floor((epoch-1)/stepSize)
  | { kind: 'cosine'; minLr: number } // from lr at epoch 1 to minLr at the last epoch
  | { kind: 'plateau'; factor: number; patience: number; minLr: number }; // on the monitored metric

export const MONITORS = ['val_loss', 'val_acc'] as const;
export type Monitor = (typeof MONITORS)[number];

export interface EarlyStopping {
  enabled: boolean;
  patience: number; // epochs without improvement before stopping
  monitor: Monitor;
}

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/**
 * Per-class loss weights: 'none', or 'balanced' as sklearn's and the reference script's
 * class_weights (w_c = n_train / (n_classes × n_train_c), from the train split's class counts).
 */
export const CLASS_WEIGHTINGS = ['none', 'balanced'] as const;
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  weightDecay: number; // L2 coefficient, PyTorch semantics (added to the gradient as wd * w)
  schedule: LrSchedule;
  earlyStopping: EarlyStopping;
  seed: number; // weight initialisation and batch shuffling
  backend: BackendChoice;
  saveFreq: number; // keep a periodic checkpoint every saveFreq epochs (the reference's save_freq)
  classWeights: ClassWeighting; // weighted cross-entropy (PyTorch CrossEntropyLoss(weight=w)) when 'balanced'
}

/**
 * How each training step was computed: the lab's dense step (dense-step.ts: an MLP on wasm, its
 * large products split over up to `threads` threads (1 + the helpers started), with fused multiply-adds where `fma`), or
 * tfjs's graph (optimizer.minimize; threads and fma null).
 */
export interface TrainingStep {
  path: 'dense' | 'tfjs';
  threads: number | null;
  fma: boolean | null;
}

/** What the trainer reports about backend choice: never silent. */
export interface BackendReport {
  name: BackendName;
  forced: boolean;
  skipped: { name: BackendName; reason: string }[];
  adapter?: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean };
  webglRenderer?: string;
  wasmThreads?: number; // wasm only: threads XNNPACK ran with (1 = single-threaded build; >1 needs cross-origin isolation)
  tfjsVersion: string;
  /** Set by the trainer once the model is built. */
  trainingStep?: TrainingStep;
  /** The measured choice among several candidates (backend-probe.ts); absent when none was needed or forced. */
  probe?: { summary: string; rates: { name: BackendName; samplesPerSec: number | null; upperBound?: boolean; error?: string }[]; cached: boolean; ms: number };
}

export interface EpochMetrics {
  epoch: number; // 1-based
  trainLoss: number;
  trainAcc: number; // percent
  valLoss: number;
  valAcc: number; // percent
  learningRate: number; // the rate used during this epoch
  seconds: number; // wall time of the epoch
  samplesPerSec: number;
  /** Each class's recall on the validation split, in percent (class order); null for a class with no validation rows. */
  classRecall?: (number | null)[];
}

export interface TestResult {
  loss: number;
  accuracy: number; // percent
  yTrue: Int32Array;
  yPred: Int32Array;
  probabilities: Float32Array; // n * numClasses, row-major
  /** Each test row's index into the dataset (split.test.indices), in the same order; absent in runs stored before it existed. */
  rowIndex?: Int32Array;
}

export type FinishStatus = 'completed' | 'stopped' | 'early_stopped';

/**
 * A model as tfjs serialises it (tf.io.ModelArtifacts without the tfjs types, so page code need not
 * import tfjs): topology and one concatenated weight buffer, optimizer weights included when saved
 * with includeOptimizer. `tf.io.fromMemory(saved)` loads it back.
 */
export interface SavedModel {
  modelTopology: unknown;
  weightSpecs: { name: string; shape: number[]; dtype: string; group?: string; quantization?: unknown }[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
}

/** Everything besides the weights that a run needs to continue exactly where a snapshot was taken. */
export interface ResumeState {
  epoch: number; // last completed epoch
  scheduler: unknown; // createLrScheduler(...).state()
  stopper: unknown; // createEarlyStopper(...).state()
  bestEpoch: number;
}

/** Taken after every finished epoch: the page stores it before the worker starts the next epoch. */
export interface EpochSnapshot {
  model: SavedModel; // weights + optimizer state after this epoch
  resume: ResumeState;
  isBest: boolean; // this epoch improved the monitored metric: keep as best_model
  isPeriodic: boolean; // epoch % saveFreq === 0: keep as checkpoint_epoch_{N}
}

/**
 * The model as built, before epoch 1, as every snapshot: its weights with the optimizer's state (no
 * step taken: its iteration counter alone) and the state a run starts from. The page stores it once
 * per run, with the first epoch (a checkpoint of kind 'initial'); an export to PyTorch starts from
 * these weights, so that both frameworks train from the same point.
 */
export interface InitialSnapshot {
  model: SavedModel;
  resume: ResumeState; // epoch 0: the scheduler's and the early stopper's starting state
}

export type TrainingEvent =
  | {
      type: 'started';
      backend: BackendReport;
      layers: LayerInfo[];
      totalParams: number;
      epochs: number;
      batchesPerEpoch: number;
      startTime: string;
      initial?: InitialSnapshot; // a run resumed from a snapshot has none (its initial weights were stored when it began)
    }
  | { type: 'progress'; epoch: number; batch: number; batchesPerEpoch: number; samplesPerSec: number; etaSeconds: number; learningRate: number }
  // boundary: a 2-feature model's map after this epoch, when one was drawn (decision-boundary-model.ts: within 5 % of the training time)
  | { type: 'epoch'; metrics: EpochMetrics; numTensors: number; snapshot: EpochSnapshot; boundary?: BoundaryGrid }
  | { type: 'best'; epoch: number; monitor: Monitor; value: number }
  | {
      type: 'finished';
      status: FinishStatus;
      reason: string;
      test: TestResult | null; // on the best model's weights (model selection), like the reference
      // Whose weights `test` used: the best epoch; without best weights (a resume without `best`) the
      // last completed epoch, whose weights may include a stopped partial epoch; 0 when stopped in epoch 1.
      testEpoch: number;
      // Which weights `test` used, said by the trainer that chose them: 'best' (the best epoch's) or
      // 'final' (the weights at the end of the run); views and files take it from here, never guess.
      testWeights: 'best' | 'final';
      finalTest: { loss: number; accuracy: number } | null; // the weights at the end of the run on the test set
      bestEpoch: number;
      endTime: string;
      /** A 2-feature model's map for the tested weights (testEpoch's) with every point of the split; absent otherwise. */
      boundary?: DecisionBoundary;
    }
  | { type: 'failed'; kind: 'diverged' | 'error' | 'device-lost'; epoch: number; message: string; endTime: string; backend?: BackendName };

/**
 * Where a resumed run picks up: the snapshot of its last stored epoch. `best` is the best epoch's
 * model (state.bestEpoch), so the final test still uses the best weights; it may be left out when
 * state.bestEpoch === state.epoch (then `model` is the best). Without it, and until the resumed run
 * finds a new best, the test set is evaluated on the final weights (testEpoch = the last epoch).
 */
export interface ResumeFrom {
  model: SavedModel;
  state: ResumeState;
  best?: SavedModel;
}

/**
 * Messages page → worker. After each 'epoch' event the worker waits for {type:'ack', epoch} — sent
 * once the page has stored that epoch — before it starts the next one.
 */
export type WorkerRequest =
  | { type: 'train'; split: DatasetSplit; model: ModelSpec; config: TrainConfig; wasmPath: string; resume?: ResumeFrom }
  | { type: 'ack'; epoch: number }
  | { type: 'stop' }
  // Destroys the WebGPU device the run uses, as a GPU reset or driver crash would: for tests.
  | { type: 'lose-device' };
