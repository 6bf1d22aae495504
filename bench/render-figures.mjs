// node bench/render-figures.mjs [outDir] [--runs=fixed,mnist,…]
// Serves the repo with Vite, renders every export figure of the test fixtures (PNG and PDF) in
// headless Chromium and writes them to outDir (default test-results/figures) to be looked at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliArgs, pageResult } from './page-result.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const { runs } = cliArgs();
const outDir = positional[0] ?? 'test-results/figures';
const figures = await pageResult(`/bench/figures.html${runs ? `?runs=${runs}` : ''}`, '__figures');
if (figures.error) throw new Error(figures.error);
mkdirSync(outDir, { recursive: true });
for (const f of figures) writeFileSync(join(outDir, f.name), Buffer.from(f.base64, 'base64'));
console.log(`${figures.length} figures written to ${outDir}`);
