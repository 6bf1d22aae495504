// Where a new run's id comes from when its natural id (`{model}_{YYYYMMDD_HHMMSS}`, or an imported
// folder's name) is taken: the one sequence RunStore.createRun tries, atomically across tabs.
import type { RunRecord } from './run-record';

/** The ids a new run may take, in order: `base`, then `base_2`, `base_3`… */
export function* runIdCandidates(base: string): Generator<string, never> {
  yield base;
  for (let n = 2; ; n++) yield `${base}_${n}`;
}

/** The first of `base`'s candidates that `taken` does not hold (where no store is there to ask). */
export function firstFreeRunId(base: string, taken: ReadonlySet<string>): string {
  for (const id of runIdCandidates(base)) if (!taken.has(id)) return id;
  throw new Error('unreachable');
}

/** `record` under `id`; a run still named after its old id is named after the new one. */
export function withRunId<R extends RunRecord>(record: R, id: string): R {
  return { ...record, run_id: id, run_name: record.run_name === record.run_id ? id : record.run_name };
}
