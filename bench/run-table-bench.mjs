// node bench/run-table-bench.mjs [--rows=900000] [--head=100|Infinity]
// Serves the repo with Vite, generates a CSV of about 100 MB in headless Chromium (900,000 rows ×
// 12 columns: 10 numeric, a categorical one, the label) and reads it through the table worker:
// the time of each phase, the main thread's long tasks meanwhile (PerformanceObserver 'longtask'),
// and the peak memory of the browser's renderer processes over the baseline before the read (from
// /proc, Linux only). `--head=Infinity` sends the whole parsed table to the page, to see what that
// costs the main thread. The JSON also goes to test-results/bench-table.json. A benchmark only: no
// test depends on its timings.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';
import { cliArgs } from './page-result.mjs';

/** Resident memory (bytes) of this process's Chromium renderers, summed; 0 where /proc is missing. */
function rendererRss() {
  let procs;
  try {
    procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  const info = new Map();
  for (const pid of procs) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      const renderer = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
      info.set(Number(pid), { ppid, rss, renderer });
    } catch {
      // gone meanwhile
    }
  }
  const ours = (pid) => {
    for (let p = pid, n = 0; p > 1 && n < 16; p = info.get(p)?.ppid ?? 0, n++) if (p === process.pid) return true;
    return false;
  };
  let sum = 0;
  for (const [pid, p] of info) if (p.renderer && ours(pid)) sum += p.rss;
  return sum;
}

const query = new URLSearchParams(cliArgs()).toString();
const server = await createServer({ server: { port: 0, host: 'localhost' }, logLevel: 'warn' });
await server.listen();
const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
let r;
let baseline = 0;
let peak = 0;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://localhost:${server.httpServer.address().port}/bench/table.html?${query}`);
  for (;;) {
    const phase = await page.evaluate(() => window.__tableBenchPhase);
    const rss = rendererRss();
    if (phase === 'generated') baseline = rss;
    if (phase === 'reading') peak = Math.max(peak, rss);
    if (phase === 'done') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  r = await page.evaluate(() => window.__tableBench);
} finally {
  await browser.close();
  await server.close();
}
if (r.error) throw new Error(r.error);
r.rendererRss = { baselineBytes: baseline, peakBytes: peak, peakOverBaselineBytes: peak - baseline };
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-table.json', JSON.stringify(r, null, 2));
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`${r.totalRows.toLocaleString('en-US')} rows × ${r.columns} columns, ${(r.bytes / 1e6).toFixed(1)} MB (${r.types.join(' ')}), ${r.headRows} rows sent to the page`);
console.log(`read in the worker: first piece ${s(r.marks.firstPiece)}, parsed ${s(r.marks.parsed)}, profiled ${s(r.marks.profiled)}, result on the page ${s(r.totalMs)}`);
console.log(`main thread: ${r.longTasks.count} long tasks, worst ${r.longTasks.worstMs.toFixed(0)} ms; worst gap between 16 ms timer ticks ${r.worstTimerGapMs.toFixed(0)} ms`);
console.log(`renderer memory: ${(baseline / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB (+${((peak - baseline) / 1e6).toFixed(0)} MB)`);
