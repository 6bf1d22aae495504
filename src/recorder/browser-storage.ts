// What the browser offers around storage besides IndexedDB: Web Locks (which tab owns a run),
// the storage estimate and persistence.
//
// Every tab that opens the lab sees the 'running' records of all tabs, so "running" alone cannot
// tell a live run from one whose tab closed or crashed. The tab that trains a run holds the Web
// Lock `trainlab-run:<id>`; the browser releases a lock when its tab goes away, so a run whose lock
// nobody holds is an orphan (RunStore.recoverInterrupted).
const lockName = (runId: string) => `trainlab-run:${runId}`;
const PERSIST_ASKED_KEY = 'trainlab.persistence-asked';

/**
 * Holds the run's lock until the returned function is called; that function's promise resolves
 * once the lock is actually released. Without Web Locks (insecure context) it holds nothing.
 */
export function holdRunLock(runId: string): () => Promise<void> {
  if (!navigator.locks) return async () => {};
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const done = navigator.locks.request(lockName(runId), () => held).then(
    () => {},
    () => {},
  );
  return () => {
    release();
    return done;
  };
}

/** Whether some tab holds (or waits for) the run's lock. Without Web Locks: true, never orphan a run. */
export async function isRunAlive(runId: string): Promise<boolean> {
  if (!navigator.locks?.query) return true;
  const { held = [], pending = [] } = await navigator.locks.query();
  return [...held, ...pending].some((l) => l.name === lockName(runId));
}

/** The browser's estimate for this origin (all its storage), or null where there is none. */
export async function estimateStorage(): Promise<{ usage: number; quota: number } | null> {
  try {
    const e = await navigator.storage?.estimate?.();
    return e ? { usage: e.usage ?? 0, quota: e.quota ?? 0 } : null;
  } catch {
    return null;
  }
}

/**
 * Asks once per browser profile for persistent storage (remembered in localStorage), later only
 * reports the current state. The browser may refuse (false): never rely on it. null: no API.
 */
export async function requestPersistence(): Promise<boolean | null> {
  const storage = navigator.storage;
  if (!storage?.persist || !storage.persisted) return null;
  try {
    if (localStorage.getItem(PERSIST_ASKED_KEY)) return await storage.persisted();
    localStorage.setItem(PERSIST_ASKED_KEY, new Date().toISOString());
    return await storage.persist();
  } catch {
    return null;
  }
}
