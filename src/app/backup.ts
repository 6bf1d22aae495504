// Back up every stored run to one zip, and restore runs from it (the browser may evict storage that
// is not persistent: this is how a person keeps everything). The format is pure, in backup-format.ts
// (written) and backup-read.ts (checked); the zip is written by backup-zip.ts and read by the
// importer's zip reader; the restore itself is in backup-restore.ts.
//
// Memory: a backup reads one run at a time from IndexedDB (one read-only transaction per run, so a
// run that trains in another tab is read consistently) and hands its bytes on before reading the
// next, so the page holds one run (an MNIST MLP 512-512 run with five stored snapshots: ~40 MB), not
// the archive. Where the bytes go: a file the person picks (File System Access, Chromium; asked
// for when the lab stores more than LARGE_BACKUP_BYTES), written as it goes, so the archive never
// sits in memory and its size is limited by the disk only (ZIP64 past 4 GiB); otherwise Blobs,
// downloaded at the end. Blob bytes live outside the JavaScript heap, but the browser caps them: in
// the headless Chromium here a Blob past ~450 MB can no longer be read (NotReadableError), while a
// desktop Chrome profile pages blobs to disk. A restore reads the chosen File by slices: the zip's
// directory, then per run only its entries.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { APP_VERSION } from '../app-version';
import type { BackupView, RestoreOutcome } from '../components/tl-backup-panel';
import type { RunStore } from '../recorder/run-store';
import { isoWithOffset } from '../training/time';
import type { BackupRunEntry } from './backup-format';
import { restoreBackup, type RestoreReport } from './backup-restore';
import { isAbort, tick } from './backup-util';
import { errorText, formatBytes, plural } from '../units';
import { saveBlob } from './run-exports';

export type { RestoreOutcome } from '../components/tl-backup-panel';
export { restoreBackup, RESTORE_RUN_LIMIT, type RestoreOptions, type RestoreReport } from './backup-restore';

const IDLE_BACKUP_VIEW: BackupView = { busy: null, progress: 0, status: '', error: '', summary: '', notes: [], outcomes: [] };

/** Above this much stored (weights + records), Back up asks for a file to write to, where it can. */
export const LARGE_BACKUP_BYTES = 256e6;

/** A file being written (a FileSystemWritableFileStream fits): the backup goes there as it is made. */
export interface BackupFileTarget {
  write(data: Uint8Array<ArrayBuffer>): Promise<void>;
  close(): Promise<void>;
  /** Discards what was written (Chromium only replaces the file on close). */
  abort(reason?: unknown): Promise<void>;
}

export interface BackupOptions {
  /** Write here instead of building a Blob; closed when the backup is complete, aborted when it fails. */
  target?: BackupFileTarget;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (fraction: number, text: string) => void;
  /** 'always': ZIP64 records even for a small backup (tests of the >4 GiB layout). */
  zip64?: 'auto' | 'always';
}

export interface BackupResult {
  /** The zip, unless it was written to `target`. */
  blob: Blob | null;
  bytes: number;
  fileName: string;
  runs: BackupRunEntry[];
  /** Stored records that could not be read: not in the backup. */
  notBackedUp: { run_id: string; reason: string }[];
  /** Per run: snapshots, predictions or a decision boundary left out because they could not be read. */
  notes: string[];
  seconds: number;
}

/** Writes every stored run into one zip (see backup-format.ts for its layout). */
export async function backUpAllRuns(store: RunStore, opts: BackupOptions = {}): Promise<BackupResult> {
  const { signal } = opts;
  const [{ ZipWriter, BlobSink }, fmt] = await Promise.all([import('./backup-zip'), import('./backup-format')]);
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const progress = (f: number, text: string) => opts.onProgress?.(Math.min(1, f), text);
  const ids = await store.runIds();
  const blobs = opts.target ? null : new BlobSink();
  const target = opts.target;
  const zip = new ZipWriter(target ? { write: (b) => target.write(b) } : blobs!, { zip64: opts.zip64, pause: tick });
  const runs: BackupRunEntry[] = [];
  const notBackedUp: BackupResult['notBackedUp'] = [];
  const notes: string[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      signal?.throwIfAborted();
      progress(i / (ids.length + 1), `Backing up run ${i + 1} of ${ids.length}: ${id}`);
      if (!fmt.isSafeRunId(id)) {
        notBackedUp.push({ run_id: id, reason: 'its id cannot be a folder name' });
        continue;
      }
      let run;
      try {
        run = await store.readRunForBackup(id);
      } catch (e) {
        notBackedUp.push({ run_id: id, reason: `the stored record cannot be read: ${errorText(e)}` });
        continue;
      }
      if (!run) continue; // deleted meanwhile
      const plan = fmt.planBackupRun(run);
      const date = fmt.runDate(run.record);
      for (const f of plan.files) await zip.add(`${id}/${f.path}`, f.data, { date, store: f.store });
      await zip.flush(); // this run's bytes leave the JavaScript heap
      runs.push({ run_id: id, end_time: run.record.end_time, status: run.record.status, folder: plan.folder });
      notes.push(...plan.notes.map((n) => `${id}: ${n}`));
      await tick();
    }
    signal?.throwIfAborted();
    progress(ids.length / (ids.length + 1), 'Writing the manifest');
    const manifest = fmt.backupManifest({ appVersion: APP_VERSION, created: isoWithOffset(now), runs, notBackedUp });
    await zip.add(fmt.BACKUP_MANIFEST, JSON.stringify(manifest, null, 2) + '\n', { date: now });
    await zip.finish();
    await target?.close();
  } catch (e) {
    await target?.abort(e).catch(() => {}); // a file half-written is discarded, not left looking like a backup
    throw e;
  }
  progress(1, 'Done');
  return { blob: blobs?.blob() ?? null, bytes: zip.size, fileName: fmt.backupFileName(now), runs, notBackedUp, notes, seconds: (performance.now() - t0) / 1000 };
}

