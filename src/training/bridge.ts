// Page side of the training worker: spawns one module worker per run, forwards its events, acks
// each epoch once the page's handler has settled it, and turns a worker crash into a 'failed'
// event. No tfjs here: the page's main thread stays free.
import { defaultBaseUrl } from './datasets/errors';
import { isoWithOffset } from './time';
import type { TrainingWorkerIn, TrainingWorkerOut } from './worker';
import type { DatasetSplit, ModelSpec, ResumeFrom, TrainConfig, TrainingEvent } from './types';

export interface StartRequest {
  split: DatasetSplit;
  model: ModelSpec;
  config: TrainConfig;
  /** URL prefix of the folder with tfjs-backend-wasm.wasm and tfjs-backend-wasm-simd.wasm. */
  wasmPath?: string;
  /** Continue a stored run from its last snapshot instead of starting at epoch 1. */
  resume?: ResumeFrom;
}

/**
 * Receives every event. For 'epoch' it may return a promise (e.g. storing the snapshot): the worker
 * starts the next epoch only after it resolves. If it rejects, the epoch is not acknowledged and the
 * run waits (the page decides: retry and call ack(epoch), or stop()).
 */
export type TrainingEventHandler = (e: TrainingEvent) => void | Promise<void>;

export type FinalEvent = Extract<TrainingEvent, { type: 'finished' | 'failed' }>;

/** Where the lead's copy script puts the wasm binaries: `${BASE_URL}tfjs-wasm/`. */
export function defaultWasmPath(): string {
  return `${defaultBaseUrl()}tfjs-wasm/`;
}

/**
 * An absolute URL: the worker fetches the wasm files relative to its own script URL (e.g.
 * /assets/), so a page-relative prefix like './tfjs-wasm/' must be resolved here, on the page.
 */
function absolute(prefix: string): string {
  const base = typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
  const url = new URL(prefix, base).href;
  return url.endsWith('/') ? url : `${url}/`;
}

export class TrainingBridge {
  private worker: Worker | null = null;

  /** True between start() and the run's finished/failed event. */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Starts a run in a fresh worker. onEvent receives every event; the promise resolves with the
   * final one (finished or failed) after the worker has been terminated.
   */
  start(req: StartRequest, onEvent: TrainingEventHandler): Promise<FinalEvent> {
    if (this.worker) throw new Error('a training run is already in progress');
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'trainlab-training' });
    this.worker = worker;
    let started = false;
    let lastEpoch = 0;
    return new Promise<FinalEvent>((resolve) => {
      const end = (e: FinalEvent) => {
        this.terminate(worker);
        onEvent(e);
        resolve(e);
      };
      const crash = (what: string) =>
        end({ type: 'failed', kind: 'error', epoch: started ? lastEpoch + 1 : 0, message: what, endTime: isoWithOffset(new Date()) });
      worker.onmessage = (m: MessageEvent<TrainingWorkerOut>) => {
        const e = m.data;
        if (e.type === 'finished' || e.type === 'failed') return end(e);
        if (e.type === 'started') started = true;
        if (e.type !== 'epoch') return void onEvent(e);
        lastEpoch = e.metrics.epoch;
        void this.ackWhenSettled(worker, e.metrics.epoch, () => onEvent(e));
      };
      worker.onerror = (ev: ErrorEvent | Event) => {
        ev.preventDefault();
        const detail = 'message' in ev && ev.message ? `: ${ev.message}` : ' (the worker script could not be loaded or threw)';
        crash(`the training worker crashed${detail}`);
      };
      worker.onmessageerror = () => crash('a message from the training worker could not be read');
      const message: TrainingWorkerIn = {
        type: 'train',
        split: req.split,
        model: req.model,
        config: req.config,
        wasmPath: absolute(req.wasmPath ?? defaultWasmPath()),
      };
      if (req.resume) message.resume = req.resume;
      worker.postMessage(message);
    });
  }

  /**
   * Lets the run go on after `epoch` when the handler's promise for it rejected and the page has
   * since stored the epoch another way. Ignored by the worker unless it waits for that epoch.
   */
  ack(epoch: number): void {
    const message: TrainingWorkerIn = { type: 'ack', epoch };
    this.worker?.postMessage(message);
  }

  /**
   * Asks the run to stop after a whole batch (the first that ends TICK_INTERVAL_MS after the last
   * yield: the current one when batches are slower), or at once while it waits for an epoch's ack; it
   * still evaluates the test set.
   */
  stop(): void {
    const message: TrainingWorkerIn = { type: 'stop' };
    this.worker?.postMessage(message);
  }

  /** Destroys the run's WebGPU device, as a GPU reset would (for tests of device loss). */
  loseDevice(): void {
    const message: TrainingWorkerIn = { type: 'lose-device' };
    this.worker?.postMessage(message);
  }

  /** Ends the worker at once, without a final event (e.g. when the page goes away). */
  dispose(): void {
    if (this.worker) this.terminate(this.worker);
  }

  /** Acks `epoch` once the handler's result resolves; a throw or rejection leaves it unacked. */
  private async ackWhenSettled(worker: Worker, epoch: number, handle: () => void | Promise<void>): Promise<void> {
    try {
      await handle();
    } catch {
      return; // the handler owns the failure (it pauses, retries, and calls ack() or stop())
    }
    if (this.worker === worker) this.ack(epoch);
  }

  private terminate(worker: Worker): void {
    worker.terminate();
    if (this.worker === worker) this.worker = null;
  }
}
