// Try it on image models, in a real browser: an uploaded image is prepared exactly as the run's
// training images were (image-decode.ts at the run's size and colour mode), and a zip of images
// predicted in the inference worker gives one row per image, junk and non-images left out.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { deleteDB } from 'idb';
import JSZip from 'jszip';
import { RunStore } from '../../src/recorder/run-store';
import { createImageDecoder } from '../../src/training/datasets/images/image-decode';
import type { ImagesResult, Loaded } from '../../src/training/inference-worker';
import { WorkerClient } from '../../src/training/worker-rpc';
import '../../src/components/tl-try-it';
import type { TlTryIt } from '../../src/components/tl-try-it';
import { ownImagesRun } from '../fixtures/own-data-records';
import { savedModel } from '../helpers/saved-model';
import { waitFor } from '../helpers/wait';

/** A PNG of w × h with a colour gradient (not square: the cover crop matters). */
async function png(w: number, h: number, shift = 0): Promise<Uint8Array> {
  const c = new OffscreenCanvas(w, h);
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, w, h);
  g.addColorStop(0, `rgb(${200 - shift}, 30, 60)`);
  g.addColorStop(1, `rgb(20, ${90 + shift}, 240)`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, h);
  return new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

/** A 32 × 32 RGB model with weights large enough that the probabilities depend on the pixels. */
function imageModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [32, 32, 3] }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ stddev: 0.08, seed: 3 }) }));
  return m;
}

describe('Try it on image models', () => {
  let store: RunStore;
  const dbName = `trainlab-tryit-images-${Date.now()}`;
  before(async () => (store = await RunStore.open(dbName)));
  after(async () => {
    store.close();
    await deleteDB(dbName);
  });
  afterEach(() => document.body.replaceChildren());

  it("an uploaded image gets what the model gives the image decoded as the run's training images were", async () => {
    const model = imageModel();
    const record = await store.createImportedRunWithModel(ownImagesRun().record, await savedModel(model), 4);
    const el = document.body.appendChild(document.createElement('tl-try-it')) as TlTryIt;
    el.store = Promise.resolve(store);
    el.record = record;
    const root = () => el.shadowRoot!;
    const input = await waitFor(() => root().querySelector<HTMLInputElement>('label input[type=file]:not([aria-label])'), 'the image input', 30_000);
    expect(root().querySelector('.drop')?.textContent).to.equal('Drop an image here');

    const bytes = await png(48, 30);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes as BlobPart], 'photo.png', { type: 'image/png' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await waitFor(() => root().querySelector('tl-probability-bars')?.shadowRoot?.querySelector('li'), 'the bars', 30_000);

    const x = new Float32Array(32 * 32 * 3);
    await createImageDecoder({ size: 32, color: 'rgb' }).decode(bytes, x, 0);
    const expected = tf.tidy(() => Array.from((model.predict(tf.tensor4d(x, [1, 32, 32, 3])) as tf.Tensor).dataSync()));
    expect(Math.max(...expected) - Math.min(...expected)).to.be.above(0.05); // the pixels matter to this model
    const labels = [...root().querySelector('tl-probability-bars')!.shadowRoot!.querySelectorAll('li')].map((li) => li.getAttribute('aria-label')!);
    expect(labels.map((l) => l.split(':')[0])).to.deep.equal(['bird', 'cat', 'dog']);
    labels.forEach((l, k) => expect(Number(/([\d.]+) %$/.exec(l)![1])).to.be.closeTo(expected[k] * 100, 0.1));
    model.dispose();
  });

  it('a zip of images: one prediction per image in natural order, junk ignored, a file that is no image skipped with its reason', async () => {
    const model = imageModel();
    const zip = new JSZip();
    zip.file('shots/img10.png', await png(40, 40, 50));
    zip.file('shots/img2.png', await png(20, 36, 10));
    zip.file('shots/notes.txt', 'not an image');
    zip.file('__MACOSX/shots/._img2.png', 'resource fork');
    const blob = await zip.generateAsync({ type: 'blob' });
    const client = new WorkerClient(() => new Worker(new URL('../../src/training/inference-worker.ts', import.meta.url), { type: 'module' }));
    try {
      const loaded = await client.call<Loaded>('load', { key: 'k', model: await savedModel(model), wasmPath: new URL('/node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href });
      expect(loaded).to.deep.include({ numClasses: 3, inputShape: [32, 32, 3] });
      const r = await client.call<ImagesResult>('predictImages', { key: 'k', input: { kind: 'zip', name: 'shots.zip', blob }, prep: { kind: 'images', size: 32, color: 'rgb' } });
      expect(r.names).to.deep.equal(['shots/img2.png', 'shots/img10.png']);
      expect(r.skipped).to.deep.equal([{ name: 'shots/notes.txt', reason: 'not a PNG, JPEG, WebP, GIF or BMP image (the contents are none of them)' }]);
      expect(r.probabilities.length).to.equal(6);
      const x = new Float32Array(32 * 32 * 3);
      await createImageDecoder({ size: 32, color: 'rgb' }).decode(await png(20, 36, 10), x, 0);
      const first = tf.tidy(() => Array.from((model.predict(tf.tensor4d(x, [1, 32, 32, 3])) as tf.Tensor).dataSync()));
      first.forEach((p, k) => expect(r.probabilities[k]).to.be.closeTo(p, 1e-5));
    } finally {
      client.terminate();
      model.dispose();
    }
  });
});
