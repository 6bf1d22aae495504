// Bundles the lab's pure modules that the PyTorch export tests use for Node with esbuild: the Compare
// importer (a train.py run folder must import as a run), the export's file builder (its train.py is a
// `?raw` import, as Vite has it), the model builder and the record's constructor, and the lab's seeded
// generator (train.py ports it). tfjs stays external: the bundle and the test share Node's one tfjs.
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Vite's `?raw`: the file's text as the module's default export. */
const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

const MODULES = {
  importFiles: 'src/compare/import-runs.ts',
  pytorchFiles: 'src/export/pytorch/index.ts',
  buildModel: 'src/training/models.ts',
  planArchitecture: 'src/training/architecture.ts',
  createRunRecord: 'src/recorder/recorder.ts',
  splitDataset: 'src/training/split.ts',
  createRng: 'src/training/rng.ts',
  epochSeed: 'src/training/trainer-ops.ts',
};

export async function loadPytorchModules() {
  // Inside the repository, so that the bundle's external imports resolve to its node_modules.
  mkdirSync('node_modules/.cache', { recursive: true });
  const dir = mkdtempSync(resolve('node_modules/.cache/pytorch-modules-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, Object.entries(MODULES).map(([name, file]) => `export { ${name} } from ${JSON.stringify(resolve(file))};`).join('\n'));
  const outfile = join(dir, 'modules.mjs');
  await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning',
    plugins: [rawText], external: ['@tensorflow/tfjs', 'jszip'],
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
