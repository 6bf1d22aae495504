// The dataset worker: loads, splits and hashes datasets off the page's main thread: the built-in
// ones, and a person's image set once decoded. The last dataset of each kind is kept, so changing
// the split or the seed neither loads MNIST again nor sends the images again.
import { serveCalls, Transfer } from '../worker-rpc';
import { loadKey, prepareBuiltin, splitOrWhy, type BuiltinRequest } from './builtin-prepare';
import { sha256OfDataset } from '../../recorder/dataset-hash';
import type { Dataset, DatasetSplit, SplitRatios } from '../types';

type Kept = { key: string; dataset: Dataset; sha256: string };
let last: Kept | undefined;
let lastOwn: Kept | undefined;

/** A dataset the page already has, to split here: sent once (`dataset`), then named by `key`. */
export interface SplitOwnRequest {
  key: string;
  dataset?: Dataset;
  ratios: SplitRatios;
  seed: number;
}

const splitBuffers = (split: DatasetSplit | null): ArrayBuffer[] =>
  split ? [split.train, split.val, split.test].flatMap((part) => [part.x.buffer, part.y.buffer, part.indices.buffer] as ArrayBuffer[]) : [];

serveCalls({
  async prepareBuiltin(req: BuiltinRequest) {
    const prepared = await prepareBuiltin(req, last?.key === loadKey(req) ? last : undefined);
    last = { key: prepared.key, dataset: prepared.dataset, sha256: prepared.sha256 };
    // The page gets a copy of the kept dataset, made here and moved (a structured clone of MNIST's
    // 31 MB would be copied again on the page's main thread); the split is new each time: moved too.
    const dataset = { ...prepared.dataset, features: prepared.dataset.features.slice(), labels: prepared.dataset.labels.slice() };
    return new Transfer({ ...prepared, dataset }, [dataset.features.buffer, dataset.labels.buffer, ...splitBuffers(prepared.split)] as ArrayBuffer[]);
  },
  async splitOwn(req: SplitOwnRequest) {
    if (req.dataset) lastOwn = { key: req.key, dataset: req.dataset, sha256: await sha256OfDataset(req.dataset) };
    if (lastOwn?.key !== req.key) throw new Error(`the dataset worker no longer holds ${req.key}: send it again`);
    const out = { key: req.key, sha256: lastOwn.sha256, ...splitOrWhy(lastOwn.dataset, req.ratios, req.seed) };
    return new Transfer(out, splitBuffers(out.split));
  },
});
