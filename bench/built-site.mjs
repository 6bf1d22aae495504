// Shared by the benchmarks that drive the built site (bench/compare-view-bench.mjs,
// bench/run-scale-bench.mjs, bench/run-export-bench.mjs): build it with Vite into a folder of
// node_modules/.cache, serve it with `vite preview`, open headless Chromium on it, bundle the
// IndexedDB seeders (bench/*-seed.ts) into one script to evaluate in its pages, and measure the
// main thread there: long tasks (PerformanceObserver 'longtask', each page from its start), the
// longest task of all from a trace, and the JavaScript the page loaded before it was interactive.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';

export const LONG_MS = 50;

/** Builds the site into node_modules/.cache/{name} (unless !rebuild) and returns that folder. */
export async function buildSite(name, rebuild = true) {
  const dir = fileURLToPath(new URL(`../node_modules/.cache/${name}`, import.meta.url));
  if (rebuild) {
    console.log('building the site…');
    await build({ logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  }
  return dir;
}

/** The seeders (paths relative to bench/) bundled into one script; each sets its window.__seed… function. */
export async function seederScript(...files) {
  const contents = files.map((f) => `import './${f}';`).join('\n');
  const out = await esbuild.build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
    bundle: true, format: 'iife', target: 'es2022', write: false, logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

/** Serves `dir` and starts Chromium: { url, browser, close() }. */
export async function openSite(dir) {
  const server = await preview({ preview: { port: 0, host: 'localhost', strictPort: false }, build: { outDir: dir }, logLevel: 'warn' });
  const url = `http://localhost:${server.httpServer.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const close = async () => {
    await browser.close();
    await new Promise((r) => server.httpServer.close(r));
  };
  return { url, browser, close };
}

/** A page of the site (1400 × 1000) with instrument() added before its scripts and its errors logged. */
export async function sitePage(browser) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.addInitScript(instrument);
  return page;
}

/** Waits until the page's storage panel counts `n` stored runs (the store is read, the app is up). */
export const storedRuns = (page, n) =>
  page.waitForFunction((count) => document.querySelector('tl-app')?.shadowRoot?.querySelector('tl-storage-panel')?.runCount === count, n, { timeout: 120_000, polling: 100 });

/** In the page, before its scripts: long tasks from its start, and queries through shadow roots. */
export function instrument() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__deepAll = (selector) => {
    const out = [];
    const walk = (root) => {
      out.push(...root.querySelectorAll(selector));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return out;
  };
  /** `selector` inside the shadow root of every `host` element on the page. */
  window.__inside = (host, selector) => window.__deepAll(host).flatMap((h) => [...(h.shadowRoot?.querySelectorAll(selector) ?? [])]);
}

/** The durations of the page's long tasks that started between `from` and `to` (performance.now() times). */
export const longTasks = (page, from, to = Infinity) =>
  page.evaluate(([a, b]) => window.__long.filter((t) => t.start >= a && t.start <= b).map((t) => t.duration), [from, to]);

export const summary = (tasks) => ({ over50: tasks.filter((d) => d > LONG_MS).length, worst: Math.round(Math.max(0, ...tasks)) });

/**
 * From a trace: the longest task on the renderer's main thread (ms), every task, not only those over
 * 50 ms, by wall time and by the thread's CPU time (on a busy machine a short task can last long
 * when the thread waits for a core: the CPU time says how much work the task itself was); and the
 * CPU time of the page's dedicated workers' tasks, all added up (the work moved off the page).
 */
export function traceTasks(buffer) {
  const trace = JSON.parse(buffer.toString());
  const events = trace.traceEvents ?? trace;
  const threads = (name) => new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === name).map((e) => `${e.pid}:${e.tid}`));
  const main = threads('CrRendererMain');
  const workers = threads('DedicatedWorker thread');
  let wall = 0;
  let cpu = 0;
  let workerCpu = 0;
  for (const e of events) {
    if (e.name !== 'RunTask' || e.ph !== 'X') continue;
    const thread = `${e.pid}:${e.tid}`;
    if (workers.has(thread)) workerCpu += (e.tdur ?? e.dur) / 1000;
    if (!main.has(thread)) continue;
    wall = Math.max(wall, e.dur / 1000);
    cpu = Math.max(cpu, (e.tdur ?? e.dur) / 1000);
  }
  return { maxTaskMs: Math.round(wall), maxTaskCpuMs: Math.round(cpu), workerCpuMs: Math.round(workerCpu) };
}

/** Runs `fn` under a trace of the page: { value, ...traceTasks }. */
export async function traced(browser, page, fn) {
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
  try {
    const value = await fn();
    return { value, ...traceTasks(await browser.stopTracing()) };
  } catch (e) {
    await browser.stopTracing().catch(() => {});
    throw e;
  }
}

/**
 * The JavaScript the page itself (not its workers) loaded until now, from its resource timing:
 * per file and in all, raw and gzipped (gzip -6 of the built file, as a static host would send it).
 */
export async function pageScripts(page, dir) {
  const workers = new Set(page.workers().map((w) => w.url()));
  const urls = await page.evaluate(() => [
    ...new Set([
      ...[...document.querySelectorAll('script[src]')].map((s) => s.src),
      ...performance.getEntriesByType('resource').map((r) => r.name),
    ]),
  ]);
  const files = urls.filter((u) => new URL(u).pathname.endsWith('.js') && !workers.has(u)).map((u) => {
    const bytes = readFileSync(join(dir, new URL(u).pathname));
    return { file: new URL(u).pathname.replace(/^\//, ''), bytes: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
  });
  return { files, bytes: files.reduce((a, f) => a + f.bytes, 0), gzip: files.reduce((a, f) => a + f.gzip, 0) };
}
