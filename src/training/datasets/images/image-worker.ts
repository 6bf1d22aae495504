// The image worker: lists, hashes and decodes an image set off the page's main thread. One request
// per worker; the page ends it (terminate) to cancel, so a cancel stops decoding at once.
import { inspectImageSet, loadImageSet, type ImageProgress, type ImageSetPlan, type ImageSetResult } from './image-load';
import type { ImageLoadOptions } from './image-limits';
import type { ImageInput } from './image-source';

export type ImageWorkerRequest = { type: 'inspect' | 'load'; input: ImageInput; options: ImageLoadOptions };
export type ImageWorkerMessage =
  | { type: 'progress'; progress: ImageProgress }
  | { type: 'plan'; plan: ImageSetPlan }
  | { type: 'done'; result: ImageSetResult }
  | { type: 'error'; name: string; message: string };

const PROGRESS_EVERY_MS = 50;
const post = (m: ImageWorkerMessage, transfer: Transferable[] = []) => postMessage(m, { transfer });

onmessage = async (e: MessageEvent<ImageWorkerRequest>) => {
  const { type, input, options } = e.data;
  try {
    if (type === 'inspect') return post({ type: 'plan', plan: await inspectImageSet(input, options) });
    let last = 0;
    const result = await loadImageSet(input, options, {
      onProgress: (progress) => {
        const now = performance.now();
        if (progress.done < progress.total && now - last < PROGRESS_EVERY_MS) return;
        last = now;
        post({ type: 'progress', progress });
      },
    });
    post({ type: 'done', result }, [result.dataset.features.buffer, result.dataset.labels.buffer]);
  } catch (err) {
    const { name, message } = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', name, message });
  }
};
