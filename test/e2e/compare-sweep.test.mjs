// Compare this sweep, end to end: a 2 × 2 sweep (learning rate × hidden layers) with 2 repeats is set
// up through the Lab's address, trained to the end in the page, and "Compare this sweep" opens
// Compare on its 8 runs grouped by the swept keys: 4 groups of 2 with mean ± std (checked against the
// runs' own test accuracies), the sweep's header, and the parallel-coordinates plot; comparison.zip
// holds sweep.json (the sweep's record) and the plot as PNG and PDF (read back with Python's zipfile).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';

const BASE = 'dataset=blobs&samples=300&classes=3&noise=1&model=mlp&hidden=8&epochs=3&batch=32&lr=0.05&backend=cpu';
const SWEEP = 'sweep=lr:0.01|0.05;hidden:8|16&repeats=2';

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

function unzip(zipPath, into) {
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])\nprint("\\n".join(z.namelist()))';
  return execFileSync('python3', ['-c', script, zipPath, into], { encoding: 'utf8' }).trim().split('\n');
}

describe('Compare this sweep', () => {
  const env = useSiteAndBrowser();

  it('a 2 × 2 sweep with 2 repeats: 4 groups of 2 with mean ± std, the header, the parallel-coordinates plot and sweep.json in comparison.zip', async () => {
    const { page, errors } = await freshPage(env, { acceptDownloads: true });
    await page.goto(`${env.site.url}?${BASE}&${SWEEP}`);
    const panel = page.getByRole('region', { name: 'Sweep' });
    const start = panel.getByRole('button', { name: 'Start sweep' });
    if (!(await start.isVisible())) await panel.getByRole('button', { name: 'Sweep' }).click();
    await panel.getByText('8 runs (4 configurations × 2 seeds)').waitFor({ timeout: 30_000 });
    await start.click();
    await page.getByRole('status', { name: 'Last sweep' }).getByText('completed, 8 of 8 runs done').waitFor({ timeout: 600_000 });
    await page.getByRole('button', { name: 'Compare this sweep' }).click();

    await page.waitForURL(/#sweep\/sweep_/);
    const header = page.locator('tl-compare-sweep');
    await header.getByText('8 of 8 done').waitFor({ timeout: 30_000 });
    await header.getByText('lr, hidden', { exact: true }).waitFor();

    const groups = page.locator('tl-compare-groups');
    assert.equal(await groups.locator('select[name=group-by]').inputValue(), 'keys');
    const rows = groups.locator('table[aria-label="Groups"] tbody tr');
    await rows.nth(3).waitFor();
    assert.equal(await rows.count(), 4);
    // Each group's n and its test accuracy, mean ± std, against the runs' own values in the table.
    const table = await page.locator('tl-compare-table').evaluate((t) => {
      const root = t.shadowRoot;
      const heads = [...root.querySelectorAll('thead th')].map((th) => th.textContent.replace(/[▲▼]/g, '').trim());
      return [...root.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [heads[i], td.textContent.trim()])));
    });
    assert.equal(table.length, 8);
    const groupRows = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => [...td.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim())));
    // hidden 8 has fewer parameters than hidden 16: a run's configuration is its learning rate and its size.
    const sizes = [...new Set(table.map((r) => r.Parameters))].sort((a, b) => Number(a.replace(/,/g, '')) - Number(b.replace(/,/g, '')));
    assert.equal(sizes.length, 2);
    const seen = new Set();
    for (const [label, n, testAcc] of groupRows) {
      assert.equal(n, '2', label);
      const [, lr, hidden] = /^lr = ([\d.]+), hidden = (\d+)$/.exec(label);
      seen.add(`${lr}/${hidden}`);
      const members = table.filter((r) => r['Learning rate'] === lr && r.Parameters === sizes[hidden === '8' ? 0 : 1]).map((r) => Number(r['Test acc. (%)']));
      assert.equal(members.length, 2, label);
      const [m, sd] = testAcc.split(' ± ').map(Number);
      // The table shows 2 decimals: the group's mean and std, from the full values, agree to rounding.
      assert.ok(Math.abs(m - mean(members)) <= 0.011, `${label}: ${testAcc} vs ${members}`);
      assert.ok(Math.abs(sd - sampleStd(members)) <= 0.011, `${label}: ${testAcc} vs ${members}`);
    }
    assert.equal(seen.size, 4);

    const plot = page.locator('tl-compare-view section[aria-label="Plots"] figure img[alt="Sweep: parallel coordinates"]');
    await plot.waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(resultsDir(), 'compare-sweep.png'), fullPage: true }); // to look at

    const download = page.waitForEvent('download', { timeout: 180_000 });
    await page.getByRole('button', { name: 'Download comparison.zip' }).click();
    const dir = mkdtempSync(join(tmpdir(), 'trainlab-cmpsweep-'));
    const file = join(dir, (await download).suggestedFilename());
    await (await download).saveAs(file);
    const names = unzip(file, dir);
    const root = names[0].split('/')[0];
    for (const f of ['sweep.json', 'parallel_coordinates.png', 'parallel_coordinates.pdf', 'README.txt']) assert.ok(names.includes(`${root}/${f}`), f);
    const sweep = JSON.parse(readFileSync(join(dir, root, 'sweep.json'), 'utf8'));
    assert.deepEqual(sweep.swept_keys, ['lr', 'hidden']);
    assert.equal(sweep.runs.length, 8);
    assert.equal(sweep.status, 'completed');
    const readme = readFileSync(join(dir, root, 'README.txt'), 'utf8');
    assert.match(readme, /Swept keys: lr, hidden; 4 configurations, 8 runs compared/);
    assert.match(readme, /Best configuration by mean Best val\. acc\. \(%\)/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
