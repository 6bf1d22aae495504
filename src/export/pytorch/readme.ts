// The export's README.md: how to run train.py (one CPU, one GPU, DistributedDataParallel on many,
// without torchrun), what is the same as in the browser and what cannot be, what data/ holds (the
// person's own data, when they trained on it), and the PyTorch versions it was tested with.
import type { LabRunRecord } from '../../recorder/run-record';
import { describeModel, describeSchedule, percent, thousands } from '../text-format';
import type { ExportData } from './data-files';

/** The PyTorch this export was tested with (Debian 12's python3-torch), and the oldest it can run on. */
export const TESTED_PYTORCH = '1.13.0 (Debian 12 python3-torch, Python 3.11, CPU; one process and --spawn 2 with gloo)';
export const REQUIRED_PYTORCH = '1.9'; // Conv2d(padding='same'), the newest API train.py uses

/** README.md's "## Data" section: what data/ holds and the split it is. */
export function dataSection(record: LabRunRecord, data: ExportData): string[] {
  const d = record.dataset;
  const f = d.data_file;
  const own = f
    ? [
        `**data/ holds your own data**: the ${f.kind === 'table' ? 'rows' : 'images'} of \`${f.name}\` (SHA-256 \`${f.sha256.slice(0, 16)}…\`) as TrainLab ` +
          `read and prepared them in your browser. Share this zip only as you would share that ${f.kind === 'table' ? 'file' : 'folder'}.`,
        '',
      ]
    : [`data/ holds the built-in data set ${d.name} (\`${d.source}\`) as the run's split made it.`, ''];
  const files = data.kind === 'tabular'
    ? '`data/train.csv`, `data/val.csv`, `data/test.csv`: one row per sample: `source_row` (its index in the data set as TrainLab read it; for a file, among the rows kept, in file order), the model\'s inputs, `label` (the class index; the names are in `config.json` → `dataset.class_names`).'
    : '`data/{train,val,test}_x.npy`: the images as float32, N × H × W × C (`np.load`); `data/{train,val,test}.csv`: `source_row` (the image\'s index in the data set as TrainLab read it) and `label` (class index) for each.';
  return [
    '## Data',
    '',
    ...own,
    `The run's exact split (split seed ${record.config.split_seed}, stratified ${Math.round(record.config.train_ratio * 100)} / ` +
      `${Math.round(record.config.val_ratio * 100)} / ${Math.round(record.config.test_ratio * 100)}): ${thousands(d.num_train_samples)} train, ` +
      `${thousands(d.num_val_samples)} validation and ${thousands(d.num_test_samples)} test samples of ${d.num_classes} classes, after the preprocessing:`,
    '',
    `- ${files}`,
    '- `data/preprocessing.json`: that preprocessing as fitted on the train split (to prepare new samples the same way).',
    '',
  ];
}

