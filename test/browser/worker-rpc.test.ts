// worker-rpc against a real module worker (rpc-test-worker.ts): progress, named errors, cancel (the
// worker's handler sees it), callOnce ending its worker, and a worker that fails to start.
import { expect } from '@esm-bundle/chai';
import { callOnce, WorkerCallError, WorkerClient, type Progress } from '../../src/training/worker-rpc';
import type { rpcTestApi } from './rpc-test-worker';

type Method = keyof typeof rpcTestApi;
const startTestWorker = () => new Worker(new URL('./rpc-test-worker.ts', import.meta.url), { type: 'module', name: 'rpc-test' });
const rejection = (p: Promise<unknown>): Promise<Error> => p.then(() => expect.fail('expected a rejection'), (e: Error) => e);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let channels = 0;
const open: BroadcastChannel[] = [];

/** A BroadcastChannel of a fresh name (closed after the test), with every message it hears. */
function listen(): { name: string; heard: unknown[]; next(): Promise<unknown> } {
  const name = `rpc-test-${Date.now()}-${channels++}`;
  const ch = new BroadcastChannel(name);
  open.push(ch);
  const heard: unknown[] = [];
  let waiting: ((v: unknown) => void) | null = null;
  ch.onmessage = (e) => {
    heard.push(e.data);
    waiting?.(e.data);
    waiting = null;
  };
  return { name, heard, next: () => new Promise((r) => (waiting = r)) };
}

/** Expects no more ticks on `ch` once those already in flight have arrived: its worker has ended. */
async function expectSilent(ch: { heard: unknown[] }, why: string) {
  await sleep(30);
  const after = ch.heard.length;
  await sleep(80);
  expect(ch.heard.length, why).to.equal(after);
}

/** The worker factory, counting the workers it started and those ended. */
function counted(start: () => Worker = startTestWorker) {
  const count = { started: 0, ended: 0 };
  const factory = () => {
    const w = start();
    count.started++;
    const terminate = w.terminate.bind(w);
    w.terminate = () => (count.ended++, terminate());
    return w;
  };
  return { count, factory };
}

