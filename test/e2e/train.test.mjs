import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPage, resultsDir, useSiteAndBrowser } from './harness.mjs';

const SMALL = 'dataset=moons&samples=200&model=mlp&hidden=8&batch=32&lr=0.05&optimizer=adam&seed=7';

describe('training in the built site', () => {
  const env = useSiteAndBrowser();

  async function open(query) {
    const { page, errors } = await freshPage(env, { viewport: { width: 1400, height: 1100 } });
    await page.goto(`${env.site.url}?${query}`);
    return { page, errors };
  }

  it('autostarts from the URL on the automatic backend and shows test accuracy, confusion matrix and backend', async () => {
    const { page, errors } = await open(`${SMALL}&epochs=4&autostart=1`);
    await page.getByText('Test accuracy').waitFor({ timeout: 180_000 });
    assert.match((await page.getByTestId('test-accuracy').textContent()) ?? '', /^\d+\.\d{2} %$/);
    assert.ok(await page.getByRole('table', { name: 'Confusion matrix' }).isVisible(), 'confusion matrix shown');
    assert.ok(await page.getByRole('table', { name: 'Per-class metrics' }).isVisible(), 'per-class metrics shown');
    const backend = (await page.getByTestId('backend').textContent()) ?? '';
    const name = backend.match(/Backend: (webgpu|webgl|wasm|cpu)/)?.[1];
    assert.ok(name, `backend named in: ${backend}`);
    if (name !== 'webgpu') {
      // Automatic choice never drops WebGPU silently.
      assert.match(await page.getByRole('list', { name: 'Skipped backends' }).textContent(), /skipped webgpu: /);
    }
    assert.match(await page.getByRole('status', { name: 'Training status' }).textContent(), /Training completed/);
    await page.screenshot({ path: `${resultsDir()}/train-moons-auto.png`, fullPage: true });
    // The URL keeps the settings but drops autostart so a reload does not start a second run.
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('dataset'), 'moons');
    assert.equal(url.searchParams.get('epochs'), '4');
    assert.equal(url.searchParams.get('autostart'), null);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('trains on WebGPU when forced and names the adapter', async () => {
    const { page, errors } = await open(`${SMALL}&epochs=3&backend=webgpu&autostart=1`);
    await page.getByText('Test accuracy').waitFor({ timeout: 180_000 });
    const backend = (await page.getByTestId('backend').textContent()) ?? '';
    assert.match(backend, /Backend: webgpu \(forced/);
    assert.match(backend, /GPU: /);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('Stop ends the run early and keeps the curves and a test evaluation', async () => {
    const { page, errors } = await open(`${SMALL}&epochs=500&backend=cpu&autostart=1`);
    await page.getByText(/Epoch [3-9]\d* \/ 500/).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Test accuracy').waitFor({ timeout: 60_000 });
    assert.match(await page.getByRole('status', { name: 'Training status' }).textContent(), /Stopped by you/);
    const epochText = await page.getByText(/Epoch \d+ \/ 500/).textContent();
    const epochsDone = Number(epochText.match(/Epoch (\d+)/)[1]);
    assert.ok(epochsDone >= 3 && epochsDone < 500, `stopped after ${epochsDone} epochs`);
    assert.ok(await page.getByRole('button', { name: 'Train' }).isEnabled(), 'Train is available again');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a run whose loss turns NaN stops with "diverged at epoch N"', async () => {
    const { page, errors } = await open('dataset=spirals&epochs=5&optimizer=sgd&lr=10000&wd=1&backend=cpu&autostart=1');
    await page.getByText(/diverged at epoch \d+/).waitFor({ timeout: 120_000 });
    assert.match(await page.getByRole('status', { name: 'Training status' }).textContent(), /diverged at epoch 1: loss is NaN/);
    assert.equal(await page.getByText('Test accuracy').count(), 0, 'no results from a diverged model');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an address restores every setting', async () => {
    const query =
      'dataset=blobs&samples=300&noise=0.3&classes=4&dseed=5&split=60,20,20&model=mlp&hidden=32,8&act=tanh&dropout=0.1' +
      '&epochs=7&batch=16&lr=0.003&optimizer=rmsprop&seed=9&wd=0.0001&sched=cosine&minlr=0.0001&es=1&patience=3&monitor=val_acc&backend=wasm';
    const { page, errors } = await open(query);
    await page.getByRole('table', { name: 'Class distribution' }).waitFor();
    const value = (name) => page.locator(`[name="${name}"]`).inputValue();
    const expected = { dataset: 'blobs', samples: '300', noise: '0.3', classes: '4', dseed: '5', train: '0.6', val: '0.2', test: '0.2',
      hidden: '32,8', activation: 'tanh', dropout: '0.1', epochs: '7', batch: '16', lr: '0.003', optimizer: 'rmsprop', seed: '9',
      wd: '0.0001', sched: 'cosine', minlr: '0.0001', patience: '3', monitor: 'val_acc', backend: 'wasm' };
    for (const [name, v] of Object.entries(expected)) assert.equal(await value(name), v, `field ${name}`);
    assert.ok(await page.locator('[name="es"]').isChecked());
    // The address the page writes back is the same experiment.
    const written = new URL(page.url()).searchParams;
    for (const [k, v] of new URLSearchParams(query)) assert.equal(written.get(k), v, `parameter ${k}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
