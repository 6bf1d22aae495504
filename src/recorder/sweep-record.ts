// A sweep: a set of lab runs that vary some hyperparameters (a grid, or random draws from lists or
// ranges) and repeat each configuration over seeds 1..k, all on one split (a fixed split seed). Its
// record says what was asked (the definition), which runs it planned and what became of each, so a
// reload can go on where it stopped and Compare can group its runs by the swept keys. Each run's
// own RunRecord carries the sweep's id (`sweep_id`). Stored in IndexedDB, written into comparison.zip.

export const SWEEP_SCHEMA_VERSION = 1 as const;

export const SWEEP_STATUSES = ['running', 'completed', 'ended', 'stopped', 'interrupted', 'failed'] as const;
/** completed: every run done; ended: End sweep after a run; stopped: Stop during a run; interrupted: the tab closed. */
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** One swept hyperparameter, by its name in the Lab's address (`lr`, `batch`, `hidden`, `optimizer`, …). */
export type SweepParam =
  | { key: string; values: string[] } // values as the address writes them ("0.01", "16,16")
  | { key: string; range: { min: number; max: number; scale: 'linear' | 'log'; integer: boolean } }; // random draws only

export interface SweepDefinition {
  mode: 'grid' | 'random';
  params: SweepParam[];
  draws: number | null; // random mode: how many configurations are drawn
  repeats: number; // each configuration runs with seeds 1..repeats
  draw_seed: number; // random mode: the seed of the draws
  split_seed: number; // every run splits its data with this seed, so all are tested on the same test set
  base_query: string; // the Lab's address the sweep varies (without sweep parameters)
}

export const SWEEP_RUN_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type SweepRunStatus = (typeof SWEEP_RUN_STATUSES)[number];

/** One planned run: its full Lab address, which configuration and seed it is, and its run once started. */
export interface SweepRun {
  index: number; // 0-based, in training order
  config_index: number; // which configuration (runs of one configuration differ by seed only)
  seed: number; // 1..repeats
  query: string; // the Lab address of this run (with seed and sseed)
  values: Record<string, string>; // the swept keys' values of this run, as the address writes them
  run_id: string | null;
  status: SweepRunStatus;
  /** Why a run failed (it could not start, or its training failed); absent or '' otherwise. */
  reason?: string;
}

export interface SweepRecord {
  schema_version: typeof SWEEP_SCHEMA_VERSION;
  sweep_id: string; // `sweep_{YYYYMMDD_HHMMSS}` (+ `_2`… on a clash)
  name: string;
  created_at: string; // ISO 8601 with offset
  updated_at: string;
  status: SweepStatus;
  status_reason: string;
  definition: SweepDefinition;
  swept_keys: string[]; // the address keys that vary, in definition order
  runs: SweepRun[];
}
