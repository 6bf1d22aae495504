// Where a run's stored models are: the refs in its record (latest, best, periodic, initial) to the
// artifact store's keys, one stored copy per epoch snapshot. Pure.
import type { EpochSnapshot, SavedModel } from '../training/types';
import type { CheckpointKind, CheckpointRef, LabRunRecord, RunRecord } from './run-record';

export type { CheckpointKind } from './run-record';


/**
 * The artifact store key of the snapshot taken after `epoch`: stored once, whatever roles it has
 * (latest, best, periodic); the record's refs point to it. (Runs stored before this layout have
 * keys `${runId}/latest`, `/best`, `/checkpoint_epoch_N`: the refs say which, so both read alike.)
 */
export function snapshotKey(runId: string, epoch: number): string {
  return `${runId}/epoch_${epoch}`;
}

/** A stored model's size as the refs count it (its weights plus its topology's JSON) and whether it holds optimizer state. */
const storedAs = (m: SavedModel) => ({
  bytes: m.weightData.byteLength + (JSON.stringify(m.modelTopology) ?? '').length,
  with_optimizer: m.weightSpecs.some((w) => w.group === 'optimizer'),
});

/** The refs a snapshot adds, all to its one stored copy: 'latest' always, 'best' when it improved, 'periodic' every saveFreq epochs. */
export function snapshotRefs(runId: string, s: EpochSnapshot): CheckpointRef[] {
  const epoch = s.resume.epoch;
  const kinds: CheckpointKind[] = ['latest', ...(s.isBest ? ['best' as const] : []), ...(s.isPeriodic ? ['periodic' as const] : [])];
  return kinds.map((kind) => ({ kind, epoch, key: snapshotKey(runId, epoch), ...storedAs(s.model) }));
}

/**
 * The ref of a run's initial weights (the model as built, before epoch 1), stored under its own key:
 * no later epoch's ref replaces it, so it stays through the run, its resumes and checkpoint clean-ups.
 */
export function initialRef(runId: string, model: SavedModel): CheckpointRef {
  return { kind: 'initial', epoch: 0, key: `${runId}/initial`, ...storedAs(model) };
}

/** The ref of `kind` ('latest', 'best' or 'initial': a run has at most one of each). */
export function refOf(record: RunRecord, kind: 'latest' | 'best' | 'initial'): CheckpointRef | undefined {
  return record.checkpoints.find((c) => c.kind === kind);
}

/** Keys of stored snapshots that `before` refers to and `after` no longer does: they can be deleted. */
export function unreferencedKeys(before: readonly CheckpointRef[], after: readonly CheckpointRef[]): string[] {
  const kept = new Set(after.map((c) => c.key));
  return [...new Set(before.map((c) => c.key))].filter((k) => !kept.has(k));
}

/** The record with `refs` added: a new 'latest', 'best' or 'initial' replaces the old one, a periodic ref the one of its epoch. */
export function withCheckpoints(record: LabRunRecord, refs: CheckpointRef[]): LabRunRecord {
  const replaced = (c: CheckpointRef) => refs.some((n) => n.kind === c.kind && (c.kind !== 'periodic' || n.epoch === c.epoch));
  return { ...record, checkpoints: [...record.checkpoints.filter((c) => !replaced(c)), ...refs] };
}
