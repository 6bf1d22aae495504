// Bundles the lab's pure dataset and split code for Node with esbuild, so an end-to-end test can
// rebuild a run's exact test split from its config.json and check the exported model on it.
import * as esbuild from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadLabModules() {
  const dir = mkdtempSync(join(tmpdir(), 'trainlab-modules-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `export { makeSynthetic } from ${JSON.stringify(resolve('src/training/datasets/synthetic.ts'))};\n` +
      `export { splitDataset } from ${JSON.stringify(resolve('src/training/split.ts'))};\n`,
  );
  const outfile = join(dir, 'lab.mjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}
