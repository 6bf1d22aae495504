// Times what the Compare view does with N run.zips (default 50): importFiles (only the JSON, CSV and
// TXT entries are read), then storing the records in IndexedDB as the page does. Setup: one real
// run.zip (buildRunZip, MNIST-like 20-epoch run, MLP [128, 64] best + 4 checkpoints with Adam state),
// copied N times with a distinct run id and folder name (results_summary.json rewritten, everything
// else byte for byte, the same entries stored or deflated). Driven by bench/run-compare-load-bench.mjs.
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync, strToU8, type Zippable } from 'fflate';
import { buildRunZip } from '../src/export/index';
import { importFiles, type SourceFile } from '../src/compare/import-runs';
import { RunStore } from '../src/recorder/run-store';
import type { RunRecord } from '../src/recorder/run-record';
import { mnistLikeRun } from '../test/fixtures/export-fixtures';
import { savedMlp } from '../test/fixtures/export-models';
import { median } from './median.mjs';

declare global {
  interface Window { __compareLoadBench?: unknown }
}

const params = new URLSearchParams(location.search);
const repeats = Math.max(1, Number(params.get('repeats') ?? 3));
const zipCount = Math.max(1, Number(params.get('zips') ?? 50));
const out = document.getElementById('out')!;


/** Copies of `zip` under run ids `ids[i]`: folder renamed, results_summary.json's run_id (and run_name) changed. */
function copies(zip: Uint8Array, oldId: string, ids: string[]): Uint8Array[] {
  const stored = new Set<string>();
  const entries = unzipSync(zip, {
    filter: (f) => {
      if (f.compression === 0) stored.add(f.name);
      return true;
    },
  });
  const summaryPath = `${oldId}/results_summary.json`;
  const summary = JSON.parse(new TextDecoder().decode(entries[summaryPath])) as Record<string, unknown>;
  const mtime = new Date('2026-11-26T19:30:00Z');
  return ids.map((id) => {
    const files: Zippable = {};
    for (const [path, bytes] of Object.entries(entries)) {
      const data = path === summaryPath
        ? strToU8(JSON.stringify({ ...summary, run_id: id, run_name: summary.run_name === oldId ? id : summary.run_name }, null, 2) + '\n')
        : bytes;
      files[id + path.slice(oldId.length)] = [data, { level: stored.has(path) ? 0 : 6, mtime }];
    }
    return zipSync(files);
  });
}

/** Sum of the sizes of every Blob (File, slice) read while `fn` runs, and how many reads. */
async function countReads<T>(fn: () => Promise<T>): Promise<{ value: T; bytes: number; reads: number }> {
  const proto = Blob.prototype;
  const saved = { arrayBuffer: proto.arrayBuffer, text: proto.text, stream: proto.stream };
  let bytes = 0;
  let reads = 0;
  const wrap = <K extends keyof typeof saved>(k: K) => {
    const orig = saved[k] as (this: Blob) => unknown;
    (proto as unknown as Record<string, unknown>)[k] = function (this: Blob) {
      bytes += this.size;
      reads++;
      return orig.call(this);
    };
  };
  wrap('arrayBuffer');
  wrap('text');
  wrap('stream');
  try {
    return { value: await fn(), bytes, reads };
  } finally {
    Object.assign(proto, saved);
  }
}

async function storeAll(records: RunRecord[], name: string): Promise<{ openMs: number; putMs: number }> {
  const t0 = performance.now();
  const store = await RunStore.open(name);
  const t1 = performance.now();
  try {
    for (const r of records) await store.putRun(r);
    return { openMs: t1 - t0, putMs: performance.now() - t1 };
  } finally {
    store.close();
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
  }
}

async function main() {
  await tf.setBackend('cpu');
  out.textContent = 'building run.zip…';
  const { record, predictions } = mnistLikeRun();
  const saved = await savedMlp(record.dataset.input_shape, [128, 64], record.dataset.num_classes);
  const checkpoints = [5, 10, 15, 20].map((epoch) => ({ epoch, model: saved }));
  let t = performance.now();
  const original = new Uint8Array(await (await buildRunZip({ record, predictions, models: { best: saved, checkpoints } })).arrayBuffer());
  const buildMs = performance.now() - t;

  out.textContent = `copying run.zip ×${zipCount}…`;
  t = performance.now();
  // Distinct ids like the trainer's {model}_{YYYYMMDD_HHMMSS}: one run a minute from 19:30.
  const ids = Array.from({ length: zipCount }, (_, i) => {
    const m = 30 + i;
    return `mlp_20261126_${String(19 + Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00`;
  });
  const files: SourceFile[] = copies(original, record.run_id, ids).map((bytes, i) => {
    const file = new File([bytes as Uint8Array<ArrayBuffer>], `${ids[i]}.zip`, { type: 'application/zip' });
    return { name: file.name, path: '', blob: file };
  });
  const copyMs = performance.now() - t;
  const zipBytes = files.reduce((s, f) => s + f.blob.size, 0);

  const runs: { importMs: number; openMs: number; storeMs: number }[] = [];
  let records: RunRecord[] = [];
  for (let i = 0; i < repeats; i++) {
    out.textContent = `import ${i + 1}/${repeats}…`;
    const t0 = performance.now();
    const result = await importFiles(files, { now: new Date() });
    const importMs = performance.now() - t0;
    if (result.records.length !== zipCount || result.problems.length > 0) {
      throw new Error(`import gave ${result.records.length} records of ${zipCount}, problems: ${JSON.stringify(result.problems)}`);
    }
    records = result.records;
    const { openMs, putMs } = await storeAll(records, `bench-compare-${Date.now()}-${i}`);
    runs.push({ importMs, openMs, storeMs: putMs });
  }

  // Untimed pass: how much of the Blobs the importer actually reads.
  out.textContent = 'counting bytes read…';
  const counted = await countReads(() => importFiles(files, { now: new Date() }));
  if (counted.value.records.length !== zipCount) throw new Error('counting pass lost records');

  const importTimes = runs.map((r) => r.importMs);
  const storeTimes = runs.map((r) => r.storeMs);
  const result = {
    zips: zipCount,
    zipBytes,
    zipBytesEach: original.byteLength,
    recordBytesEach: JSON.stringify(records[0]).length,
    firstMs: importTimes[0],
    medianMs: median(importTimes),
    msPerZip: median(importTimes) / zipCount,
    bytesRead: counted.bytes,
    blobReads: counted.reads,
    store: { firstMs: storeTimes[0], medianMs: median(storeTimes), openMedianMs: median(runs.map((r) => r.openMs)) },
    setup: { buildRunZipMs: buildMs, copyMs },
    runs,
    userAgent: navigator.userAgent,
  };
  out.textContent = JSON.stringify(result, null, 2);
  window.__compareLoadBench = result;
}

main().catch((e) => (window.__compareLoadBench = { error: String(e?.stack ?? e) }));
