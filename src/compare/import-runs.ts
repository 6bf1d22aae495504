// The Compare view's importer: files the person gave → validated RunRecords, plus a problem for
// each file or folder that could not be read and a note for each unit conversion made. Bad input
// never stops the rest. Nothing from a file is rendered or executed here: it only becomes data.
import type { RunOrigin, RunRecord } from '../recorder/run-record';
import { RunRecordError, validateRunRecord } from '../recorder/run-record-validate';
import { isoWithOffset } from '../training/time';
import { historyFromCsv, historyFromJson, MAX_HISTORY_ROWS, type History } from './import-history';
import { MAX_CLASSES, tooManyClasses } from './import-metrics';
import { describeJson, isJsonObject, JsonReader } from './import-read';
import { referenceRecord } from './import-reference';
import { gatherContainers, type ImportProblem, type SourceFile } from './import-sources';
import { decodeText, ImportFormatError, parseJson } from './import-text';
import { findRunFolders, type RunFileName, type RunFolder } from './run-folders';

export type { ImportProblem, SourceFile } from './import-sources';

/** A remark on how a run's numbers were read, e.g. "training_history.csv: accuracies given as fractions (0–1); shown in percent". */
export interface UnitNote {
  file: string;
  path: string;
  text: string;
}

export interface ImportResult {
  records: RunRecord[];
  problems: ImportProblem[];
  notes: UnitNote[];
}

export interface ImportOptions {
  now: Date; // the records' imported_at
  signal?: AbortSignal;
  /** Most bytes read from one zip (inflated, nested zips included) or one loose file; default 1 GiB. */
  maxZipBytes?: number;
  /** Most bytes of one run file (text), declared or inflated; default 64 MiB. */
  maxFileBytes?: number;
}

/** One run folder's record (validated) and the remarks on its units; throws ImportFormatError naming the file and field. */
export function importRunFolder(folder: RunFolder, importedAt: string): { record: RunRecord; notes: string[] } {
  const text = (name: RunFileName) => {
    const bytes = folder.files.get(name);
    return bytes === undefined ? null : decodeText(bytes);
  };
  const summaryText = text('results_summary.json');
  const summary = summaryText === null ? null : parseJson(summaryText, 'results_summary.json');
  // A file that is there but holds `null`, an array or a bare value is an error, not a missing summary.
  if (summaryText !== null && !isJsonObject(summary)) throw new ImportFormatError(`results_summary.json: the file must be an object (got ${describeJson(summary)})`);
  if (summary !== null && isJsonObject(summary) && 'schema_version' in summary) {
    // The same caps as for the reference layout, checked before the record is validated entry by entry.
    const epochs = Array.isArray(summary.history) ? summary.history.length : 0;
    if (epochs > MAX_HISTORY_ROWS) throw new ImportFormatError(`results_summary.json: ${epochs.toLocaleString('en-US')} epochs, more than the ${MAX_HISTORY_ROWS.toLocaleString('en-US')} a run's history may hold`);
    const names = isJsonObject(summary.dataset) && Array.isArray(summary.dataset.class_names) ? summary.dataset.class_names.length : 0;
    if (names > MAX_CLASSES) throw tooManyClasses('results_summary.json', 'the dataset has', names);
    let record: RunRecord;
    try {
      record = validateRunRecord(summary);
    } catch (e) {
      if (e instanceof RunRecordError) throw new ImportFormatError(`results_summary.json: ${e.message}`);
      throw e;
    }
    const origin: RunOrigin = { kind: 'imported', file: folder.file, path: folder.path, format: 'trainlab', imported_at: importedAt };
    return { record: validateRunRecord({ ...record, origin }), notes: [] };
  }
  if (isJsonObject(summary) && summary.model_name !== undefined && typeof summary.model_name !== 'string') {
    new JsonReader(summary, 'results_summary.json').fail('model_name', 'text');
  }
  if (summary !== null && !(isJsonObject(summary) && typeof summary.model_name === 'string')) {
    throw new ImportFormatError("results_summary.json: neither a TrainLab run record (no schema_version) nor the reference script's summary (no model_name)");
  }
  const csv = text('training_history.csv');
  const json = text('training_history.json');
  let history: History | null = null;
  if (csv !== null) history = historyFromCsv(csv);
  else if (json !== null) history = historyFromJson(parseJson(json, 'training_history.json'));
  const configText = text('config.json');
  const built = referenceRecord({
    file: folder.file,
    path: folder.path,
    name: folder.name,
    summary,
    config: configText === null ? null : parseJson(configText, 'config.json'),
    history,
    perClassCsv: text('per_class_metrics.csv'),
    summaryTxt: text('SUMMARY.txt'),
    importedAt,
  });
  try {
    return { record: validateRunRecord(built.record), notes: built.notes };
  } catch (e) {
    if (e instanceof RunRecordError) throw new ImportFormatError(`the folder's files disagree: ${e.message}`);
    throw e;
  }
}

/**
 * Imports zips (our run.zip, zips of run folders at any depth, zips of run.zips), picked folders and
 * loose run files. Each bad file or folder becomes one ImportProblem; the rest still load. Runs
 * repeated within this import (same run_id and end_time) are kept once.
 */
export async function importFiles(files: SourceFile[], opts: ImportOptions): Promise<ImportResult> {
  const importedAt = isoWithOffset(opts.now);
  const { containers, problems } = await gatherContainers(files, { signal: opts.signal, maxZipBytes: opts.maxZipBytes, maxFileBytes: opts.maxFileBytes });
  const records: RunRecord[] = [];
  const notes: UnitNote[] = [];
  const seen = new Set<string>();
  for (const c of containers) {
    const folders = findRunFolders(c);
    if (folders.length === 0) {
      // Files that could not be read (loose ones, zip entries, inner zips) were reported one by one already.
      if ((c.file || c.entries.length > 0) && !c.failures?.length) {
        const file = c.file || c.entries.map((e) => e.path).join(', ');
        const reason = c.file ? 'no run found: no folder in it holds a results_summary.json or a training_history.csv' : 'no run found: a results_summary.json or training_history.csv must come with it';
        problems.push({ file, path: '', reason });
      }
      continue;
    }
    for (const folder of folders) {
      opts.signal?.throwIfAborted();
      // Some of its files could not be read (each reported already): no record from the rest.
      if (folder.failures.length > 0) continue;
      try {
        const { record, notes: texts } = importRunFolder(folder, importedAt);
        const key = JSON.stringify([record.run_id, record.end_time]);
        if (seen.has(key)) continue;
        seen.add(key);
        records.push(record);
        for (const text of texts) notes.push({ file: folder.file, path: folder.path, text });
      } catch (e) {
        if (opts.signal?.aborted || !(e instanceof Error)) throw e;
        // A file no rule foresaw still must not stop the other runs.
        const reason = e instanceof ImportFormatError ? e.message : `could not be read (${e.name}: ${e.message})`;
        problems.push({ file: folder.file, path: folder.path, reason });
      }
    }
  }
  return { records, problems, notes };
}
