// Restore from a backup zip (layout in backup-format.ts): the zip's directory is read once, then per
// run only its entries, with the zip reader's checks (size, CRC-32) and limits (JSON up to 64 MB
// each, at most RESTORE_RUN_LIMIT inflated per run). Each run is checked before anything is written
// (the record through validateRunRecord, every snapshot's shape and size, the predictions' shape;
// backup-read.ts) and stored in one transaction (record + snapshots + predictions + decision
// boundary), so a failure leaves no half-restored run. A decision boundary that does not read back
// (its manifest entry, its file, its sizes or values) is the one part left out rather than refusing
// the run: the run is restored without it and the report's notes say why. A run already stored
// (same id and end time) is skipped; a different run under the same id is kept and the backup's refused. Restored records are the stored ones
// exactly (origin included); one that was training when backed up comes back as interrupted,
// resumable from its latest snapshot.
import type { RestoreOutcome } from '../components/tl-backup-panel';
import { markInterrupted } from '../recorder/recorder';
import { refOf } from '../recorder/checkpoint-refs';
import type { RunRecord } from '../recorder/run-record';
import { validateRunRecord } from '../recorder/run-record-validate';
import type { RunStore } from '../recorder/run-store';
import type { DecisionBoundary } from '../training/decision-boundary';
import type { BackupRunEntry } from './backup-format';
import { isAbort, tick } from './backup-util';
import { errorText, formatBytes, plural } from '../units';

/** Everything inflated for one run while restoring (its weights, predictions and JSON). */
export const RESTORE_RUN_LIMIT = 2 * 2 ** 30;

export interface RestoreOptions {
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (fraction: number, text: string) => void;
}

export interface RestoreReport {
  file: string;
  created: string;
  appVersion: string;
  outcomes: RestoreOutcome[];
  /** Runs the backup itself says it could not hold (damaged when it was made). */
  notInBackup: { run_id: string; reason: string }[];
  /** What a restored run came back without, and why (`{run_id}: …`): a decision boundary that could not be read. */
  notes: string[];
  /** Cancelled: the runs after the last outcome were not tried. */
  stopped: boolean;
}

/** A refusal of one run, with the reason the person reads. */
class Refused extends Error {}

/**
 * Restores every run of a backup that is not stored yet. Throws (BackupFormatError) only when the
 * file is not a readable backup at all; each run's problem is its own outcome.
 */
