// npm run bench (after bench/run-bench.mjs) or node bench/run-pytorch-bench.mjs
// The PyTorch baseline beside the lab's training bench: runs bench/pytorch-baseline.py with Debian's
// PyTorch (/usr/bin/python3, or TRAINLAB_TORCH_PYTHON, the Python scripts/system-deps.mjs checks)
// once with one thread and once with all cores, on the lab bench's models (MLP [128], the CNN preset)
// at its batch sizes (64, 256), and prints samples/s and lab ÷ PyTorch per backend, model and batch
// (only where both sides ran the same batch). The lab's numbers
// come from test-results/bench-training.json (written by run-bench.mjs). Without PyTorch it prints
// how to install it and exits 0. The JSON also goes to test-results/bench-pytorch.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { NEEDS, torchPython } from '../scripts/system-deps.mjs';

const LAB_JSON = 'test-results/bench-training.json';

if (!NEEDS.find((need) => need.name === 'torch').present()) {
  console.log(`PyTorch not found (${torchPython} cannot import torch): no PyTorch baseline. ` +
    'Install it with `sudo apt-get install python3-torch` (Debian), or set TRAINLAB_TORCH_PYTHON to a Python with torch.');
  process.exit(0);
}

const lab = existsSync(LAB_JSON) ? JSON.parse(readFileSync(LAB_JSON, 'utf8')) : null;
const labOk = lab && !lab.error && Array.isArray(lab.rows) ? lab : null;
// The same batch sizes as the lab bench ran (bench/training-bench.ts), 64 and 256 by default.
const batches = labOk ? [...new Set(labOk.rows.map((r) => r.batch))] : [64, 256];
// The lab bench's models are MLP [128] and the CNN preset; their twins here are mlp:128 and cnn.
const TWIN = { mlp: 'mlp:128', cnn: 'cnn' };
const models = labOk ? Object.keys(labOk.models).map((m) => TWIN[m]) : Object.values(TWIN);

function pytorch(threads) {
  const args = ['bench/pytorch-baseline.py', `--threads=${threads}`, `--batch=${batches.join(',')}`, `--models=${models.join(';')}`];
  const run = spawnSync(torchPython, args, { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`${torchPython} ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}):\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

const cores = availableParallelism();
const runs = [...new Set([1, cores])].map(pytorch);
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-pytorch.json', JSON.stringify({ lab: labOk, pytorch: runs }, null, 2));

const rate = (run, model, batch) => run.results.find((r) => r.model === model && r.batch === batch)?.samples_per_s;
const num = (n) => (n === undefined ? '—' : Math.round(n).toString()).padStart(10);
const heads = runs.map((r) => `${r.threads} thread${r.threads > 1 ? 's' : ''}`.padStart(10));
console.log(`\nPyTorch ${runs[0].torch_version} (${torchPython}), Adam lr 0.001, ${runs[0].train_samples} MNIST training samples: samples/s`);
console.log(`model        batch ${heads.join(' ')}`);
for (const r of runs[0].results) console.log(`${r.model.padEnd(12)} ${String(r.batch).padStart(5)} ${runs.map((run) => num(rate(run, r.model, r.batch))).join(' ')}`);
const load = loadavg()[0];
if (cores > 1 && load > cores / 2) {
  console.log(`(load average ${load.toFixed(1)} on ${cores} cores: other work shares them, so the ${cores}-thread figures are contended)`);
}

if (!labOk) {
  console.log(`(no lab numbers to compare: ${LAB_JSON} ${lab ? `holds an error or an older format: ${lab.error ?? 'no rows'}` : 'is missing; run node bench/run-bench.mjs first'})`);
} else {
  console.log(`\nlab trainer ÷ PyTorch, same model and batch (lab samples/s: median of its repeats)   ÷ ${heads.map((h) => h.trim()).join(' / ')}`);
  for (const row of labOk.rows) {
    const head = `  ${row.backend.padEnd(7)} ${row.model.padEnd(4)} ${String(row.batch).padStart(4)}`;
    if (row.error) {
      console.log(`${head}  skipped`);
      continue;
    }
    const name = labOk.models[row.model];
    const ratios = runs.map((run) => (rate(run, name, row.batch) ? (row.lab.median / rate(run, name, row.batch)).toFixed(3) : '—')).join(' / ');
    console.log(`${head} ${num(row.lab.median)}   ${ratios}`);
  }
}
