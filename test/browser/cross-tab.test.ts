// Two RunStores on one database in one page stand for two tabs of the lab: BroadcastChannel
// delivers between distinct channel objects of one page as between tabs. What one store commits
// reaches the other's watch() feed and usage ledger; the other re-reads that one run, nothing more.
import { expect } from '@esm-bundle/chai';
import { deleteDB, openDB } from 'idb';
import { applyEvent, createRunRecord } from '../../src/recorder/recorder';
import { SCHEMA_VERSION, type RunRecord } from '../../src/recorder/run-record';
import { RunStore, type RunChange } from '../../src/recorder/run-store';
import { runChangeChannelName } from '../../src/recorder/run-change-channel';
import { DB_VERSION } from '../../src/recorder/run-store-db';
import { addRunFiles } from '../../src/app/compare-imports';
import type { SourceFile } from '../../src/compare/import-sources';
import { at, completedRecord, epochEvent, finished, makeInit, makeSnapshot, started, TEST_RESULT } from '../helpers/run-fixtures';
import { waitFor } from '../helpers/wait';
import { boundaryRun } from '../fixtures/boundary-run';
import { boundaryBytes } from '../../src/recorder/run-store-boundary';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { saveRun } from '../helpers/saved-run';

const until = <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 10000) => waitFor(probe, what, timeoutMs, 5);

let dbCount = 0;
let dbName = '';
let a: RunStore; // the tab that writes
let b: RunStore; // the tab that follows

beforeEach(async () => {
  dbName = `trainlab-xtab-${Date.now()}-${dbCount++}`;
  [a, b] = [await RunStore.open(dbName), await RunStore.open(dbName)];
});

afterEach(async () => {
  a.close();
  b.close();
  await deleteDB(dbName);
});

/** What a store scanning the database now finds (a tab opened after the writes). */
async function scanned() {
  const fresh = await RunStore.open(dbName);
  try {
    return await fresh.usage();
  } finally {
    fresh.close();
  }
}

/** Collects the remote changes `store` hears. */
function follow(store: RunStore) {
  const heard: RunChange[] = [];
  const times = new Map<RunChange, number>();
  store.watch((c) => c.remote && heard.push(c) && times.set(c, performance.now()));
  const last = (runId: string) => heard.filter((c) => c.runId === runId).at(-1);
  return { heard, last, heardAt: (c: RunChange) => times.get(c)! };
}

/** Writes a run `marker_N` in `from` and waits until `to` heard it: every message `from` sent before has been handled. */
let markers = 0;
async function settled(from: RunStore, to: { last: (id: string) => RunChange | undefined }) {
  const id = `marker_${markers++}`;
  await from.putRun({ ...completedRecord(), run_id: id, run_name: id });
  await until(() => to.last(id), `the other store to hear ${id}`);
  await from.deleteRun(id);
  await until(() => to.last(id)?.record === null, `the other store to hear ${id} deleted`);
}

