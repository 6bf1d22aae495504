// Shared by the benchmark scripts: serve the repo with Vite, open one of its pages in headless
// Chromium and return what the page leaves in `window[globalName]` when it is done.
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';

/**
 * `--isolation=off` serves the page without cross-origin isolation (so wasm runs its single-threaded
 * build), to measure what the threads bring.
 */
export async function pageResult(path, globalName, timeoutMs = 30 * 60_000) {
  const isolated = cliArgs().isolation !== 'off';
  const headers = isolated ? {} : { 'Cross-Origin-Opener-Policy': 'unsafe-none', 'Cross-Origin-Embedder-Policy': 'unsafe-none' };
  const server = await createServer({ server: { port: 0, host: 'localhost', headers }, logLevel: 'warn' });
  await server.listen();
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`http://localhost:${server.httpServer.address().port}${path}`);
    await page.waitForFunction((name) => window[name], globalName, { timeout: timeoutMs, polling: 300 });
    return await page.evaluate((name) => window[name], globalName);
  } finally {
    await browser.close();
    await server.close();
  }
}

export function cliArgs() {
  return Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.replace(/^--/, '').split('=')));
}
