// The lab-shaped view of a RunRecord: a run trained here has every field, with our known values;
// an imported reference run may lack some. labRecord narrows, naming the first field that does not fit.
import { DATASET_IDS, OPTIMIZERS } from '../training/types';
import type { DatasetId } from '../training/types';
import type { DataFile, LabRunRecord, RunConfig, RunDataset, RunRecord } from './run-record';
import { fail, nullable, oneOf, RunRecordError } from './run-record-fields';
import { backend } from './run-record-parse';

/** A dataset id a lab run may have: a built-in set, or 'file' (a person's own data). */
const datasetId = oneOf<DatasetId>([...DATASET_IDS, 'file']);

/** `v` itself when it is present; the path names the field that is missing. */
function present<T>(v: T | null | undefined, path: string): T {
  return v === null || v === undefined ? fail(path, 'present in a run trained in the lab', v) : v;
}

/** The class weights: true with one weight per class (their count is checkShapes'), false with null. */
function classWeights(c: RunConfig): { class_weights: boolean; class_weight_values: number[] | null } {
  const weighted = present(c.class_weights, 'config.class_weights');
  const values = c.class_weight_values;
  if (values === undefined) return fail('config.class_weight_values', 'present in a run trained in the lab', values);
  if (weighted && values === null) return fail('config.class_weight_values', 'one weight per class when config.class_weights is true', values);
  if (!weighted && values !== null) return fail('config.class_weight_values', 'null when config.class_weights is false', values);
  return { class_weights: weighted, class_weight_values: values };
}

/** The dataset id and its own data: a DataFile exactly when the id is 'file' (a person's own data), null for a built-in set. */
function dataSource(d: RunDataset): { id: DatasetId; data_file: DataFile | null } {
  const id = datasetId(d.id, 'dataset.id');
  const file = d.data_file;
  if (file === undefined) return fail('dataset.data_file', 'present in a run trained in the lab', file);
  if (id === 'file' && file === null) return fail('dataset.data_file', 'the data file of a run on its own data (dataset.id "file")', file);
  if (id !== 'file' && file !== null) return fail('dataset.data_file', `null for the built-in dataset "${id}"`, file);
  return { id, data_file: file };
}

/**
 * The record as a LabRunRecord: every field a run trained here has, with our known values. Throws
 * RunRecordError naming the first field that does not fit (an imported reference run never does).
 */
export function labRecord(r: RunRecord): LabRunRecord {
  const c = r.config;
  const d = r.dataset;
  const t = r.test;
  return {
    ...r,
    sweep_id: r.sweep_id === undefined ? fail('sweep_id', 'present (null or a sweep id) in a run trained in the lab', undefined) : r.sweep_id,
    model_parameters: present(r.model_parameters, 'model_parameters'),
    training_duration_seconds: present(r.training_duration_seconds, 'training_duration_seconds'),
    config: {
      ...c,
      batch_size: present(c.batch_size, 'config.batch_size'), learning_rate: present(c.learning_rate, 'config.learning_rate'),
      weight_decay: present(c.weight_decay, 'config.weight_decay'), seed: present(c.seed, 'config.seed'), split_seed: present(c.split_seed, 'config.split_seed'),
      device: nullable(backend)(c.device, 'config.device'), optimizer: oneOf(OPTIMIZERS)(c.optimizer, 'config.optimizer'),
      dataset: datasetId(c.dataset, 'config.dataset'),
      train_ratio: present(c.train_ratio, 'config.train_ratio'), val_ratio: present(c.val_ratio, 'config.val_ratio'), test_ratio: present(c.test_ratio, 'config.test_ratio'),
      stratified: oneOf([true] as const)(c.stratified, 'config.stratified'), save_freq: present(c.save_freq, 'config.save_freq'),
      lr_schedule: present(c.lr_schedule, 'config.lr_schedule'), early_stopping: present(c.early_stopping, 'config.early_stopping'),
      backend_requested: present(c.backend_requested, 'config.backend_requested'), model: present(c.model, 'config.model'),
      synthetic: c.synthetic === undefined ? fail('config.synthetic', 'present in a run trained in the lab', undefined) : c.synthetic,
      standardized: present(c.standardized, 'config.standardized'), url_query: present(c.url_query, 'config.url_query'),
      ...classWeights(c),
    },
    dataset: {
      ...d,
      num_train_samples: present(d.num_train_samples, 'dataset.num_train_samples'), num_val_samples: present(d.num_val_samples, 'dataset.num_val_samples'),
      num_test_samples: present(d.num_test_samples, 'dataset.num_test_samples'), ...dataSource(d),
      sha256: present(d.sha256, 'dataset.sha256'), input_shape: present(d.input_shape, 'dataset.input_shape'),
      class_distribution: present(d.class_distribution, 'dataset.class_distribution'),
    },
    training: {
      ...r.training,
      model_selection_method: oneOf(['validation_loss', 'validation_accuracy'] as const)(r.training.model_selection_method, 'training.model_selection_method'),
      early_stopped: present(r.training.early_stopped, 'training.early_stopped'),
    },
    test: t && {
      ...t,
      test_loss: present(t.test_loss, 'test.test_loss'), evaluated_model: present(t.evaluated_model, 'test.evaluated_model'),
      evaluated_epoch: present(t.evaluated_epoch, 'test.evaluated_epoch'), per_class_metrics: present(t.per_class_metrics, 'test.per_class_metrics'),
      confusion_matrix: present(t.confusion_matrix, 'test.confusion_matrix'),
    },
    architecture: present(r.architecture, 'architecture'),
    environment: present(r.environment, 'environment'),
    per_class_recall_history: present(r.per_class_recall_history, 'per_class_recall_history'),
    history: r.history.map((h, i) => ({
      ...h,
      learning_rate: present(h.learning_rate, `history[${i}].learning_rate`),
      epoch_time_seconds: present(h.epoch_time_seconds, `history[${i}].epoch_time_seconds`),
      samples_per_second: present(h.samples_per_second, `history[${i}].samples_per_second`),
    })),
  };
}

/** The lab-shaped record, or null for a record that is not (e.g. an imported reference run). */
export function asLabRecord(r: RunRecord): LabRunRecord | null {
  try {
    return labRecord(r);
  } catch (e) {
    if (e instanceof RunRecordError) return null;
    throw e;
  }
}