describe('RunStore across tabs: the change feed and the usage ledger follow the other tab', () => {
  it('created, epochs, renamed, tagged, finished, checkpoints freed, models deleted, deleted: each reaches the other store with the record as stored', async () => {
    await b.usage(); // the other tab has read its byte count once
    const { last } = follow(b);
    const r = await saveRun(a, 2, 'run_x');
    await until(() => last('run_x')?.record?.history.length === 2, 'epoch 2 in the other store');
    expect(last('run_x')!.record).to.deep.equal(r);
    expect((await b.usage()).total).to.equal((await scanned()).total);

    const renamed = await a.updateMeta('run_x', { run_name: 'renamed elsewhere', tags: ['paper'] });
    await until(() => last('run_x')?.record?.run_name === 'renamed elsewhere', 'the rename');
    expect(last('run_x')!.record).to.deep.equal(renamed);
    expect(last('run_x')!.labBytes).to.equal((await scanned()).total);

    const p = { yTrue: TEST_RESULT.yTrue, yPred: TEST_RESULT.yPred, probabilities: TEST_RESULT.probabilities, numClasses: 3 };
    const final = await a.saveFinal(applyEvent(r, finished('completed', 2, 2), at(9)), p); // keeps the stored name and tags
    await until(() => last('run_x')?.record?.status === 'completed', 'the final record');
    expect(last('run_x')!.record).to.deep.equal(final);
    expect(await b.usage()).to.deep.equal(await scanned(), 'predictions counted');

    await a.deleteCheckpoints('run_x', { keepBest: true, keepLatest: false });
    await until(() => last('run_x')?.record?.checkpoints.every((c) => c.kind === 'best'), 'the freed checkpoints');
    expect(await b.usage()).to.deep.equal(await scanned());

    await a.deleteModels('run_x');
    await until(() => last('run_x')?.record === undefined, 'the models gone (the record unchanged: not re-sent)');
    expect(await b.usage()).to.deep.equal(await scanned());

    await a.deleteRun('run_x');
    await until(() => last('run_x')?.record === null, 'the deletion');
    expect(last('run_x')!.labBytes).to.equal(0);
    expect(await b.usage()).to.deep.equal({ bytesByRun: {}, total: 0 });
  });

  it('a restored run and an imported run reach the other store; its usage agrees with a fresh scan', async () => {
    await b.usage();
    const { last } = follow(b);
    const r = await saveRun(a, 3, 'run_r', 1000);
    const backup = (await a.readRunForBackup('run_r'))!;
    await a.deleteRun('run_r');
    await until(() => last('run_r')?.record === null, 'the deletion');
    const snapshots = backup.snapshots.map((s) => ({ key: s.key, artifact: s.artifact! }));
    expect(await a.restoreRun(backup.record, snapshots, null)).to.deep.equal({ restored: true });
    await until(() => last('run_r')?.record, 'the restored run');
    expect(last('run_r')!.record).to.deep.equal(r);
    expect(await b.usage()).to.deep.equal(await scanned());
  });

  it("a run's end with its predictions and decision boundary: the other store counts the boundary's bytes too", async () => {
    await b.usage();
    const { last } = follow(b);
    const { boundary } = boundaryRun();
    await a.saveFinal({ ...(completedRecord() as LabRunRecord), run_id: 'run_map', run_name: 'run_map' }, null, boundary);
    await until(() => last('run_map')?.record?.status === 'completed', 'the finished run');
    expect(await b.usage()).to.deep.equal(await scanned());
    expect((await b.usage()).bytesByRun.run_map).to.be.greaterThan(boundaryBytes(boundary));
  });

  it('a store that never read its byte count still hears each record (labBytes NaN) and reads no byte count for it', async () => {
    const { last } = follow(b);
    await saveRun(a, 1, 'run_n');
    await until(() => last('run_n')?.record?.history.length === 1, 'the epoch');
    expect(Number.isNaN(last('run_n')!.labBytes)).to.equal(true);
  });

  it('a store does not hear its own writes as remote, and a closed store hears nothing', async () => {
    const own = follow(a);
    const other = follow(b);
    await saveRun(a, 1, 'run_own');
    await settled(a, other);
    expect(own.heard).to.deep.equal([]);
    b.close();
    await a.updateMeta('run_own', { run_name: 'after close' });
    await new Promise((r) => setTimeout(r, 50));
    expect(other.last('run_own')!.record?.run_name).to.equal('run_own');
  });

  it('a run training in this store is never touched by the other store\'s messages; its next epoch keeps the rename', async () => {
    const { heard } = follow(a);
    const { record, release } = await a.createRun({ ...applyEvent(createRunRecord(makeInit()), started(), at(1)), run_id: 'run_here', run_name: 'run_here' });
    try {
      await b.updateMeta('run_here', { run_name: 'renamed in b' });
      await settled(b, { last: (id) => heard.filter((c) => c.runId === id).at(-1) });
      expect(heard.filter((c) => c.runId === 'run_here'), 'no remote change for the run training here').to.deep.equal([]);
      const snap = makeSnapshot(1, { isBest: true });
      const next = await a.saveEpoch(applyEvent(record, epochEvent(1, snap), at(3)), snap);
      expect(next.run_name).to.equal('renamed in b');
      // Finished here: from now on the other tab's changes to it are heard again.
      await a.saveFinal(applyEvent(next, finished('stopped', 1, 1), at(9)), null);
      await b.updateMeta('run_here', { tags: ['later'] });
      await until(() => heard.some((c) => c.runId === 'run_here' && c.record?.tags.includes('later')), 'the tag once it is not training here');
    } finally {
      release();
    }
  });

  it('a record the other tab wrote that this version cannot read arrives as damaged; malformed messages and other database versions are ignored', async () => {
    const { heard, last } = follow(b);
    await b.usage();
    const raw = await openDB(dbName);
    await raw.put('runs', { ...completedRecord(), run_id: 'run_future', schema_version: 9 }, 'run_future');
    raw.close();
    const channel = new BroadcastChannel(runChangeChannelName(dbName));
    try {
      const message = (over: object) => ({ type: 'trainlab-run-change', protocol: 1, db: DB_VERSION, runId: 'run_future', kind: 'record', ...over });
      channel.postMessage(message({ db: DB_VERSION + 1 })); // a newer TrainLab: its upgrade closes this store (onVersionChange)
      channel.postMessage(message({ protocol: 2 }));
      channel.postMessage(message({ runId: 42 }));
      channel.postMessage('hello');
      channel.postMessage(null);
      channel.postMessage(message({ kind: 'something new' })); // an unknown kind from this protocol: the whole run is read again
      await until(() => last('run_future'), 'the one well-formed message');
      await settled(a, { last });
      expect(heard.filter((c) => c.runId === 'run_future')).to.have.length(1);
      expect(last('run_future')).to.deep.include({ record: null, damaged: `run record: written by a newer TrainLab (schema 9); this version reads up to ${SCHEMA_VERSION}` });
      expect(await b.usage()).to.deep.equal(await scanned(), 'its bytes are counted as a scan counts them');
    } finally {
      channel.close();
    }
  });
});

