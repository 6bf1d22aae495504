// Adds files to the comparison: imports them (src/compare/import-runs.ts), keeps each new record in
// the run store as an imported record (so a comparison survives a reload), and says which runs were
// already there. A run is already there when a stored or loaded record has the same run id and end
// time; another run that merely shares a folder name is kept under a suffixed id, which the store
// allocates as it does for lab runs (RunStore.createRun: atomically across tabs).
import type { RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import { firstFreeRunId, withRunId } from '../recorder/run-ids';
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

export async function addRunFiles(files: SourceFile[], existing: readonly RunRecord[], store: RunStore | undefined, opts: { now: Date; signal?: AbortSignal }): Promise<AddReport> {
  const { importFiles } = await import('../compare/import-runs');
  const result = await importFiles(files, { now: opts.now, signal: opts.signal });
  const known = [...existing];
  const taken = new Set(existing.map((r) => r.run_id)); // where no store allocates the ids
  const report: AddReport = { added: [], already: [], problems: [...result.problems], notes: result.notes };
  for (const record of result.records) {
    const there = known.find((k) => sameRun(k, record));
    if (there) {
      report.already.push(there);
      continue;
    }
    try {
      const saved = store ? await store.createImportedRun(record) : withRunId(record, firstFreeRunId(record.run_id, taken));
      taken.add(saved.run_id);
      known.push(saved);
      report.added.push(saved);
    } catch (e) {
      const origin = record.origin.kind === 'imported' ? record.origin : null;
      report.problems.push({ file: origin?.file ?? record.run_id, path: origin?.path ?? '', reason: `could not be stored: ${(e as Error).message}` });
    }
  }
  return report;
}
