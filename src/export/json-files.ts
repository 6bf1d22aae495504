// The run folder's JSON files: results_summary.json, training_history.json, config.json.
// JSON has no NaN/Infinity: a diverged run's non-finite losses are written as null (README says so).
import type { LabRunRecord } from '../recorder/run-record';

const pretty = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

/** The complete record, pretty-printed: every key the reference writes, and ours. */
export function resultsSummaryJson(record: LabRunRecord): string {
  return pretty(record);
}

/** Per-epoch arrays keyed like the reference (train_loss, train_acc, val_loss, val_acc, learning_rate) + ours. */
export function trainingHistory(record: LabRunRecord): Record<string, number[]> {
  const h = record.history;
  return {
    train_loss: h.map((e) => e.train_loss),
    train_acc: h.map((e) => e.train_acc),
    val_loss: h.map((e) => e.val_loss),
    val_acc: h.map((e) => e.val_acc),
    learning_rate: h.map((e) => e.learning_rate),
    epoch: h.map((e) => e.epoch),
    epoch_time_seconds: h.map((e) => e.epoch_time_seconds),
    samples_per_second: h.map((e) => e.samples_per_second),
  };
}

export function trainingHistoryJson(record: LabRunRecord): string {
  return pretty(trainingHistory(record));
}

/**
 * Enough to re-run the same experiment: the reference's keys where they apply (model, epochs,
 * batch_size, lr, weight_decay, seed, train/val/test ratios, stratified, save_freq, class_weights,
 * num_classes, split sizes), then ours (the loss and its class weights; for a run on its own data,
 * data_file: the file as read and the preprocessing fitted on its train split, which prepares new
 * rows for the exported model), then the lab address query that reproduces the run.
 */
export function runConfig(record: LabRunRecord): Record<string, unknown> {
  const c = record.config;
  const d = record.dataset;
  return {
    model: record.model_name,
    epochs: c.epochs,
    batch_size: c.batch_size,
    lr: c.learning_rate,
    weight_decay: c.weight_decay,
    seed: c.seed,
    split_seed: c.split_seed,
    train_ratio: c.train_ratio,
    val_ratio: c.val_ratio,
    test_ratio: c.test_ratio,
    stratified: c.stratified,
    save_freq: c.save_freq,
    class_weights: c.class_weights,
    num_classes: d.num_classes,
    num_train_samples: d.num_train_samples,
    num_val_samples: d.num_val_samples,
    num_test_samples: d.num_test_samples,
    // Ours.
    run_id: record.run_id,
    sweep_id: record.sweep_id,
    optimizer: c.optimizer,
    loss: c.class_weights ? 'weighted_cross_entropy' : 'cross_entropy',
    class_weight_values: c.class_weight_values,
    lr_schedule: c.lr_schedule,
    early_stopping: c.early_stopping,
    model_spec: c.model,
    dataset: c.dataset,
    dataset_name: d.name,
    dataset_source: d.source,
    dataset_sha256: d.sha256,
    ...(d.data_file ? { data_file: d.data_file } : {}),
    synthetic: c.synthetic,
    standardized: c.standardized,
    input_shape: d.input_shape,
    class_names: d.class_names,
    backend_requested: c.backend_requested,
    device: c.device,
    app_version: record.environment.app_version,
    schema_version: record.schema_version,
    url_query: c.url_query,
  };
}

export function configJson(record: LabRunRecord): string {
  return pretty(runConfig(record));
}
