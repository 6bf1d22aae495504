// npm run bench:boundary: the decision boundary's cost while training Moons on wasm and cpu
// (bench/boundary-bench.ts in headless Chromium); the JSON goes to test-results/bench-boundary.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { pageResult } from './page-result.mjs';

const result = await pageResult('/bench/boundary.html', '__boundaryBench');
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-boundary.json', JSON.stringify(result, null, 2));
if (result.error) throw new Error(result.error);
console.log(`decision boundary (Moons 1,000 samples, batch 32, MLP [16,16], ${result.epochs} epochs; budget 5 % of the training time; a map is timed once before training):`);
for (const r of result.rows) {
  console.log(`  ${r.backend.padEnd(5)} one map ${r.mapMs.toFixed(1)} ms, an epoch ${r.epochMs.toFixed(0)} ms (${((100 * r.mapMs) / r.epochMs).toFixed(1)} %); ` +
    `maps drawn after ${r.mapsDrawn} of ${result.epochs} epochs: ${r.overheadPercent.toFixed(1)} % of the training time`);
}
