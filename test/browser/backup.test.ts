// Back up all runs to one zip and restore them, against real IndexedDB in Chromium: every record,
// snapshot and prediction comes back exactly, an interrupted run resumes, a restore twice finds the
// runs already there, and damaged backups refuse the damaged run only and never store half a run.
import { expect } from '@esm-bundle/chai';
import { deleteDB, openDB } from 'idb';
import { BackupController, backUpAllRuns, restoreBackup, type BackupOptions, type RestoreReport } from '../../src/app/backup';
import { BACKUP_MANIFEST, planBackupRun } from '../../src/app/backup-format';
import { parseBackupManifest } from '../../src/app/backup-read';
import { BlobSink, ZipWriter } from '../../src/app/backup-zip';
import { listZip, readZipFiles } from '../../src/compare/zip-reader';
import { runFileList } from '../../src/export/index';
import { applyEvent, createRunRecord, markInterrupted } from '../../src/recorder/recorder';
import type { LabRunRecord, RunRecord } from '../../src/recorder/run-record';
import { RunStore, StorageFullError, type StoredArtifact, type StoredPredictions } from '../../src/recorder/run-store';
import { gridFromProbabilities, type DecisionBoundary } from '../../src/training/decision-boundary';
import type { EpochSnapshot } from '../../src/training/types';
import { inFreshBucket, setQuota } from '../helpers/storage-quota';
import { at, epochEvent, finished, makeInit, makeSnapshot, started, TEST_RESULT } from '../helpers/run-fixtures';
import '../../src/components/tl-backup-panel';
import type { BackupView, TlBackupPanel } from '../../src/components/tl-backup-panel';

let dbCount = 0;
let dbName = '';
let store: RunStore;
const NOW = new Date(2026, 3, 2, 14, 5, 9);

const COMPLETED = 'mlp_20260315_090502';
const INTERRUPTED = 'mlp_20260315_101500';
const STOPPED = 'cnn_20260316_080000';
const PREDICTIONS: StoredPredictions = { yTrue: TEST_RESULT.yTrue, yPred: TEST_RESULT.yPred, probabilities: TEST_RESULT.probabilities, numClasses: 3 };

async function openFresh() {
  dbName = `trainlab-backup-test-${Date.now()}-${dbCount++}`;
  store = await RunStore.open(dbName);
}

beforeEach(openFresh);

afterEach(async () => {
  store.close();
  await deleteDB(dbName);
});

/** A snapshot whose weight specs describe its weights exactly: `floats` float32 values, half of them optimizer state. */
function snapshot(epoch: number, opts: { isBest?: boolean; isPeriodic?: boolean; floats?: number } = {}): EpochSnapshot {
  const floats = opts.floats ?? 64;
  const s = makeSnapshot(epoch, { ...opts, weightBytes: floats * 4 });
  s.model.weightSpecs = [
    { name: 'dense_1/kernel', shape: [floats / 2], dtype: 'float32' },
    { name: 'dense_1/kernel/m', shape: [floats / 2], dtype: 'float32', group: 'optimizer' },
  ];
  return s;
}

/** A run `id` with `epochs` epochs stored through saveEpoch (best until epoch 2, periodic every 2). */
async function savedRun(id: string, epochs: number, floats = 64, into = store): Promise<LabRunRecord> {
  let r: LabRunRecord = { ...applyEvent(createRunRecord(makeInit()), started(), at(1)), run_id: id, run_name: id };
  await into.putRun(r);
  for (let k = 1; k <= epochs; k++) {
    const snap = snapshot(k, { isBest: k <= 2, isPeriodic: k % 2 === 0, floats });
    r = await into.saveEpoch(applyEvent(r, epochEvent(k, snap, 2), at(1 + 2 * k)), snap);
  }
  return r;
}

/** Three runs: completed with predictions, interrupted after epoch 3 (latest ≠ best), stopped after epoch 2. */
async function threeRuns(into = store, floats = 64): Promise<void> {
  const done = await savedRun(COMPLETED, 4, floats, into);
  await into.saveFinal(applyEvent(done, finished('completed', 2, 4), at(12)), PREDICTIONS);
  const broken = await savedRun(INTERRUPTED, 3, floats, into);
  await into.putRun(markInterrupted(broken, at(30)));
  const stopped = await savedRun(STOPPED, 2, floats, into);
  await into.saveFinal(applyEvent(stopped, { ...finished('stopped', 2, 2), test: null, finalTest: null }, at(8)), null);
}

interface Dump {
  records: Record<string, RunRecord>;
  artifacts: Record<string, unknown>;
  predictions: Record<string, unknown>;
}

/** Every value of the three stores, as IndexedDB holds them. */
async function dump(name = dbName): Promise<Dump> {
  const db = await openDB(name);
  const all = async (s: string) => {
    const [keys, values] = await Promise.all([db.getAllKeys(s), db.getAll(s)]);
    return Object.fromEntries(keys.map((k, i) => [String(k), values[i]]));
  };
  const out = { records: await all('runs'), artifacts: await all('artifacts'), predictions: await all('predictions') } as Dump;
  db.close();
  return out;
}

/** An artifact with its weights as bytes (chai compares typed arrays, not ArrayBuffers, by content). */
function comparable(a: unknown) {
  const x = a as StoredArtifact;
  const { weightData, ...model } = x.model;
  return { ...x, model, weights: [...new Uint8Array(weightData)] };
}

