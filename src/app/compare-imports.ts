// Adds files to the comparison: imports them (src/compare/import-runs.ts), keeps each new record in
// the run store as an imported record (so a comparison survives a reload), and says which runs were
// already there. A run is already there when a stored or loaded record has the same run id and end
// time; another run that merely shares a folder name is kept under a suffixed id.
import type { RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { ImportProblem, SourceFile } from '../compare/import-sources';
import type { UnitNote } from '../compare/import-runs';

export interface AddReport {
  added: RunRecord[];
  /** Runs that were already stored or loaded: compared, not added twice. */
  already: RunRecord[];
  problems: ImportProblem[];
  notes: UnitNote[];
}

const sameRun = (a: RunRecord, b: RunRecord) => a.run_id === b.run_id && a.end_time === b.end_time;

/** `id`, or `id_2`, `id_3`… when the id is taken by another run. */
function freeId(id: string, taken: Set<string>): string {
  let next = id;
  for (let n = 2; taken.has(next); n++) next = `${id}_${n}`;
  return next;
}

export async function addRunFiles(files: SourceFile[], existing: readonly RunRecord[], store: RunStore | undefined, opts: { now: Date; signal?: AbortSignal }): Promise<AddReport> {
  const { importFiles } = await import('../compare/import-runs');
  const result = await importFiles(files, { now: opts.now, signal: opts.signal });
  const known = [...existing];
  const taken = new Set(store ? await store.runIds() : existing.map((r) => r.run_id));
  const report: AddReport = { added: [], already: [], problems: [...result.problems], notes: result.notes };
  for (const record of result.records) {
    const there = known.find((k) => sameRun(k, record));
    if (there) {
      report.already.push(there);
      continue;
    }
    const id = freeId(record.run_id, taken);
    const stored = id === record.run_id ? record : { ...record, run_id: id, run_name: record.run_name === record.run_id ? id : record.run_name };
    try {
      const saved = store ? await store.putRun(stored) : stored;
      taken.add(id);
      known.push(saved);
      report.added.push(saved);
    } catch (e) {
      const origin = record.origin.kind === 'imported' ? record.origin : null;
      report.problems.push({ file: origin?.file ?? record.run_id, path: origin?.path ?? '', reason: `could not be stored: ${(e as Error).message}` });
    }
  }
  return report;
}
