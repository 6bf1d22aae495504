// The Runs list's columns: what each shows and sorts by, and the words for where a run came from.
import type { RunRecord } from '../recorder/run-record';

export const MODEL_LABELS: Record<string, string> = { mlp: 'MLP', cnn: 'CNN' };

export type SortKey = 'start_time' | 'run_name' | 'dataset' | 'status' | 'best_val' | 'test_acc' | 'duration' | 'backend';

/** What ran it: the lab's backend, or the device an imported run names ('cuda'). */
export const backendOf = (r: RunRecord): string => r.environment?.backend ?? r.config.device ?? '';
/** The model filter's key: the lab's preset (mlp, cnn), or an imported run's model name. */
export const modelKindOf = (r: RunRecord): string => r.config.model?.kind ?? r.model_name;
/** Where a record came from, in words. */
export const originText = (r: RunRecord): string => (r.origin.kind === 'lab' ? 'lab' : `imported: ${r.origin.file}${r.origin.path ? ` › ${r.origin.path}` : ''}`);

export const SORTERS: Record<SortKey, (r: RunRecord) => string | number> = {
  start_time: (r) => Date.parse(r.start_time), // not the text: runs may carry different UTC offsets
  run_name: (r) => r.run_name.toLowerCase(),
  dataset: (r) => r.dataset.name,
  status: (r) => r.status,
  best_val: (r) => r.training.best_val_accuracy ?? -1,
  test_acc: (r) => r.test?.test_accuracy ?? -1,
  duration: (r) => r.training_duration_seconds ?? -1,
  backend: (r) => backendOf(r),
};

export const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'run_name', label: 'Run' },
  { key: 'dataset', label: 'Dataset' },
  { key: 'status', label: 'Status' },
  { key: 'best_val', label: 'Best val. acc.' },
  { key: 'test_acc', label: 'Test acc.' },
  { key: 'duration', label: 'Duration' },
  { key: 'backend', label: 'Backend' },
  { key: 'start_time', label: 'Started' },
];

/** Columns of text (left-aligned, wrapping). */
export const isTextColumn = (key: SortKey): boolean => key === 'run_name' || key === 'dataset' || key === 'status';