export async function restoreBackup(store: RunStore, file: Blob, opts: RestoreOptions & { name?: string } = {}): Promise<RestoreReport> {
  const { signal } = opts;
  const name = opts.name ?? (file instanceof File ? file.name : 'the backup');
  const [zr, fmt, check] = await Promise.all([import('../compare/zip-reader'), import('./backup-format'), import('./backup-read')]);
  const progress = (f: number, text: string) => opts.onProgress?.(Math.min(1, f), text);
  const now = opts.now ?? (() => new Date());
  const readFailure = (e: unknown): never => {
    if (e instanceof zr.ZipFormatError || e instanceof zr.ZipTooLargeError) throw new fmt.BackupFormatError(`${name} cannot be read: ${e.message}`);
    throw e;
  };

  progress(0, `Reading ${name}`);
  const entries = await zr.listZip(file).catch(readFailure);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  /**
   * The wanted entries of the backup, every one read and checked (size, CRC-32) by the zip reader, or
   * Refused with the first failure. `maxEntryBytes` refuses a larger entry before reading it; the
   * reader's budget (`maxTotalBytes`) stops whatever inflates past what was declared. An `optional`
   * entry that is missing or fails is not read, its problem kept in `problems` instead.
   */
  const read = async (paths: Set<string>, limits: { maxEntryBytes: number; maxTotalBytes: number }, optional = new Set<string>()) => {
    const problems = new Map<string, string>();
    const fail = (p: string, why: string) => {
      if (!optional.has(p)) throw new Refused(why);
      problems.set(p, why);
    };
    for (const p of paths) {
      const e = byPath.get(p);
      if (!e) fail(p, `${p} is missing from the backup`);
      else if (e.size > limits.maxEntryBytes) fail(p, `${p} declares ${formatBytes(e.size)}, past the ${formatBytes(limits.maxEntryBytes)} limit for one file; it is not read`);
    }
    try {
      const zip = await zr.readZip(file, { want: (p) => paths.has(p) && !problems.has(p), nested: false, signal, maxTotalBytes: limits.maxTotalBytes });
      for (const f of zip.failures) fail(f.path, f.error.message);
      return { files: new Map(zip.files.map((f) => [f.path, f.bytes])), problems };
    } catch (e) {
      if (e instanceof zr.ZipFormatError || e instanceof zr.ZipTooLargeError) throw new Refused(e.message);
      throw e;
    }
  };
  const JSON_LIMITS = { maxEntryBytes: fmt.MAX_JSON_BYTES, maxTotalBytes: 2 * fmt.MAX_JSON_BYTES };
  const text = (bytes: Uint8Array | undefined) => new TextDecoder('utf-8', { fatal: false }).decode(bytes);

  if (!byPath.has(fmt.BACKUP_MANIFEST)) {
    throw new fmt.BackupFormatError(`${name} is not a TrainLab backup: it has no ${fmt.BACKUP_MANIFEST} (a run.zip is added through Compare instead)`);
  }
  let manifest;
  try {
    const { files } = await read(new Set([fmt.BACKUP_MANIFEST]), JSON_LIMITS);
    manifest = check.parseBackupManifest(text(files.get(fmt.BACKUP_MANIFEST)));
  } catch (e) {
    if (e instanceof Refused || e instanceof fmt.BackupFormatError) throw new fmt.BackupFormatError(`${name} cannot be restored: ${e.message}`);
    throw e;
  }

  /** Whether the stored record (if any) is this run: 'already' when it is, a Refused when another run holds the id. */
  const storedAs = (record: RunRecord, stored: RunRecord | undefined | { damaged: string }): 'free' | 'already' => {
    if (stored === undefined) return 'free';
    if ('damaged' in stored) throw new Refused(`a record that cannot be read is stored under this id (${stored.damaged}); it is left as it is`);
    if (stored.end_time === record.end_time) return 'already';
    throw new Refused(
      `another version of this run is stored (it ended ${stored.end_time ?? 'never: it is ' + stored.status}; the backup's ended ` +
        `${record.end_time ?? 'never'}): the stored run is kept; delete it first to restore the backed-up one`,
    );
  };

  const notes: string[] = [];
  const restoreOne = async (entry: BackupRunEntry, step: (f: number, text: string) => void): Promise<RestoreOutcome> => {
    const id = entry.run_id;
    if (!fmt.isSafeRunId(id)) throw new Refused('its run id cannot be a folder name');
    const recordPath = `${id}/${fmt.RECORD_FILE}`;
    const manifestPath = `${id}/${fmt.RUN_MANIFEST_FILE}`;
    step(0, `Checking ${id}`);
    const { files: json } = await read(new Set([recordPath, manifestPath]), JSON_LIMITS);
    let record: RunRecord;
    try {
      record = validateRunRecord(JSON.parse(text(json.get(recordPath))));
    } catch (e) {
      throw new Refused(`${fmt.RECORD_FILE}: ${errorText(e)}`);
    }
    if (record.run_id !== id) throw new Refused(`${fmt.RECORD_FILE} is the record of ${JSON.stringify(record.run_id)}, not of ${id}`);
    const current = await store.getRun(id).catch((e: Error) => ({ damaged: e.message }));
    if (storedAs(record, current) === 'already') return { run_id: id, status: 'already', detail: 'the same run (same id and end time) is stored already: left as it is' };
    const runManifest = check.parseRunManifest(text(json.get(manifestPath)), record, manifestPath);

    step(0.2, `Reading the snapshots of ${id}`);
    const pred = runManifest.predictions;
    const map = runManifest.decision_boundary;
    const mapPath = map && `${id}/${map.file}`;
    const binaries = new Set([...runManifest.snapshots.map((s) => `${id}/${s.weights}`), ...(pred ? [`${id}/${pred.file}`] : []), ...(mapPath ? [mapPath] : [])]);
    const { files: bins, problems } = await read(binaries, { maxEntryBytes: RESTORE_RUN_LIMIT, maxTotalBytes: RESTORE_RUN_LIMIT }, new Set(mapPath ? [mapPath] : []));
    const snapshots = runManifest.snapshots.map((s) => ({ key: s.key, artifact: check.snapshotArtifact(id, s, bins.get(`${id}/${s.weights}`)!) }));
    const predictions = pred ? check.decodePredictions(bins.get(`${id}/${pred.file}`)!, pred) : null;
    // The boundary, or why it is left out (its entry, its file, or what the file holds).
    let boundary: DecisionBoundary | null = null;
    let boundaryProblem = runManifest.boundaryProblem || (mapPath && problems.get(mapPath)) || '';
    if (map && mapPath && !boundaryProblem) {
      try {
        boundary = check.decodeBoundary(bins.get(mapPath)!, map, record.dataset.num_classes);
      } catch (e) {
        if (!(e instanceof fmt.BackupFormatError)) throw e;
        boundaryProblem = e.message;
      }
    }
    const wasRunning = record.status === 'running';
    // Nobody trains a restored run: one that was training when backed up is interrupted, as a reload would find it.
    const restored = wasRunning ? markInterrupted(record, now()) : record;

    step(0.6, `Storing ${id}`);
    const result = await store.restoreRun(restored, snapshots, predictions, boundary);
    if (!result.restored) {
      storedAs(record, 'stored' in result ? result.stored : { damaged: result.damaged }); // stored meanwhile (another tab)
      return { run_id: id, status: 'already', detail: 'the same run was stored meanwhile: left as it is' };
    }
    const parts = [plural(snapshots.length, 'snapshot'), predictions ? 'test predictions' : 'no test predictions'];
    if (boundary) parts.push('decision boundary');
    if (boundaryProblem) {
      parts.push('decision boundary left out (see the notes)');
      notes.push(`${id}: decision boundary left out: ${boundaryProblem}`);
    }
    if (runManifest.missing_snapshots.length > 0) parts.push(`${plural(runManifest.missing_snapshots.length, 'snapshot')} the backup did not hold`);
    const latest = refOf(restored, 'latest');
    const resumable = ['interrupted', 'stopped'].includes(restored.status) && latest && snapshots.some((s) => s.key === latest.key);
    if (wasRunning) parts.push(`it was training when backed up: restored as interrupted after epoch ${restored.training.epochs_completed}`);
    if (resumable) parts.push(`can be resumed from epoch ${latest.epoch}`);
    return { run_id: id, status: 'restored', detail: parts.join('; ') };
  };

  const outcomes: RestoreOutcome[] = [];
  const seen = new Set<string>();
  const total = manifest.runs.length;
  let stopped = false;
  for (const [i, entry] of manifest.runs.entries()) {
    if (signal?.aborted) {
      stopped = true;
      break;
    }
    const step = (f: number, what: string) => progress((i + f) / Math.max(1, total), `Run ${i + 1} of ${total}: ${what}`);
    try {
      if (seen.has(entry.run_id)) throw new Refused('listed twice in the backup: restored once');
      seen.add(entry.run_id);
      outcomes.push(await restoreOne(entry, step));
    } catch (e) {
      if (isAbort(e, signal)) {
        stopped = true;
        break;
      }
      // Refused, a record or format error, a full disk (StorageFullError): this run is refused, the next is tried.
      outcomes.push({ run_id: entry.run_id, status: 'refused', detail: errorText(e) });
    }
    await tick();
  }
  progress(1, 'Done');
  return { file: name, created: manifest.created, appVersion: manifest.app_version, outcomes, notInBackup: manifest.not_backed_up, notes, stopped };
}
