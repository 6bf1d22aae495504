// The image worker: lists, hashes and decodes an image set off the page's main thread. The page
// (image-client.ts) starts one per call and ends it when the call settles (callOnce), so a cancel
// stops decoding at once.
/// <reference lib="webworker" />
import { serveCalls, Transfer, type CallContext } from '../../worker-rpc';
import { inspectImageSet, loadImageSet, type ImageSetPlan, type ImageSetResult } from './image-load';
import type { ImageLoadOptions } from './image-limits';
import type { ImageInput } from './image-source';

export interface ImageRequest {
  input: ImageInput;
  options: ImageLoadOptions;
}

const PROGRESS_EVERY_MS = 50;

/** Lists and groups the files: classes, skipped files, the memory estimate; nothing decoded. */
function inspect(req: ImageRequest): Promise<ImageSetPlan> {
  return inspectImageSet(req.input, req.options);
}

/** Decodes the set; progress at most every 50 ms (and always the last); the arrays move to the page. */
async function load(req: ImageRequest, ctx: CallContext): Promise<Transfer<ImageSetResult>> {
  let last = 0;
  const result = await loadImageSet(req.input, req.options, {
    signal: ctx.signal,
    onProgress: ({ done, total }) => {
      const now = performance.now();
      if (done < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      ctx.progress(done, total);
    },
  });
  const { features, labels } = result.dataset;
  return new Transfer(result, [...new Set([features.buffer as ArrayBuffer, labels.buffer as ArrayBuffer])]);
}

/** The worker's API: method name → handler (image-client.ts calls them by name). */
export const imageWorkerApi = { inspect, load };

serveCalls(imageWorkerApi);
