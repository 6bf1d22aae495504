// npm run bench (after bench/run-bench.mjs) or node bench/run-pytorch-bench.mjs
// The PyTorch baseline beside the lab's training bench: runs bench/pytorch-baseline.py with Debian's
// PyTorch (/usr/bin/python3, or TRAINLAB_TORCH_PYTHON, the Python scripts/system-deps.mjs checks)
// once with one thread and once with all cores, on the lab bench's MLP, MLP [128] and the CNN preset
// at the lab bench's batch size, and prints samples/s and lab ÷ PyTorch per backend. The lab's numbers
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
const labOk = lab && !lab.error ? lab : null;
const batch = labOk?.batchSize ?? 64;
// The lab bench labels its model "MLP [h1,h2]" (bench/training-bench.ts); its twin is mlp:h1,h2.
const labHidden = /^MLP \[([\d,]+)\]$/.exec(labOk?.model ?? '')?.[1];
const models = [...new Set([labHidden && `mlp:${labHidden}`, 'mlp:128', 'cnn'].filter(Boolean))];

function pytorch(threads) {
  const args = ['bench/pytorch-baseline.py', `--threads=${threads}`, `--batch=${batch}`, `--models=${models.join(';')}`];
  const run = spawnSync(torchPython, args, { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`${torchPython} ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}):\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

const cores = availableParallelism();
const runs = [...new Set([1, cores])].map(pytorch);
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-pytorch.json', JSON.stringify({ lab: labOk, pytorch: runs }, null, 2));

const rate = (run, model) => run.results.find((r) => r.model === model).samples_per_s;
const num = (n) => Math.round(n).toString().padStart(10);
const heads = runs.map((r) => `${r.threads} thread${r.threads > 1 ? 's' : ''}`.padStart(10));
console.log(`\nPyTorch ${runs[0].torch_version} (${torchPython}), Adam, batch ${batch}, ${runs[0].train_samples} MNIST training samples: samples/s`);
console.log(`model        ${heads.join(' ')}`);
const names = runs[0].results.map((r) => r.model);
for (const model of names) console.log(`${model.padEnd(12)} ${runs.map((run) => num(rate(run, model))).join(' ')}`);
const load = loadavg()[0];
if (cores > 1 && load > cores / 2) {
  console.log(`(load average ${load.toFixed(1)} on ${cores} cores: other work shares them, so the ${cores}-thread figures are contended)`);
}

if (!labOk) {
  console.log(`(no lab numbers to compare: ${LAB_JSON} ${lab ? `holds an error: ${lab.error}` : 'is missing; run node bench/run-bench.mjs first'})`);
} else if (!names.includes(labOk.model)) {
  console.log(`(the lab bench ran ${labOk.model}, which has no PyTorch twin here)`);
} else {
  console.log(`lab ÷ PyTorch, ${labOk.model}, batch ${batch}   lab samples/s  ÷ ${heads.map((h) => h.trim()).join(' / ')}`);
  for (const row of labOk.rows) {
    const ratios = row.error ? 'failed' : runs.map((run) => (row.samplesPerSec / rate(run, labOk.model)).toFixed(3)).join(' / ');
    console.log(`  ${row.backend.padEnd(8)} ${(row.ranOn ?? '').padEnd(30).slice(0, 30)} ${row.error ? '' : num(row.samplesPerSec)}   ${ratios}`);
  }
}
