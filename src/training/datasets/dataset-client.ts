// The page's side of the dataset worker (dataset-worker.ts).
import { WorkerClient } from '../worker-rpc';
import type { BuiltinRequest, PreparedBuiltin } from './builtin-prepare';
import type { SplitOwnRequest } from './dataset-worker';
import type { StandardizedSplit } from '../split';
import type { Dataset, SplitRatios } from '../types';
import { defaultBaseUrl } from './errors';

let client: WorkerClient | undefined;
/** The key of the own dataset the worker was last sent. */
let sentOwn = '';

function worker(): WorkerClient {
  client ??= new WorkerClient(() => new Worker(new URL('./dataset-worker.ts', import.meta.url), { type: 'module', name: 'trainlab-datasets' }));
  return client;
}

/** The site's public folder as an absolute URL, which a worker needs (the site's base is relative). */
export const publicBaseUrl = (): string => new URL(defaultBaseUrl(), document.baseURI).href;

/** A built-in dataset loaded, split (standardised when tabular) and hashed in the worker. */
export function prepareBuiltinOffThread(req: Omit<BuiltinRequest, 'baseUrl'> & { baseUrl?: string }, signal?: AbortSignal): Promise<PreparedBuiltin> {
  return worker().call<PreparedBuiltin>('prepareBuiltin', { ...req, baseUrl: req.baseUrl ?? publicBaseUrl() }, { signal });
}

/**
 * Splits and hashes a dataset the page holds (a person's decoded image set) in the worker. The
 * dataset is copied there once per `key`; later calls with the same key (a new split or seed) send
 * only the key, and send it again if the worker lost it.
 */
export async function splitOwnOffThread(key: string, dataset: Dataset, ratios: SplitRatios, seed: number, signal?: AbortSignal): Promise<OwnSplit> {
  const call = (withData: boolean) => worker().call<OwnSplit>('splitOwn', { key, dataset: withData ? dataset : undefined, ratios, seed } satisfies SplitOwnRequest, { signal });
  if (sentOwn === key) {
    try {
      return await call(false);
    } catch (e) {
      if (!(e instanceof Error) || !/no longer holds/.test(e.message)) throw e;
    }
  }
  const out = await call(true);
  sentOwn = key;
  return out;
}

export interface OwnSplit {
  key: string;
  sha256: string;
  split: StandardizedSplit | null;
  splitError: string;
}
