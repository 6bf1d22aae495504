// Calls into a module worker as promises: each call has an id, may report progress, and may be
// cancelled through an AbortSignal (the worker's handler sees its own AbortSignal). Errors come back
// with their name and message, so a named error (DatasetError, TableError…) stays recognisable.
// A long-lived worker (WorkerClient) keeps its state between calls; callOnce runs one call in a
// worker of its own and ends that worker when the call settles, so a cancel stops work at once even
// in code that never looks at its signal (image decoding).

export interface CallContext {
  signal: AbortSignal;
  progress(done: number, total: number, label?: string): void;
}

export interface Progress {
  done: number;
  total: number;
  label?: string;
}

/** A handler's result with the buffers to transfer rather than copy. */
export class Transfer<T> {
  constructor(readonly value: T, readonly buffers: Transferable[]) {}
}

/** What a call may be given: an AbortSignal, a progress callback, buffers to transfer with its arguments. */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  transfer?: Transferable[];
}

type Handler = (args: never, ctx: CallContext) => unknown;

type ToWorker = { type: 'call'; id: number; method: string; args: unknown } | { type: 'cancel'; id: number };
type FromWorker =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; name: string; message: string };

/** An error raised in the worker, with the name it had there. */
export class WorkerCallError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Worker side: answers calls by method name. */
export function serveCalls(handlers: Record<string, Handler>, scope: { onmessage: unknown; postMessage(m: unknown, t?: Transferable[]): void } = self as never): void {
  const running = new Map<number, AbortController>();
  scope.onmessage = async (e: MessageEvent<ToWorker>) => {
    const m = e.data;
    if (m.type === 'cancel') return running.get(m.id)?.abort();
    const handler = handlers[m.method];
    const abort = new AbortController();
    running.set(m.id, abort);
    const ctx: CallContext = {
      signal: abort.signal,
      progress: (done, total, label) => scope.postMessage({ type: 'progress', id: m.id, progress: { done, total, label } } satisfies FromWorker),
    };
    try {
      if (!handler) throw new Error(`unknown worker method: ${m.method}`);
      const out = await handler(m.args as never, ctx);
      if (out instanceof Transfer) scope.postMessage({ type: 'result', id: m.id, value: out.value } satisfies FromWorker, out.buffers);
      else scope.postMessage({ type: 'result', id: m.id, value: out } satisfies FromWorker);
    } catch (err) {
      const { name, message } = err instanceof Error ? err : { name: 'Error', message: String(err) };
      scope.postMessage({ type: 'error', id: m.id, name, message } satisfies FromWorker);
    } finally {
      running.delete(m.id);
    }
  };
}

/** Page side: one worker, started on the first call, serving calls one after another or side by side. */
export class WorkerClient {
  private worker?: Worker;
  private next = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; onProgress?: (p: Progress) => void }>();

  constructor(private readonly start: () => Worker) {}

  call<T>(method: string, args: unknown, opts: CallOptions = {}): Promise<T> {
    const { signal, onProgress, transfer = [] } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('cancelled', 'AbortError'));
    const worker = this.ensure();
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
        this.pending.delete(id);
        reject(signal!.reason ?? new DOMException('cancelled', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v as T)),
        reject: (e) => (done(), reject(e)),
        onProgress,
      });
      worker.postMessage({ type: 'call', id, method, args } satisfies ToWorker, transfer);
    });
  }

  /** Stops the worker; calls still pending reject. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.failAll(new Error('the worker was stopped'));
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.start();
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m.progress);
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(new WorkerCallError(m.name, m.message));
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.worker = undefined;
      w.terminate();
      this.failAll(new Error(`the worker failed: ${e.message || 'it could not start'}`));
    };
    return (this.worker = w);
  }

  private failAll(e: Error) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * One call in a fresh worker, ended as soon as the call settles (result, error or cancel): a cancel
 * rejects at once and stops the worker's work mid-step. A signal already aborted starts no worker.
 */
export async function callOnce<T>(start: () => Worker, method: string, args: unknown, opts: CallOptions = {}): Promise<T> {
  const client = new WorkerClient(start);
  try {
    return await client.call<T>(method, args, opts);
  } finally {
    client.terminate();
  }
}