/** A file the person picked to save to, or null where the browser cannot ask (no File System Access). */
export type PickFile = (suggestedName: string) => Promise<{ name: string; target: BackupFileTarget } | null>;

interface SaveFilePickerWindow {
  showSaveFilePicker?: (opts: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }) => Promise<FileSystemFileHandle>;
}

/** The browser's save dialog (Chromium's File System Access); null elsewhere. Rejects with AbortError when the person cancels. */
export const pickFileToSave: PickFile = async (suggestedName) => {
  const picker = (globalThis as SaveFilePickerWindow).showSaveFilePicker;
  if (!picker) return null;
  const handle = await picker({ suggestedName, types: [{ description: 'TrainLab backup', accept: { 'application/zip': ['.zip'] } }] });
  return { name: handle.name, target: await handle.createWritable() };
};

export interface BackupControllerOptions {
  /** Offers the finished zip as a download (default: a temporary link). */
  save?: (blob: Blob, name: string) => void;
  /** Asks where to write a large backup (default: the browser's save dialog where there is one). */
  pickFile?: PickFile;
  /** Stored bytes above which a backup is written straight to a picked file (default LARGE_BACKUP_BYTES). */
  largeBytes?: number;
}

/**
 * The backup panel's state and actions for the shell: Back up (a download, or for a large store a
 * file written as it goes), Restore (from a File), Cancel. `onRestored` runs after every restore
 * (the shell re-reads its list).
 */
export class BackupController implements ReactiveController {
  view: BackupView = IDLE_BACKUP_VIEW;
  private abort?: AbortController;
  private readonly save: (blob: Blob, name: string) => void;
  private readonly pickFile: PickFile;
  private readonly largeBytes: number;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: () => Promise<RunStore | undefined>,
    private readonly onRestored: () => unknown,
    opts: BackupControllerOptions = {},
  ) {
    this.save = opts.save ?? saveBlob;
    this.pickFile = opts.pickFile ?? pickFileToSave;
    this.largeBytes = opts.largeBytes ?? LARGE_BACKUP_BYTES;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
  }

  private set(v: Partial<BackupView>) {
    this.view = { ...this.view, ...v };
    this.host.requestUpdate();
  }

  private progress = (fraction: number, status: string) => this.set({ progress: fraction, status });

  cancel(): void {
    this.abort?.abort(new DOMException('cancelled', 'AbortError'));
  }

  /** Runs one action with the panel busy; a failure as a whole ends in `error`, never unseen. */
  private async run(busy: 'backup' | 'restore', work: (store: RunStore, signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.view.busy) return;
    const abort = (this.abort = new AbortController());
    this.set({ ...IDLE_BACKUP_VIEW, busy, status: busy === 'backup' ? 'Starting the backup…' : 'Opening the backup…' });
    try {
      const store = await this.store();
      if (!store) throw new Error('runs cannot be stored in this browser');
      await work(store, abort.signal);
    } catch (e) {
      const cancelled = isAbort(e, abort.signal);
      this.set({ error: cancelled ? '' : `${busy === 'backup' ? 'Backup' : 'Restore'} failed: ${errorText(e)}`, summary: cancelled ? `${busy === 'backup' ? 'Backup' : 'Restore'} cancelled.` : '' });
    } finally {
      this.abort = undefined;
      this.set({ busy: null });
    }
  }

  backUp(): Promise<void> {
    return this.run('backup', async (store, signal) => {
      const now = new Date();
      const { backupFileName } = await import('./backup-format');
      const notes: string[] = [];
      // A large store goes straight to a file (nothing of it kept in memory); a small one is a download.
      let file: Awaited<ReturnType<PickFile>> = null;
      const { total } = await store.usage();
      if (total > this.largeBytes) {
        try {
          file = await this.pickFile(backupFileName(now));
        } catch (e) {
          if (e instanceof DOMException && e.name === 'AbortError') throw e; // the person closed the dialog: cancelled
          notes.push(`No file could be opened to write to (${errorText(e)}): the backup is built in memory and downloaded instead.`);
        }
      }
      const r = await backUpAllRuns(store, { now, signal, onProgress: this.progress, target: file?.target });
      if (r.blob) this.save(r.blob, r.fileName);
      notes.push(...r.notBackedUp.map((x) => `${x.run_id} was not backed up: ${x.reason}`), ...r.notes);
      const where = file ? `written to ${file.name}` : `to ${r.fileName}`;
      this.set({ summary: `Backed up ${plural(r.runs.length, 'run')} (${formatBytes(r.bytes)}) ${where} in ${r.seconds.toFixed(1)} s.`, notes });
    });
  }

  restore(file: File): Promise<void> {
    return this.run('restore', async (store, signal) => {
      let report: RestoreReport | undefined;
      try {
        report = await restoreBackup(store, file, { signal, onProgress: this.progress });
      } finally {
        await this.onRestored(); // even a failed or cancelled restore may have stored runs before it stopped
      }
      const count = (s: RestoreOutcome['status']) => report!.outcomes.filter((o) => o.status === s).length;
      const summary = `${report.stopped ? 'Restore cancelled. ' : ''}From ${report.file} (made ${report.created}): ` +
        `${plural(count('restored'), 'run')} restored, ${count('already')} already there, ${count('refused')} refused.`;
      this.set({ summary, outcomes: report.outcomes, notes: [...report.notInBackup.map((x) => `${x.run_id} is not in this backup: ${x.reason}`), ...report.notes] });
    });
  }
}
