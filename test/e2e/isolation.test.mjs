// Cross-origin isolation and the threaded wasm backend in the built site: with the headers of
// vite.config.ts (dev, preview, this harness), and on a static host that sends none, where
// public/coi-sw.js must make the page isolated after one reload.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPage, launchBrowser, startSite, useSiteAndBrowser } from './harness.mjs';

const TINY_WASM = 'dataset=moons&samples=200&model=mlp&hidden=8&batch=32&epochs=2&seed=7&backend=wasm&autostart=1';
const SW_PATH = /\/coi-sw\.js$/;

/**
 * In the page, before its scripts: the training worker's 'started' event carries the BackendReport
 * the recorder stores; keep a copy of each one as the page receives it.
 */
function keepBackendReports() {
  const Native = window.Worker;
  window.__backendReports = [];
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => e.data?.type === 'started' && window.__backendReports.push(e.data.backend));
    }
  };
}

/**
 * The threads tfjs should run with here: one per logical core, up to 8 (src/training/wasm-threads.ts,
 * with MIN_CORES_FOR_THREADS = 2; raise that and this test needs a machine with that many cores).
 */
const expectedThreads = (page) => page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));

/** Trains TINY_WASM (already loading in `page`) to the end; returns its backend report and the wasm pthread workers seen. */
async function trainOnWasm(page, blobWorkers) {
  await page.getByText('Test accuracy').waitFor({ timeout: 180_000 });
  await page.getByRole('status').filter({ hasText: 'Training completed' }).waitFor();
  const reports = await page.evaluate(() => window.__backendReports);
  assert.equal(reports.length, 1, 'one run started');
  return { report: reports[0], blobWorkers: blobWorkers.length };
}

function countBlobWorkers(page) {
  const seen = [];
  page.on('worker', (w) => w.url().startsWith('blob:') && seen.push(w.url()));
  return seen;
}

describe('cross-origin isolation with the headers (vite preview, as in dev)', () => {
  const env = useSiteAndBrowser();

  it('is isolated without a service worker and trains on wasm with threads', async () => {
    const { page, errors } = await freshPage(env);
    await page.addInitScript(keepBackendReports);
    const blobWorkers = countBlobWorkers(page);
    const response = await page.goto(`${env.site.url}?${TINY_WASM}`);
    assert.equal(response.headers()['cross-origin-opener-policy'], 'same-origin');
    assert.equal(response.headers()['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const run = await trainOnWasm(page, blobWorkers);
    assert.equal(run.report.name, 'wasm');
    const threads = await expectedThreads(page);
    assert.ok(threads > 1, `this machine has more than one core (${threads})`);
    assert.equal(run.report.wasmThreads, threads, 'the backend report says how many threads wasm ran with');
    assert.ok(run.blobWorkers >= threads - 1, `the pthread workers started (${run.blobWorkers})`);
    // Already isolated: the page registered no service worker.
    assert.deepEqual(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the dev server sends the same headers', async () => {
    const { createServer } = await import('vite');
    const server = await createServer({ server: { port: 0, host: 'localhost' }, optimizeDeps: { noDiscovery: true }, logLevel: 'warn' });
    await server.listen();
    try {
      const res = await fetch(`http://localhost:${server.httpServer.address().port}/`);
      assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
      assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
    } finally {
      await server.close();
    }
  });
});

describe('cross-origin isolation on a static host without headers (public/coi-sw.js)', () => {
  const env = { site: null, browser: null };
  before(async () => {
    env.site = await startSite({ isolation: false });
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });

  it('registers the service worker, reloads once with the same address, then trains on wasm with threads', async () => {
    const { page, errors } = await freshPage(env);
    await page.addInitScript(keepBackendReports);
    const blobWorkers = countBlobWorkers(page);
    const loads = []; // documents loaded (the app's own history.replaceState calls are not loads)
    page.on('load', () => loads.push(page.url()));
    const response = await page.goto(`${env.site.url}?${TINY_WASM}`);
    assert.equal(response.headers()['cross-origin-embedder-policy'], undefined, 'the host sends no isolation headers');
    await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 60_000 });
    const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
    assert.match(controller, SW_PATH);
    // autostart survived the reload although the app drops it from the address once it starts.
    const run = await trainOnWasm(page, blobWorkers);
    assert.equal(run.report.wasmThreads, await expectedThreads(page));
    assert.equal(loads.length, 2, `one load and one reload: ${loads.join(' → ')}`);
    // The worker keeps no copies: nothing in Cache Storage to go stale.
    assert.deepEqual(await page.evaluate(() => caches.keys()), []);
    // A second visit in the same browser is isolated from the start, without another reload.
    await page.goto(`${env.site.url}?dataset=moons`);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await page.getByRole('table', { name: 'Class distribution' }).waitFor();
    assert.equal(loads.length, 3, `no reload on the second visit: ${loads.join(' → ')}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