/** The zip with each entry passed through `edit` (null drops it), written again. */
async function rewrite(blob: Blob, edit: (path: string, bytes: Uint8Array) => Uint8Array | string | null): Promise<Blob> {
  const files = await readZipFiles(blob, { want: () => true, nested: false });
  const sink = new BlobSink();
  const zip = new ZipWriter(sink);
  for (const f of files) {
    const data = edit(f.path, f.bytes);
    if (data !== null) await zip.add(f.path, data, { date: NOW, store: f.path.endsWith('.bin') });
  }
  await zip.finish();
  return sink.blob();
}

const statusOf = (r: RestoreReport) => Object.fromEntries(r.outcomes.map((o) => [o.run_id, o.status]));
const detailOf = (r: RestoreReport, id: string) => r.outcomes.find((o) => o.run_id === id)?.detail ?? '';

/** Backs up every run of the test's store as a Blob, at NOW. */
async function backUp(opts: BackupOptions = {}) {
  const r = await backUpAllRuns(store, { now: NOW, ...opts });
  if (!r.blob) throw new Error('no blob');
  return { ...r, blob: r.blob };
}

/** Starts over with an empty database (what a browser that evicted the storage has). */
async function emptyDatabase() {
  store.close();
  await deleteDB(dbName);
  await openFresh();
}