describe('RunStore across tabs at scale: one message re-reads one run', () => {
  const STORED = 1000;

  /** STORED runs with one snapshot each, written in a few large transactions (as bench/scale-seed.ts). */
  async function seed() {
    const db = await openDB(dbName);
    const base = completedRecord();
    const snap = makeSnapshot(4, { weightBytes: 2048 });
    for (let from = 0; from < STORED; from += 200) {
      const tx = db.transaction(['runs', 'artifacts'], 'readwrite');
      const writes: Promise<unknown>[] = [];
      for (let i = from; i < from + 200; i++) {
        const id = `seed_${String(i).padStart(4, '0')}`;
        const key = `${id}/epoch_4`;
        const record: RunRecord = { ...base, run_id: id, run_name: id, checkpoints: [{ kind: 'latest', epoch: 4, key, bytes: 2048, with_optimizer: true }] };
        writes.push(tx.objectStore('runs').put(record, id), tx.objectStore('artifacts').put({ runId: id, epoch: 4, model: snap.model, resume: snap.resume, bytes: 2048 }, key));
      }
      await Promise.all([...writes, tx.done]);
    }
    db.close();
  }

  /** Counts transactions and the requests that read more than one key while `fn` runs. */
  async function requestsDuring(fn: () => Promise<unknown>) {
    const seen = { transactions: 0, unbounded: [] as string[] };
    const restore: (() => void)[] = [];
    const wrap = <T extends object>(proto: T, name: keyof T & string, check: (args: unknown[]) => void) => {
      const original = proto[name] as (...args: unknown[]) => unknown;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        check(args);
        return original.apply(this, args);
      } as T[keyof T & string];
      restore.push(() => (proto[name] = original as T[keyof T & string]));
    };
    wrap(IDBDatabase.prototype, 'transaction', () => seen.transactions++);
    for (const [proto, label] of [[IDBObjectStore.prototype, 'store'], [IDBIndex.prototype, 'index']] as const) {
      for (const name of ['getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count'] as const) {
        wrap(proto, name, (args) => {
          const range = args[0];
          if (!(range instanceof IDBKeyRange) && typeof range !== 'string') seen.unbounded.push(`${label}.${name}`);
          else if (range instanceof IDBKeyRange && label === 'index') seen.unbounded.push(`${label}.${name} (by bytes)`);
        });
      }
    }
    try {
      await fn();
    } finally {
      restore.forEach((r) => r());
    }
    return seen;
  }

  it(`a rename, an epoch and a deletion in the other tab each cost one transaction that reads only that run, as fast with ${STORED} runs stored as with none`, async () => {
    await b.usage();
    const { last, heardAt } = follow(b);
    const times: Record<string, number[]> = {};
    /** One write in `a`, timed from its commit to `b`'s watcher; counts what `b` did meanwhile. */
    const step = async (what: string, write: () => Promise<unknown>, heard: () => RunChange | false | undefined) => {
      await write();
      const t0 = performance.now();
      let change: RunChange | undefined;
      const seen = await requestsDuring(async () => (change = await until(heard, what)));
      (times[what] ??= []).push(heardAt(change!) - t0);
      expect(seen.transactions, `${what}: one transaction`).to.equal(1);
      expect(seen.unbounded, `${what}: no request over every run`).to.deep.equal([]);
    };
    const steps = async (id: string) => {
      const r = await saveRun(a, 1, id, 4096);
      await until(() => last(id)?.record?.history.length === 1, 'the epoch');
      const renamed = (c = last(id)) => c?.record?.run_name === `${id} renamed` && c;
      await step('rename', () => a.updateMeta(id, { run_name: `${id} renamed` }), renamed);
      const snap = makeSnapshot(2, { isBest: true, weightBytes: 4096 });
      await step('epoch', () => a.saveEpoch(applyEvent(r, epochEvent(2, snap), at(5)), snap), (c = last(id)) => c?.record?.history.length === 2 && c);
      await step('delete', () => a.deleteRun(id), (c = last(id)) => c?.record === null && c);
    };
    await steps('run_alone');
    await seed();
    const scanStart = performance.now();
    await b.usage({ rescan: true });
    const scanMs = performance.now() - scanStart;
    await steps('run_among_many');
    expect(await b.usage()).to.deep.equal(await scanned());
    const ms = (what: string) => times[what].map((t) => `${t.toFixed(1)}`).join(' → ');
    console.log(
      `cross-tab: commit in one store → the other store's watcher, with 0 → ${STORED} runs stored: ` +
        `rename ${ms('rename')} ms, epoch ${ms('epoch')} ms, delete ${ms('delete')} ms; one usage scan of ${STORED} runs: ${scanMs.toFixed(0)} ms`,
    );
  });
});

