// Carries the run store's change feed to the lab's other tabs: after each committed write, one
// message on a BroadcastChannel named after the database says which run changed and how. The tab
// that hears it reads that one run again from IndexedDB (a message carries nothing else to trust),
// so a message that arrives late, twice or out of order still leaves each tab with what is stored.
import type { RunParts } from './run-usage-ledger';

const TYPE = 'trainlab-run-change';
/** Bumped when a message changes meaning: a tab ignores messages of another protocol. */
const PROTOCOL = 1;

const ALL: RunParts = { record: true, artifacts: true, predictions: true };

/** The kinds of change, each with the parts of the run it touches (what a receiving tab reads again). */
const PARTS = {
  record: { record: true, artifacts: false, predictions: false }, // created, saved, renamed, tagged, annotated, interrupted, imported
  epoch: { record: true, artifacts: true, predictions: false }, // an epoch with its snapshot; checkpoints freed
  final: { record: true, artifacts: true, predictions: true }, // the end of a run: its test predictions and (2-feature runs) its decision boundary
  models: { record: false, artifacts: true, predictions: true }, // its models and predictions deleted (a restart)
  restored: ALL,
  deleted: ALL,
} as const satisfies Record<string, RunParts>;

export type RunChangeKind = keyof typeof PARTS;

export interface RunChangeMessage {
  type: typeof TYPE;
  protocol: typeof PROTOCOL;
  /** The database version of the tab that wrote: another version's layout is not read here. */
  db: number;
  runId: string;
  kind: RunChangeKind;
}

export const runChangeChannelName = (dbName: string) => `trainlab-runs:${dbName}`;

const field = (data: object, key: string): unknown => (key in data ? (data as Record<string, unknown>)[key] : undefined);

/**
 * The run a message names and the parts to read again; null for anything else: not one of ours,
 * another protocol, or another database version (a newer one closes this tab's store anyway:
 * RunStore.onVersionChange). A kind this tab does not know reads the whole run again.
 */
export function parseRunChange(data: unknown, dbVersion: number): { runId: string; parts: RunParts } | null {
  if (typeof data !== 'object' || data === null) return null;
  if (field(data, 'type') !== TYPE || field(data, 'protocol') !== PROTOCOL || field(data, 'db') !== dbVersion) return null;
  const runId = field(data, 'runId');
  const kind = field(data, 'kind');
  if (typeof runId !== 'string' || !runId) return null;
  const parts = typeof kind === 'string' && Object.hasOwn(PARTS, kind) ? PARTS[kind as RunChangeKind] : ALL;
  return { runId, parts };
}

const union = (a: RunParts, b: RunParts): RunParts => ({ record: a.record || b.record, artifacts: a.artifacts || b.artifacts, predictions: a.predictions || b.predictions });

/**
 * One tab's end of the channel. Heard changes are handled one at a time, in order; messages about
 * a run that is already waiting join its turn (one read covers them all), so a burst of epochs from
 * another tab costs one read per run, not one per message.
 */
export class RunChangeChannel {
  private readonly channel: BroadcastChannel | null;
  private readonly waiting = new Map<string, RunParts>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    dbName: string,
    private readonly dbVersion: number,
    private readonly handle: (runId: string, parts: RunParts) => Promise<void>,
  ) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(runChangeChannelName(dbName)) : null;
    if (this.channel) this.channel.onmessage = (e: MessageEvent) => this.receive(e.data);
  }

  /** Tells the other tabs that `runId` changed (after the write committed). */
  post(runId: string, kind: RunChangeKind) {
    if (this.closed || !this.channel) return;
    const message: RunChangeMessage = { type: TYPE, protocol: PROTOCOL, db: this.dbVersion, runId, kind };
    this.channel.postMessage(message);
  }

  close() {
    this.closed = true;
    this.waiting.clear();
    this.channel?.close();
  }

  private receive(data: unknown) {
    const change = parseRunChange(data, this.dbVersion);
    if (!change || this.closed) return;
    const { runId, parts } = change;
    const queued = this.waiting.get(runId);
    this.waiting.set(runId, queued ? union(queued, parts) : parts);
    if (queued) return;
    this.queue = this.queue.then(async () => {
      const turn = this.waiting.get(runId);
      this.waiting.delete(runId);
      if (!turn || this.closed) return;
      try {
        await this.handle(runId, turn);
      } catch (e) {
        if (!this.closed) reportError(e); // e.g. a failed read: seen, and the next message reads again
      }
    });
  }
}
