// Capping the page origin's storage quota in tests, through the DevTools protocol (the
// `storage-quota` command in web-test-runner.config.mjs).
import { executeServerCommand } from '@web/test-runner-commands';

/** Caps the origin's quota at `quotaSize` bytes; null removes the cap. */
export const setQuota = (quotaSize: number | null) => executeServerCommand('storage-quota', { origin: location.origin, quotaSize });

interface StorageBuckets {
  open(name: string): Promise<{ indexedDB: IDBFactory }>;
  delete(name: string): Promise<void>;
}

/**
 * Runs `body` with the global indexedDB (which idb's openDB uses) switched to a new storage bucket.
 * Chromium's IndexedDB caches a bucket's free space for up to 30 s, so a quota override set after
 * the page has written to the default bucket may go unnoticed; a fresh bucket asks the quota
 * manager on its first write, and every bucket counts against the origin's (overridden) quota.
 */
export async function inFreshBucket(body: () => Promise<void>): Promise<void> {
  const buckets: StorageBuckets = Reflect.get(navigator, 'storageBuckets');
  const name = `quota-test-${Date.now()}`;
  const bucket = await buckets.open(name);
  const own = Object.getOwnPropertyDescriptor(window, 'indexedDB');
  Object.defineProperty(window, 'indexedDB', { value: bucket.indexedDB, configurable: true });
  try {
    await body();
  } finally {
    if (own) Object.defineProperty(window, 'indexedDB', own);
    else Reflect.deleteProperty(window, 'indexedDB');
    await buckets.delete(name);
  }
}