describe('backup and restore', () => {
  it('backs up every run (run folder without figures + _restore) and restores each exactly, resumable included', async () => {
    await threeRuns();
    const before = await dump();
    expect(Object.keys(before.records)).to.have.length(3);
    const steps: number[] = [];
    const backup = await backUp({ onProgress: (f) => steps.push(f) });
    expect(backup.fileName).to.equal('trainlab-backup_20260402_140509.zip');
    expect(backup.runs.map((r) => r.run_id)).to.have.members([COMPLETED, INTERRUPTED, STOPPED]);
    expect(backup.notBackedUp).to.deep.equal([]);
    expect(steps[steps.length - 1]).to.equal(1);
    expect(steps.every((f, i) => i === 0 || f >= steps[i - 1])).to.equal(true, 'progress only grows');

    // The layout: each run's folder as run.zip has it, figures left out, plus _restore/.
    const paths = (await listZip(backup.blob)).map((e) => e.path);
    const manifest = parseBackupManifest(new TextDecoder().decode((await readZipFiles(backup.blob, { want: (p) => p === BACKUP_MANIFEST }))[0].bytes));
    expect(manifest).to.deep.include({ format: 'trainlab-backup', version: 1, app_version: '0.1.0' });
    expect(manifest.created).to.match(/^2026-04-02T14:05:09\.000[+-]\d\d:\d\d$/);
    const done = before.records[COMPLETED] as LabRunRecord;
    const folder = runFileList(done, { best: {}, checkpoints: [{ epoch: 2 }, { epoch: 4 }] }).filter((p) => !/\.(png|pdf)$/.test(p));
    const restoreFiles = ['record.json', 'manifest.json', 'predictions.bin'].map((f) => `${COMPLETED}/_restore/${f}`);
    expect(paths.filter((p) => p.startsWith(`${COMPLETED}/`))).to.have.members([...folder, ...restoreFiles]);
    expect(paths.some((p) => /\.(png|pdf)$/.test(p))).to.equal(false);
    const readme = new TextDecoder().decode((await readZipFiles(backup.blob, { want: (p) => p === `${COMPLETED}/README.txt` }))[0].bytes);
    expect(readme.replace(/\s+/g, ' ')).to.include('figures are not kept in a backup');
    // The interrupted run's latest snapshot (epoch 3) is neither best nor periodic: it is kept under _restore/.
    expect(paths).to.include(`${INTERRUPTED}/_restore/snapshot_2.bin`);

    await emptyDatabase();
    expect((await dump()).records).to.deep.equal({});
    const report = await restoreBackup(store, backup.blob, { name: backup.fileName });
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored', [STOPPED]: 'restored' });
    expect(report.stopped).to.equal(false);
    expect(detailOf(report, INTERRUPTED)).to.match(/can be resumed from epoch 3/);
    expect(detailOf(report, STOPPED)).to.match(/can be resumed from epoch 2/);

    const after = await dump();
    expect(after.records).to.deep.equal(before.records);
    expect(Object.keys(after.artifacts).sort()).to.deep.equal(Object.keys(before.artifacts).sort());
    for (const key of Object.keys(before.artifacts)) expect(comparable(after.artifacts[key]), key).to.deep.equal(comparable(before.artifacts[key]));
    expect(after.predictions).to.deep.equal(before.predictions);
    expect(await store.getPredictions(COMPLETED)).to.deep.equal(PREDICTIONS);

    // The interrupted run resumes from its latest snapshot, with the weights it had.
    const { Recording } = await import('../../src/recorder/recording');
    const interrupted = (await store.getRun(INTERRUPTED)) as LabRunRecord;
    const { recording, from } = await Recording.resume(store, interrupted);
    try {
      expect(from.state.epoch).to.equal(3);
      expect(new Uint8Array(from.model.weightData)).to.deep.equal(new Uint8Array(snapshot(3).model.weightData));
      expect(new Uint8Array(from.best!.weightData)).to.deep.equal(new Uint8Array(snapshot(2).model.weightData));
      expect(recording.record.status).to.equal('running');
    } finally {
      recording.end();
    }
  });

  it('restoring twice finds every run already there and writes nothing', async () => {
    await threeRuns();
    const { blob } = await backUp();
    const first = await restoreBackup(store, blob);
    expect(statusOf(first)).to.deep.equal({ [COMPLETED]: 'already', [INTERRUPTED]: 'already', [STOPPED]: 'already' });
    await emptyDatabase();
    await restoreBackup(store, blob);
    const restored = await dump();
    const again = await restoreBackup(store, blob);
    expect(statusOf(again)).to.deep.equal({ [COMPLETED]: 'already', [INTERRUPTED]: 'already', [STOPPED]: 'already' });
    expect(detailOf(again, COMPLETED)).to.match(/same id and end time/);
    const now = await dump();
    expect(now.records).to.deep.equal(restored.records);
    expect(Object.keys(now.artifacts)).to.deep.equal(Object.keys(restored.artifacts));
  });

  it('keeps a different run stored under the same id and refuses the backed-up one', async () => {
    await threeRuns();
    const { blob } = await backUp();
    await emptyDatabase();
    const other = await savedRun(STOPPED, 1); // same id, still running: another run
    const report = await restoreBackup(store, blob);
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored', [STOPPED]: 'refused' });
    expect(detailOf(report, STOPPED)).to.match(/another version of this run is stored .*the stored run is kept/);
    expect(await store.getRun(STOPPED)).to.deep.equal(other);
  });

  it('refuses a run whose record is not JSON or not a run record; restores the others; stores nothing of it', async () => {
    await threeRuns();
    const { blob } = await backUp();
    const badJson = await rewrite(blob, (p, b) => (p === `${INTERRUPTED}/_restore/record.json` ? '{"schema_version": 2, "run_id": ' : b));
    const badField = await rewrite(blob, (p, b) => {
      if (p !== `${STOPPED}/_restore/record.json`) return b;
      const r = JSON.parse(new TextDecoder().decode(b));
      r.history[1].val_acc = 'high';
      return JSON.stringify(r);
    });
    await emptyDatabase();
    const report = await restoreBackup(store, badJson);
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'refused', [STOPPED]: 'restored' });
    expect(detailOf(report, INTERRUPTED)).to.match(/^_restore\/record\.json: .*JSON/);
    const second = await restoreBackup(store, badField);
    expect(statusOf(second)).to.deep.equal({ [COMPLETED]: 'already', [INTERRUPTED]: 'restored', [STOPPED]: 'refused' });
    await emptyDatabase();
    const third = await restoreBackup(store, badField);
    expect(detailOf(third, STOPPED)).to.equal('_restore/record.json: run record: history[1].val_acc must be a number (got "high")');
    const d = await dump();
    expect(Object.keys(d.records).sort()).to.deep.equal([COMPLETED, INTERRUPTED].sort());
    expect(Object.keys(d.artifacts).filter((k) => k.startsWith(`${STOPPED}/`))).to.deep.equal([], 'nothing of the refused run');
  });

  it('refuses a run with damaged weights, a snapshot of another run or sizes that disagree; nothing half-written', async () => {
    await threeRuns();
    const { blob } = await backUp();
    // Weights four bytes short (a consistent zip entry, but not the size the manifest and specs say).
    const shortWeights = await rewrite(blob, (p, b) => (p === `${COMPLETED}/best_model/weights.bin` ? b.subarray(0, b.length - 4) : b));
    const foreignKey = await rewrite(blob, (p, b) => {
      if (p !== `${INTERRUPTED}/_restore/manifest.json`) return b;
      const m = JSON.parse(new TextDecoder().decode(b));
      m.snapshots[0].key = `${COMPLETED}/epoch_1`;
      return JSON.stringify(m);
    });
    const badSpecs = await rewrite(blob, (p, b) => {
      if (p !== `${STOPPED}/_restore/manifest.json`) return b;
      const m = JSON.parse(new TextDecoder().decode(b));
      m.snapshots[0].model.weightSpecs[0].shape = [1e6];
      return JSON.stringify(m);
    });
    const cases: [Blob, string, RegExp][] = [
      [shortWeights, COMPLETED, /best_model\/weights\.bin holds 252 bytes, the manifest says 256/],
      [foreignKey, INTERRUPTED, /key "mlp_20260315_090502\/epoch_1" does not belong to run mlp_20260315_101500/],
      [badSpecs, STOPPED, /weight specs describe \d+ bytes but weights_bytes is 256/],
    ];
    for (const [damaged, id, why] of cases) {
      await emptyDatabase();
      const report = await restoreBackup(store, damaged);
      const expected = Object.fromEntries([COMPLETED, INTERRUPTED, STOPPED].map((x) => [x, x === id ? 'refused' : 'restored']));
      expect(statusOf(report)).to.deep.equal(expected);
      expect(detailOf(report, id)).to.match(why);
      const d = await dump();
      expect(Object.keys(d.records).sort()).to.deep.equal([COMPLETED, INTERRUPTED, STOPPED].filter((x) => x !== id).sort());
      expect(Object.keys(d.artifacts).filter((k) => k.startsWith(`${id}/`))).to.deep.equal([], `nothing of ${id}`);
      expect(d.predictions[id]).to.equal(undefined);
    }
  });

  it('a corrupted entry (CRC) refuses its run only', async () => {
    await threeRuns();
    const { blob } = await backUp();
    const entries = await listZip(blob);
    expect(entries.find((e) => e.path === `${INTERRUPTED}/_restore/snapshot_2.bin`)!.method).to.equal(0, 'stored');
    const damaged = await flipByte(blob, `${INTERRUPTED}/_restore/snapshot_2.bin`, 10); // one flipped byte inside the stored weights
    await emptyDatabase();
    const report = await restoreBackup(store, damaged);
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'refused', [STOPPED]: 'restored' });
    expect(detailOf(report, INTERRUPTED)).to.match(/CRC-32/);
    expect(Object.keys((await dump()).artifacts).filter((k) => k.startsWith(INTERRUPTED))).to.deep.equal([]);
  });

  it('refuses a run whose record.json declares more than 64 MB before reading it', async () => {
    await threeRuns();
    const { blob } = await backUp();
    // Valid JSON padded with 65 MB of spaces: it deflates to little, but declares its full size.
    const padded = await rewrite(blob, (p, b) => (p === `${STOPPED}/_restore/record.json` ? new TextDecoder().decode(b) + ' '.repeat(65 * 2 ** 20) : b));
    await emptyDatabase();
    const report = await restoreBackup(store, padded);
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored', [STOPPED]: 'refused' });
    expect(detailOf(report, STOPPED)).to.match(/_restore\/record\.json declares 68\.2 MB, past the 67\.1 MB limit for one file; it is not read/);
  });

  it('a truncated or foreign zip is refused as a whole with the reason; nothing is stored', async () => {
    await threeRuns();
    const { blob } = await backUp();
    await emptyDatabase();
    const cut = await restoreBackup(store, blob.slice(0, Math.floor(blob.size / 2)), { name: 'backup.zip' }).catch((e: Error) => e);
    expect(cut).to.be.instanceOf(Error);
    expect((cut as Error).name).to.equal('BackupFormatError');
    expect((cut as Error).message).to.match(/^backup\.zip cannot be read: not a zip file/);
    const runZip = await rewrite(blob, (p, b) => (p.startsWith(`${COMPLETED}/`) ? b : null));
    const foreign = await restoreBackup(store, runZip, { name: 'run.zip' }).catch((e: Error) => e);
    expect((foreign as Error).message).to.match(/^run\.zip is not a TrainLab backup: it has no backup_manifest\.json/);
    const newer = await rewrite(blob, (p, b) => (p === BACKUP_MANIFEST ? JSON.stringify({ ...JSON.parse(new TextDecoder().decode(b)), version: 9 }) : b));
    const future = await restoreBackup(store, newer, { name: 'new.zip' }).catch((e: Error) => e);
    expect((future as Error).message).to.match(/written by a newer TrainLab \(backup format 9\)/);
    expect((await dump()).records).to.deep.equal({});
  });

  it('a run that does not fit in storage is refused whole (one transaction); smaller runs are restored', async () => {
    // A large run (2 × 4 MB snapshots) and the three small ones.
    await savedRun('mlp_big', 2, 1_000_000);
    await threeRuns();
    const { blob } = await backUp();
    const { usage } = (await store.estimate()) ?? { usage: 0 };
    await setQuota(usage + 3_000_000);
    try {
      await inFreshBucket(async () => {
        const full = await RunStore.open('backup-quota-test');
        try {
          const report = await restoreBackup(full, blob);
          expect(statusOf(report)).to.deep.equal({ mlp_big: 'refused', [COMPLETED]: 'restored', [INTERRUPTED]: 'restored', [STOPPED]: 'restored' });
          expect(detailOf(report, 'mlp_big')).to.match(/^storage is full: could not restore mlp_big/);
          expect(await full.getRun('mlp_big')).to.equal(undefined);
          expect(await full.getArtifact('mlp_big/epoch_1')).to.equal(undefined);
          expect(await full.getArtifact('mlp_big/epoch_2')).to.equal(undefined);
          await setQuota(null);
          const again = await restoreBackup(full, blob);
          expect(statusOf(again).mlp_big).to.equal('restored');
        } finally {
          full.close();
        }
      });
    } finally {
      await setQuota(null);
    }
    expect(StorageFullError.name).to.equal('StorageFullError');
  });

  it('restoreRun stores all of a run or nothing: a snapshot that cannot be cloned aborts the whole transaction', async () => {
    await threeRuns();
    const run = (await store.readRunForBackup(INTERRUPTED))!;
    const snapshots = run.snapshots.map((x) => ({ key: x.key, artifact: x.artifact! }));
    await emptyDatabase();
    const bad = snapshots.map((x, i) => (i === 1 ? { ...x, artifact: { ...x.artifact, model: { ...x.artifact.model, modelTopology: { build: () => 0 } } } } : x));
    const error = await store.restoreRun(run.record, bad, null).catch((e: Error) => e);
    expect(error).to.have.property('name', 'DataCloneError');
    const d = await dump();
    expect([Object.keys(d.records), Object.keys(d.artifacts)]).to.deep.equal([[], []], 'the first snapshot, put before the failure, was rolled back');
    expect(await store.restoreRun(run.record, snapshots, null)).to.deep.equal({ restored: true });
    expect(Object.keys((await dump()).artifacts)).to.have.length(2);
  });

  it('a run that was training when backed up comes back interrupted and resumable; ZIP64 layout reads back', async () => {
    const running = await savedRun(COMPLETED, 3);
    const backup = await backUp({ zip64: 'always' });
    const plain = await backUp();
    expect(backup.blob.size).to.be.greaterThan(plain.blob.size);
    await emptyDatabase();
    const report = await restoreBackup(store, backup.blob, { now: () => at(99) });
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored' });
    expect(detailOf(report, COMPLETED)).to.match(/was training when backed up: restored as interrupted after epoch 3; can be resumed from epoch 3/);
    expect(await store.getRun(COMPLETED)).to.deep.equal(markInterrupted(running, at(99)));
  });

  it('keeps the earlier snapshot layout (one copy per role, with its kind) as it was', async () => {
    const r = await savedRun(COMPLETED, 1);
    const raw = await openDB(dbName);
    const copy = await raw.get('artifacts', `${COMPLETED}/epoch_1`);
    await raw.delete('artifacts', `${COMPLETED}/epoch_1`);
    await raw.put('artifacts', { ...copy, kind: 'latest' }, `${COMPLETED}/latest`);
    await raw.put('artifacts', { ...copy, kind: 'best' }, `${COMPLETED}/best`);
    await raw.put('runs', markInterrupted({ ...r, checkpoints: r.checkpoints.map((c) => ({ ...c, key: `${COMPLETED}/${c.kind}` })) }, at(9)), COMPLETED);
    raw.close();
    const before = await dump();
    const { blob } = await backUp();
    await emptyDatabase();
    expect(statusOf(await restoreBackup(store, blob))).to.deep.equal({ [COMPLETED]: 'restored' });
    const after = await dump();
    expect(after.records).to.deep.equal(before.records);
    expect(Object.keys(after.artifacts).sort()).to.deep.equal([`${COMPLETED}/best`, `${COMPLETED}/latest`]);
    for (const key of Object.keys(before.artifacts)) expect(comparable(after.artifacts[key])).to.deep.equal(comparable(before.artifacts[key]));
  });

  it('backs up an imported run that is not lab-shaped (no run folder: _restore/ only) and restores it as imported', async () => {
    const lab = await savedRun(COMPLETED, 1);
    const imported: RunRecord = {
      ...lab, run_id: 'ref_run', run_name: 'ref_run', checkpoints: [], status: 'completed', end_time: lab.start_time,
      origin: { kind: 'imported', file: 'runs.zip', path: 'ref_run', format: 'reference', imported_at: '2026-04-01T10:00:00.000+02:00' },
      config: { ...lab.config, batch_size: null, optimizer: 'AdamW', device: 'cuda' },
    };
    await store.putRun(imported);
    await store.putRun(markInterrupted(lab, at(5)));
    const backup = await backUp();
    expect(backup.runs.find((r) => r.run_id === 'ref_run')).to.deep.include({ folder: false });
    const paths = (await listZip(backup.blob)).map((e) => e.path).filter((p) => p.startsWith('ref_run/'));
    expect(paths.sort()).to.deep.equal(['ref_run/_restore/manifest.json', 'ref_run/_restore/record.json']);
    const before = await dump();
    await emptyDatabase();
    expect(statusOf(await restoreBackup(store, backup.blob))).to.deep.equal({ [COMPLETED]: 'restored', ref_run: 'restored' });
    expect((await dump()).records).to.deep.equal(before.records);
  });

  it('lists damaged records as not backed up, leaves out a missing snapshot with a note, and stops on abort', async () => {
    await threeRuns();
    const raw = await openDB(dbName);
    await raw.put('runs', { schema_version: 2, run_id: 'junk' }, 'junk');
    await raw.delete('artifacts', `${INTERRUPTED}/epoch_3`);
    raw.close();
    const backup = await backUp();
    expect(backup.notBackedUp.map((x) => x.run_id)).to.deep.equal(['junk']);
    expect(backup.notBackedUp[0].reason).to.match(/^the stored record cannot be read: run record/);
    const plan = planBackupRun((await store.readRunForBackup(INTERRUPTED))!);
    expect(plan.manifest.missing_snapshots).to.deep.equal([{ key: `${INTERRUPTED}/epoch_3`, reason: 'not stored' }]);
    await emptyDatabase();
    const report = await restoreBackup(store, backup.blob);
    expect(report.notInBackup.map((x) => x.run_id)).to.deep.equal(['junk']);
    expect(detailOf(report, INTERRUPTED)).to.match(/1 snapshot the backup did not hold/);
    expect(detailOf(report, INTERRUPTED)).to.not.match(/can be resumed/);

    await emptyDatabase();
    const abort = new AbortController();
    const stopped = await restoreBackup(store, backup.blob, { signal: abort.signal, onProgress: (_f, text) => text.includes('Run 2 of') && abort.abort() });
    expect(stopped.stopped).to.equal(true);
    expect(stopped.outcomes.map((o) => o.status)).to.deep.equal(['restored']);
    expect(Object.keys((await dump()).records)).to.have.length(1, 'the run under way when cancelled was not half-written');
    const cancelled = new AbortController();
    cancelled.abort();
    const err = await backUpAllRuns(store, { signal: cancelled.signal }).catch((e: Error) => e);
    expect((err as Error).name).to.equal('AbortError');
  });
});

