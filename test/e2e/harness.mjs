// Shared set-up for end-to-end tests: serve the built site (dist/, or $TL_DIST when set, so that
// several builds can be tested side by side) on localhost with Vite's preview server (with the
// headers of vite.config.ts: CSP, COOP and COEP) and drive Debian's Chromium with playwright-core
// (which downloads nothing).
import { after, before } from 'node:test';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.mjs';

/**
 * Serves the built site. By default with vite.config.ts's preview headers: the Content-Security-Policy
 * and COOP/COEP (the page is cross-origin isolated, so the wasm backend runs threaded). With
 * `{ isolation: false }` the config file is left out and the site is served as a static host that
 * sends no headers at all would serve it (the page's <meta> policy still applies), which is where
 * public/coi-sw.js has to make the page isolated.
 */
export async function startSite({ isolation = true } = {}) {
  const server = await preview({
    ...(isolation ? {} : { configFile: false }),
    build: { outDir: process.env.TL_DIST || 'dist' },
    preview: { port: 0, host: 'localhost', strictPort: false },
    logLevel: 'warn',
  });
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
 * A page in its own browser context (its own IndexedDB), 1400 px wide, whose page errors, console
 * errors, Content-Security-Policy violations (page and workers) and requests off the site's origin
 * are collected so the test can assert there were none. Closing the page closes its context.
 */
export async function freshPage(env, options = {}) {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 }, ...options });
  return { page, errors: await watchPage(env, page) };
}

/**
 * One browser context whose pages are tabs of one browser profile: they share IndexedDB, Web Locks
 * and BroadcastChannel. `open()` adds a page watched as freshPage watches its own; closing the
 * context closes them all.
 */
export async function sharedContext(env, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const open = async () => {
    const page = await context.newPage();
    return { page, errors: await watchPage(env, page) };
  };
  return { context, open };
}

/** The errors, policy violations and off-origin requests of `page`, as they come. */
async function watchPage(env, page) {
  const errors = watchErrors(page);
  await watchPolicy(page, errors);
  watchRequests(page, new URL(env.site.url).origin, errors);
  return errors;
}

/** Collects page errors and console errors so a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  return errors;
}

export const CSP_VIOLATION = 'CSP violation:';

/** Runs in the page (before its scripts) and in each worker: every violation becomes a console error. */
function reportViolations(prefix) {
  (globalThis.document ?? globalThis).addEventListener('securitypolicyviolation', (e) => {
    const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : '';
    console.error(`${prefix} ${e.effectiveDirective} refused ${e.blockedURI || '(inline)'}${where}`);
  });
}

/**
 * CSP violations fail the test. The listener reports each one as a console error: Chromium logs most
 * of the page's itself, but not all (an eval refused inside a try/catch, as a library's feature probe
 * does, is silent). Init scripts do not run in workers: the listener is added to each worker as soon
 * as its context exists, and Chromium's own message for a worker's refused fetch arrives only through
 * the page's Log domain, which Playwright leaves out for workers.
 */
async function watchPolicy(page, errors) {
  await page.addInitScript(reportViolations, CSP_VIOLATION);
  page.on('worker', (worker) => worker.evaluate(reportViolations, CSP_VIOLATION).catch(() => {}));
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (entry.source === 'worker' && /Content Security Policy/i.test(entry.text) && !entry.text.startsWith(CSP_VIOLATION)) {
      errors.push(`worker: ${entry.text}`);
    }
  });
  await cdp.send('Log.enable');
}

/**
 * Every request (the page's and its workers') must go to the site's own origin. blob: URLs are
 * reported as requests and carry their creator's origin (`blob:http://localhost:…/uuid`); data: URLs
 * are not requests. A request that the policy refuses never starts: it is a CSP violation instead.
 */
function watchRequests(page, origin, errors) {
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.origin === origin) return;
    errors.push(`off-origin request: ${request.method()} ${request.url()}`);
  });
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

/**
 * Waits until the Lab's run has ended and its final record is stored: the results show at once,
 * the run.zip button only once the record is saved (a reload before that leaves it interrupted).
 */
export async function runEndedAndSaved(page, timeout) {
  await page.getByText('Test accuracy').first().waitFor({ timeout });
  await page.getByRole('button', { name: 'Download run.zip' }).waitFor({ timeout: 60_000 });
}
