// The run store against real IndexedDB, Web Locks and storage quota in Chromium. Each test opens
// its own database and deletes it afterwards.
import { expect } from '@esm-bundle/chai';
import { deleteDB, openDB } from 'idb';
import { applyEvent, createRunRecord } from '../../src/recorder/recorder';
import { SCHEMA_VERSION, type LabRunRecord, type RunRecord } from '../../src/recorder/run-record';
import { holdRunLock, isRunAlive, RunStore, StorageFullError, type RunChange } from '../../src/recorder/run-store';
import { inFreshBucket, setQuota } from '../helpers/storage-quota';
import { saveRun } from '../helpers/saved-run';
import { at, completedRecord, epochEvent, makeInit, makeSnapshot, TEST_RESULT } from '../helpers/run-fixtures';

let dbCount = 0;
let dbName = '';
let store: RunStore;

beforeEach(async () => {
  dbName = `trainlab-test-${Date.now()}-${dbCount++}`;
  store = await RunStore.open(dbName);
});

afterEach(async () => {
  store.close();
  await deleteDB(dbName);
});

/** A running record `id` whose first `epochs` epochs were saved with saveEpoch. */
const savedRun = (epochs: number, id?: string, weightBytes?: number, into = store): Promise<LabRunRecord> => saveRun(into, epochs, id, weightBytes);

const weightsOf = async (key: string, from = store) => new Uint8Array((await from.getArtifact(key))?.model.weightData ?? new ArrayBuffer(0));

