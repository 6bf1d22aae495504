// The page-side recording of a run against real IndexedDB: ids unique across tabs, the final write
// in one transaction.
import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { Recording } from '../../src/recorder/recording';
import { RunStore } from '../../src/recorder/run-store';
import { finished, makeInit, started } from '../helpers/run-fixtures';

describe('Recording', () => {
  let dbName = '';
  let store: RunStore;
  let count = 0;
  beforeEach(async () => {
    dbName = `recording-test-${Date.now()}-${count++}`;
    store = await RunStore.open(dbName);
  });
  afterEach(async () => {
    store.close();
    await deleteDB(dbName);
  });

  it('two tabs starting the same model in the same second get different run ids, and both runs are stored', async () => {
    const otherTab = await RunStore.open(dbName);
    try {
      const init = makeInit(); // the same clock second in both tabs
      const [a, b] = await Promise.all([Recording.begin(store, init), Recording.begin(otherTab, init)]);
      expect(a.record.run_id).not.to.equal(b.record.run_id);
      const stored = (await store.listRuns()).runs.map((r) => r.run_id).sort();
      expect(stored).to.deep.equal([a.record.run_id, b.record.run_id].sort());
      expect(stored[0]).to.match(/^mlp_\d{8}_\d{6}(_2)?$/);
      a.end();
      b.end();
    } finally {
      otherTab.close();
    }
  });

  it('a taken id gets _2, _3 …', async () => {
    const first = await Recording.begin(store, makeInit());
    const second = await Recording.begin(store, makeInit());
    const third = await Recording.begin(store, makeInit());
    expect([first, second, third].map((r) => r.record.run_id)).to.deep.equal(['mlp_20260315_090502', 'mlp_20260315_090502_2', 'mlp_20260315_090502_3']);
    [first, second, third].forEach((r) => r.end());
  });

  it('the final write is one transaction: when the record cannot be stored, neither are its predictions', async () => {
    const recording = await Recording.begin(store, makeInit());
    const runId = recording.record.run_id;
    await recording.handle(started());
    const put = IDBObjectStore.prototype.put;
    // The record's write fails (as a crash or a full disk between two writes would): nothing of the final write may stay.
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'runs' && (value as { status?: string }).status === 'stopped') throw new DOMException('the record cannot be written', 'DataCloneError');
      return put.call(this, value, key);
    };
    const event = finished('stopped', 0, 0);
    let error: unknown;
    try {
      await recording.handle(event).catch((e) => (error = e));
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(error).to.have.property('name', 'DataCloneError');
    expect(await store.getPredictions(runId)).to.equal(undefined, 'no predictions without their record');
    expect((await store.getRun(runId))?.status).to.equal('running');
    await recording.persist(event); // the retry stores both
    expect((await store.getRun(runId))?.status).to.equal('stopped');
    expect((await store.getPredictions(runId))?.yPred).to.deep.equal(event.test!.yPred);
  });
});

describe('two tabs on one lab', () => {
  let dbName = '';
  let store: RunStore;
  let count = 0;
  beforeEach(async () => {
    dbName = `two-tabs-test-${Date.now()}-${count++}`;
    store = await RunStore.open(dbName);
  });
  afterEach(async () => {
    store.close();
    await deleteDB(dbName);
  });

  it('a newer TrainLab opening the database in another tab: this tab steps aside, says so, and asks for a reload', async () => {
    let told = false;
    store.onVersionChange = () => (told = true);
    const { openDB } = await import('idb');
    const newer = await openDB(dbName, 99); // would wait forever if this tab did not step aside
    newer.close();
    expect(told).to.equal(true);
    const error = await store.listRuns().catch((e: Error) => e);
    expect(error).to.have.property('name', 'StorageClosedError');
    expect((error as Error).message).to.match(/updated in another tab: reload this page/);
  });

  it('a run training in another tab (its lock held) is not deleted under it; an orphan is', async () => {
    const recording = await Recording.begin(store, makeInit());
    const runId = recording.record.run_id;
    const otherTab = await RunStore.open(dbName);
    try {
      const error = await otherTab.deleteRun(runId).catch((e: Error) => e);
      expect((error as Error).message).to.equal(`${runId} is training in another tab: stop it there first`);
      expect((await store.getRun(runId))?.status).to.equal('running');
      recording.end();
      await new Promise((r) => setTimeout(r, 50)); // the lock is released asynchronously
      await otherTab.deleteRun(runId);
      expect(await store.getRun(runId)).to.equal(undefined);
    } finally {
      otherTab.close();
    }
  });
});
