// Times run.zip on the MNIST-like 20-epoch, 10-class fixture with real MLP weights (best model +
// checkpoints every 5 epochs, Adam state included), two ways, interleaved: `worker`, as the page
// builds it (RunExports.zip: in run-export-worker.ts, the buffers transferred) and `page`, buildRunZip
// on this page's main thread (as before the worker). For each, the main thread's long tasks
// (PerformanceObserver 'longtask') during the build. Driven by bench/run-export-bench.mjs.
import * as tf from '@tensorflow/tfjs';
import { RunExports } from '../src/app/run-exports';
import { buildRunZip } from '../src/export/index';
import { mnistLikeRun, unicodeRun } from '../test/fixtures/export-fixtures';
import { savedMlp } from '../test/fixtures/export-models';
import { median } from './median.mjs';

declare global {
  interface Window { __exportBench?: unknown }
}

type Way = 'worker' | 'page';
interface Run { ms: number; bytes: number; longestTaskMs: number; longTasks: number; phases: Record<string, number> }

const params = new URLSearchParams(location.search);
const repeats = Number(params.get('repeats') ?? 5);
const fixture = params.get('fixture') ?? 'mnist'; // 'unicode': CJK class names, pulls in the CJK font
const out = document.getElementById('out')!;

const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask' });

/** Time spent per step, from the progress labels ("zip: …" counted as zip). */
function phaseClock() {
  const phases: Record<string, number> = {};
  let last = performance.now();
  let lastWhat = 'start';
  const on = (what: string) => {
    const now = performance.now();
    const key = lastWhat.startsWith('zip') ? 'zip' : lastWhat;
    phases[key] = (phases[key] ?? 0) + (now - last);
    last = now;
    lastWhat = what;
  };
  return { phases, on };
}

async function main() {
  await tf.setBackend('cpu');
  const { record, predictions } = fixture === 'unicode' ? unicodeRun() : mnistLikeRun();
  const inputShape = record.dataset.input_shape;
  const saved = await savedMlp(inputShape, fixture === 'unicode' ? [16] : [128, 64], record.dataset.num_classes);
  const checkpoints = [5, 10, 15, 20].map((epoch) => ({ epoch, model: saved }));
  const input = { record, predictions, models: { best: saved, checkpoints } };
  const exports = new RunExports();
  const build: Record<Way, () => Promise<{ blob: Blob; phases: Record<string, number> }>> = {
    async worker() {
      const copy = structuredClone(input); // its buffers go to the worker: as the page does, a copy of its own
      const clock = phaseClock();
      const { blob } = await exports.zip(copy, (text) => clock.on(/\((.*)\)$/.exec(text)?.[1] ?? text));
      return { blob, phases: clock.phases };
    },
    async page() {
      const clock = phaseClock();
      const blob = await buildRunZip(input, { onProgress: (_f, what) => clock.on(what) });
      return { blob, phases: clock.phases };
    },
  };
  const runs: Record<Way, Run[]> = { worker: [], page: [] };
  for (let i = 0; i < repeats; i++) {
    for (const way of (i % 2 === 0 ? ['worker', 'page'] : ['page', 'worker']) as Way[]) {
      out.textContent = `run ${i + 1}/${repeats} (${way})…`;
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      const { blob, phases } = await build[way]();
      const t1 = performance.now();
      await new Promise((r) => setTimeout(r, 100)); // long tasks are reported a little later
      const during = longTasks.filter((t) => t.start >= t0 && t.start <= t1).map((t) => t.duration);
      runs[way].push({ ms: t1 - t0, bytes: blob.size, longestTaskMs: Math.round(Math.max(0, ...during)), longTasks: during.length, phases });
    }
  }
  const summary = (rs: Run[]) => ({
    firstMs: rs[0].ms,
    medianMs: median(rs.map((r) => r.ms)),
    longestTaskMs: Math.max(...rs.map((r) => r.longestTaskMs)),
    longTasks: rs.reduce((a, r) => a + r.longTasks, 0),
    zipBytes: rs[rs.length - 1].bytes,
    runs: rs,
  });
  const result = {
    run: record.run_id,
    epochs: record.history.length,
    classes: record.dataset.num_classes,
    testSamples: predictions!.yTrue.length,
    weightsBytes: saved.weightData.byteLength,
    repeats,
    worker: summary(runs.worker),
    page: summary(runs.page),
    userAgent: navigator.userAgent,
  };
  out.textContent = JSON.stringify(result, null, 2);
  window.__exportBench = result;
}

main().catch((e) => (window.__exportBench = { error: String(e?.stack ?? e) }));