describe('RunStore: records', () => {
  it('round-trips a record; an unknown id is undefined', async () => {
    const r = completedRecord();
    await store.putRun(r);
    expect(await store.getRun(r.run_id)).to.deep.equal(r);
    expect(await store.getRun('nope')).to.equal(undefined);
  });

  it('lists runs newest first', async () => {
    const older = createRunRecord(makeInit({ now: new Date(2026, 0, 1) }));
    const newer = createRunRecord(makeInit({ now: new Date(2026, 5, 1) }));
    await store.putRun(older);
    await store.putRun(newer);
    const { runs, damaged } = await store.listRuns();
    expect(runs.map((r) => r.run_id)).to.deep.equal([newer.run_id, older.run_id]);
    expect(damaged).to.deep.equal([]);
  });

  it('upgrades a version-1 database: schema-1 records are rewritten in the current schema (origin: lab), damaged ones left', async () => {
    store.close();
    await deleteDB(dbName);
    const v1Record = await (await fetch(new URL('../fixtures/run-record-v1.json', import.meta.url))).json();
    const old = await openDB(dbName, 1, {
      upgrade(d) {
        d.createObjectStore('runs');
        d.createObjectStore('artifacts').createIndex('bytes', 'bytes');
        d.createObjectStore('predictions').createIndex('bytes', 'bytes');
      },
    });
    await old.put('runs', v1Record, v1Record.run_id);
    await old.put('runs', 'garbage', 'junk');
    old.close();
    store = await RunStore.open(dbName);
    const raw = await openDB(dbName);
    expect(raw.version).to.equal(2);
    const stored = await raw.get('runs', v1Record.run_id);
    expect(await raw.get('runs', 'junk')).to.equal('garbage');
    raw.close();
    expect(stored).to.deep.include({ schema_version: SCHEMA_VERSION, origin: { kind: 'lab' } });
    const { runs, damaged } = await store.listRuns();
    expect(runs.map((r) => r.run_id)).to.deep.equal([v1Record.run_id]);
    expect(runs[0].history).to.deep.equal(v1Record.history);
    expect(damaged.map((d) => d.key)).to.deep.equal(['junk']);
  });

  it('reports damaged records separately instead of throwing', async () => {
    const good = completedRecord();
    await store.putRun(good);
    const raw = await openDB(dbName);
    await raw.put('runs', 'garbage', 'junk');
    await raw.put('runs', { ...good, history: [{ epoch: 1, val_acc: 'abc' }] }, 'bad-history');
    await raw.put('runs', { ...good, schema_version: 7 }, 'from-the-future');
    raw.close();
    const { runs, damaged } = await store.listRuns();
    expect(runs.map((r) => r.run_id)).to.deep.equal([good.run_id]);
    expect(damaged).to.deep.equal([
      { key: 'bad-history', error: 'run record: history[0].train_loss must be a number (got nothing)' },
      { key: 'from-the-future', error: `run record: written by a newer TrainLab (schema 7); this version reads up to ${SCHEMA_VERSION}` },
      { key: 'junk', error: 'run record must be an object (got "garbage")' },
    ]);
    let error: unknown;
    await store.getRun('junk').catch((e) => (error = e));
    expect(error).to.have.property('name', 'RunRecordError');
  });

  it('updateMeta renames, annotates and tags; a later saveEpoch keeps them', async () => {
    const r = await savedRun(1);
    const renamed = await store.updateMeta(r.run_id, { run_name: ' baseline ', notes: 'lr sweep', tags: ['a', ' a', 'b', ''] });
    expect(renamed).to.deep.include({ run_name: 'baseline', notes: 'lr sweep', tags: ['a', 'b'], updated_at: r.updated_at });
    const snap = makeSnapshot(2);
    const next = await store.saveEpoch(applyEvent(r, epochEvent(2, snap), at(5)), snap);
    expect(next.run_name).to.equal('baseline');
    expect((await store.getRun(r.run_id))?.tags).to.deep.equal(['a', 'b']);
    let error: unknown;
    await store.updateMeta(r.run_id, { run_name: '  ' }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
  });
});

describe('RunStore: epochs, artifacts and predictions', () => {
  it('saveEpoch stores the record with latest, best and periodic models and refs to them', async () => {
    const r = await savedRun(3);
    const id = r.run_id;
    const stored = await store.getRun(id);
    expect(stored).to.deep.equal(r);
    expect(stored?.history.map((h) => h.epoch)).to.deep.equal([1, 2, 3]);
    expect(r.checkpoints.map((c) => [c.kind, c.epoch, c.key])).to.deep.equal([
      ['best', 2, `${id}/epoch_2`],
      ['periodic', 2, `${id}/epoch_2`],
      ['latest', 3, `${id}/epoch_3`],
    ]);
    const topology = JSON.stringify(makeSnapshot(1).model.modelTopology).length;
    expect(r.checkpoints.every((c) => c.bytes === 256 + topology && c.with_optimizer)).to.equal(true);
    const latest = await store.getArtifact(`${id}/epoch_3`);
    expect(latest).to.deep.include({ runId: id, epoch: 3, resume: makeSnapshot(3).resume });
    expect(await weightsOf(`${id}/epoch_3`)).to.deep.equal(new Uint8Array(makeSnapshot(3, { weightBytes: 256 }).model.weightData));
    expect(await weightsOf(`${id}/epoch_2`)).to.deep.equal(new Uint8Array(makeSnapshot(2, { weightBytes: 256 }).model.weightData));
    expect(await store.getArtifact(`${id}/epoch_1`)).to.equal(undefined, 'epoch 1 was latest and best only: replaced by epoch 2');
  });

  it('each snapshot is stored once, whatever roles it has (latest, best, periodic); one no ref points to is deleted', async () => {
    const artifactKeys = async () => {
      const db = await openDB(dbName);
      const keys = await db.getAllKeys('artifacts');
      db.close();
      return keys;
    };
    const r1 = await savedRun(1); // epoch 1 is latest and best
    const id = r1.run_id;
    expect(await artifactKeys()).to.have.length(1, 'one write for latest + best');
    const snap2 = makeSnapshot(2, { isBest: true, isPeriodic: true });
    const r2 = await store.saveEpoch(applyEvent(r1, epochEvent(2, snap2), at(5)), snap2);
    expect(await artifactKeys()).to.have.length(1, 'epoch 2 is latest, best and periodic: one artifact; epoch 1 is no longer referenced');
    const snap3 = makeSnapshot(3);
    const r3 = await store.saveEpoch(applyEvent(r2, epochEvent(3, snap3), at(7)), snap3);
    expect(await artifactKeys()).to.have.length(2, 'epoch 2 (best, periodic) and epoch 3 (latest)');
    const { bytesByRun } = await store.usage();
    const one = r3.checkpoints[0].bytes;
    expect(bytesByRun[id]).to.equal(2 * one + JSON.stringify(r3).length, 'each stored snapshot counted once');
    const latest = r3.checkpoints.find((c) => c.kind === 'latest')!;
    expect(await weightsOf(latest.key)).to.deep.equal(new Uint8Array(snap3.model.weightData));
  });

  it('a run stored with the earlier layout (one copy per role) reads through its refs; its replaced copies are deleted', async () => {
    const r1 = await savedRun(1);
    const id = r1.run_id;
    // Rewrite it as the earlier layout stored it: copies under /latest and /best, refs to them.
    const raw = await openDB(dbName);
    const copy = await raw.get('artifacts', `${id}/epoch_1`);
    await raw.delete('artifacts', `${id}/epoch_1`);
    await raw.put('artifacts', { ...copy, kind: 'latest' }, `${id}/latest`);
    await raw.put('artifacts', { ...copy, kind: 'best' }, `${id}/best`);
    const old = { ...r1, checkpoints: r1.checkpoints.map((c) => ({ ...c, key: `${id}/${c.kind}` })) };
    await raw.put('runs', old, id);
    raw.close();
    const { Recording } = await import('../../src/recorder/recording');
    const { recording, from } = await Recording.resume(store, { ...old, status: 'interrupted' });
    expect(from.state.epoch).to.equal(1);
    const snap2 = makeSnapshot(2, { isBest: true });
    await store.saveEpoch(applyEvent(recording.record, epochEvent(2, snap2), at(9)), snap2);
    recording.end();
    const after = await openDB(dbName);
    expect(await after.getAllKeys('artifacts')).to.deep.equal([`${id}/epoch_2`]);
    after.close();
  });

  it('saveEpoch is atomic: a write that fails stores nothing', async () => {
    const r = await savedRun(1);
    const bad = makeSnapshot(2, { isBest: true });
    bad.model.modelTopology = { build: () => 0 }; // a function cannot be cloned into IndexedDB
    let error: unknown;
    await store.saveEpoch(applyEvent(r, epochEvent(2, bad), at(5)), bad).catch((e) => (error = e));
    expect(error).to.have.property('name', 'DataCloneError');
    expect(await store.getRun(r.run_id)).to.deep.equal(r);
    expect((await store.getArtifact(`${r.run_id}/epoch_1`))?.epoch).to.equal(1);
    expect(await store.getArtifact(`${r.run_id}/epoch_2`)).to.equal(undefined);
  });

  it('round-trips test predictions, stored with the final record', async () => {
    const p = { yTrue: TEST_RESULT.yTrue, yPred: TEST_RESULT.yPred, probabilities: TEST_RESULT.probabilities, numClasses: 3 };
    await store.saveFinal(await savedRun(1, 'r1'), p);
    expect(await store.getPredictions('r1')).to.deep.equal(p);
    expect(await store.getPredictions('r2')).to.equal(undefined);
  });

  it('deleteRun removes the record, its models and predictions, and nothing of a run with a longer id', async () => {
    const a = await savedRun(2, 'mlp_20260315_090502');
    const b = await savedRun(2, 'mlp_20260315_090502_2');
    await store.saveFinal(a, { yTrue: new Int32Array(1), yPred: new Int32Array(1), probabilities: new Float32Array(3), numClasses: 3 });
    await store.deleteRun(a.run_id);
    expect(await store.getRun(a.run_id)).to.equal(undefined);
    expect(await store.getArtifact(`${a.run_id}/epoch_2`)).to.equal(undefined);
    expect(await store.getPredictions(a.run_id)).to.equal(undefined);
    expect(await store.getRun(b.run_id)).to.deep.equal(b);
    expect((await store.getArtifact(`${b.run_id}/epoch_2`))?.epoch).to.equal(2);
  });

  it('deleteCheckpoints frees periodic checkpoints and, if asked, the resume point', async () => {
    const r = await savedRun(4);
    const freed = await store.deleteCheckpoints(r.run_id, { keepBest: true, keepLatest: false });
    const bytes = r.checkpoints[0].bytes;
    expect(freed).to.equal(bytes); // epoch 4 (periodic and latest); epoch 2 is periodic but still the best
    expect((await store.getRun(r.run_id))?.checkpoints.map((c) => c.kind)).to.deep.equal(['best']);
    expect(await store.getArtifact(`${r.run_id}/epoch_4`)).to.equal(undefined);
    expect((await store.getArtifact(`${r.run_id}/epoch_2`))?.epoch).to.equal(2);
  });

  it('usage sums stored weights, predictions and record JSON per run', async () => {
    const a = await savedRun(2, 'run_a', 1000);
    const b = await savedRun(1, 'run_b', 5000);
    await store.saveFinal(b, { yTrue: new Int32Array(10), yPred: new Int32Array(10), probabilities: new Float32Array(30), numClasses: 3 });
    // Each stored snapshot once, however many refs point to it.
    const weights = (r: RunRecord) => [...new Map(r.checkpoints.map((c) => [c.key, c.bytes])).values()].reduce((s, b) => s + b, 0);
    const { bytesByRun, total } = await store.usage();
    expect(bytesByRun.run_a).to.equal(weights(a) + JSON.stringify(a).length);
    expect(bytesByRun.run_b).to.equal(weights(b) + 200 + JSON.stringify(b).length);
    expect(total).to.equal(bytesByRun.run_a + bytesByRun.run_b);
    const estimate = await store.estimate();
    expect(estimate?.quota).to.be.greaterThan(0);
  });
});

describe('RunStore: interrupted runs and persistence', () => {
  it('a run whose lock is held is alive; once released, recoverInterrupted marks it interrupted', async () => {
    const r = await savedRun(2, `lock_${Date.now()}`);
    const release = holdRunLock(r.run_id);
    expect(await isRunAlive(r.run_id)).to.equal(true);
    expect(await store.recoverInterrupted(isRunAlive)).to.deep.equal([]);
    await release();
    expect(await isRunAlive(r.run_id)).to.equal(false);
    expect(await store.recoverInterrupted(isRunAlive)).to.deep.equal([r.run_id]);
    const stored = await store.getRun(r.run_id);
    expect(stored).to.deep.include({ status: 'interrupted', end_time: r.updated_at });
    expect(await store.recoverInterrupted(isRunAlive)).to.deep.equal([]);
  });

  it('requestPersistence asks the browser once, then only reports', async () => {
    localStorage.removeItem('trainlab.persistence-asked');
    let asked = 0;
    const persist = navigator.storage.persist;
    navigator.storage.persist = () => (asked++, Promise.resolve(false));
    try {
      expect(await store.requestPersistence()).to.equal(false);
      expect(typeof (await store.requestPersistence())).to.equal('boolean');
      expect(asked).to.equal(1);
    } finally {
      navigator.storage.persist = persist;
      localStorage.removeItem('trainlab.persistence-asked');
    }
  });
});

describe('RunStore: a full disk', () => {
  afterEach(() => setQuota(null));

  it('saveEpoch rejects with StorageFullError and everything stored before stays intact', async () => {
    const { usage } = (await store.estimate()) ?? { usage: 0 };
    await setQuota(usage + 2_000_000); // before the bucket's first write: see inFreshBucket
    await inFreshBucket(async () => {
      const full = await RunStore.open('quota-test');
      try {
        const r = await savedRun(2, 'mlp_quota', 256, full);
        const before = await full.getRun(r.run_id);
        const big = makeSnapshot(3, { isBest: true, isPeriodic: true, weightBytes: 8_000_000 });
        let error: unknown;
        await full.saveEpoch(applyEvent(r, epochEvent(3, big), at(7)), big).catch((e) => (error = e));
        expect(error).to.be.instanceOf(StorageFullError);
        expect(String(error)).to.match(/^StorageFullError: storage is full: could not save epoch 3 of mlp_quota \(8\.0 MB of weights\)\. TrainLab stores [\d.]+ kB in 1 runs/);
        expect(await full.getRun(r.run_id)).to.deep.equal(before);
        expect((await full.getArtifact(`${r.run_id}/epoch_2`))?.epoch).to.equal(2);
        expect(await weightsOf(`${r.run_id}/epoch_2`, full)).to.deep.equal(new Uint8Array(makeSnapshot(2, { weightBytes: 256 }).model.weightData));
        expect(await full.getArtifact(`${r.run_id}/epoch_3`)).to.equal(undefined);
        await setQuota(null);
        const saved = await full.saveEpoch(applyEvent(r, epochEvent(3, big), at(7)), big);
        expect(saved.training.epochs_completed).to.equal(3);
        expect((await full.getArtifact(`${r.run_id}/epoch_3`))?.epoch).to.equal(3);
      } finally {
        full.close();
      }
    });
  });
});

describe('RunStore at scale: usage kept by the writes, a change feed, listing in batches', () => {
  /** Counts the transactions opened on any IndexedDB database while `fn` runs. */
  async function transactionsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; transactions: number }> {
    const proto = IDBDatabase.prototype;
    const original = proto.transaction;
    let transactions = 0;
    proto.transaction = function (this: IDBDatabase, ...args: Parameters<typeof original>) {
      transactions++;
      return original.apply(this, args);
    } as typeof original;
    try {
      return { value: await fn(), transactions };
    } finally {
      proto.transaction = original;
    }
  }

  it('after one scan, usage() answers from what each write reported, reading nothing, and agrees with a fresh scan', async () => {
    const a = await savedRun(2, 'run_a', 1000);
    await store.usage(); // the one scan
    const b = await savedRun(3, 'run_b', 3000); // putRun + saveEpoch × 3 after the scan
    await store.saveFinal(b, { yTrue: new Int32Array(10), yPred: new Int32Array(10), probabilities: new Float32Array(30), numClasses: 3 });
    await store.updateMeta('run_a', { run_name: 'a much longer name than before', tags: ['x', 'y'] });
    await store.deleteCheckpoints('run_b', { keepBest: true, keepLatest: false });
    await store.createRun({ ...completedRecord(), run_id: 'run_c', run_name: 'run_c' });
    await store.deleteModels('run_a');
    await savedRun(1, 'run_d');
    await store.deleteRun('run_d');
    await store.putRun({ ...a, status: 'stopped' });
    const { value: kept, transactions } = await transactionsDuring(() => store.usage());
    expect(transactions, 'no transaction: no scan').to.equal(0);
    const fresh = await RunStore.open(dbName);
    try {
      const scanned = await fresh.usage();
      expect(kept).to.deep.equal(scanned);
      expect(Object.keys(kept.bytesByRun).sort()).to.deep.equal(['run_a', 'run_b', 'run_c']);
    } finally {
      fresh.close();
    }
  });

  it('a stored epoch costs the same with 300 runs stored as with none: one transaction, no listing', async () => {
    const many = 300;
    const base = completedRecord();
    await Promise.all(Array.from({ length: many }, (_, i) => store.putRun({ ...base, run_id: `many_${i}`, run_name: `many_${i}` })));
    await store.usage();
    const r = await savedRun(1, 'run_now');
    const snap = makeSnapshot(2, { isBest: true });
    const { transactions } = await transactionsDuring(() => store.saveEpoch(applyEvent(r, epochEvent(2, snap), at(5)), snap));
    expect(transactions).to.equal(1);
  });

  it('watch reports each committed write: the record as stored (null when deleted) and the lab\'s bytes after it', async () => {
    const changes: RunChange[] = [];
    const stop = store.watch((c) => changes.push(c));
    const r1 = await savedRun(1, 'run_w');
    expect(changes.map((c) => [c.runId, c.record?.history.length])).to.deep.equal([['run_w', 0], ['run_w', 1]]);
    expect(changes[1].record).to.equal(r1, 'the very record saveEpoch returned');
    expect(changes.every((c) => Number.isNaN(c.labBytes)), 'no byte count before usage() was read').to.equal(true);
    const { total } = await store.usage();
    const renamed = await store.updateMeta('run_w', { run_name: 'renamed' });
    expect(changes.at(-1)).to.deep.equal({ runId: 'run_w', record: renamed, labBytes: total + JSON.stringify(renamed).length - JSON.stringify(r1).length });
    await store.deleteModels('run_w');
    expect(changes.at(-1)).to.include({ runId: 'run_w', record: undefined });
    expect(changes.at(-1)!.labBytes).to.equal(JSON.stringify(renamed).length);
    await store.deleteRun('run_w');
    expect(changes.at(-1)).to.deep.equal({ runId: 'run_w', record: null, labBytes: 0 });
    stop();
    await savedRun(1, 'run_after');
    expect(changes.at(-1)!.runId).to.equal('run_w', 'stopped watching');
  });

  it('a write that fails reports nothing and changes no byte count', async () => {
    const r = await savedRun(1);
    const { total } = await store.usage();
    const changes: RunChange[] = [];
    store.watch((c) => changes.push(c));
    const bad = makeSnapshot(2, { isBest: true });
    bad.model.modelTopology = { build: () => 0 };
    await store.saveEpoch(applyEvent(r, epochEvent(2, bad), at(5)), bad).catch(() => {});
    expect(changes).to.deep.equal([]);
    expect((await store.usage()).total).to.equal(total);
  });

  it('lists more runs than one batch, newest first, with damaged ones among them reported', async () => {
    const base = completedRecord();
    const count = 130;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.putRun({ ...base, run_id: `b_${String(i).padStart(3, '0')}`, run_name: `b_${i}`, start_time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }),
      ),
    );
    const raw = await openDB(dbName);
    await raw.put('runs', 'garbage', 'b_064x');
    raw.close();
    const { runs, damaged } = await store.listRuns();
    expect(runs).to.have.length(count);
    expect(runs.map((r) => r.run_id)).to.deep.equal(Array.from({ length: count }, (_, i) => `b_${String(count - 1 - i).padStart(3, '0')}`));
    expect(damaged.map((d) => d.key)).to.deep.equal(['b_064x']);
  });

  it('recoverInterrupted given the runs just listed reads no list again', async () => {
    const r = await savedRun(1, `listed_${Date.now()}`);
    const { runs } = await store.listRuns();
    const { value, transactions } = await transactionsDuring(() => store.recoverInterrupted(async () => false, runs));
    expect(value).to.deep.equal([r.run_id]);
    expect(transactions, 'one read-write transaction for the one run marked').to.equal(1);
  });
});
