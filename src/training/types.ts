// Types shared by the page and the training worker. Neither side imports the other's globals;
// both import this file. Accuracies are in percent (0–100), as in the reference results_summary.json.

export const DATASET_IDS = ['spirals', 'moons', 'circles', 'xor', 'blobs', 'iris', 'mnist'] as const;
export type DatasetId = (typeof DATASET_IDS)[number];
export const SYNTHETIC_DATASETS = ['spirals', 'moons', 'circles', 'xor', 'blobs'] as const;
export type SyntheticDatasetId = (typeof SYNTHETIC_DATASETS)[number];

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
}

/** What the trainer reports about backend choice: never silent. */
export interface BackendReport {
  name: BackendName;
  forced: boolean;
  skipped: { name: BackendName; reason: string }[];
  adapter?: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean };
  webglRenderer?: string;
  tfjsVersion: string;
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
}

export interface TestResult {
  loss: number;
  accuracy: number; // percent
  yTrue: Int32Array;
  yPred: Int32Array;
  probabilities: Float32Array; // n * numClasses, row-major
}

export type FinishStatus = 'completed' | 'stopped' | 'early_stopped';

export type TrainingEvent =
  | { type: 'started'; backend: BackendReport; layers: LayerInfo[]; totalParams: number; epochs: number; batchesPerEpoch: number; startTime: string }
  | { type: 'progress'; epoch: number; batch: number; batchesPerEpoch: number; samplesPerSec: number; etaSeconds: number; learningRate: number }
  | { type: 'epoch'; metrics: EpochMetrics; numTensors: number }
  | { type: 'best'; epoch: number; monitor: Monitor; value: number }
  | { type: 'finished'; status: FinishStatus; reason: string; test: TestResult | null; bestEpoch: number; endTime: string }
  | { type: 'failed'; kind: 'diverged' | 'error'; epoch: number; message: string; endTime: string };

/** Messages page → worker. */
export type WorkerRequest =
  | { type: 'train'; split: DatasetSplit; model: ModelSpec; config: TrainConfig; wasmPath: string }
  | { type: 'stop' };
