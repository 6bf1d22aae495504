import { SYNTHETIC_DATASETS, type Dataset, type DatasetId, type SyntheticDatasetId, type SyntheticOptions } from '../types';
import { DatasetError } from './errors';
import { loadIris } from './iris';
import { loadMnist } from './mnist';
import { makeSynthetic } from './synthetic';

export { DatasetError } from './errors';
export { parseCsvDataset } from './csv';
export { makeSynthetic } from './synthetic';
export { loadIris } from './iris';
export { loadMnist, parseMnistBinary } from './mnist';

const isSynthetic = (id: DatasetId): id is SyntheticDatasetId => (SYNTHETIC_DATASETS as readonly string[]).includes(id);

/**
 * Any built-in dataset by id; `opts` matter only for the synthetic ones. `baseUrl` (where the
 * site's public folder is served) defaults to Vite's BASE_URL.
 */
export async function loadDataset(
  id: DatasetId,
  opts: SyntheticOptions,
  fetchImpl: typeof fetch = fetch,
  baseUrl?: string,
): Promise<Dataset> {
  if (isSynthetic(id)) return makeSynthetic(id, opts);
  if (id === 'iris') return loadIris(fetchImpl, baseUrl);
  if (id === 'mnist') return loadMnist(fetchImpl, baseUrl);
  throw new DatasetError(`unknown dataset: ${String(id)}`);
}
