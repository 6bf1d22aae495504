// npm run bench:training [-- --backends=wasm,cpu --model=mlp --batch=64,256 --repeats=3 --steps=N --blocks=2 --isolation=off]
// Serves the repo with Vite, opens bench/index.html in headless Chromium (software WebGPU when no GPU)
// and prints, per backend, model (MLP [128], CNN preset) and batch size: samples/s of a bare
// model.fit and of the lab's trainer (median of the repeats, with min–max), their ratio, and the
// tensors (and GPU bytes) after each block. The JSON goes to test-results/bench-training.json, and
// the previous one is kept beside it (bench-training.previous.json).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { cliArgs, pageResult } from './page-result.mjs';

const OUT = 'test-results/bench-training.json';
const query = new URLSearchParams(cliArgs()).toString();
const result = await pageResult(`/bench/index.html?${query}`, '__bench');
mkdirSync('test-results', { recursive: true });
if (existsSync(OUT)) copyFileSync(OUT, OUT.replace('.json', '.previous.json'));
result.machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
writeFileSync(OUT, JSON.stringify(result, null, 2));
if (result.error) throw new Error(result.error);

const n = (x) => Math.round(x).toString();
const spread = (s) => `${n(s.median)} (${n(s.min)}–${n(s.max)})`.padEnd(22);
/** Tensors after each block of the first repeat, and the largest growth after the warm-up block. */
const mem = (s) => {
  const bytes = s.gpuBytesPerBlock[0].every((b) => b === null) ? '' : ` GPU ${s.gpuBytesPerBlock[0].map((b) => `${(b / 2 ** 20).toFixed(1)}M`).join('/')}`;
  return `${s.tensorsPerBlock[0].join('/')} (+${s.tensorGrowth})${bytes}`;
};

console.log(`${result.dataset}, Adam lr ${result.learningRate}; up to ${result.repeats} repeats (1 when one takes over 20 s) of 1 warm-up + ${result.blocks} timed blocks of a fixed number of steps; ${result.machine}`);
console.log(`models: ${Object.values(result.models).join(', ')}; samples/s as median (min–max); memory: lab's tensors after each block (+growth after the first) [GPU bytes]`);
console.log('backend model batch steps reps  bare fit               lab trainer            lab÷fit  memory (lab)');
for (const r of result.rows) {
  const head = `${r.backend.padEnd(7)} ${r.model.padEnd(5)} ${String(r.batch).padStart(5)} ${String(r.steps).padStart(5)} ${String(r.repeats ?? '').padStart(4)}  `;
  if (r.error) console.log(`${head}skipped: ${r.error}`);
  else console.log(`${head}${spread(r.fit)} ${spread(r.lab)} ${r.labOverFit.toFixed(2).padStart(7)}  ${mem(r.lab)}; fit +${r.fit.tensorGrowth}`);
}
const ranOn = [...new Set(result.rows.filter((r) => r.ranOn).map((r) => r.ranOn))];
console.log(`ran on: ${ranOn.join('; ')}; ${result.seconds.toFixed(0)} s in the page`);
