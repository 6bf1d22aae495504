// The own-data store against real IndexedDB and storage quota in Chromium. Each test opens its own
// database and deletes it afterwards.
import { expect } from '@esm-bundle/chai';
import { deleteDB, openDB } from 'idb';
import { OwnDataDamagedError, OwnDataError, OwnDataFullError, OwnDataStore, type OwnDataEntry, type OwnDataLimits } from '../../src/recorder/dataset-store';
import { sha256Hex } from '../../src/training/datasets/images/image-provenance';
import { inFreshBucket, setQuota } from '../helpers/storage-quota';

let dbCount = 0;
let dbName = '';
let store: OwnDataStore;
const opened: OwnDataStore[] = [];

async function openStore(limits: Partial<OwnDataLimits> = {}): Promise<OwnDataStore> {
  const s = await OwnDataStore.open(dbName, limits);
  opened.push(s);
  return s;
}

beforeEach(async () => {
  dbName = `trainlab-datasets-test-${Date.now()}-${dbCount++}`;
  store = await openStore();
});

afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  await deleteDB(dbName);
});

/** `n` random bytes: incompressible, and no two test files are alike. */
function bytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536)); // at most 64 KiB a call
  return out;
}

async function table(name: string, size: number): Promise<OwnDataEntry> {
  const blob = new File([bytes(size)], name, { type: 'text/csv' });
  return { sha256: await sha256Hex(await blob.arrayBuffer()), name, kind: 'table', files: [{ path: name, blob }], bytes: size };
}

async function folder(name: string, sizes: readonly number[]): Promise<OwnDataEntry> {
  const files = sizes.map((n, i) => ({ path: `${i % 2 ? 'cat' : 'chien · dog'}/img_${i}.png`, blob: new Blob([bytes(n)], { type: 'image/png' }) }));
  const total = sizes.reduce((x, n) => x + n, 0);
  return { sha256: await sha256Hex(await new Blob(files.map((f) => f.blob)).arrayBuffer()), name, kind: 'images', files, bytes: total };
}

const contents = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
const names = async (s = store) => (await s.list()).datasets.map((d) => d.name);
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;

async function expectSameFiles(entry: OwnDataEntry, from = store) {
  const got = await from.get(entry.sha256);
  expect(got?.files.map((f) => f.path)).to.deep.equal(entry.files.map((f) => f.path));
  for (const [i, f] of entry.files.entries()) expect(await contents(got!.files[i].blob)).to.deep.equal(await contents(f.blob), f.path);
}

describe('OwnDataStore: round trips and order', () => {
  it('round-trips a table: its metadata, and its file byte for byte', async () => {
    const e = await table('iris.csv', 5000);
    const r = await store.save({ ...e, pasted: false });
    expect(r).to.include({ kept: true, message: '' });
    expect(r.kept && r.evicted).to.deep.equal([]);
    const got = await store.get(e.sha256);
    expect(got).to.deep.include({ sha256: e.sha256, name: 'iris.csv', kind: 'table', bytes: 5000, file_count: 1, pasted: false });
    expect(got?.saved_at).to.match(ISO_WITH_OFFSET);
    expect(got?.last_used_at).to.equal(got?.saved_at);
    await expectSameFiles(e);
    expect(await store.get('0'.repeat(64))).to.equal(undefined);
  });

  it('round-trips a folder of images: every path, in order, and every byte', async () => {
    const e = await folder('pets', Array.from({ length: 40 }, (_, i) => 100 + 37 * i));
    await store.save(e);
    expect(await store.latest()).to.deep.include({ name: 'pets', kind: 'images', file_count: 40, bytes: e.bytes });
    await expectSameFiles(e);
  });

  it('latest is the last saved or touched; list is last used first; touching an unknown one gives undefined', async () => {
    const [a, b, c] = await Promise.all([table('a.csv', 10), table('b.csv', 11), table('c.csv', 12)]);
    for (const e of [a, b, c]) await store.save(e);
    expect((await store.latest())?.name).to.equal('c.csv');
    const touched = await store.touch(a.sha256);
    expect(touched?.name).to.equal('a.csv');
    expect((await store.latest())?.name).to.equal('a.csv');
    expect(await names()).to.deep.equal(['a.csv', 'c.csv', 'b.csv']);
    expect(await store.touch('f'.repeat(64))).to.equal(undefined);
    await store.save(b); // saving again counts as a use
    expect(await names()).to.deep.equal(['b.csv', 'a.csv', 'c.csv']);
  });

  it('forget removes the dataset and its files; forgetting it again answers false', async () => {
    const [a, b] = await Promise.all([folder('a', [10, 20]), folder('b', [30])]);
    await store.save(a);
    await store.save(b);
    expect(await store.forget(a.sha256)).to.equal(true);
    expect(await store.get(a.sha256)).to.equal(undefined);
    expect(await names()).to.deep.equal(['b']);
    expect(await store.forget(a.sha256)).to.equal(false);
    const raw = await openDB(dbName);
    expect(await raw.count('files')).to.equal(1, 'only b’s file is left');
    raw.close();
  });

  it('refuses bad input with a named error', async () => {
    const e = await table('t.csv', 10);
    const refused = async (x: unknown) => store.save(x as OwnDataEntry).then(() => null, (err: Error) => err);
    expect(await refused({ ...e, sha256: 'ABC' })).to.be.instanceOf(OwnDataError);
    expect(String(await refused({ ...e, bytes: 11 }))).to.equal('OwnDataError: "t.csv" says 11 bytes but its files hold 10');
    expect(String(await refused({ ...e, files: [...e.files, ...e.files] }))).to.match(/a table is one file/);
    expect(String(await refused({ ...e, kind: 'audio' }))).to.match(/unknown kind of own data: audio/);
    expect(await names()).to.deep.equal([]);
  });
});

