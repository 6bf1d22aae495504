// What the run store tells the page after each committed write, and what it keeps counting: the
// change feed (watch), the usage ledger behind usage(), and the channel to the lab's other tabs.
// A write of this tab updates the ledger, reaches this tab's watchers, then goes out as one
// message; a message from another tab makes this tab read that one run again (never every run)
// before its watchers hear of it.
import type { RunRecord } from './run-record';
import { validateRunRecord } from './run-record-validate';
import { RunChangeChannel, type RunChangeKind } from './run-change-channel';
import { readRun, scanUsage, type RunParts, type UsageLedger } from './run-usage-ledger';
import { DB_VERSION, jsonLength, type RunDB } from './run-store-db';
import { errorText } from '../units';

/** What one committed write changed: one of this tab's, or (`remote`) another tab's, read again here. */
export interface RunChange {
  runId: string;
  /** The run's record as now stored; null: the run was deleted; undefined: only its models or predictions changed. */
  record?: RunRecord | null;
  /** What the lab stores in all (as `usage().total`) after the write; NaN until usage() was read once. */
  labBytes: number;
  /** Set when another tab made the change. */
  remote?: true;
  /** Another tab stored a record this version cannot read: why (`record` is null then). */
  damaged?: string;
}

/** A record another tab stored, as this tab's watchers get it. */
function readBack(raw: unknown): Pick<RunChange, 'record' | 'damaged'> {
  if (raw === undefined) return { record: null };
  try {
    return { record: validateRunRecord(raw) };
  } catch (e) {
    return { record: null, damaged: errorText(e) };
  }
}

export class RunChangeFeed {
  /** What the lab stores, per run: undefined until usage() has scanned the store once. */
  private ledger?: UsageLedger;
  private ledgerScan?: Promise<UsageLedger>;
  private scans = 0;
  private readonly watchers = new Set<(change: RunChange) => void>();
  private readonly channel: RunChangeChannel;
  /** Runs this tab is training: it writes them, and other tabs' messages about them are not heard. */
  private readonly trainingHere = new Set<string>();

  /** `live`: the open database (throws once another tab's upgrade closed it). */
  constructor(dbName: string, private readonly live: () => RunDB) {
    this.channel = new RunChangeChannel(dbName, DB_VERSION, (runId, parts) => this.heard(runId, parts));
  }

  watch(listener: (change: RunChange) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  close() {
    this.channel.close();
  }

  /** After a commit of this tab: the ledger follows what was written, the watchers hear of it, then the other tabs. */
  committed(runId: string, record: RunRecord | null | undefined, kind: RunChangeKind, update: (ledger: UsageLedger) => void) {
    if (this.ledger) update(this.ledger);
    // Only the tab that trains a run writes it as running (it holds the run's lock).
    if (record?.status === 'running' && record.origin.kind === 'lab' && kind !== 'restored') this.trainingHere.add(runId);
    else if (record !== undefined) this.trainingHere.delete(runId);
    this.notify({ runId, record, labBytes: this.ledger?.total ?? Number.NaN });
    this.channel.post(runId, kind);
  }

  /** After a commit that wrote `record` (its JSON is measured only once the ledger exists). */
  recordCommitted(record: RunRecord, kind: RunChangeKind, more?: (ledger: UsageLedger) => void) {
    this.committed(record.run_id, record, kind, (ledger) => {
      ledger.setRecord(record.run_id, jsonLength(record));
      more?.(ledger);
    });
  }

  /** Bytes per run: scanned once (or again with `rescan`), then kept by the writes and messages. */
  async usage(opts: { rescan?: boolean }): Promise<{ bytesByRun: Record<string, number>; total: number }> {
    if (opts.rescan) this.ledger = this.ledgerScan = undefined;
    const ledger = this.ledger ?? (await (this.ledgerScan ??= this.scan()));
    return { bytesByRun: ledger.byRun(), total: ledger.total };
  }

  private async scan(): Promise<UsageLedger> {
    const scan = ++this.scans;
    const ledger = await scanUsage(this.live());
    if (scan === this.scans) this.ledger = ledger; // before any write queued behind the scan reports its commit
    return ledger;
  }

  private notify(change: RunChange) {
    for (const w of this.watchers) {
      try {
        w(change);
      } catch (e) {
        reportError(e); // a listener's failure is not the write's
      }
    }
  }

  /**
   * Another tab committed a change to `runId`: reads the touched parts of that run again (one
   * transaction over its keys only; its bytes only once the ledger exists) and reports it. A run
   * training in this tab is left alone: this tab writes it, and its next write merges what another
   * tab changed of it (name, notes, tags).
   */
  private async heard(runId: string, parts: RunParts): Promise<void> {
    if (this.trainingHere.has(runId)) return;
    if (!this.ledger && this.ledgerScan) await this.ledgerScan.catch(() => undefined); // the scan reads first: what is read next is newer
    const ledger = this.ledger;
    const want = ledger ? parts : { record: parts.record, artifacts: false, predictions: false };
    if (!want.record && !want.artifacts && !want.predictions) return;
    const read = await readRun(this.live(), runId, want);
    // Applied at once, with no await between: a write of this tab queued behind the read reports after it.
    if (this.trainingHere.has(runId)) return;
    if (ledger && ledger === this.ledger) ledger.applyRun(runId, read);
    const record = parts.record ? readBack(read.record?.raw) : {};
    this.notify({ runId, ...record, labBytes: this.ledger?.total ?? Number.NaN, remote: true });
  }
}
