// Page-side glue between the training events and the store: folds each event into the run's
// record and persists it. An epoch's promise resolves only once the epoch (record + snapshot) is in
// IndexedDB; the worker waits for that before it starts the next epoch.
import type { InitialSnapshot, ResumeFrom, TrainingEvent } from '../training/types';
import { applyEvent, createRunRecord, restartRecord, resumeRecord, type RunRecordInit } from './recorder';
import { refOf } from './checkpoint-refs';
import type { LabRunRecord } from './run-record';
import { holdRunLock, type RunStore } from './run-store';

export class Recording {
  private ended = false;
  /** The model's weights as built (a new run's 'started'), until they are stored with the first epoch. */
  private initial?: InitialSnapshot;

  private constructor(
    private readonly store: RunStore,
    public record: LabRunRecord,
    private readonly releaseLock: () => unknown,
  ) {}

  /**
   * Creates the run's record and stores it before training starts, so the run is listed at once,
   * under an id no other tab has taken (the store allocates it), locked before anyone can see it.
   */
  static async begin(store: RunStore, init: RunRecordInit): Promise<Recording> {
    const { record, release } = await store.createRun(createRunRecord(init), holdRunLock);
    return new Recording(store, record, release);
  }

  /** Continues an interrupted run's record from its last stored snapshot. */
  static async resume(store: RunStore, record: LabRunRecord): Promise<{ recording: Recording; from: ResumeFrom }> {
    const latestRef = refOf(record, 'latest');
    const latest = latestRef && (await store.getArtifact(latestRef.key));
    if (!latest?.resume) throw new Error(`run ${record.run_id} has no stored snapshot to resume from`);
    const bestRef = refOf(record, 'best');
    const best = bestRef && (await store.getArtifact(bestRef.key));
    const recording = await Recording.open(store, resumeRecord(record, latest.resume.epoch, new Date()));
    return { recording, from: { model: latest.model, state: latest.resume, best: best?.model } };
  }

  /** Starts the run's record afresh (no history, models or results): for a run with no stored epoch. */
  static async restart(store: RunStore, record: LabRunRecord): Promise<Recording> {
    await store.deleteModels(record.run_id);
    return Recording.open(store, restartRecord(record, new Date()));
  }

  /** Locks the run, then stores its record (releasing the lock again if that fails). */
  private static async open(store: RunStore, record: LabRunRecord): Promise<Recording> {
    // Lock before the first write: another tab must never see this run as running-but-ownerless.
    const recording = new Recording(store, record, holdRunLock(record.run_id));
    try {
      await store.putRun(record);
    } catch (e) {
      recording.end();
      throw e;
    }
    return recording;
  }

  /** Folds the event in and persists what it changed; rejects (e.g. StorageFullError) when that fails. */
  async handle(e: TrainingEvent): Promise<void> {
    this.record = applyEvent(this.record, e, new Date());
    await this.persist(e);
  }

  /** Writes what `e` changed; called again to retry after a failed write (the event is folded once). */
  async persist(e: TrainingEvent): Promise<void> {
    switch (e.type) {
      case 'started':
        this.initial = e.initial;
        await this.store.putRun(this.record);
        break;
      case 'epoch':
        // A new run's initial weights are stored with its first epoch (a resumed run keeps the ones it has).
        this.record = await this.store.saveEpoch(this.record, e.snapshot, this.initial);
        this.initial = undefined;
        break;
      case 'finished': {
        const t = e.test;
        const predictions = t && { yTrue: t.yTrue, yPred: t.yPred, probabilities: t.probabilities, numClasses: this.record.dataset.num_classes, ...(t.rowIndex && { rowIndex: t.rowIndex }) };
        this.record = await this.store.saveFinal(this.record, predictions, e.boundary ?? null);
        this.end();
        break;
      }
      case 'failed':
        await this.store.putRun(this.record);
        this.end();
        break;
      default:
        break;
    }
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    this.releaseLock();
  }
}