describe('OwnDataStore: limits, eviction and usage', () => {
  it('usage follows saves, re-saves, evictions and forgets exactly', async () => {
    const s = await openStore({ maxDatasets: 2 });
    const [a, b, c] = await Promise.all([table('a.csv', 1000), folder('b', [700, 1300]), table('c.csv', 3000)]);
    expect(await s.usage()).to.equal(0);
    await s.save(a);
    expect(await s.usage()).to.equal(1000);
    await s.save(b);
    expect(await s.usage()).to.equal(3000);
    await s.save(a); // kept already: nothing added
    expect(await s.usage()).to.equal(3000);
    const r = await s.save(c); // evicts b, the least recently used
    expect(r.kept && r.evicted.map((x) => x.name)).to.deep.equal(['b']);
    expect(await s.usage()).to.equal(4000);
    await s.forget(a.sha256);
    expect(await s.usage()).to.equal(3000);
    await s.forget(c.sha256);
    expect(await s.usage()).to.equal(0);
  });

  it('a dataset past the per-dataset limit is not kept; save says so with its size and the limit', async () => {
    const s = await openStore({ maxDatasetBytes: 2_000_000, budgetBytes: 4_000_000 });
    const big = await table('big.csv', 2_500_000);
    const r = await s.save(big);
    expect(r).to.deep.equal({
      kept: false,
      message: '"big.csv" (2.5 MB) is past the 2.0 MB limit for one kept dataset: the lab trains on it, but cannot offer it again after this page is closed.',
    });
    expect(await s.get(big.sha256)).to.equal(undefined);
    expect(await s.usage()).to.equal(0);
  });

  it('evicts the least recently used first, by count and by bytes, returns them and says so', async () => {
    const s = await openStore({ maxDatasets: 3, maxDatasetBytes: 5000, budgetBytes: 6000 });
    const [a, b, c, d, e] = await Promise.all([table('a.csv', 1000), table('b.csv', 1000), table('c.csv', 1000), table('d.csv', 1000), table('e.csv', 4500)]);
    for (const x of [a, b, c]) await s.save(x);
    await s.touch(a.sha256);
    const byCount = await s.save(d);
    expect(byCount.kept && byCount.evicted).to.deep.equal([{ sha256: b.sha256, name: 'b.csv', bytes: 1000 }]);
    expect(byCount.message).to.equal('Kept "d.csv" for next time. To stay within 3 datasets and 6.0 kB, the lab forgot the least recently used: "b.csv" (1.0 kB).');
    expect(await names(s)).to.deep.equal(['d.csv', 'a.csv', 'c.csv']);
    const byBytes = await s.save(e); // 3000 + 4500 > 6000: c then a go (count alone would evict only c)
    expect(byBytes.kept && byBytes.evicted.map((x) => x.name)).to.deep.equal(['c.csv', 'a.csv']);
    expect(await names(s)).to.deep.equal(['e.csv', 'd.csv']);
    expect(await s.usage()).to.equal(5500);
    await expectSameFiles(d, s);
  });
});

