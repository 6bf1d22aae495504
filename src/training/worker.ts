// The dedicated module worker that trains: one run per worker. Page → worker: WorkerRequest;
// worker → page: TrainingEvent. The page side is bridge.ts.
/// <reference lib="webworker" />
import { train } from './trainer';
import { isoWithOffset } from './time';
import type { TrainingEvent, WorkerRequest } from './types';

/** The worker's API, derived from this file: what it accepts and what it posts back. */
export type TrainingWorkerIn = WorkerRequest;
export type TrainingWorkerOut = TrainingEvent;

declare const self: DedicatedWorkerGlobalScope;

let controller: AbortController | null = null;

function post(event: TrainingWorkerOut): void {
  if (event.type === 'finished' && event.test) {
    // The big typed arrays move instead of being copied; the worker is done with them.
    const { yTrue, yPred, probabilities } = event.test;
    self.postMessage(event, [yTrue.buffer, yPred.buffer, probabilities.buffer] as ArrayBuffer[]);
  } else {
    self.postMessage(event);
  }
}

self.onmessage = (message: MessageEvent<TrainingWorkerIn>) => {
  const request = message.data;
  if (request.type === 'stop') {
    controller?.abort();
    return;
  }
  if (request.type !== 'train') return;
  if (controller) {
    post({ type: 'failed', kind: 'error', epoch: 0, message: 'a run is already in progress in this worker', endTime: isoWithOffset(new Date()) });
    return;
  }
  const run = new AbortController();
  controller = run;
  const { split, model, config, wasmPath } = request;
  void train({ split, model, config, wasmPath }, post, run.signal).finally(() => {
    if (controller === run) controller = null;
  });
};
