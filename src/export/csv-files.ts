// The run folder's CSV files: training_history.csv, per_class_metrics.csv, test_predictions.csv,
// per_class_dynamics.csv.
import type { LabRunRecord } from '../recorder/run-record';
import { toCsv, type CsvCell } from './csv';
import { ExportError, type RunPredictions } from './types';

export const HISTORY_COLUMNS = [
  // The reference's columns, in its order…
  'epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'learning_rate',
  // …then ours.
  'epoch_time_seconds', 'samples_per_second',
] as const;

export function trainingHistoryCsv(record: LabRunRecord): string {
  return toCsv(
    HISTORY_COLUMNS,
    record.history.map((h) => HISTORY_COLUMNS.map((key) => h[key])),
  );
}

/** `class_name,class_id,precision,recall,f1_score,support`; null when the run has no test results. */
export function perClassMetricsCsv(record: LabRunRecord): string | null {
  if (!record.test) return null;
  const t = record.test.per_class_metrics.per_class;
  const names = record.dataset.class_names;
  const rows = names.map((name, i): CsvCell[] => [name, i, t.precision[i], t.recall[i], t.f1[i], t.support[i]]);
  return toCsv(['class_name', 'class_id', 'precision', 'recall', 'f1_score', 'support'], rows);
}

/**
 * `epoch,{class_name}…`: each class's recall on the validation split (percent) per epoch, one row per
 * epoch; an empty cell for a class with no validation rows. null when the run recorded none.
 */
export function perClassDynamicsCsv(record: LabRunRecord): string | null {
  const history = record.per_class_recall_history;
  if (history.length === 0) return null;
  const names = record.dataset.class_names;
  return toCsv(['epoch', ...names], history.map((e): CsvCell[] => [e.epoch, ...names.map((_, c) => e.recall[c])]));
}

/** Throws an ExportError unless the predictions fit the record's class count. */
export function checkPredictions(record: LabRunRecord, p: RunPredictions): void {
  const k = record.dataset.num_classes;
  const n = p.yTrue.length;
  if (p.yPred.length !== n) throw new ExportError(`predictions: ${n} true labels but ${p.yPred.length} predicted labels`);
  if (p.probabilities.length !== n * k) {
    throw new ExportError(`predictions: ${p.probabilities.length} probabilities for ${n} samples × ${k} classes`);
  }
  for (let i = 0; i < n; i++) {
    if (!(p.yTrue[i] >= 0 && p.yTrue[i] < k) || !(p.yPred[i] >= 0 && p.yPred[i] < k)) {
      throw new ExportError(`predictions: label out of range at row ${i} (classes 0..${k - 1})`);
    }
  }
}

/** Column names of the per-class probability columns: `prob_{class_name}`. */
export function probabilityColumns(classNames: readonly string[]): string[] {
  return classNames.map((name) => `prob_${name}`);
}

/**
 * `index,true_label,predicted_label,confidence,prob_{class}…[,row_index]`: labels are class ids (see
 * per_class_metrics.csv for names), confidence = probability of the predicted class, index = row in
 * the test split, row_index = the row in the dataset (when the run kept it: runs stored before it
 * have no such column). Probabilities are float32 values written in full precision.
 */
export function testPredictionsCsv(record: LabRunRecord, p: RunPredictions): string {
  checkPredictions(record, p);
  const k = record.dataset.num_classes;
  const rowIndex = p.rowIndex?.length === p.yTrue.length ? p.rowIndex : null;
  const header = ['index', 'true_label', 'predicted_label', 'confidence', ...probabilityColumns(record.dataset.class_names), ...(rowIndex ? ['row_index'] : [])];
  const rows = function* (): Generator<CsvCell[]> {
    for (let i = 0; i < p.yTrue.length; i++) {
      const probs = Array.from(p.probabilities.subarray(i * k, (i + 1) * k));
      yield [i, p.yTrue[i], p.yPred[i], probs[p.yPred[i]], ...probs, ...(rowIndex ? [rowIndex[i]] : [])];
    }
  };
  return toCsv(header, rows());
}
