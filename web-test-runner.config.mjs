import * as esbuild from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.mjs';

const require = createRequire(import.meta.url);

const executablePath = chromiumPath();

// tfjs's ESM build pulls in CommonJS (seedrandom, long, emscripten glue) that the test server serves
// unconverted; bundle those packages once with esbuild (code splitting keeps one tfjs-core).
const TFJS = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'];
const TFJS_OUT = 'node_modules/.cache/wtr-tfjs';
// CommonJS-only packages the exporters load (Vite converts them; the test server does not): same treatment.
const CJS = ['jszip', '@stdlib/stats-ttest2'];
const prebundleTfjs = {
  name: 'prebundle-tfjs',
  async serverStart() {
    await esbuild.build({
      entryPoints: Object.fromEntries([...TFJS, ...CJS].map((p) => [p.replace('@tensorflow/', ''), p])),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: TFJS_OUT,
      logLevel: 'warning',
    });
  },
  resolveImport({ source }) {
    if (TFJS.includes(source) || CJS.includes(source)) return `/${TFJS_OUT}/${source.replace('@tensorflow/', '')}.js`;
  },
};

// `executeServerCommand('storage-quota', { origin, quotaSize })` caps the test page origin's storage
// quota through the DevTools protocol (the run store's quota test); `quotaSize: null` removes the cap.
// The override lives as long as the CDP session that set it, so the session is kept until reset.
const quotaSessions = new Map();
const storageQuota = {
  name: 'storage-quota',
  async executeCommand({ command, payload, session }) {
    if (command !== 'storage-quota') return undefined;
    if (session.browser.type !== 'puppeteer') throw new Error('storage-quota needs the Chrome launcher');
    if (typeof payload?.origin !== 'string') throw new Error('storage-quota needs { origin, quotaSize }');
    let cdp = quotaSessions.get(session.id);
    if (!cdp) {
      cdp = await session.browser.getPage(session.id).createCDPSession();
      quotaSessions.set(session.id, cdp);
    }
    const { origin, quotaSize } = payload;
    if (quotaSize == null) {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      quotaSessions.delete(session.id);
      await cdp.detach();
    } else {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize });
    }
    return true;
  },
};

// `executeServerCommand('pdflatex', { tex })` compiles a complete LaTeX document with pdflatex in a
// fresh temporary folder (the LaTeX table test): { available: false } where pdflatex is not on PATH,
// else { ok, log } with the end of the compile log.
const pdflatex = {
  name: 'pdflatex',
  async executeCommand({ command, payload }) {
    if (command !== 'pdflatex') return undefined;
    if (typeof payload?.tex !== 'string') throw new Error('pdflatex needs { tex } (a complete document)');
    const dir = await mkdtemp(join(tmpdir(), 'wtr-pdflatex-'));
    try {
      await writeFile(join(dir, 'doc.tex'), payload.tex);
      const args = ['-interaction=nonstopmode', '-halt-on-error', '-no-shell-escape', 'doc.tex'];
      // The first compile on a machine may generate bitmap fonts (no cm-super): allow it time.
      const run = await new Promise((resolve) => {
        execFile('pdflatex', args, { cwd: dir, timeout: 120000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
          resolve({ error, out: `${stdout}${stderr}` }));
      });
      if (run.error?.code === 'ENOENT') return { available: false, ok: false, log: 'pdflatex is not on PATH' };
      const log = await readFile(join(dir, 'doc.log'), 'utf8').catch(() => run.out);
      const pdf = await stat(join(dir, 'doc.pdf')).then((s) => s.size > 0, () => false);
      return { available: true, ok: !run.error && pdf, log: log.slice(-3000) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default {
  files: ['test/unit/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  browserStartTimeout: 120000,
  testsStartTimeout: 120000,
  testsFinishTimeout: 600000,
  testFramework: { config: { timeout: 240000 } },
  // Serve public/ at the root as Vite does, so the app's dataset and wasm URLs work unchanged.
  middleware: [
    (ctx, next) => {
      if (/^\/(datasets|tfjs-wasm)\//.test(ctx.url)) ctx.url = `/public${ctx.url}`;
      return next();
    },
  ],
  plugins: [
    prebundleTfjs,
    storageQuota,
    pdflatex,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    // papaparse ships only a UMD build without a default export; Vite converts it, the test server does not.
    {
      name: 'papaparse-esm',
      transform(ctx) {
        if (/\/node_modules\/papaparse\/papaparse(\.min)?\.js$/.test(ctx.path)) {
          return { body: `const module = { exports: {} }; const exports = module.exports;\n${ctx.body}\nexport default module.exports;\n` };
        }
      },
    },
    // Vite's `?inline` CSS imports (uPlot's stylesheet in a shadow root) become string modules.
    {
      name: 'css-inline',
      resolveImport({ source }) {
        if (source.endsWith('.css?inline')) return `/__css-inline__/${source.slice(0, -'?inline'.length)}`;
      },
      serve(ctx) {
        if (!ctx.path.startsWith('/__css-inline__/')) return;
        const file = require.resolve(ctx.path.slice('/__css-inline__/'.length));
        return { body: `export default ${JSON.stringify(readFileSync(file, 'utf8'))};`, type: 'js' };
      },
    },
    // Vite's `?url` imports of package files (the figure fonts) become modules exporting the served path.
    {
      name: 'asset-url',
      resolveImport({ source }) {
        if (source.endsWith('?url') && !source.startsWith('.') && !source.startsWith('/')) return `/__asset-url__/${source.slice(0, -'?url'.length)}`;
      },
      serve(ctx) {
        if (!ctx.path.startsWith('/__asset-url__/')) return;
        const file = require.resolve(ctx.path.slice('/__asset-url__/'.length));
        return { body: `export default ${JSON.stringify('/' + relative(process.cwd(), file).split(sep).join('/'))};`, type: 'js' };
      },
    },
    // Vite's `?raw` imports of our own files (train.py of the PyTorch export) become modules exporting the text.
    {
      name: 'raw-text',
      resolveImport({ source, context }) {
        if (source.endsWith('?raw') && source.startsWith('.')) return `/__raw__${posix.join(posix.dirname(context.path), source.slice(0, -'?raw'.length))}`;
      },
      serve(ctx) {
        if (!ctx.path.startsWith('/__raw__/')) return;
        const file = join(process.cwd(), ctx.path.slice('/__raw__/'.length));
        if (relative(process.cwd(), file).startsWith('..')) return;
        return { body: `export default ${JSON.stringify(readFileSync(file, 'utf8'))};`, type: 'js' };
      },
    },
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS } })],
};
