// The page's side of image sets: turns picked files into an ImageInput and runs inspect / load in
// a fresh module worker (image-worker.ts) through callOnce, with progress and an AbortSignal that
// ends the worker. A DatasetError raised in the worker arrives as a DatasetError.
import { callOnce, WorkerCallError } from '../../worker-rpc';
import { DatasetError } from '../errors';
import type { ImageProgress, ImageSetPlan, ImageSetResult } from './image-load';
import type { ImageLoadOptions } from './image-limits';
import type { ImageInput } from './image-source';
import type { ImageRequest, imageWorkerApi } from './image-worker';

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

const startWorker = () => new Worker(new URL('./image-worker.ts', import.meta.url), { type: 'module', name: 'trainlab-images' });

async function call<T>(method: keyof typeof imageWorkerApi, request: ImageRequest, { signal, onProgress }: ImageClientHooks): Promise<T> {
  try {
    return await callOnce<T>(startWorker, method, request, { signal, onProgress: onProgress && (({ done, total }) => onProgress({ done, total })) });
  } catch (e) {
    if (!(e instanceof WorkerCallError)) throw e; // a cancel (the signal's reason) or a worker that failed
    throw e.name === 'DatasetError' ? new DatasetError(e.message) : new Error(`reading the images failed: ${e.message}`);
  }
}

/** Lists and groups the files, nothing decoded: the classes, the skipped files and the memory estimate. */
export function planImageSet(input: ImageInput, options: ImageLoadOptions, hooks: ImageClientHooks = {}): Promise<ImageSetPlan> {
  return call('inspect', { input, options }, hooks);
}

/** Reads and decodes the set into a Dataset (id 'file', kind 'image') and its ImageSetInfo. */
export function loadImageSet(input: ImageInput, options: ImageLoadOptions, hooks: ImageClientHooks = {}): Promise<ImageSetResult> {
  return call('load', { input, options }, hooks);
}