describe('worker-rpc', () => {
  const clients: WorkerClient[] = [];
  const client = (start: () => Worker = startTestWorker) => {
    const c = new WorkerClient(start);
    clients.push(c);
    return c;
  };
  afterEach(() => {
    clients.splice(0).forEach((c) => c.terminate());
    open.splice(0).forEach((ch) => ch.close());
  });
  const call = <T>(c: WorkerClient, method: Method, args: unknown, opts?: Parameters<WorkerClient['call']>[2]) => c.call<T>(method, args, opts);

  it('reports progress in order, with labels, before the result', async () => {
    const c = client();
    const seen: (Progress | number)[] = [];
    const out = call<number>(c, 'steps', { steps: 6 }, { onProgress: (p) => seen.push(p) }).then((n) => (seen.push(n), n));
    expect(await out).to.equal(6);
    expect(seen).to.deep.equal([...[1, 2, 3, 4, 5, 6].map((i) => ({ done: i, total: 6, label: `step ${i}` })), 6]);
    // Two calls side by side each get their own progress.
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([call(c, 'steps', { steps: 3 }, { onProgress: (p) => a.push(p.done) }), call(c, 'steps', { steps: 4 }, { onProgress: (p) => b.push(p.done) })]);
    expect(a).to.deep.equal([1, 2, 3]);
    expect(b).to.deep.equal([1, 2, 3, 4]);
  });

  it('a named error keeps its name and message; an unknown method is refused by name', async () => {
    const c = client();
    const err = await rejection(call(c, 'fail', { message: 'expected 3 channels, got 4' }));
    expect(err).to.be.instanceOf(WorkerCallError);
    expect(err.name).to.equal('ShapeError');
    expect(err.message).to.equal('expected 3 channels, got 4');
    const unknown = await rejection(c.call('nope', null));
    expect([unknown.name, unknown.message]).to.deep.equal(['Error', 'unknown worker method: nope']);
    expect(await call(c, 'steps', { steps: 1 }), 'the worker still serves').to.equal(1);
  });

  it('moves transferred buffers to the page intact', async () => {
    const out = await call<Uint8Array>(client(), 'bytes', { n: 1000 });
    expect(out.length).to.equal(1000);
    expect(Array.from(out.subarray(250, 260))).to.deep.equal([250, 251, 252, 253, 254, 255, 0, 1, 2, 3]);
  });

  it('a cancel rejects at once with the signal\'s reason, and the worker\'s handler sees its signal aborted', async () => {
    const c = client();
    const ch = listen();
    const abort = new AbortController();
    const pending = call(c, 'waitForCancel', { channel: ch.name }, { signal: abort.signal });
    await call(c, 'steps', { steps: 1 }); // the first call has reached the worker
    const heard = ch.next();
    const reason = new DOMException('replaced by a newer step', 'AbortError');
    const t0 = performance.now();
    abort.abort(reason);
    const err = await rejection(pending);
    expect(performance.now() - t0).to.be.below(20);
    expect(err).to.equal(reason);
    expect(await heard).to.deep.equal({ aborted: true, reason: 'AbortError' });
    expect(await call(c, 'lastSeen', null)).to.deep.equal({ aborted: true, reason: 'AbortError' });
    // An already aborted signal rejects without calling.
    expect(await rejection(call(c, 'steps', { steps: 1 }, { signal: abort.signal }))).to.equal(reason);
  });

  it('a handler that ignores its signal keeps its long-lived worker busy; terminate() stops it and rejects what is pending', async () => {
    const c = client();
    const ch = listen();
    const abort = new AbortController();
    const pending = call(c, 'spin', { channel: ch.name }, { signal: abort.signal });
    await ch.next();
    abort.abort();
    await rejection(pending);
    const before = ch.heard.length;
    await sleep(60);
    expect(ch.heard.length, 'still ticking after the cancel').to.be.above(before);
    const other = call(c, 'waitForCancel', { channel: 'unused' });
    c.terminate();
    expect((await rejection(other)).message).to.equal('the worker was stopped');
    await expectSilent(ch, 'no tick once terminated');
  });

  it('callOnce: a fresh worker per call, ended when the call settles, and at once on a cancel', async () => {
    const { count, factory } = counted();
    expect(await callOnce(factory, 'steps', { steps: 2 })).to.equal(2);
    expect((await rejection(callOnce(factory, 'fail', { message: 'bad' }))).name).to.equal('ShapeError');
    expect(count).to.deep.equal({ started: 2, ended: 2 });

    const ch = listen();
    const abort = new AbortController();
    const pending = callOnce(factory, 'spin', { channel: ch.name }, { signal: abort.signal });
    await ch.next();
    const t0 = performance.now();
    abort.abort();
    expect((await rejection(pending)).name).to.equal('AbortError');
    expect(performance.now() - t0).to.be.below(20);
    expect(count).to.deep.equal({ started: 3, ended: 3 });
    await expectSilent(ch, 'the worker stopped');
    // An aborted signal starts no worker.
    const done = new AbortController();
    done.abort();
    expect((await rejection(callOnce(factory, 'steps', { steps: 1 }, { signal: done.signal }))).name).to.equal('AbortError');
    expect(count.started).to.equal(3);
  });

  it('a worker that fails to start rejects every pending call, and the next call starts a new one', async () => {
    const broken = URL.createObjectURL(new Blob(['throw new Error("boom at start");'], { type: 'text/javascript' }));
    let starts = 0;
    const c = client(() => (++starts === 1 ? new Worker(broken, { type: 'module' }) : startTestWorker()));
    const [a, b] = await Promise.all([rejection(c.call('steps', { steps: 1 })), rejection(c.call('steps', { steps: 2 }))]);
    URL.revokeObjectURL(broken);
    for (const e of [a, b]) expect(e.message).to.match(/^the worker failed: .*boom at start/);
    expect(await c.call('steps', { steps: 3 })).to.equal(3);
    expect(starts).to.equal(2);
  });
});
