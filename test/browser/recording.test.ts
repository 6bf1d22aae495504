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
