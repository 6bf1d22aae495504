// The shell's list of stored runs is read once, then kept current one record at a time: each write
// the store reports (RunStore.watch) or epoch the lab stores (run-stored) places or removes one run.
// Nothing here reads the store, validates or sorts the whole list again.
import type { RunRecord } from '../recorder/run-record';

/** The order of the list: newest start first (as instants, whatever the UTC offsets), then by id (as RunStore.listRuns). */
export function newerFirst(a: RunRecord, b: RunRecord): number {
  return Date.parse(b.start_time) - Date.parse(a.start_time) || b.run_id.localeCompare(a.run_id);
}

/**
 * `runs` (newest first) with `old` replaced by `record`, or `record` added where it belongs (null:
 * `old` removed). A new array (Lit sees the change); O(log n) comparisons and one copy.
 */
export function placeRun(runs: readonly RunRecord[], old: RunRecord | undefined, record: RunRecord | null): RunRecord[] {
  const at = old ? runs.indexOf(old) : -1;
  if (record && at >= 0 && record.start_time === old!.start_time) {
    const next = runs.slice();
    next[at] = record;
    return next;
  }
  const next = at >= 0 ? [...runs.slice(0, at), ...runs.slice(at + 1)] : runs.slice();
  if (!record) return next;
  let lo = 0;
  let hi = next.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newerFirst(next[mid], record) <= 0) lo = mid + 1;
    else hi = mid;
  }
  next.splice(lo, 0, record);
  return next;
}

/** The entries of `ids` that `find` knows, as `previous` when they are the same records (a view given it re-renders nothing). */
export function sameOrNew(previous: readonly RunRecord[], ids: readonly string[], find: (id: string) => RunRecord | undefined): RunRecord[] {
  const runs = ids.map(find).filter((x): x is RunRecord => x !== undefined);
  return runs.length === previous.length && runs.every((r, i) => r === previous[i]) ? (previous as RunRecord[]) : runs;
}