/** A 5×5 boundary of three classes over 7 points, every array's values distinct enough to catch a shifted byte. */
function boundary(): DecisionBoundary {
  const size = 5;
  const probs = Float32Array.from({ length: size * size * 3 }, (_, i) => ((i * 7) % 11) / 11 + i / 1000);
  return {
    grid: gridFromProbabilities(probs, 3, { xMin: -1.5, xMax: 2.25, yMin: -0.75, yMax: 3 }, size, 4),
    points: {
      x: Float32Array.from([0.1, -1.2, 1.7, 0.3, 2.1, -0.4, 1.1]), y: Float32Array.from([2.5, 0.1, -0.6, 1.3, 0.8, 2.9, 0.2]),
      label: Int32Array.from([0, 1, 2, 0, 1, 2, 1]), part: Uint8Array.from([0, 0, 1, 2, 2, 2, 0]), predicted: Int32Array.from([-1, -1, -1, 0, 2, 2, -1]),
    },
  };
}

/** The test rows' indices into a 60-row dataset, in the test part's order. */
const ROW_INDEX = Int32Array.from([41, 3, 17, 58, 0, 26, 9, 33, 50]);
const LEARNED = { ...PREDICTIONS, rowIndex: ROW_INDEX };
const MAP_FILE = `${COMPLETED}/_restore/decision_boundary.bin`;
const RUN_MANIFEST = `${COMPLETED}/_restore/manifest.json`;

