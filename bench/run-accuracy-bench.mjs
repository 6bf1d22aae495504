// npm run bench:accuracy [-- --epochs=3 --seeds=1,2,3 --backends=wasm,cpu --no-build]
// Issue 11's guard on speed levers: the lab's test accuracy after a fixed number of epochs of MLP [128]
// on MNIST (Adam, lr 0.001, batch 64, the bench's model), for 3 seeds, on the built site. wasm runs the
// lab's own step (the dense step: its WebAssembly products, Adam in one WebAssembly pass); cpu runs
// tfjs's reference kernels: a lever that changed what is learned would move wasm's accuracies
// outside cpu's spread. The JSON goes to test-results/bench-accuracy.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cliArgs } from './page-result.mjs';
import { buildSite, openSite, sitePage } from './built-site.mjs';

const args = cliArgs();
const EPOCHS = Number(args.epochs ?? 3);
const SEEDS = String(args.seeds ?? '1,2,3').split(',').map(Number);
const BACKENDS = String(args.backends ?? 'wasm,cpu').split(',');
const RUN = `dataset=mnist&model=mlp&hidden=128&act=relu&dropout=0&batch=64&lr=0.001&optimizer=adam&epochs=${EPOCHS}`;

const dir = await buildSite('bench-accuracy-site', !('no-build' in args));
const { url, browser, close } = await openSite(dir);
const rows = [];
try {
  for (const backend of BACKENDS) {
    for (const seed of SEEDS) {
      const page = await sitePage(browser);
      const t0 = Date.now();
      await page.goto(`${url}?${RUN}&seed=${seed}&backend=${backend}&autostart=1`);
      const accuracy = page.getByTestId('test-accuracy');
      await accuracy.waitFor({ timeout: 600_000 });
      const percent = Number.parseFloat(await accuracy.textContent());
      rows.push({ backend, seed, testAccuracy: percent, seconds: (Date.now() - t0) / 1000 });
      console.log(`  ${backend.padEnd(5)} seed ${seed}: test accuracy ${percent.toFixed(2)} % (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      await page.close();
    }
  }
} finally {
  await close();
}
const range = (backend) => rows.filter((r) => r.backend === backend).map((r) => r.testAccuracy);
console.log(`MLP [128] on MNIST, Adam lr 0.001, batch 64, ${EPOCHS} epochs: test accuracy per backend over seeds ${SEEDS.join(', ')}`);
for (const backend of BACKENDS) {
  const accs = range(backend);
  const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
  console.log(`  ${backend.padEnd(5)} mean ${mean.toFixed(2)} %, range ${Math.min(...accs).toFixed(2)}–${Math.max(...accs).toFixed(2)} %`);
}
if (BACKENDS.includes('wasm') && BACKENDS.includes('cpu')) {
  const [wasm, cpu] = [range('wasm'), range('cpu')];
  const inside = wasm.every((a) => a >= Math.min(...cpu) && a <= Math.max(...cpu));
  console.log(`wasm's accuracies within cpu's spread: ${inside ? 'yes' : 'NO: a speed lever changed what is learned'}`);
}
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench-accuracy.json', JSON.stringify({ epochs: EPOCHS, seeds: SEEDS, rows }, null, 2));
