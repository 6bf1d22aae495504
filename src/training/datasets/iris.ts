import type { Dataset } from '../types';
import { parseCsvDataset } from './csv';
import { defaultBaseUrl, fetchOrExplain } from './errors';

export const IRIS_PATH = 'datasets/iris.csv';

/** Fisher's Iris (150 rows, 4 features, 3 classes) from the site's public folder. */
export async function loadIris(fetchImpl: typeof fetch = fetch, baseUrl: string = defaultBaseUrl()): Promise<Dataset> {
  const url = `${baseUrl}${IRIS_PATH}`;
  const res = await fetchOrExplain(fetchImpl, url, 'the Iris data set');
  return parseCsvDataset(await res.text(), { id: 'iris', name: 'Iris', source: `public/${IRIS_PATH}` });
}
