// The dedicated module worker that trains: one run per worker. Page → worker: WorkerRequest;
// worker → page: TrainingEvent. The page side is bridge.ts. After each 'epoch' event the run waits
// for the page's {type:'ack', epoch} (it stored the snapshot) or for 'stop'.
/// <reference lib="webworker" />
import { loseDevice, train } from './trainer';
import { isoWithOffset } from './time';
import type { BoundaryPoints } from './decision-boundary';
import type { BoundaryGrid } from './learned-types';
import type { TrainingEvent, WorkerRequest } from './types';

/** The worker's API, derived from this file: what it accepts and what it posts back. */
export type TrainingWorkerIn = WorkerRequest;
export type TrainingWorkerOut = TrainingEvent;

declare const self: DedicatedWorkerGlobalScope;

let controller: AbortController | null = null;
/** The epoch whose ack the run waits for, and how to let it go on. */
let waiting: { epoch: number; release: () => void } | null = null;

/** The buffers of a decision boundary's map (and of its points, when it has them), to transfer. */
function boundaryBuffers(grid: BoundaryGrid | undefined, points?: BoundaryPoints): ArrayBuffer[] {
  const arrays = [grid?.classes, grid?.confidence, ...(points ? Object.values(points) : [])];
  return arrays.flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
}

function post(event: TrainingWorkerOut): void {
  if (event.type === 'finished') {
    // The big typed arrays move instead of being copied; the worker is done with them.
    const t = event.test;
    const tested = t ? [t.yTrue.buffer, t.yPred.buffer, t.probabilities.buffer, ...(t.rowIndex ? [t.rowIndex.buffer] : [])] : [];
    const map = event.boundary;
    self.postMessage(event, [...tested, ...boundaryBuffers(map?.grid, map?.points)] as ArrayBuffer[]);
  } else if (event.type === 'started' && event.initial) {
    self.postMessage(event, [event.initial.model.weightData]); // the trainer keeps no reference to it
  } else if (event.type === 'epoch') {
    // The trainer keeps its own copy of the weights; each map is made anew.
    self.postMessage(event, [event.snapshot.model.weightData, ...boundaryBuffers(event.boundary)] as ArrayBuffer[]);
  } else {
    self.postMessage(event);
  }
}

/** Posts the event; for 'epoch' resolves once the page acks that epoch or the run is stopped. */
function emitFor(signal: AbortSignal): (event: TrainingWorkerOut) => void | Promise<void> {
  return (event) => {
    post(event);
    if (event.type !== 'epoch' || signal.aborted) return;
    const epoch = event.metrics.epoch;
    return new Promise<void>((resolve) => {
      const release = () => {
        signal.removeEventListener('abort', release);
        if (waiting?.release === release) waiting = null;
        resolve();
      };
      waiting = { epoch, release };
      signal.addEventListener('abort', release);
    });
  };
}

self.onmessage = (message: MessageEvent<TrainingWorkerIn>) => {
  const request = message.data;
  if (request.type === 'stop') {
    controller?.abort();
    return;
  }
  if (request.type === 'lose-device') {
    loseDevice();
    return;
  }
  if (request.type === 'ack') {
    if (waiting?.epoch === request.epoch) waiting.release(); // a stale or early ack is ignored
    return;
  }
  if (request.type !== 'train') return;
  if (controller) {
    post({ type: 'failed', kind: 'error', epoch: 0, message: 'a run is already in progress in this worker', endTime: isoWithOffset(new Date()) });
    return;
  }
  const run = new AbortController();
  controller = run;
  const { split, model, config, wasmPath, resume } = request;
  void train({ split, model, config, wasmPath, resume }, emitFor(run.signal), run.signal).finally(() => {
    if (controller === run) controller = null;
  });
};
