// A run folder in the reference script's layout as a RunRecord: results_summary.json (model,
// times, config, dataset, training, test), config.json (every argument), training_history.csv/.json,
// per_class_metrics.csv and SUMMARY.txt's device. A folder with only its history is a run too.
// Units end as the record's (accuracy in percent, precision/recall/F1 as fractions); the record
// built here is checked by validateRunRecord by the caller.
import type { EpochRecord, RunConfig, RunDataset, RunRecord, RunTest, RunTraining } from '../recorder/run-record';
import { SCHEMA_VERSION } from '../recorder/run-record';
import type { History } from './import-history';
import { MAX_CLASSES, perClassFromCsv, perClassFromSummary, tooManyClasses, type PerClass } from './import-metrics';
import { firstOf, JsonReader } from './import-read';
import { ImportFormatError } from './import-text';
import { accuracyFactor, scaled } from './import-units';

export interface ReferenceFolder {
  file: string; // the zip or folder the person gave
  path: string; // the run folder inside it
  name: string; // the run folder's own name ('' when unknown)
  summary: unknown; // parsed results_summary.json, or null when the folder has only its history
  config: unknown; // parsed config.json, or null
  history: History | null;
  perClassCsv: string | null;
  summaryTxt: string | null;
  importedAt: string;
}

export interface Built {
  record: RunRecord;
  notes: string[];
}

const STAMP = /^(.+?)_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(?:_|$)/;
// Config keys that have a RunConfig field; every other key is kept in config.extra.
const MAPPED_CONFIG = new Set(['epochs', 'batch_size', 'learning_rate', 'lr', 'weight_decay', 'seed', 'device', 'optimizer', 'dataset', 'train_ratio', 'val_ratio', 'test_ratio', 'stratified', 'save_freq']);
const MAPPED_DATASET = new Set(['num_classes', 'class_names', 'num_train_samples', 'num_val_samples', 'num_test_samples']);

/** `simple_cnn_20251128_225939_beat_wise` → model 'simple_cnn', start '2025-11-28T22:59:39' (no offset, as the reference writes). */
export function parseRunFolderName(name: string): { model: string; start: string } | null {
  const m = STAMP.exec(name);
  return m && { model: m[1], start: `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}` };
}

/** The device line of the reference's SUMMARY.txt ("Device: cuda"), or null. */
export function deviceFromSummaryTxt(text: string): string | null {
  const m = /^\s*Device:\s*(\S.*?)\s*$/m.exec(text);
  return m ? m[1] : null;
}

const baseName = (p: string) => p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
const stampOf = (time: string) => /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(time)?.slice(1);

/** The epoch with the highest validation accuracy (the first, on a tie), or null for no history. */
function bestByAccuracy(epochs: readonly EpochRecord[]): EpochRecord | null {
  return epochs.reduce<EpochRecord | null>((best, e) => (best === null || e.val_acc > best.val_acc ? e : best), null);
}

