import { isSyntheticDataset, type Dataset, type DatasetId, type SyntheticOptions } from '../types';
import { DatasetError } from './errors';
import { loadIris } from './iris';
import { loadMnist } from './mnist';
import { makeSynthetic } from './synthetic';

export { DatasetError } from './errors';
export { parseCsvDataset } from './csv';
export { makeSynthetic } from './synthetic';
export { loadIris } from './iris';
export { loadMnist, parseMnistBinary } from './mnist';

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
  if (isSyntheticDataset(id)) return makeSynthetic(id, opts);
  if (id === 'iris') return loadIris(fetchImpl, baseUrl);
  if (id === 'mnist') return loadMnist(fetchImpl, baseUrl);
  throw new DatasetError(`unknown dataset: ${String(id)}`);
}
