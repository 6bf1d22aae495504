// The page's side of the table worker (table-worker.ts): promises with progress and an AbortSignal.
// Cancelling rejects at once with the signal's reason; the worker stops at its next piece (a MiB of
// the file, or one column's profile) and keeps nothing of that read. A TableError raised in the
// worker arrives as a TableError.
import { WorkerCallError, WorkerClient, type Progress } from '../../worker-rpc';
import { TableError } from './table-error';
import type { HashedTable, PrepareRequest, ReadRequest, TableReadResult, TableWorkerState, tableWorkerApi } from './table-worker';
export type { HashedTable };

export type { PrepareRequest, ReadRequest, TableReadResult, TableWorkerState };
export type TableMethod = keyof typeof tableWorkerApi;

export interface CallOptions {
  /** 'reading': bytes of the file parsed of its size; 'profiling': columns profiled of all. */
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

let client: WorkerClient | undefined;

function worker(): WorkerClient {
  client ??= new WorkerClient(() => new Worker(new URL('./table-worker.ts', import.meta.url), { type: 'module', name: 'trainlab-table' }));
  return client;
}

/** The worker's named errors as the page's own classes. */
function named(e: unknown): unknown {
  return e instanceof WorkerCallError && e.name === 'TableError' ? new TableError(e.message) : e;
}

async function call<T>(method: TableMethod, args: unknown, opts: CallOptions = {}): Promise<T> {
  try {
    return await worker().call<T>(method, args, opts);
  } catch (e) {
    throw named(e);
  }
}

/** Reads a table file or pasted text in the worker; the result holds its first rows and the profiles of all of it. */
export function readTableOffThread(req: ReadRequest, opts: CallOptions = {}): Promise<TableReadResult> {
  return call<TableReadResult>('read', req, opts);
}

/** The table last read, prepared in the worker as chosen (preprocess.ts); its typed arrays are moved here. */
export function prepareTableOffThread(req: PrepareRequest, opts: CallOptions = {}): Promise<HashedTable> {
  return call<HashedTable>('prepare', req, opts);
}

/** What the worker holds now. */
export function tableWorkerState(): Promise<TableWorkerState> {
  return call<TableWorkerState>('state', undefined);
}

/** Ends the worker and frees the table it keeps (the next call starts a new one). */
export function disposeTableWorker(): void {
  client?.terminate();
}