export function referenceRecord(f: ReferenceFolder): Built {
  const notes: string[] = [...(f.history?.notes ?? [])];
  const summary = JsonReader.of(f.summary, 'results_summary.json');
  const configFile = JsonReader.of(f.config, 'config.json');
  const summaryConfig = summary?.sub('config') ?? null;
  const configs = [summaryConfig, configFile];
  const epochs = f.history?.epochs ?? [];
  const last = epochs.at(-1) ?? null;
  const fromName = parseRunFolderName(f.name);

  // Identity and times.
  const modelName = summary ? summary.str('model_name') : fromName?.model ?? null;
  if (modelName === null) throw new ImportFormatError('results_summary.json: model_name is missing');
  const startTime = summary?.str('start_time') ?? fromName?.start ?? null;
  if (startTime === null) {
    const why = summary ? 'results_summary.json: start_time is missing' : `training_history.csv alone: the folder name "${f.name}" does not carry the start time (model_YYYYMMDD_HHMMSS)`;
    throw new ImportFormatError(why);
  }
  if (Number.isNaN(Date.parse(startTime))) throw new ImportFormatError(`results_summary.json: start_time is not a date (${JSON.stringify(startTime)})`);
  const endTime = summary?.str('end_time') ?? null;
  if (endTime !== null && Number.isNaN(Date.parse(endTime))) throw new ImportFormatError(`results_summary.json: end_time is not a date (${JSON.stringify(endTime)})`);
  const stamp = stampOf(startTime);
  const runId = f.name || (stamp ? `${modelName}_${stamp.slice(0, 3).join('')}_${stamp.slice(3).join('')}` : modelName);

  // Config: results_summary.json's own block first, then config.json (the script's full arguments).
  const num = (r: JsonReader, k: string) => r.num(k);
  const count = (r: JsonReader, k: string) => r.count(k);
  const learningRate = firstOf(configs, 'learning_rate', num) ?? firstOf(configs, 'lr', num) ?? epochs[0]?.learning_rate ?? null;
  const batchSize = firstOf(configs, 'batch_size', count);
  const datasetPath = firstOf(configs, 'dataset', (r, k) => r.str(k)) ?? firstOf(configs, 'data_dir', (r, k) => r.str(k));
  const datasetId = (datasetPath && baseName(datasetPath)) || 'unknown';
  const device = (f.summaryTxt && deviceFromSummaryTxt(f.summaryTxt)) ?? firstOf(configs, 'device', (r, k) => r.str(k));
  // The reference's class_weights (true/false) and a PyTorch export's split_seed have fields of their own.
  const classWeights = firstOf(configs, 'class_weights', (r, k) => r.bool(k));
  const splitSeed = firstOf(configs, 'split_seed', num);
  const mapped = new Set([...MAPPED_CONFIG, ...(classWeights !== null ? ['class_weights'] : []), ...(splitSeed !== null ? ['split_seed'] : [])]);
  const extra = { ...configFile?.extras(mapped), ...summaryConfig?.extras(mapped) };
  const config: RunConfig = {
    epochs: firstOf(configs, 'epochs', count) ?? f.history?.rows ?? 0,
    batch_size: batchSize,
    learning_rate: learningRate,
    weight_decay: firstOf(configs, 'weight_decay', num),
    seed: firstOf(configs, 'seed', num),
    device,
    optimizer: firstOf(configs, 'optimizer', (r, k) => r.str(k)),
    dataset: datasetId,
    train_ratio: firstOf(configs, 'train_ratio', num),
    val_ratio: firstOf(configs, 'val_ratio', num),
    test_ratio: firstOf(configs, 'test_ratio', num),
    stratified: firstOf(configs, 'stratified', (r, k) => r.bool(k)),
    save_freq: firstOf(configs, 'save_freq', count),
    ...(classWeights !== null ? { class_weights: classWeights } : {}),
    ...(splitSeed !== null ? { split_seed: splitSeed } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };

  // Units of results_summary.json: decided once from all its accuracies.
  const training = summary?.sub('training') ?? null;
  const testBlock = summary?.sub('test') ?? null;
  const accKeys = ['best_val_accuracy', 'final_train_acc', 'final_val_acc', 'final_test_acc'] as const;
  const acc = accuracyFactor([...accKeys.map((k) => training?.num(k)), testBlock?.num('test_accuracy')]);
  if (acc.note) notes.push(`results_summary.json: ${acc.note}`);
  const accuracy = (r: JsonReader | null, k: string) => scaled(r?.num(k) ?? null, acc.factor);

  // Dataset and per-class metrics.
  const ds = summary?.sub('dataset') ?? null;
  const perClass: PerClass | null = testBlock?.has('per_class_metrics')
    ? perClassFromSummary(testBlock.sub('per_class_metrics')!, ds?.strs('class_names') ?? [])
    : f.perClassCsv !== null
      ? perClassFromCsv(f.perClassCsv)
      : null;
  if (perClass?.note) notes.push(perClass.note);
  const numClasses = ds?.count('num_classes') ?? ds?.strs('class_names')?.length ?? perClass?.metrics.per_class.class_name.length ?? firstOf([configFile], 'num_classes', count) ?? 0;
  // Checked before names "0", "1", … are made up for a count alone (a count of 10⁹ would stall the page).
  if (numClasses > MAX_CLASSES) {
    const fromSummary = ds?.has('num_classes') || ds?.has('class_names');
    throw tooManyClasses(fromSummary ? 'results_summary.json' : 'config.json', 'the dataset has', numClasses);
  }
  const classNames = ds?.strs('class_names') ?? perClass?.metrics.per_class.class_name ?? Array.from({ length: numClasses }, (_, i) => String(i));
  const confusion = testBlock?.countTable('confusion_matrix') ?? null;
  const support = perClass?.metrics.per_class.support;
  const numTest = ds?.count('num_test_samples') ?? (support ? support.reduce((a, b) => a + b, 0) : null) ?? (confusion ? confusion.flat().reduce((a, b) => a + b, 0) : null);
  const datasetExtra = ds?.extras(MAPPED_DATASET) ?? {};
  const dataset: RunDataset = {
    num_classes: numClasses,
    class_names: classNames,
    num_train_samples: ds?.count('num_train_samples') ?? null,
    num_val_samples: ds?.count('num_val_samples') ?? null,
    num_test_samples: numTest,
    id: datasetId,
    name: datasetId,
    source: f.path ? `${f.file}/${f.path}` : f.file,
    sha256: null,
    input_shape: null,
    class_distribution: null,
    ...(Object.keys(datasetExtra).length > 0 ? { extra: datasetExtra } : {}),
  };

  // Training: the summary's numbers, the history where it is silent.
  const selection = training?.str('model_selection_method') ?? null;
  const best = training?.count('best_epoch') ?? bestByAccuracy(epochs)?.epoch ?? 0;
  const atBest = epochs.find((e) => e.epoch === best) ?? null;
  const trainingBlock: RunTraining = {
    model_selection_method: selection,
    best_epoch: best,
    best_val_accuracy: accuracy(training, 'best_val_accuracy') ?? atBest?.val_acc ?? null,
    best_val_loss: training?.num('best_val_loss') ?? atBest?.val_loss ?? null,
    epochs_completed: f.history?.rows ?? training?.count('epochs_completed') ?? config.epochs,
    early_stopped: training?.bool('early_stopped') ?? null,
    final_train_loss: training?.num('final_train_loss') ?? last?.train_loss ?? null,
    final_train_acc: accuracy(training, 'final_train_acc') ?? last?.train_acc ?? null,
    final_val_loss: training?.num('final_val_loss') ?? last?.val_loss ?? null,
    final_val_acc: accuracy(training, 'final_val_acc') ?? last?.val_acc ?? null,
    final_learning_rate: training?.num('final_learning_rate') ?? last?.learning_rate ?? null,
    final_test_loss: training?.num('final_test_loss') ?? last?.test_loss ?? null,
    final_test_acc: accuracy(training, 'final_test_acc') ?? last?.test_acc ?? null,
  };

  let test: RunTest | null = null;
  if (testBlock) {
    const testAccuracy = accuracy(testBlock, 'test_accuracy') ?? testBlock.fail('test_accuracy', 'a number');
    test = {
      test_loss: testBlock.num('test_loss'),
      test_accuracy: testAccuracy,
      evaluated_model: selection !== null ? 'best' : null,
      evaluated_epoch: selection !== null ? best : null,
      per_class_metrics: perClass?.metrics ?? null,
      confusion_matrix: confusion,
    };
  }

  // A folder is written when training ends; one with only its history may have stopped early.
  const incomplete = !summary && f.history !== null && f.history.rows < config.epochs;
  const record: RunRecord = {
    schema_version: SCHEMA_VERSION,
    run_id: runId,
    run_name: runId,
    origin: { kind: 'imported', file: f.file, path: f.path, format: 'reference', imported_at: f.importedAt },
    status: incomplete ? 'interrupted' : 'completed',
    status_reason: incomplete ? `no results_summary.json; ${f.history?.rows} of ${config.epochs} epochs in the history` : '',
    model_name: modelName,
    model_parameters: summary?.count('model_parameters') ?? null,
    start_time: startTime,
    end_time: endTime,
    training_duration_seconds: summary?.num('training_duration_seconds') ?? null,
    training_duration_formatted: summary?.str('training_duration_formatted') ?? '',
    config,
    dataset,
    training: trainingBlock,
    test,
    architecture: null,
    environment: null,
    history: epochs,
    checkpoints: [],
    notes: '',
    tags: [],
    updated_at: f.importedAt,
  };
  return { record, notes };
}
