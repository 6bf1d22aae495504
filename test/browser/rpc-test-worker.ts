// A module worker for worker-rpc.test.ts: handlers that report progress, fail with a named error,
// wait for their cancel, or ignore it and keep working (heard on a BroadcastChannel, so the test
// knows whether the worker still runs).
/// <reference lib="webworker" />
import { serveCalls, Transfer, type CallContext } from '../../src/training/worker-rpc';

class ShapeError extends Error {
  override name = 'ShapeError';
}

let lastSeen: { aborted: boolean; reason: string } | null = null;

export const rpcTestApi = {
  /** Reports `steps` steps, yielding between them, and returns how many it reported. */
  async steps({ steps }: { steps: number }, ctx: CallContext): Promise<number> {
    for (let i = 1; i <= steps; i++) {
      ctx.progress(i, steps, `step ${i}`);
      await new Promise((r) => setTimeout(r, 1));
    }
    return steps;
  },
  fail({ message }: { message: string }): never {
    throw new ShapeError(message);
  },
  /** Settles only when cancelled: notes what its signal said, and says so on `channel`. */
  waitForCancel({ channel }: { channel: string }, ctx: CallContext): Promise<never> {
    return new Promise((_, reject) => {
      ctx.signal.addEventListener('abort', () => {
        lastSeen = { aborted: ctx.signal.aborted, reason: (ctx.signal.reason as Error)?.name ?? '' };
        new BroadcastChannel(channel).postMessage(lastSeen);
        reject(ctx.signal.reason);
      });
    });
  },
  lastSeen: () => lastSeen,
  /** Never looks at its signal: posts a tick on `channel` every 5 ms until the worker ends. */
  spin({ channel }: { channel: string }): Promise<never> {
    const out = new BroadcastChannel(channel);
    let n = 0;
    setInterval(() => out.postMessage(++n), 5);
    return new Promise(() => {});
  },
  /** A buffer of `n` bytes counting up, transferred to the page. */
  bytes({ n }: { n: number }): Transfer<Uint8Array> {
    const out = Uint8Array.from({ length: n }, (_, i) => i & 0xff);
    return new Transfer(out, [out.buffer]);
  },
};

serveCalls(rpcTestApi);
