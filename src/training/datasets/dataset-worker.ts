// The dataset worker: loads, splits and hashes built-in datasets off the page's main thread. The last
// loaded dataset is kept, so changing the split or the seed does not load MNIST again.
import { serveCalls, Transfer } from '../worker-rpc';
import { loadKey, prepareBuiltin, type BuiltinRequest, type PreparedBuiltin } from './builtin-prepare';
import type { Dataset } from '../types';

let last: { key: string; dataset: Dataset; sha256: string } | undefined;

const splitBuffers = (p: PreparedBuiltin): ArrayBuffer[] =>
  p.split ? [p.split.train, p.split.val, p.split.test].flatMap((part) => [part.x.buffer, part.y.buffer, part.indices.buffer] as ArrayBuffer[]) : [];

serveCalls({
  async prepareBuiltin(req: BuiltinRequest) {
    const prepared = await prepareBuiltin(req, last?.key === loadKey(req) ? last : undefined);
    last = { key: prepared.key, dataset: prepared.dataset, sha256: prepared.sha256 };
    // The kept dataset is copied to the page (structured clone); the split is new each time: moved.
    return new Transfer(prepared, splitBuffers(prepared));
  },
});
