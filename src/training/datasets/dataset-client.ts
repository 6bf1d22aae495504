// The page's side of the dataset worker (dataset-worker.ts).
import { WorkerClient } from '../worker-rpc';
import type { BuiltinRequest, PreparedBuiltin } from './builtin-prepare';
import { defaultBaseUrl } from './errors';

let client: WorkerClient | undefined;

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
