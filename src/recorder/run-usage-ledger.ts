// The bytes the lab stores, per run: read once by a scan (RunStore.usage), then kept up to date by
// each write of this tab as it commits and, for another tab's writes, by reading that one run again
// (readRun): no write or message scans again. Every entry is absolute (a run's record, one snapshot,
// a run's predictions), so applying what was read or written later simply replaces it.
import { checkpointsOf, eachBatch, jsonLength, runIdOfKey, runRange, type RunDB } from './run-store-db';

/** Which parts of one run a change touched: what another tab's message makes this tab read again. */
export interface RunParts {
  record: boolean;
  artifacts: boolean;
  predictions: boolean;
}

/** One run as read again: only the parts asked for are set (`raw` undefined: no record stored). */
export interface RunRead {
  record?: { raw: unknown };
  /** Each stored snapshot of the run → its bytes. */
  artifacts?: Map<string, number>;
  predictions?: { bytes: number | undefined };
}

export class UsageLedger {
  total = 0;
  private readonly records = new Map<string, number>();
  private readonly predictions = new Map<string, number>();
  private readonly artifacts = new Map<string, Map<string, number>>(); // run id → snapshot key → bytes

  setRecord(runId: string, bytes: number | undefined) {
    this.total += (bytes ?? 0) - (this.records.get(runId) ?? 0);
    if (bytes === undefined) this.records.delete(runId);
    else this.records.set(runId, bytes);
  }

  setPredictions(runId: string, bytes: number | undefined) {
    this.total += (bytes ?? 0) - (this.predictions.get(runId) ?? 0);
    if (bytes === undefined) this.predictions.delete(runId);
    else this.predictions.set(runId, bytes);
  }

  setArtifact(key: string, bytes: number | undefined) {
    const runId = runIdOfKey(key);
    const run = this.artifacts.get(runId) ?? new Map<string, number>();
    this.total += (bytes ?? 0) - (run.get(key) ?? 0);
    if (bytes === undefined) run.delete(key);
    else run.set(key, bytes);
    if (run.size) this.artifacts.set(runId, run);
    else this.artifacts.delete(runId);
  }

  /** Forgets every stored model of `runId` and its predictions; with `record`, its record too. */
  dropModels(runId: string, record = false) {
    for (const key of [...(this.artifacts.get(runId)?.keys() ?? [])]) this.setArtifact(key, undefined);
    this.setPredictions(runId, undefined);
    if (record) this.setRecord(runId, undefined);
  }

  /** Replaces what is known of `runId` by what was read of it (the parts read only). */
  applyRun(runId: string, read: RunRead) {
    if (read.record) this.setRecord(runId, read.record.raw === undefined ? undefined : jsonLength(read.record.raw));
    if (read.artifacts) {
      for (const key of [...(this.artifacts.get(runId)?.keys() ?? [])]) if (!read.artifacts.has(key)) this.setArtifact(key, undefined);
      for (const [key, bytes] of read.artifacts) this.setArtifact(key, bytes);
    }
    if (read.predictions) this.setPredictions(runId, read.predictions.bytes);
  }

  byRun(): Record<string, number> {
    const out: Record<string, number> = {};
    const add = (runId: string, n: number) => (out[runId] = (out[runId] ?? 0) + n);
    for (const [runId, n] of this.records) add(runId, n);
    for (const [runId, n] of this.predictions) add(runId, n);
    for (const [runId, run] of this.artifacts) for (const n of run.values()) add(runId, n);
    return out;
  }
}

/**
 * Every run's bytes: stored weights and predictions (from the `bytes` index: no weights are read)
 * plus each record's JSON, in one read-only transaction over the three stores, so that a write
 * either committed before it (and is read) or waits for it (and reports once it commits).
 */
export async function scanUsage(db: RunDB): Promise<UsageLedger> {
  const ledger = new UsageLedger();
  const tx = db.transaction(['runs', 'artifacts', 'predictions']);
  await eachBatch(tx.objectStore('runs'), (keys, values) => keys.forEach((key, i) => ledger.setRecord(key, jsonLength(values[i]))));
  for (const name of ['artifacts', 'predictions'] as const) {
    let cursor = await tx.objectStore(name).index('bytes').openKeyCursor();
    for (; cursor; cursor = await cursor.continue()) {
      if (name === 'artifacts') ledger.setArtifact(cursor.primaryKey, cursor.key);
      else ledger.setPredictions(cursor.primaryKey, cursor.key);
    }
  }
  await tx.done;
  return ledger;
}

const bytesField = (v: unknown): number | undefined =>
  typeof v === 'object' && v !== null && 'bytes' in v && typeof v.bytes === 'number' ? v.bytes : undefined;

/**
 * The `parts` of one run as stored now, in one read-only transaction that touches that run's keys
 * only. A snapshot's bytes come from the record's ref to it (no weights are read); a snapshot no
 * ref points to (none normally) is read to learn its size.
 */
export async function readRun(db: RunDB, runId: string, parts: RunParts): Promise<RunRead> {
  const names = [...(parts.record || parts.artifacts ? (['runs'] as const) : []), ...(parts.artifacts ? (['artifacts'] as const) : []), ...(parts.predictions ? (['predictions'] as const) : [])];
  const tx = db.transaction(names);
  tx.done.catch(() => {}); // awaited below; a failed request rejects first
  const [raw, keys, predictions] = await Promise.all([
    names.includes('runs') ? tx.objectStore('runs').get(runId) : undefined,
    parts.artifacts ? tx.objectStore('artifacts').getAllKeys(runRange(runId)) : undefined,
    parts.predictions ? tx.objectStore('predictions').get(runId) : undefined,
  ]);
  const read: RunRead = {};
  if (names.includes('runs')) read.record = { raw };
  if (keys) {
    const refs = new Map<string, number | undefined>(checkpointsOf(raw).map((c) => [c.key, c.bytes]));
    const unreferenced = keys.filter((k) => !refs.has(k));
    const values = await Promise.all(unreferenced.map((k) => tx.objectStore('artifacts').get(k)));
    unreferenced.forEach((k, i) => refs.set(k, bytesField(values[i]))); // without bytes, the scan's index skips it too
    read.artifacts = new Map(keys.flatMap((k) => (refs.get(k) === undefined ? [] : [[k, refs.get(k)!] as const])));
  }
  if (parts.predictions) read.predictions = { bytes: bytesField(predictions) };
  await tx.done;
  return read;
}
