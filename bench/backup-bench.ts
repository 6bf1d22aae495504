// Times Back up all runs and Restore on N stored MNIST-size runs (MLP with Adam state: best model,
// checkpoints every 5 of 20 epochs, 1,500 test predictions), with the main thread's long tasks
// meanwhile. Driven by bench/run-backup-bench.mjs.
import * as tf from '@tensorflow/tfjs';
import { deleteDB } from 'idb';
import { backUpAllRuns, restoreBackup } from '../src/app/backup';
import type { CheckpointRef } from '../src/recorder/run-record';
import { RunStore, type StoredArtifact } from '../src/recorder/run-store';
import { mnistLikeRun } from '../test/fixtures/export-fixtures';
import { savedMlp } from '../test/fixtures/export-models';

declare global {
  interface Window { __backupBench?: unknown }
}

const params = new URLSearchParams(location.search);
const runs = Number(params.get('runs') ?? 20);
const hidden = (params.get('hidden') ?? '128,64').split(',').map(Number);
// 'file': written to a file as it goes (what a large store does, to a picked file; here the origin-private file system).
const target = params.get('target') ?? 'blob';
const out = document.getElementById('out')!;
const DB = 'trainlab-backup-bench';

function watchLongTasks() {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
  observer.observe({ type: 'longtask' });
  return () => {
    observer.disconnect();
    return { count: tasks.length, worstMs: Math.max(0, ...tasks) };
  };
}

async function main() {
  await tf.setBackend('cpu');
  const saved = await savedMlp([28, 28, 1], hidden, 10);
  const bytes = saved.weightData.byteLength + JSON.stringify(saved.modelTopology).length;
  await deleteDB(DB);
  let store = await RunStore.open(DB);
  const { record: base, predictions } = mnistLikeRun();
  for (let i = 0; i < runs; i++) {
    const id = `mlp_20261126_19${String(i).padStart(4, '0')}`;
    const ref = (kind: CheckpointRef['kind'], epoch: number): CheckpointRef => ({ kind, epoch, key: `${id}/epoch_${epoch}`, bytes, with_optimizer: true });
    const checkpoints = [ref('best', base.training.best_epoch), ...[5, 10, 15, 20].map((e) => ref('periodic', e)), ref('latest', 20)];
    const epochs = [...new Set(checkpoints.map((c) => c.epoch))];
    const artifacts = epochs.map((epoch) => ({
      key: `${id}/epoch_${epoch}`,
      artifact: { runId: id, epoch, model: saved, resume: { epoch, scheduler: { kind: 'constant', lr: 0.001 }, stopper: { monitor: 'val_loss', bestEpoch: 11, bestValue: 0.1, wait: 0, stopped: false }, bestEpoch: 11 }, bytes } as StoredArtifact,
    }));
    await store.restoreRun({ ...base, run_id: id, run_name: id, checkpoints }, artifacts, { ...predictions!, numClasses: 10 });
  }
  const snapshotsPerRun = new Set([base.training.best_epoch, 5, 10, 15, 20]).size;
  out.textContent = `${runs} runs stored; backing up…`;

  let longTasks = watchLongTasks();
  let t0 = performance.now();
  const file = target === 'file' ? await (await navigator.storage.getDirectory()).getFileHandle('backup-bench.zip', { create: true }) : null;
  const backup = await backUpAllRuns(store, { target: await file?.createWritable() });
  const zip = backup.blob ?? (await file!.getFile());
  const backupMs = performance.now() - t0;
  const backupTasks = longTasks();
  const heapAfterBackup = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;

  store.close();
  await deleteDB(DB);
  store = await RunStore.open(DB);
  out.textContent = 'restoring…';
  longTasks = watchLongTasks();
  t0 = performance.now();
  const report = await restoreBackup(store, zip, { name: backup.fileName });
  const restoreMs = performance.now() - t0;
  const restoreTasks = longTasks();
  store.close();
  await deleteDB(DB);
  if (file) await (await navigator.storage.getDirectory()).removeEntry('backup-bench.zip');
  const result = {
    runs, hidden, snapshotsPerRun, snapshotBytes: saved.weightData.byteLength,
    backupMs, backupBytes: backup.bytes, backupLongTasks: backupTasks, heapAfterBackup,
    restoreMs, restored: report.outcomes.filter((o) => o.status === 'restored').length, restoreLongTasks: restoreTasks,
    userAgent: navigator.userAgent, target,
  };
  out.textContent = JSON.stringify(result, null, 2);
  window.__backupBench = result;
}

main().catch((e) => (window.__backupBench = { error: String(e?.stack ?? e) }));
