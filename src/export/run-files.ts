// Which files a run folder holds, what each one is, and what is missing and why. One source for
// runFileList, README.txt and SUMMARY.txt, so they never disagree.
import type { LabRunRecord } from '../recorder/run-record';
import { BEST_MODEL_FOLDER, checkpointFolder, WEIGHTS_FILE } from './model-files';
import { BOUNDARY_FIGURE, DYNAMICS_FIGURE, type RunFigureKind } from './types';

export interface PlannedFile {
  path: string; // relative to the run folder
  what: string;
}

export interface MissingFile {
  path: string;
  why: string;
}

export interface FilePlan {
  files: PlannedFile[];
  missing: MissingFile[];
  figures: RunFigureKind[];
  checkpointEpochs: number[];
}

export interface ModelPresence {
  best: unknown | null;
  checkpoints: { epoch: number }[];
}

/** Why the test set has no results, in words; '' when it has. */
export function whyNoTest(record: LabRunRecord): string {
  if (record.test) return '';
  const done = record.training.epochs_completed;
  const of = done === 0 ? `before its first epoch finished (of ${record.config.epochs})` : `after epoch ${done} of ${record.config.epochs}`;
  const reason = record.status_reason ? ` (${record.status_reason})` : '';
  switch (record.status) {
    case 'stopped':
      return `the run was stopped ${of}${reason}; the test set is evaluated only when training finishes`;
    case 'diverged':
      return `training diverged ${of}${reason}; a diverged model is not evaluated on the test set`;
    case 'interrupted':
      return `the run was interrupted ${of}${reason || ' (page closed or reloaded)'}; it was not evaluated on the test set`;
    case 'failed':
      return `training failed ${of}${reason}`;
    case 'running':
      return `the run is still in progress (${record.training.epochs_completed} of ${record.config.epochs} epochs)`;
    default:
      return `no test results were recorded${reason}`;
  }
}

const FIGURE_WHAT: Record<RunFigureKind, string> = {
  training_curves: 'loss and accuracy per epoch side by side (train, validation, test point, best epoch)',
  loss_curve: 'loss per epoch alone',
  accuracy_curve: 'accuracy (%) per epoch alone',
  confusion_matrix: 'test-set confusion matrix: count and share of the true class (row %) per cell',
  per_class_dynamics: 'learning dynamics: each class\'s validation recall (%) per epoch as a heatmap (up to 50 classes)',
  decision_boundary: "the model's predicted class over the plane of its two features (the tested weights; lighter where less sure) under the train, validation and test points; misclassified test points ringed",
};

/** An image run's misclassified test images: a PNG only (a picture of pictures). */
export const MISCLASSIFIED_FILE = 'misclassified.png';

const CURVE_KINDS = ['training_curves', 'loss_curve', 'accuracy_curve'] as const;

/**
 * The figures a run can draw: the curves once an epoch finished, the per-class dynamics once a
 * class's recall was recorded, the confusion matrix once tested, the decision boundary when stored.
 */
export function figureKinds(record: LabRunRecord, hasBoundary = false): RunFigureKind[] {
  const epochs = record.history.length > 0;
  return [
    ...(epochs ? CURVE_KINDS : []),
    ...(record.test ? (['confusion_matrix'] as const) : []),
    ...(epochs && record.per_class_recall_history.length > 0 ? [DYNAMICS_FIGURE] : []),
    ...(hasBoundary ? [BOUNDARY_FIGURE] : []),
  ];
}

