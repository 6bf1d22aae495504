// npm run bench:export [-- --repeats=5] [--fixture=unicode]
// Serves the repo with Vite, builds the run.zip of a 20-epoch 10-class MNIST-like run in headless
// Chromium several times and prints the time (first, cold, and median) and the zip size. The JSON
// also goes to test-results/bench-export.json. A benchmark only: no test depends on its timings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cliArgs, pageResult } from './page-result.mjs';

const query = new URLSearchParams(cliArgs()).toString();
const r = await pageResult(`/bench/export.html?${query}`, '__exportBench');
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-export.json', JSON.stringify(r, null, 2));
if (r.error) throw new Error(r.error);
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
console.log(`${r.run}: ${r.epochs} epochs, ${r.classes} classes, ${r.testSamples} test predictions, 5 models × ${kib(r.weightsBytes)} weights`);
console.log(`run.zip: first (cold) ${r.firstMs.toFixed(0)} ms, median of ${r.runs.length} ${r.medianMs.toFixed(0)} ms, ${kib(r.zipBytes)}`);
const phases = r.runs[r.runs.length - 1].phases;
console.log('last run by phase (ms): ' + Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '));