describe('imported runs: ids allocated atomically across tabs', () => {
  async function summary(endTime: string): Promise<SourceFile[]> {
    const base = '/test/fixtures/reference-layout/pct_mlp_20250102_090000';
    const text = await (await fetch(`${base}/results_summary.json`)).text();
    const path = 'pct_mlp_20250102_090000/results_summary.json';
    const edited = text.replace('"end_time": "2025-01-02T09:01:40.000001"', `"end_time": "${endTime}"`);
    expect(edited.includes(endTime), 'the end time replaced').to.equal(true);
    return [{ name: 'results_summary.json', path, blob: new Blob([edited]) }];
  }

  it('two tabs importing different runs with the same run id at once get distinct ids, neither overwritten', async () => {
    const now = new Date('2026-02-03T04:05:06.789Z');
    const [first, second] = await Promise.all([
      addRunFiles(await summary('2025-01-02T09:01:41'), [], a, { now }),
      addRunFiles(await summary('2025-01-02T09:05:00'), [], b, { now }),
    ]);
    expect(first.problems).to.deep.equal([]);
    expect(second.problems).to.deep.equal([]);
    const ids = [first.added[0].run_id, second.added[0].run_id];
    expect(new Set(ids).size, `distinct ids: ${ids}`).to.equal(2);
    expect(ids.sort()).to.deep.equal(['pct_mlp_20250102_090000', 'pct_mlp_20250102_090000_2']);
    const { runs } = await a.listRuns();
    expect(runs.map((r) => `${r.run_id} ended ${r.end_time}`).sort()).to.deep.equal(
      [first.added[0], second.added[0]].map((r) => `${r.run_id} ended ${r.end_time}`).sort(),
      'each stored as imported',
    );
    const renamed = [...first.added, ...second.added].find((r) => r.run_id.endsWith('_2'))!;
    expect(renamed.run_name).to.equal(renamed.run_id);
  });
});
