import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Recording } from '../recorder/recording';
import { epochMetrics, withBackendSwitch, type RunRecordInit } from '../recorder/recorder';
import { refOf } from '../recorder/checkpoint-refs';
import type { LabRunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import { TrainingBridge } from '../training/bridge';
import { withTableStandardization } from '../training/decision-boundary';
import type { BoundaryGrid } from '../training/learned-types';
import { nextBackend } from '../training/backend-choice';
import { progressAfterEpoch, sameSplit, type SessionProgress } from './session-progress';
import type { BackendName, BackendReport, DatasetSplit, EpochMetrics, FinishStatus, LayerInfo, ModelSpec, ResumeFrom, TestResult, TrainConfig, TrainingEvent } from '../training/types';

export type SessionPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | FinishStatus | 'diverged' | 'error';

/** The phases in which a run is under way (its worker is alive). */
export const isRunningPhase = (phase: SessionPhase): boolean => ['starting', 'running', 'paused', 'stopping'].includes(phase);

/**
 * One training run's live state, fed by the worker's events, and its recording: every epoch is
 * stored before the worker may start the next. A failed write (a full disk) pauses the run until the
 * user frees space and retries, or stops it; what was stored before stays intact.
 */
export class TrainingSession implements ReactiveController {
  phase: SessionPhase = 'idle';
  backend?: BackendReport;
  layers: LayerInfo[] = [];
  history: EpochMetrics[] = [];
  progress?: SessionProgress;
  test: TestResult | null = null;
  testEpoch = 0; // whose weights produced `test`
  testWeights: 'best' | 'final' = 'final';
  finalTest: { loss: number; accuracy: number } | null = null;
  bestEpoch = 0;
  message = '';
  storageProblem = '';
  classNames: string[] = [];
  /** A 2-feature model's latest decision boundary, and the split (as given to start) it belongs to. */
  boundary?: { grid: BoundaryGrid; split: DatasetSplit };
  recording?: Recording;
  store?: RunStore;
  /** Called after the run's record was stored (to refresh lists). */
  onRecordStored?: (record: LabRunRecord) => void;
  private bridge?: TrainingBridge;
  private epochs = 0;
  private batchesPerEpoch = 0;
  private retryWaiter?: (action: 'retry' | 'give-up') => void;
  /** Final records (finished or failed) handed to the store and not yet written. */
  private finalWrites = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get running(): boolean {
    return isRunningPhase(this.phase);
  }

  /**
   * The run has ended and its final record is still being written (it is not in the Runs list as
   * ended yet); false while a failed write waits for the person (Retry saving, shown with the error).
   */
  get saving(): boolean {
    return this.finalWrites > 0 && !this.retryWaiter;
  }

  /** A write failed and waits for retrySave() (while training, Stop gives it up). */
  get waitingForRetry(): boolean {
    return !!this.retryWaiter;
  }

  /** The latest decision boundary when it was drawn on `split` (the Lab's data may have changed since). */
  boundaryFor(split: DatasetSplit | undefined): BoundaryGrid | undefined {
    return split && this.boundary && sameSplit(this.boundary.split, split) ? this.boundary.grid : undefined;
  }

  /** The tested model's class of each test row of `split`, once this session's run on it was tested. */
  testPredictedFor(split: DatasetSplit | undefined): Int32Array | null {
    return split && this.test && this.shownSplit && sameSplit(this.shownSplit, split) ? this.test.yPred : null;
  }

  async start(split: DatasetSplit, model: ModelSpec, config: TrainConfig, init: RunRecordInit | null) {
    this.reset(split, config.epochs);
    if (this.store && init) {
      try {
        this.recording = await Recording.begin(this.store, init);
        this.onRecordStored?.(this.recording.record);
      } catch (e) {
        this.storageProblem = `This run is not being recorded: ${(e as Error).message}`;
      }
    }
    this.launch({ split: withTableStandardization(split, init?.dataFile?.kind === 'table' ? init.dataFile.preprocessing : null), model, config });
  }

  /**
   * Continues a stored run from its last stored epoch, in the same record. The stored snapshot is
   * read (and the record claimed) first: if that fails the session stays as it was, and the error
   * says why.
   */
  async resume(record: LabRunRecord, split: DatasetSplit, model: ModelSpec, config: TrainConfig) {
    if (this.running) throw new Error('A run is training in this tab: stop it before resuming another.');
    if (!this.store) throw new Error('storage is not available: cannot resume');
    const { recording, from } = await Recording.resume(this.store, record);
    this.reset(split, config.epochs);
    this.recording = recording;
    const recall = new Map(recording.record.per_class_recall_history.map((c) => [c.epoch, c.recall]));
    this.history = recording.record.history.map((h) => ({ ...epochMetrics(h), classRecall: recall.get(h.epoch) }));
    this.bestEpoch = recording.record.training.best_epoch;
    this.onRecordStored?.(recording.record);
    this.launch({ split: this.planeSplit(split, record), model, config, resume: from });
  }

  /** Starts a stored run afresh with its configuration, in the same record (it had no epoch to resume from). */
  async restart(record: LabRunRecord, split: DatasetSplit, model: ModelSpec, config: TrainConfig) {
    if (this.running) throw new Error('A run is training in this tab: stop it before restarting another.');
    if (!this.store) throw new Error('storage is not available: cannot restart');
    const recording = await Recording.restart(this.store, record);
    this.reset(split, config.epochs);
    this.recording = recording;
    this.onRecordStored?.(recording.record);
    this.launch({ split: this.planeSplit(split, record), model, config });
  }

  /** A stored run's split with its own table's transform (for the decision boundary). */
  private planeSplit(split: DatasetSplit, record: LabRunRecord): DatasetSplit {
    const f = record.dataset.data_file;
    return withTableStandardization(split, f?.kind === 'table' ? f.preprocessing : null);
  }

  stop() {
    if (!this.running) return;
    this.phase = 'stopping';
    // Before the worker exists (the record is still being written) the stop is passed on at launch.
    this.bridge?.stop();
    this.retryWaiter?.('give-up');
    this.host.requestUpdate();
  }

  /** A run that could not even start (e.g. the dataset could not be hashed): say why. */
  failToStart(message: string) {
    this.bridge?.dispose();
    Object.assign(this, { phase: 'error', message });
    this.host.requestUpdate();
  }

  /** Destroys the WebGPU device of the run (a simulated GPU reset, for tests). */
  loseDevice() {
    this.bridge?.loseDevice();
  }

  /** After a failed write: try again (the user freed space). */
  retrySave() {
    this.retryWaiter?.('retry');
  }

  private reset(split: DatasetSplit, epochs: number) {
    this.bridge?.dispose();
    this.recording?.end();
    Object.assign(this, { phase: 'starting', backend: undefined, layers: [], history: [], progress: undefined, test: null, testEpoch: 0, finalTest: null, bestEpoch: 0, message: '', storageProblem: '', recording: undefined });
    this.classNames = split.classNames;
    this.boundary = undefined;
    this.shownSplit = split;
    this.epochs = epochs;
    this.host.requestUpdate();
  }

  /** The split the run was started with, as the Lab holds it (the maps belong to it). */
  private shownSplit?: DatasetSplit;

  /** The split the session's run trains on (its test rows are what the results are about). */
  get split(): DatasetSplit | undefined {
    return this.shownSplit;
  }

  /** What the running worker was given: a lost device continues the same run on another backend. */
  private request?: { split: DatasetSplit; model: ModelSpec; config: TrainConfig };

  private launch(req: { split: DatasetSplit; model: ModelSpec; config: TrainConfig; resume?: ResumeFrom }) {
    this.request = { split: req.split, model: req.model, config: req.config };
    this.bridge = new TrainingBridge();
    void this.bridge.start(req, (e) => this.onEvent(e));
    if (this.phase === 'stopping') this.bridge.stop();
    this.host.requestUpdate();
  }

  /** The run's writes, one after the other: an event is stored only once the one before it is. */
  private persisted: Promise<void> = Promise.resolve();

  private onEvent(e: TrainingEvent): Promise<void> {
    if (e.type === 'failed' && e.kind === 'device-lost') {
      const lost = e;
      const next = this.request && nextBackend(lost.backend ?? 'webgpu');
      if (next && this.recording && this.store && this.phase !== 'stopping') {
        const recording = this.recording;
        this.persisted = this.persisted.then(() => this.continueOn(next, lost.message, recording));
        return this.persisted;
      }
      e = { ...lost, message: `${lost.message}; no other backend is left to continue on` };
    }
    switch (e.type) {
      case 'started':
        Object.assign(this, { phase: this.phase === 'stopping' ? 'stopping' : 'running', backend: e.backend, layers: e.layers });
        this.batchesPerEpoch = e.batchesPerEpoch;
        break;
      case 'progress':
        this.progress = { ...e, epochs: this.epochs };
        break;
      case 'epoch':
        this.history = [...this.history, e.metrics];
        this.progress = progressAfterEpoch(this.history, this.epochs, this.batchesPerEpoch);
        if (e.boundary && this.shownSplit) this.boundary = { grid: e.boundary, split: this.shownSplit };
        break;
      case 'best':
        this.bestEpoch = e.epoch;
        break;
      case 'finished':
        Object.assign(this, { phase: e.status, test: e.test, testEpoch: e.testEpoch, testWeights: e.testWeights, finalTest: e.finalTest, bestEpoch: e.bestEpoch, message: e.reason });
        if (e.boundary && this.shownSplit) this.boundary = { grid: e.boundary.grid, split: this.shownSplit };
        break;
      case 'failed':
        Object.assign(this, { phase: e.kind === 'diverged' ? 'diverged' : 'error', message: e.message });
        break;
    }
    // Stop releases the worker's wait for an epoch's ack, so 'finished' can arrive while that epoch
    // is still being written: it must fold into the record the epoch's write returns, not race it.
    const recording = this.recording; // the run this event belongs to, whatever starts later
    const final = !!recording && (e.type === 'finished' || e.type === 'failed');
    if (final) this.finalWrites++;
    this.host.requestUpdate();
    this.persisted = this.persisted.then(() => this.persist(e, recording));
    if (final) {
      void this.persisted.finally(() => {
        this.finalWrites--;
        this.host.requestUpdate();
      });
    }
    return this.persisted;
  }

  private async persist(e: TrainingEvent, recording: Recording | undefined): Promise<void> {
    if (!recording || e.type === 'progress' || e.type === 'best') return;
    let attempt = () => recording.handle(e);
    for (;;) {
      try {
        await attempt();
        this.storageProblem = '';
        this.onRecordStored?.(recording.record);
        return;
      } catch (err) {
        const final = e.type === 'finished' || e.type === 'failed';
        const before = this.phase;
        this.storageProblem = `${(err as Error).message}${final ? '' : ' Training is paused until this epoch is saved.'}`;
        if (!final && this.phase !== 'stopping') this.phase = 'paused';
        this.host.requestUpdate();
        const action = await new Promise<'retry' | 'give-up'>((resolve) => (this.retryWaiter = resolve));
        this.retryWaiter = undefined;
        if (action === 'give-up') {
          this.storageProblem = `Epoch ${recording.record.history.length} was not saved; everything stored before it is intact. Download run.zip from the Runs page.`;
          return;
        }
        if (this.phase === 'paused') this.phase = before;
        attempt = () => recording.persist(e);
      }
    }
  }

  /**
   * The device was lost: the same run goes on from its last stored epoch on `next` (the next backend
   * in the automatic order, even after a forced one), and its record says both.
   */
  private async continueOn(next: BackendName, reason: string, recording: Recording): Promise<void> {
    const req = this.request!;
    recording.end();
    try {
      const record = withBackendSwitch(recording.record, next, reason, new Date());
      const config = { ...req.config, backend: next };
      this.message = `${reason}: continuing on ${next} from epoch ${record.training.epochs_completed}.`;
      this.bridge?.dispose();
      if (refOf(record, 'latest')) {
        const { recording: again, from } = await Recording.resume(this.store!, record);
        this.recording = again;
        this.launch({ ...req, config, resume: from });
      } else {
        this.recording = await Recording.restart(this.store!, record);
        this.launch({ ...req, config });
      }
      this.onRecordStored?.(this.recording.record);
    } catch (err) {
      this.failToStart(`${reason}; continuing on ${next} failed: ${(err as Error).message}`);
    }
    this.host.requestUpdate();
  }

  hostDisconnected() {
    this.bridge?.dispose();
    this.recording?.end();
  }
}
