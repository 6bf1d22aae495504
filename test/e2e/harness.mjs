// Shared set-up for end-to-end tests: serve the built site (dist/) on localhost with Vite's preview
// server and drive Debian's Chromium with playwright-core (which downloads nothing).
import { after, before } from 'node:test';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';

export async function startSite() {
  const server = await preview({ preview: { port: 0, host: 'localhost', strictPort: false }, logLevel: 'warn' });
  const address = server.httpServer.address();
  const url = `http://localhost:${address.port}/`;
  return { url, close: () => new Promise((r) => server.httpServer.close(r)) };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export function resultsDir() {
  mkdirSync('test-results', { recursive: true });
  return 'test-results';
}

/**
 * A page in its own browser context (its own IndexedDB), 1400 px wide, whose page and console errors
 * are collected so the test can assert there were none. Closing the page closes its context.
 */
export async function freshPage(env, options = {}) {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 }, ...options });
  return { page, errors: watchErrors(page) };
}

/** Collects page errors and console errors so a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  return errors;
}

/** Registers before/after hooks that serve the built site and start Chromium once per suite. */
export function useSiteAndBrowser() {
  const env = { site: null, browser: null };
  before(async () => {
    env.site = await startSite();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}
