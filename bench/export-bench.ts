// Times buildRunZip on the MNIST-like 20-epoch, 10-class fixture with real MLP weights (best model
// + checkpoints every 5 epochs, Adam state included). Driven by bench/run-export-bench.mjs.
import * as tf from '@tensorflow/tfjs';
import { buildRunZip } from '../src/export/index';
import { mnistLikeRun, unicodeRun } from '../test/fixtures/export-fixtures';
import { savedMlp } from '../test/fixtures/export-models';

declare global {
  interface Window { __exportBench?: unknown }
}

const params = new URLSearchParams(location.search);
const repeats = Number(params.get('repeats') ?? 5);
const fixture = params.get('fixture') ?? 'mnist'; // 'unicode': CJK class names, pulls in the CJK font
const out = document.getElementById('out')!;

async function main() {
  await tf.setBackend('cpu');
  const { record, predictions } = fixture === 'unicode' ? unicodeRun() : mnistLikeRun();
  const inputShape = record.dataset.input_shape;
  const saved = await savedMlp(inputShape, fixture === 'unicode' ? [16] : [128, 64], record.dataset.num_classes);
  const checkpoints = [5, 10, 15, 20].map((epoch) => ({ epoch, model: saved }));
  const input = { record, predictions, models: { best: saved, checkpoints } };
  const runs: { ms: number; bytes: number; phases: Record<string, number> }[] = [];
  for (let i = 0; i < repeats; i++) {
    out.textContent = `run ${i + 1}/${repeats}…`;
    const phases: Record<string, number> = {};
    const t0 = performance.now();
    let last = t0;
    let lastWhat = 'start';
    const blob = await buildRunZip(input, {
      onProgress: (_f, what) => {
        const now = performance.now();
        const key = lastWhat.startsWith('zip') ? 'zip' : lastWhat;
        phases[key] = (phases[key] ?? 0) + (now - last);
        last = now;
        lastWhat = what;
      },
    });
    runs.push({ ms: performance.now() - t0, bytes: blob.size, phases });
  }
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const result = {
    run: record.run_id,
    epochs: record.history.length,
    classes: record.dataset.num_classes,
    testSamples: predictions!.yTrue.length,
    weightsBytes: saved.weightData.byteLength,
    firstMs: runs[0].ms,
    medianMs: sorted[Math.floor(sorted.length / 2)],
    zipBytes: runs[runs.length - 1].bytes,
    runs,
    userAgent: navigator.userAgent,
  };
  out.textContent = JSON.stringify(result, null, 2);
  window.__exportBench = result;
}

main().catch((e) => (window.__exportBench = { error: String(e?.stack ?? e) }));