/** COMPLETED with row indices and a decision boundary; the interrupted run as before (neither). */
async function learnedRuns(): Promise<void> {
  const done = await savedRun(COMPLETED, 4);
  await store.saveFinal(applyEvent(done, finished('completed', 2, 4), at(12)), LEARNED, boundary());
  await store.putRun(markInterrupted(await savedRun(INTERRUPTED, 3), at(30)));
}

/** The zip with COMPLETED's run manifest passed through `edit` (other entries as they are, unless `entry` changes them). */
function editManifest(blob: Blob, edit: (m: Record<string, any>) => void, entry: (p: string, b: Uint8Array) => Uint8Array | string | null = (_p, b) => b) {
  return rewrite(blob, (p, b) => {
    if (p !== RUN_MANIFEST) return entry(p, b);
    const m = JSON.parse(new TextDecoder().decode(b));
    edit(m);
    return JSON.stringify(m);
  });
}

/** The zip with one byte of the stored entry `path` flipped (its CRC-32 no longer matches). */
async function flipByte(blob: Blob, path: string, at: number): Promise<Blob> {
  const target = (await listZip(blob)).find((e) => e.path === path)!;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  bytes[target.localHeaderOffset + 30 + new TextEncoder().encode(target.path).length + at] ^= 0xff;
  return new Blob([bytes]);
}

