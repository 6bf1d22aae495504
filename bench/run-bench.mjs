// npm run bench [-- --backends=webgpu,cpu --epochs=2 --dataset=mnist]
// Serves the repo with Vite, opens bench/index.html in headless Chromium (software WebGPU when no GPU)
// and prints samples/s per backend. The JSON also goes to test-results/bench-training.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cliArgs, pageResult } from './page-result.mjs';

const query = new URLSearchParams(cliArgs()).toString();
const result = await pageResult(`/bench/index.html?${query}`, '__bench');
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-training.json', JSON.stringify(result, null, 2));
if (result.error) throw new Error(result.error);
console.log(`${result.model} on ${result.dataset} (${result.trainSamples} training samples), batch ${result.batchSize}, ${result.epochs} epochs`);
console.log('backend  ran on                                   samples/s   s/epoch');
for (const r of result.rows) {
  const line = r.error
    ? `${r.backend.padEnd(8)} ${(r.ranOn ?? '').padEnd(40)} failed: ${r.error}`
    : `${r.backend.padEnd(8)} ${(r.ranOn ?? '').padEnd(40)} ${Math.round(r.samplesPerSec).toString().padStart(9)}   ${r.epochSeconds.toFixed(2)}`;
  console.log(line);
}
