// npm run bench [-- --backends=webgpu,cpu --epochs=2 --dataset=mnist]
// Serves the repo with Vite, opens bench/index.html in headless Chromium (software WebGPU when no GPU)
// and prints samples/s per backend. The JSON also goes to test-results/bench-training.json.
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const query = new URLSearchParams(args).toString();

const server = await createServer({ server: { port: 0, host: 'localhost' }, logLevel: 'warn' });
await server.listen();
const url = `http://localhost:${server.httpServer.address().port}/bench/index.html?${query}`;
const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.__bench, null, { timeout: 30 * 60_000, polling: 500 });
  const result = await page.evaluate(() => window.__bench);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-training.json', JSON.stringify(result, null, 2));
  if (result.error) throw new Error(result.error);
  console.log(`${result.model} on ${result.dataset} (${result.trainSamples} training samples), batch ${result.batchSize}, ${result.epochs} epochs`);
  console.log('backend  ran on                                   samples/s   s/epoch');
  for (const r of result.rows) {
    const line = r.error
      ? `${r.backend.padEnd(8)} ${(r.ranOn ?? '').padEnd(40)} failed: ${r.error}`
      : `${r.backend.padEnd(8)} ${(r.ranOn ?? '').padEnd(40)} ${Math.round(r.samplesPerSec).toString().padStart(9)}   ${r.epochSeconds.toFixed(2)}`;
    console.log(line);
  }
} finally {
  await browser.close();
  await server.close();
}