describe('backup and restore: row indices and decision boundaries', () => {
  it('carries the test rows\' indices and the decision boundary through backup and restore exactly', async () => {
    await learnedRuns();
    const before = await dump();
    const backup = await backUp();
    const files = await readZipFiles(backup.blob, { want: (p) => p.startsWith(`${COMPLETED}/`) });
    const textOf = (p: string) => new TextDecoder().decode(files.find((f) => f.path === p)!.bytes);
    const m = JSON.parse(textOf(RUN_MANIFEST));
    expect(m.predictions).to.deep.equal({ file: '_restore/predictions.bin', samples: 9, num_classes: 3, row_index: true });
    expect(m.decision_boundary).to.deep.equal({ file: '_restore/decision_boundary.bin', epoch: 4, size: 5, x_min: -1.5, x_max: 2.25, y_min: -0.75, y_max: 3, points: 7 });
    expect(files.find((f) => f.path === MAP_FILE)!.bytes.byteLength).to.equal(5 * 5 * 5 + 7 * 17);
    expect(files.find((f) => f.path === `${COMPLETED}/_restore/predictions.bin`)!.bytes.byteLength).to.equal(9 * 8 + 27 * 4 + 9 * 4);
    expect(textOf(`${COMPLETED}/test_predictions.csv`).split('\n')[1]).to.match(/,41\r?$/);
    expect(textOf(`${COMPLETED}/README.txt`).replace(/\s+/g, ' ')).to.match(/decision_boundary\.png\/\.pdf: figures are not kept in a backup/);
    const other = JSON.parse(new TextDecoder().decode((await readZipFiles(backup.blob, { want: (p) => p === `${INTERRUPTED}/_restore/manifest.json` }))[0].bytes));
    expect([other.predictions, other.decision_boundary]).to.deep.equal([null, null]);

    await emptyDatabase();
    const report = await restoreBackup(store, backup.blob);
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored' });
    expect(detailOf(report, COMPLETED)).to.match(/test predictions; decision boundary/);
    expect(report.notes).to.deep.equal([]);
    const restored = (await store.getPredictions(COMPLETED))!;
    expect([...restored.rowIndex!]).to.deep.equal([...ROW_INDEX]);
    expect(restored).to.deep.equal(LEARNED);
    const map = (await store.getDecisionBoundary(COMPLETED))!;
    const b = boundary();
    for (const k of ['classes', 'confidence'] as const) expect([...map.grid[k]], k).to.deep.equal([...b.grid[k]]);
    for (const k of ['x', 'y', 'label', 'part', 'predicted'] as const) expect([...map.points[k]], k).to.deep.equal([...b.points[k]]);
    expect(map).to.deep.equal(b);
    const after = await dump();
    expect(after.predictions).to.deep.equal(before.predictions);
    expect(after.artifacts[`${COMPLETED}/decision_boundary`]).to.deep.equal(before.artifacts[`${COMPLETED}/decision_boundary`]);
    expect(await store.getDecisionBoundary(INTERRUPTED)).to.equal(undefined);
    expect((await store.usage({ rescan: true })).bytesByRun[COMPLETED]).to.equal((await store.usage()).bytesByRun[COMPLETED], 'the ledger counts the boundary');
  });

  it('restores a backup made before row indices and boundaries were kept; checks the row indices\' size', async () => {
    await learnedRuns();
    const { blob } = await backUp();
    // The same backup as an older TrainLab wrote it: no row_index, no decision_boundary, predictions.bin without the indices.
    const older = await editManifest(blob, (m) => {
      delete m.predictions.row_index;
      delete m.decision_boundary;
    }, (p, b) => (p === MAP_FILE ? null : p === `${COMPLETED}/_restore/predictions.bin` ? b.slice(0, b.length - 9 * 4) : b));
    expect((await listZip(older)).some((e) => e.path === MAP_FILE)).to.equal(false);
    await emptyDatabase();
    const report = await restoreBackup(store, older);
    expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored' });
    expect(detailOf(report, COMPLETED)).to.not.match(/boundary/);
    expect(report.notes).to.deep.equal([]);
    expect(await store.getPredictions(COMPLETED)).to.deep.equal(PREDICTIONS);
    expect(await store.getDecisionBoundary(COMPLETED)).to.equal(undefined);

    // row_index: true over a file without the indices is a damaged predictions.bin: the run is refused, as before.
    const short = await rewrite(blob, (p, b) => (p === `${COMPLETED}/_restore/predictions.bin` ? b.slice(0, b.length - 4) : b));
    await emptyDatabase();
    const refused = await restoreBackup(store, short);
    expect(statusOf(refused)[COMPLETED]).to.equal('refused');
    expect(detailOf(refused, COMPLETED)).to.equal('_restore/predictions.bin holds 212 bytes; 9 samples × 3 classes and their row indices need 216');
  });

  it('a damaged boundary (file, values or manifest entry) is left out with a note; the run is restored without it', async () => {
    await learnedRuns();
    const { blob } = await backUp();
    const cellsAt = 5 * 5 * 4 + 7 * 16; // the classes follow the confidences and the points' floats and ints
    const cases: [string, Blob, RegExp][] = [
      ['short file', await rewrite(blob, (p, b) => (p === MAP_FILE ? b.subarray(0, b.length - 1) : b)), /_restore\/decision_boundary\.bin holds 243 bytes; a 5×5 grid and 7 points need 244$/],
      ['class out of range', await rewrite(blob, (p, b) => (p === MAP_FILE ? (b = b.slice(), (b[cellsAt + 6] = 3), b) : b)), /decision_boundary\.bin: cell 6 has class 3, but the run has 3 classes$/],
      ['entry not an object', await editManifest(blob, (m) => (m.decision_boundary = 'grid')), /_restore\/manifest\.json: decision_boundary must be an object$/],
      ['size not a number', await editManifest(blob, (m) => (m.decision_boundary.size = 'big')), /manifest\.json: decision_boundary\.size must be a non-negative integer$/],
      ['points disagree', await editManifest(blob, (m) => (m.decision_boundary.points = 8)), /a 5×5 grid and 8 points need 261$/],
      ['file missing', await rewrite(blob, (p, b) => (p === MAP_FILE ? null : b)), /decision_boundary\.bin is missing from the backup$/],
      ['CRC', await flipByte(blob, MAP_FILE, 20), /CRC-32/],
    ];
    for (const [what, damaged, why] of cases) {
      await emptyDatabase();
      const report = await restoreBackup(store, damaged);
      expect(statusOf(report), what).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored' });
      expect(report.notes, what).to.have.length(1);
      expect(report.notes[0], what).to.match(new RegExp(`^${COMPLETED}: decision boundary left out: `));
      expect(report.notes[0], what).to.match(why);
      expect(detailOf(report, COMPLETED), what).to.match(/decision boundary left out \(see the notes\)/);
      expect(await store.getDecisionBoundary(COMPLETED), what).to.equal(undefined);
      expect(await store.getPredictions(COMPLETED), what).to.deep.equal(LEARNED);
    }

    // The backup leaves out a boundary that does not fit the run, with a note, and backs up the rest.
    const run = (await store.readRunForBackup(COMPLETED))!;
    const bad = boundary();
    bad.points.label[2] = 5;
    const plan = planBackupRun({ ...run, boundary: bad });
    expect(plan.notes).to.deep.equal(["decision boundary left out: point 2 has label 5, not a class of the run's 3"]);
    expect(plan.manifest.decision_boundary).to.equal(null);
    expect(plan.files.some((f) => f.path === '_restore/decision_boundary.bin')).to.equal(false);
    expect(planBackupRun({ ...run, boundary: boundary() }).manifest.decision_boundary).to.include({ size: 5, points: 7 });
  });

  it('shows a restore\'s notes in the panel controller', async () => {
    await learnedRuns();
    const { blob } = await backUp();
    const damaged = await rewrite(blob, (p, b) => (p === MAP_FILE ? b.subarray(0, 10) : b));
    await emptyDatabase();
    let updates = 0;
    const c = new BackupController({ addController() {}, removeController() {}, requestUpdate: () => updates++, updateComplete: Promise.resolve(true) }, async () => store, () => {});
    await c.restore(new File([damaged], 'b.zip'));
    expect(c.view.summary).to.match(/2 runs restored/);
    expect(c.view.notes).to.have.length(1);
    expect(c.view.notes[0]).to.match(new RegExp(`^${COMPLETED}: decision boundary left out: _restore/decision_boundary\\.bin holds 10 bytes`));
    expect(updates).to.be.greaterThan(0);
  });
});