/** `hasBoundary`: the run stored a decision boundary (a 2-feature model's), drawn as decision_boundary.png/.pdf. */
/** `hasMisclassified`: the export was given the misclassified test images (an image run's), drawn as misclassified.png. */
export function planRunFiles(record: LabRunRecord, models: ModelPresence, hasPredictions = record.test !== null, hasBoundary = false, hasMisclassified = false): FilePlan {
  const files: PlannedFile[] = [];
  const missing: MissingFile[] = [];
  const add = (path: string, what: string) => files.push({ path, what });
  const noTest = whyNoTest(record);
  const noEpochs = record.history.length === 0 ? 'no epoch finished, so there is nothing to plot' : '';

  add('README.txt', 'this file: what each file is and how to load the model');
  add('SUMMARY.txt', 'human-readable summary: model, times, backend, configuration, dataset, results');
  add('results_summary.json', 'the complete run record (schema_version ' + record.schema_version + '); keys as the reference script, plus ours');
  add('config.json', `everything needed to re-run the experiment, including the lab URL query${record.dataset.data_file ? ', and the data file as read with its fitted preprocessing (to prepare new data for the model)' : ''}`);
  add('training_history.json', 'per-epoch arrays: train_loss, train_acc, val_loss, val_acc, learning_rate, epoch, epoch_time_seconds, samples_per_second');
  add('training_history.csv', 'the same per epoch, one row per epoch');
  if (record.test) add('per_class_metrics.csv', 'precision, recall, F1 (fractions) and support per class on the test set');
  else missing.push({ path: 'per_class_metrics.csv', why: noTest });
  if (record.test && hasPredictions) {
    add('test_predictions.csv', 'one row per test sample: true and predicted class id, confidence, probability per class');
  } else missing.push({ path: 'test_predictions.csv', why: noTest || 'the predictions of the test set were not stored' });
  const noDynamics = noEpochs ? "no epoch finished, so no class's recall was recorded"
    : record.per_class_recall_history.length === 0 ? "the run was recorded before TrainLab kept each class's recall per epoch" : '';
  if (noDynamics) missing.push({ path: 'per_class_dynamics.csv', why: noDynamics });
  else add('per_class_dynamics.csv', 'validation recall (%) of each class per epoch: epoch, then one column per class (empty: no validation rows)');

  const figures = figureKinds(record, hasBoundary);
  if (noDynamics) missing.push({ path: `${DYNAMICS_FIGURE}.png/.pdf`, why: noDynamics });
  if (noEpochs) for (const kind of CURVE_KINDS) missing.push({ path: `${kind}.png/.pdf`, why: noEpochs });
  if (!record.test) missing.push({ path: 'confusion_matrix.png/.pdf', why: noTest });
  for (const kind of figures) {
    add(`${kind}.png`, `${FIGURE_WHAT[kind]}; 300 DPI`);
    add(`${kind}.pdf`, kind === BOUNDARY_FIGURE ? 'the same figure as PDF: the map one embedded image; points, axes and legend vectors (fonts embedded)' : 'the same figure as vector PDF (fonts embedded, text selectable)');
  }

  if (hasMisclassified) add(MISCLASSIFIED_FILE, 'the most confident misclassified test images (up to 64) in a grid, each captioned true → predicted class (confidence); 300 DPI');

  if (models.best) {
    add(`${BEST_MODEL_FOLDER}/model.json`, `best model (epoch ${record.training.best_epoch}, by ${record.training.model_selection_method.replace('_', ' ')}): tfjs LayersModel topology and weights manifest`);
    add(`${BEST_MODEL_FOLDER}/${WEIGHTS_FILE}`, 'its weights (float32, little-endian; optimizer state included when saved with it)');
  } else missing.push({ path: `${BEST_MODEL_FOLDER}/`, why: noEpochs ? 'no epoch finished, so no model was saved' : 'no best model was stored for this run' });

  const checkpointEpochs = [...new Set(models.checkpoints.map((c) => c.epoch))].sort((a, b) => a - b);
  for (const epoch of checkpointEpochs) {
    add(`${checkpointFolder(epoch)}/model.json`, `periodic checkpoint after epoch ${epoch} (every ${record.config.save_freq} epochs)`);
    add(`${checkpointFolder(epoch)}/${WEIGHTS_FILE}`, 'its weights');
  }
  if (checkpointEpochs.length === 0) {
    const why = record.config.save_freq > record.training.epochs_completed
      ? `checkpoints are kept every ${record.config.save_freq} epochs and ${record.training.epochs_completed} finished`
      : 'no periodic checkpoint was stored';
    missing.push({ path: 'checkpoint_epoch_{N}/', why });
  }
  return { files, missing, figures, checkpointEpochs };
}

/** Missing files grouped by reason: "a, b: why". */
export function missingByReason(plan: FilePlan): string[] {
  const groups = new Map<string, string[]>();
  for (const m of plan.missing) groups.set(m.why, [...(groups.get(m.why) ?? []), m.path]);
  return [...groups].map(([why, paths]) => `${paths.join(', ')}: ${why}.`);
}
