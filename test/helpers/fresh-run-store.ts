// A RunStore on a database of its own for each test, closed and deleted after it.
import { deleteDB } from 'idb';
import { RunStore } from '../../src/recorder/run-store';

/** Registers the hooks: before each test `use` gets a new store on a fresh database named `${prefix}-…`. */
export function freshRunStore(prefix: string, use: (store: RunStore) => void): void {
  let name = '';
  let store: RunStore | undefined;
  let n = 0;
  beforeEach(async () => {
    name = `${prefix}-${Date.now()}-${n++}`;
    store = await RunStore.open(name);
    use(store);
  });
  afterEach(async () => {
    store?.close();
    await deleteDB(name);
  });
}
