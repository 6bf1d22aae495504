// node bench/run-backup-bench.mjs [--runs=20] [--hidden=128,64] [--target=blob|file]
// Serves the repo with Vite, stores N MNIST-size runs in headless Chromium's IndexedDB, then times
// Back up all runs and a Restore into an empty database (size, time, main-thread long tasks). The
// JSON also goes to test-results/bench-backup.json. A benchmark only: no test depends on its timings.
// Chromium runs with a profile on disk (as a person's browser does): in a private window IndexedDB
// and Blobs stay in memory, which caps a backup there at Chromium's in-memory blob limit (2 GiB).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';
import { cliArgs } from './page-result.mjs';

const query = new URLSearchParams(cliArgs()).toString();
const server = await createServer({ server: { port: 0, host: 'localhost' }, logLevel: 'warn' });
await server.listen();
const profile = mkdtempSync(join(tmpdir(), 'trainlab-backup-bench-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
let r;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://localhost:${server.httpServer.address().port}/bench/backup.html?${query}`);
  await page.waitForFunction(() => window.__backupBench, null, { timeout: 30 * 60_000, polling: 300 });
  r = await page.evaluate(() => window.__backupBench);
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-backup.json', JSON.stringify(r, null, 2));
if (r.error) throw new Error(r.error);
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
console.log(`${r.runs} runs (backup to a ${r.target}), MLP ${r.hidden.join('-')}, ${r.snapshotsPerRun} snapshots × ${mb(r.snapshotBytes)} (weights + Adam state) per run`);
console.log(`backup: ${(r.backupMs / 1000).toFixed(2)} s, ${mb(r.backupBytes)}, long tasks ${r.backupLongTasks.count} (worst ${r.backupLongTasks.worstMs.toFixed(0)} ms), JS heap after ${r.heapAfterBackup ? mb(r.heapAfterBackup) : '?'}`);
console.log(`restore: ${(r.restoreMs / 1000).toFixed(2)} s, ${r.restored} restored, long tasks ${r.restoreLongTasks.count} (worst ${r.restoreLongTasks.worstMs.toFixed(0)} ms)`);
