// node bench/render-compare-figures.mjs [outDir] [--inputs=two,twelve,…] [--kinds=test_accuracy,…] [--formats=png,pdf]
// Serves the repo with Vite, renders the comparison figures of the compare fixtures (PNG and PDF)
// in headless Chromium, writes them to outDir (default test-results/compare-figures) and turns
// each PDF into a 50-DPI PNG with pdftoppm (…pdf-50.png), so the vector output is looked at too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliArgs, pageResult } from './page-result.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const { inputs, kinds, formats } = cliArgs();
const outDir = positional[0] ?? 'test-results/compare-figures';
const query = new URLSearchParams(Object.entries({ inputs, kinds, formats }).filter(([, v]) => v)).toString();
const figures = await pageResult(`/bench/compare-figures.html${query ? `?${query}` : ''}`, '__compareFigures');
if (figures.error) throw new Error(figures.error);
mkdirSync(outDir, { recursive: true });
for (const f of figures) {
  const path = join(outDir, f.name);
  writeFileSync(path, Buffer.from(f.base64, 'base64'));
  if (f.name.endsWith('.pdf')) execFileSync('pdftoppm', ['-r', '50', '-png', '-singlefile', path, `${path}-50`]);
}
console.log(`${figures.length} figures written to ${outDir}`);
