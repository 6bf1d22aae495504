// A built-in dataset made ready to train: loaded (or generated), split, standardised when tabular,
// and fingerprinted. Runs in the dataset worker (dataset-worker.ts) so that none of it blocks the
// page; pure apart from the fetch of Iris/MNIST.
import { sha256OfDataset } from '../../recorder/dataset-hash';
import { SplitError, splitDataset, type StandardizedSplit } from '../split';
import type { BuiltinDatasetId, Dataset, SplitRatios, SyntheticOptions } from '../types';
import { loadDataset } from './index';

export interface BuiltinRequest {
  id: BuiltinDatasetId;
  synthetic: SyntheticOptions;
  ratios: SplitRatios;
  seed: number;
  /** Absolute URL of the site's public folder (a worker resolves relative URLs against its own script). */
  baseUrl: string;
}

/** The data, and its split or why it cannot be split (bad ratios, too few samples of a class). */
export interface PreparedBuiltin {
  key: string; // loadKey of the request
  dataset: Dataset;
  sha256: string;
  split: StandardizedSplit | null;
  splitError: string;
}

/** Which load a request needs: the same key means the same data (only the split may differ). */
export const loadKey = (r: { id: string; synthetic: SyntheticOptions }): string =>
  r.id === 'iris' || r.id === 'mnist' ? r.id : `${r.id}|${JSON.stringify(r.synthetic)}`;

/** Loads and splits; `loaded` reuses a dataset (and its hash) already loaded for the same key. */
export async function prepareBuiltin(
  req: BuiltinRequest,
  loaded?: { dataset: Dataset; sha256: string },
  fetchImpl: typeof fetch = fetch,
): Promise<PreparedBuiltin> {
  const dataset = loaded?.dataset ?? (await loadDataset(req.id, req.synthetic, fetchImpl, req.baseUrl));
  const sha256 = loaded?.sha256 ?? (await sha256OfDataset(dataset));
  return { key: loadKey(req), dataset, sha256, ...splitOrWhy(dataset, req.ratios, req.seed) };
}

/** The seeded, stratified split (standardised when tabular), or why it cannot be made. */
export function splitOrWhy(dataset: Dataset, ratios: SplitRatios, seed: number): { split: StandardizedSplit | null; splitError: string } {
  try {
    return { split: splitDataset(dataset, ratios, seed, { standardize: dataset.kind === 'tabular' }), splitError: '' };
  } catch (e) {
    if (!(e instanceof SplitError)) throw e;
    return { split: null, splitError: e.message };
  }
}