describe('OwnDataStore: damaged entries, other tabs', () => {
  it('a damaged record is reported by list, skipped by latest, refused by get, and can be forgotten', async () => {
    const [a, b] = await Promise.all([table('a.csv', 100), folder('b', [200, 300])]);
    await store.save(a);
    await store.save(b);
    const raw = await openDB(dbName);
    await raw.put('datasets', { sha256: b.sha256, name: 'b', kind: 'images', bytes: 'lots' }, b.sha256);
    raw.close();
    const { datasets, damaged } = await store.list();
    expect(datasets.map((d) => d.name)).to.deep.equal(['a.csv']);
    expect(damaged).to.deep.equal([{ sha256: b.sha256, error: `stored own dataset ${b.sha256} is damaged: bytes is not a count` }]);
    expect((await store.latest())?.name).to.equal('a.csv');
    const error = await store.get(b.sha256).catch((e: Error) => e);
    expect(error).to.be.instanceOf(OwnDataDamagedError);
    expect(await store.forget(b.sha256)).to.equal(true);
    expect((await store.list()).damaged).to.deep.equal([]);
    expect(await store.usage()).to.equal(100, 'the damaged entry’s 500 bytes are counted out');
  });

  it('a dataset missing one of its files is refused by get; a lost usage record is recounted from the files', async () => {
    const b = await folder('b', [200, 300, 400]);
    await store.save(b);
    const raw = await openDB(dbName);
    await raw.delete('files', [b.sha256, 1]);
    await raw.delete('meta', 'usage');
    raw.close();
    expect(String(await store.get(b.sha256).catch((e: Error) => e))).to.equal('OwnDataDamagedError: stored own dataset "b" is damaged: 2 of its 3 files are stored');
    expect(await store.usage()).to.equal(600);
  });

  it('the same dataset saved from two tabs at once is kept once; different ones from two tabs are both kept', async () => {
    const other = await openStore();
    const [a, b, c] = await Promise.all([folder('a', [100, 200]), table('b.csv', 300), table('c.csv', 400)]);
    const [r1, r2] = await Promise.all([store.save(a), other.save(a)]);
    expect([r1.kept, r2.kept]).to.deep.equal([true, true]);
    expect(await names(other)).to.deep.equal(['a']);
    expect(await store.usage()).to.equal(300);
    await Promise.all([store.save(b), other.save(c)]);
    expect((await names()).sort()).to.deep.equal(['a', 'b.csv', 'c.csv']);
    expect(await other.usage()).to.equal(1000);
    const raw = await openDB(dbName);
    expect(await raw.count('files')).to.equal(4);
    raw.close();
    await expectSameFiles(a, other);
  });

  it('a newer TrainLab opening the database in another tab: this tab steps aside, says so, and asks for a reload', async () => {
    let told = false;
    store.onVersionChange = () => (told = true);
    const newer = await openDB(dbName, 99); // would wait forever if this tab did not step aside
    newer.close();
    expect(told).to.equal(true);
    const error = await store.list().catch((e: Error) => e);
    expect(error).to.have.property('name', 'OwnDataClosedError');
    expect((error as Error).message).to.match(/updated in another tab: reload this page/);
  });

  it('an aborted save stores nothing and rejects with the signal’s reason', async () => {
    const [a, b] = await Promise.all([table('a.csv', 100), folder('b', [5000, 6000])]);
    await store.save(a);
    const stop = new AbortController();
    const saving = store.save(b, { signal: stop.signal });
    stop.abort();
    const error = await saving.catch((e: Error) => e);
    expect(error).to.have.property('name', 'AbortError');
    expect(await names()).to.deep.equal(['a.csv']);
    expect(await store.usage()).to.equal(100);
  });
});

describe('OwnDataStore: a full disk', () => {
  afterEach(() => setQuota(null));

  it('save rejects with OwnDataFullError; the store is as it was, evictions included', async () => {
    const { usage } = (await navigator.storage.estimate()) as { usage: number };
    await setQuota(usage + 2_000_000); // before the bucket's first write: see inFreshBucket
    await inFreshBucket(async () => {
      const full = await OwnDataStore.open('own-data-quota-test', { maxDatasets: 1 });
      try {
        const small = await table('small.csv', 1000);
        const big = await folder('big', [4_000_000, 4_000_000]);
        await full.save(small);
        const before = await full.list();
        let error: unknown;
        await full.save(big).catch((e) => (error = e));
        expect(error).to.be.instanceOf(OwnDataFullError);
        expect(String(error)).to.match(/^OwnDataFullError: storage is full: could not keep "big" \(8\.0 MB\) for next time; the lab still trains on it\. Kept own datasets: 1\.0 kB in 1 /);
        expect(await full.list()).to.deep.equal(before, 'small.csv was not evicted');
        await expectSameFiles(small, full);
        expect(await full.usage()).to.equal(1000);
        await setQuota(null);
        const r = await full.save(big);
        expect(r.kept && r.evicted.map((x) => x.name)).to.deep.equal(['small.csv']);
        await expectSameFiles(big, full);
        expect(await full.usage()).to.equal(8_000_000);
      } finally {
        full.close();
      }
    });
  });
});