export function readmeMd(record: LabRunRecord, data: ExportData, hasInitialWeights: boolean): string {
  const c = record.config;
  const d = record.dataset;
  const t = record.test;
  const reached = t ? `${percent(t.test_accuracy)} test accuracy (${t.evaluated_model} weights, epoch ${t.evaluated_epoch})` : `no test result (${record.status})`;
  const es = c.early_stopping;
  return [
    `# ${record.run_id} in PyTorch`,
    '',
    `TrainLab run \`${record.run_id}\` exported as a plain PyTorch script: ${record.model_name.toUpperCase()} (${describeModel(c.model)}, ` +
      `${thousands(record.model_parameters)} parameters) on ${d.name}. In the browser it reached ${reached} on ${record.environment.backend ?? 'an unknown backend'} ` +
      `(TensorFlow.js ${record.environment.tfjs_version ?? '?'}, TrainLab ${record.environment.app_version}).`,
    '',
    '## Run it',
    '',
    '```sh',
    'python train.py                         # one process: the GPU when PyTorch sees one, else the CPU',
    'python train.py --device cpu            # or --device cuda, --device cuda:1',
    'torchrun --nproc_per_node=4 train.py    # DistributedDataParallel: 4 processes (GPUs) on this node',
    'torchrun --nnodes=2 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 train.py   # 2 nodes × 8 GPUs',
    'python train.py --spawn 2               # 2 local processes (gloo) where torchrun is missing or broken',
    'python train.py --config other.json     # another configuration: config.json\'s layout, its paths relative to it',
    '```',
    '',
    `Other options: \`--out DIR\` (default \`checkpoints/\`), \`--epochs N\`, \`--no-initial-weights\`, \`--dist-backend gloo|nccl\`, \`--quiet\`. ` +
      'Distributed runs initialise from the environment (`env://`: torchrun sets `RANK`, `WORLD_SIZE`, `MASTER_ADDR`, `MASTER_PORT`; ' +
      '`--spawn N` sets them itself, on a free loopback port). Only process 0 writes files.',
    '',
    `**The global batch size stays ${c.batch_size}** whatever the number of processes: every process computes the same seeded order of the ` +
      'training rows and takes its share of each batch, and its loss is scaled so that the averaged gradient is that of the whole batch\'s mean loss. ' +
      'More processes make an epoch faster, not different.',
    '',
    'Each run writes `checkpoints/{model}_{YYYYMMDD_HHMMSS}/` in the layout of TrainLab\'s run.zip: `results_summary.json` (with `environment`: ' +
      'PyTorch, its version, the device), `training_history.json` and `.csv`, `per_class_metrics.csv`, `test_predictions.csv`, `config.json`, ' +
      '`SUMMARY.txt`, the figures (PNG at 300 DPI and PDF, when matplotlib is installed), `best_model.pt` (PyTorch `state_dict`) and ' +
      '`best_model/` (`model.json` + `weights.bin` in the tfjs LayersModel layout, loadable with `tf.loadLayersModel`). ' +
      'Load the folder into TrainLab\'s **Compare** (Add folder, or zip it and Add runs) to see it beside the browser run.',
    '',
    '## Requirements',
    '',
    `- PyTorch ≥ ${REQUIRED_PYTORCH} and NumPy; matplotlib for the figures (optional). Tested with PyTorch ${TESTED_PYTORCH}. ` +
      'Nothing else: no TrainLab code, no network access.',
    "- Debian 12's PyTorch 1.13 under Python 3.11: `torchrun` fails to start (an elastic agent error); `--spawn N` works.",
    '',
    '## The same as in the browser',
    '',
    `- **Architecture**: the lab's layers and names (${record.architecture.layers.map((l) => l.name).join(', ')}), the same sizes, activations and dropout.`,
    hasInitialWeights
      ? '- **Initial weights**: the browser run\'s, from `initial_model/` (tfjs layout; `train.py` transposes Dense kernels, turns conv kernels from H×W×in×out to out×in×H×W and permutes the first Dense after a CNN\'s Flatten from channels-last to channels-first order).'
      : '- **Initial weights**: this run was trained before TrainLab kept initial weights: `train.py` draws them with the lab\'s initialisers (He-normal / Glorot-uniform, zero biases) from PyTorch\'s generator, so they differ from the browser run\'s.',
    `- **Optimizer** ${c.optimizer}, learning rate ${c.learning_rate} (schedule: ${describeSchedule(c.lr_schedule)}), weight decay ${c.weight_decay} with PyTorch's semantics (added to the gradient, biases included), as the lab applies it.`,
    `- **Loss**: cross-entropy${c.class_weights ? ` weighted by class (${(c.class_weight_values ?? []).map((w) => w.toFixed(4)).join(', ')})` : ''}, the batch mean.`,
    `- **Batch order**: the lab's seeded generator (mulberry32, seed ${c.seed}) is ported to Python bit for bit: every epoch visits the rows in the browser run's order.`,
    `- **Early stopping**: ${es.enabled ? `on ${es.monitor}, patience ${es.patience}` : 'off'}; the best epoch is chosen by ${es.monitor} and its weights are tested, as in the lab.`,
    '',
    '## What cannot be the same',
    '',
    '- Floating-point sums run in another order on another library: curves agree closely, not to the last digit, and drift apart over many epochs.',
    "- TensorFlow.js clips probabilities to [1e-7, 1 − 1e-7] before the log; PyTorch computes the cross-entropy from the logits (the same except for near-certain predictions).",
    "- Dropout masks come from PyTorch's generator. RMSprop adds its epsilon outside the square root in PyTorch, inside in TensorFlow.js.",
    '',
    ...dataSection(record, data),
    '## Files',
    '',
    '- `train.py`: the script (PyTorch and NumPy only).',
    '- `config.json`: the run\'s configuration (`config`, as TrainLab recorded it), `dataset`, `architecture`, where the data and initial weights are, and what the browser run reached (`browser_run`).',
    hasInitialWeights
      ? '- `initial_model/`: the browser run\'s weights before its first step (`model.json` + `weights.bin`, tfjs LayersModel layout).'
      : '- `initial_model/model.json`: the model\'s topology in the tfjs layout (no weights: see above); `train.py` writes `best_model/` with it.',
    '- `data/`: see above.',
    '',
    'Bringing the weights back into TrainLab\'s Runs (to evaluate them there) is not in this version: `best_model/` loads with `tf.loadLayersModel` meanwhile.',
    '',
  ].join('\n');
}