describe('backup to a file and the panel controller', () => {
  /** A file in the origin-private file system: the same FileSystemWritableFileStream a picked file gives. */
  async function opfsFile(name: string) {
    const root = await navigator.storage.getDirectory();
    return { root, handle: await root.getFileHandle(name, { create: true }) };
  }

  it('writes the backup straight to a file, restorable from it; a cancelled one leaves the file as it was', async () => {
    await threeRuns();
    const { root, handle } = await opfsFile('backup-test.zip');
    try {
      const r = await backUpAllRuns(store, { now: NOW, target: await handle.createWritable() });
      expect(r.blob).to.equal(null);
      const file = await handle.getFile();
      expect(file.size).to.equal(r.bytes);
      await emptyDatabase();
      const report = await restoreBackup(store, file);
      expect(statusOf(report)).to.deep.equal({ [COMPLETED]: 'restored', [INTERRUPTED]: 'restored', [STOPPED]: 'restored' });

      const abort = new AbortController();
      const failed = await backUpAllRuns(store, { target: await handle.createWritable(), signal: abort.signal, onProgress: (_f, t) => t.includes('run 2 of') && abort.abort() }).catch((e: Error) => e);
      expect((failed as Error).name).to.equal('AbortError');
      expect((await handle.getFile()).size).to.equal(r.bytes, 'the aborted write did not replace the file');
    } finally {
      await root.removeEntry('backup-test.zip');
    }
  });

  function controller(opts: ConstructorParameters<typeof BackupController>[3] = {}) {
    let restored = 0;
    const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
    const c = new BackupController(host, async () => store, () => restored++, opts);
    return { c, restoredCalls: () => restored };
  }

  it('downloads a small backup; writes a large one to the picked file; a closed dialog cancels; no dialog falls back to a download', async () => {
    await threeRuns();
    const saved: string[] = [];
    const save = (blob: Blob, name: string) => saved.push(`${name} ${blob.size}`);
    const small = controller({ save, pickFile: async () => { throw new Error('not asked for a small store'); } });
    await small.c.backUp();
    expect(small.c.view.error).to.equal('');
    expect(saved).to.have.length(1);
    expect(saved[0]).to.match(/^trainlab-backup_\d{8}_\d{6}\.zip \d+$/);
    expect(small.c.view.summary).to.match(/^Backed up 3 runs \([\d.]+ kB\) to trainlab-backup_\d{8}_\d{6}\.zip in [\d.]+ s\.$/);

    const { root, handle } = await opfsFile('picked.zip');
    try {
      const large = controller({ save, largeBytes: 0, pickFile: async (name) => (expect(name).to.match(/^trainlab-backup_/), { name: 'picked.zip', target: await handle.createWritable() }) });
      await large.c.backUp();
      expect(large.c.view.summary).to.match(/^Backed up 3 runs \([\d.]+ kB\) written to picked\.zip in/);
      expect(saved).to.have.length(1, 'no download');
      expect((await handle.getFile()).size).to.be.greaterThan(1000);
    } finally {
      await root.removeEntry('picked.zip');
    }

    const closed = controller({ save, largeBytes: 0, pickFile: async () => { throw new DOMException('The user aborted a request.', 'AbortError'); } });
    await closed.c.backUp();
    expect([closed.c.view.summary, closed.c.view.error]).to.deep.equal(['Backup cancelled.', '']);
    const refused = controller({ save, largeBytes: 0, pickFile: async () => { throw new DOMException('Must be handling a user gesture', 'SecurityError'); } });
    await refused.c.backUp();
    expect(saved).to.have.length(2, 'downloaded instead');
    expect(refused.c.view.notes[0]).to.match(/^No file could be opened to write to \(Must be handling a user gesture\): the backup is built in memory and downloaded instead\.$/);
  });

  it('restores through the controller: the per-run report, the list re-read, a bad file shown as an error', async () => {
    await threeRuns();
    const { blob } = await backUp();
    await emptyDatabase();
    const { c, restoredCalls } = controller();
    await c.restore(new File([blob], 'trainlab-backup_20260402_140509.zip'));
    expect(c.view.busy).to.equal(null);
    expect(c.view.summary).to.match(/^From trainlab-backup_20260402_140509\.zip \(made 2026-04-02T14:05:09\.000[+-]\d\d:\d\d\): 3 runs restored, 0 already there, 0 refused\.$/);
    expect(c.view.outcomes.map((o) => o.status)).to.deep.equal(['restored', 'restored', 'restored']);
    expect(restoredCalls()).to.equal(1);
    await c.restore(new File(['not a zip at all'], 'notes.zip'));
    expect(c.view.error).to.match(/^Restore failed: notes\.zip cannot be read: not a zip file/);
    expect(c.view.outcomes).to.deep.equal([]);
    expect(restoredCalls()).to.equal(2);
  });
});

