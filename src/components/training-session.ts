import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TrainingBridge } from '../training/bridge';
import type { BackendReport, DatasetSplit, EpochMetrics, FinishStatus, LayerInfo, ModelSpec, TestResult, TrainConfig, TrainingEvent } from '../training/types';

export type SessionPhase = 'idle' | 'starting' | 'running' | 'stopping' | FinishStatus | 'diverged' | 'error';

export interface SessionProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
  etaSeconds: number;
  learningRate: number;
}

/** One training run's live state, fed by the worker's events; the host re-renders on each change. */
export class TrainingSession implements ReactiveController {
  phase: SessionPhase = 'idle';
  backend?: BackendReport;
  layers: LayerInfo[] = [];
  history: EpochMetrics[] = [];
  progress?: SessionProgress;
  test: TestResult | null = null;
  bestEpoch = 0;
  message = '';
  classNames: string[] = [];
  private bridge?: TrainingBridge;
  private epochs = 0;
  private batchesPerEpoch = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get running(): boolean {
    return this.phase === 'starting' || this.phase === 'running' || this.phase === 'stopping';
  }

  start(split: DatasetSplit, model: ModelSpec, config: TrainConfig) {
    this.stopWorker();
    Object.assign(this, { phase: 'starting', backend: undefined, layers: [], history: [], progress: undefined, test: null, bestEpoch: 0, message: '' });
    this.classNames = split.classNames;
    this.epochs = config.epochs;
    this.bridge = new TrainingBridge();
    this.bridge.start({ split, model, config }, (e) => this.onEvent(e));
    this.host.requestUpdate();
  }

  stop() {
    if (!this.running || !this.bridge) return;
    this.phase = 'stopping';
    this.bridge.stop();
    this.host.requestUpdate();
  }

  private onEvent(e: TrainingEvent) {
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
        this.progress = this.progressAfterEpoch();
        break;
      case 'best':
        this.bestEpoch = e.epoch;
        break;
      case 'finished':
        Object.assign(this, { phase: e.status, test: e.test, bestEpoch: e.bestEpoch, message: e.reason });
        this.bridge = undefined;
        break;
      case 'failed':
        Object.assign(this, { phase: e.kind, message: e.message });
        this.bridge = undefined;
        break;
    }
    this.host.requestUpdate();
  }

  /** Progress at an epoch boundary; ETA from the mean epoch time so far. */
  private progressAfterEpoch(): SessionProgress {
    const last = this.history[this.history.length - 1];
    const meanSeconds = this.history.reduce((a, h) => a + h.seconds, 0) / this.history.length;
    return {
      epoch: last.epoch,
      epochs: this.epochs,
      batch: this.batchesPerEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      samplesPerSec: last.samplesPerSec,
      etaSeconds: (this.epochs - last.epoch) * meanSeconds,
      learningRate: last.learningRate,
    };
  }

  private stopWorker() {
    this.bridge?.dispose();
    this.bridge = undefined;
  }

  hostDisconnected() {
    this.stopWorker();
  }
}
