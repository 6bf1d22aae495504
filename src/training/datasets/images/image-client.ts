// The page's side of image sets: turns picked files into an ImageInput and runs inspect / load in
// a fresh module worker (image-worker.ts), with progress and an AbortSignal that ends the worker.
import { DatasetError } from '../errors';
import type { ImageProgress, ImageSetPlan, ImageSetResult } from './image-load';
import type { ImageLoadOptions } from './image-limits';
import type { ImageInput } from './image-source';
import type { ImageWorkerMessage, ImageWorkerRequest } from './image-worker';

export type { ImageProgress, ImageSetPlan, ImageSetResult } from './image-load';
export type { ImageInput } from './image-source';

/**
 * Files from `<input type=file webkitdirectory>` (paths from webkitRelativePath: "pets/cats/001.jpg")
 * or from a plain file input: one .zip file is read as a zip.
 */
export function imageInputFromFiles(list: FileList | readonly File[]): ImageInput {
  const files = [...list];
  if (files.length === 1 && !files[0].webkitRelativePath && /\.zip$/i.test(files[0].name)) {
    return { kind: 'zip', name: files[0].name, blob: files[0] };
  }
  return { kind: 'folder', files: files.map((f) => ({ path: f.webkitRelativePath || f.name, blob: f })) };
}

export interface ImageClientHooks {
  onProgress?: (p: ImageProgress) => void;
  signal?: AbortSignal;
}

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('the image set load was cancelled', 'AbortError');

function run<T>(request: ImageWorkerRequest, hooks: ImageClientHooks, pick: (m: ImageWorkerMessage) => T | undefined): Promise<T> {
  const { signal, onProgress } = hooks;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const worker = new Worker(new URL('./image-worker.ts', import.meta.url), { type: 'module', name: 'trainlab-images' });
  return new Promise<T>((resolve, reject) => {
    const end = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      end();
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (e: MessageEvent<ImageWorkerMessage>) => {
      const m = e.data;
      if (m.type === 'progress') return onProgress?.(m.progress);
      end();
      if (m.type === 'error') reject(m.name === 'DatasetError' ? new DatasetError(m.message) : new Error(`reading the images failed: ${m.message}`));
      else {
        const value = pick(m);
        if (value === undefined) reject(new Error(`the image worker answered ${m.type} out of turn`));
        else resolve(value);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      end();
      reject(new Error(`the image worker failed${e.message ? `: ${e.message}` : ' to start'}`));
    };
    worker.postMessage(request);
  });
}

/** Lists and groups the files, nothing decoded: the classes, the skipped files and the memory estimate. */
export function planImageSet(input: ImageInput, options: ImageLoadOptions, hooks: ImageClientHooks = {}): Promise<ImageSetPlan> {
  return run({ type: 'inspect', input, options }, hooks, (m) => (m.type === 'plan' ? m.plan : undefined));
}

/** Reads and decodes the set into a Dataset (id 'file', kind 'image') and its ImageSetInfo. */
export function loadImageSet(input: ImageInput, options: ImageLoadOptions, hooks: ImageClientHooks = {}): Promise<ImageSetResult> {
  return run({ type: 'load', input, options }, hooks, (m) => (m.type === 'done' ? m.result : undefined));
}