describe('<tl-backup-panel>', () => {
  async function panel(view: Partial<BackupView>, runCount = 2): Promise<TlBackupPanel> {
    const el = document.createElement('tl-backup-panel');
    el.view = { busy: null, progress: 0, status: '', error: '', summary: '', notes: [], outcomes: [], ...view };
    el.runCount = runCount;
    document.body.append(el);
    await el.updateComplete;
    return el;
  }
  afterEach(() => document.querySelectorAll('tl-backup-panel').forEach((e) => e.remove()));

  it('raises backup-create and backup-restore (with the picked file); shows progress, errors and the per-run report', async () => {
    const el = await panel({});
    const events: string[] = [];
    el.addEventListener('backup-create', () => events.push('create'));
    el.addEventListener('backup-restore', (e) => events.push(`restore ${(e as CustomEvent<File>).detail.name}`));
    const buttons = [...el.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent?.trim())).to.deep.equal(['Back up all runs', 'Restore from backup…']);
    buttons[0].click();
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const dt = new DataTransfer();
    dt.items.add(new File(['x'], 'trainlab-backup_20260402_140509.zip'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    expect(events).to.deep.equal(['create', 'restore trainlab-backup_20260402_140509.zip']);

    el.view = { ...el.view, busy: 'restore', progress: 0.5, status: 'Run 2 of 4: Storing x' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('progress')?.getAttribute('aria-label')).to.equal('Restore progress');
    expect([...el.shadowRoot!.querySelectorAll('button')].map((b) => [b.textContent?.trim(), b.disabled])).to.deep.equal([
      ['Back up all runs', true], ['Restore from backup…', true], ['Cancel', false],
    ]);
    el.view = {
      ...el.view, busy: null, error: 'Restore failed: x.zip cannot be read', summary: '1 run restored, 0 already there, 1 refused.',
      outcomes: [{ run_id: 'a', status: 'restored', detail: '2 snapshots' }, { run_id: '<b>', status: 'refused', detail: 'record.json: bad' }],
    };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')?.textContent).to.equal('Restore failed: x.zip cannot be read');
    const rows = [...el.shadowRoot!.querySelectorAll('table[aria-label="Restored runs"] tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent).join(' '));
    expect(rows).to.deep.equal(['a restored 2 snapshots', '<b> refused record.json: bad']);
  });

  it('offers no backup while there is no run', async () => {
    const el = await panel({}, 0);
    expect(el.shadowRoot!.querySelector('button')?.disabled).to.equal(true);
  });
});
