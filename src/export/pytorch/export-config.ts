// The export's config.json: everything train.py needs and nothing else it must guess. `config` is the
// browser run's configuration as recorded (train.py trains by it and writes it back, with its device,
// into results_summary.json); `dataset` and `architecture` the run's; `data` and `initial_model` say
// which files hold the split and the starting weights; `browser_run` what the browser run reached.
import type { LabRunRecord } from '../../recorder/run-record';
import { isoWithOffset } from '../../training/time';
import { runConfig } from '../json-files';
import type { ExportData } from './data-files';

export const EXPORT_FORMAT = 'trainlab-pytorch';
export const EXPORT_VERSION = 1;

/** The browser run's starting model in the tfjs layout; `weights` null when the run stored no initial weights. */
export interface InitialModelFiles {
  model_json: string;
  weights: string | null;
}

/** What the browser run reached, for comparing with the PyTorch run (train.py prints both). */
export function browserRun(record: LabRunRecord): Record<string, unknown> {
  const h = record.history;
  return {
    run_id: record.run_id,
    status: record.status,
    test_accuracy: record.test?.test_accuracy ?? null,
    test_loss: record.test?.test_loss ?? null,
    evaluated_model: record.test?.evaluated_model ?? null,
    evaluated_epoch: record.test?.evaluated_epoch ?? null,
    best_epoch: record.training.best_epoch,
    epochs_completed: record.training.epochs_completed,
    early_stopped: record.training.early_stopped,
    backend: record.environment.backend,
    tfjs_version: record.environment.tfjs_version,
    training_duration_seconds: record.training_duration_seconds,
    mean_samples_per_second: h.length > 0 ? h.reduce((a, e) => a + e.samples_per_second, 0) / h.length : null,
  };
}

export function exportConfig(record: LabRunRecord, data: ExportData, initial: InitialModelFiles | null, exportedAt: Date): Record<string, unknown> {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    about: `TrainLab run ${record.run_id} for train.py: its configuration, data files and initial weights. Copy and edit it to run another configuration (python train.py --config other.json).`,
    run_id: record.run_id,
    model_name: record.model_name,
    app_version: record.environment.app_version,
    exported_at: isoWithOffset(exportedAt),
    config: record.config,
    dataset: record.dataset,
    architecture: record.architecture,
    data,
    initial_model: initial,
    browser_run: browserRun(record),
    config_json: runConfig(record),
  };
}
