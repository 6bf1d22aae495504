/** Bad dataset input or options: the message is meant for the user, as is. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** Where the site's public folder is served: Vite's BASE_URL, '/' outside Vite (Node tests). */
export function defaultBaseUrl(): string {
  return import.meta.env?.BASE_URL ?? '/';
}

/** fetch that turns a network failure or an HTTP error into a DatasetError naming the file. */
export async function fetchOrExplain(fetchImpl: typeof fetch, url: string, what: string, hint = ''): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new DatasetError(`could not load ${what} from ${url}: ${(e as Error).message}${hint}`);
  }
  if (!res.ok) throw new DatasetError(`could not load ${what} from ${url}: HTTP ${res.status}${hint}`);
  return res;
}
