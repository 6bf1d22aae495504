// Try it's components and controller in a real browser: the bars and the draw canvas render state
// and raise events; <tl-try-it> on a stored spirals run loads the stored best model into the
// inference worker, recomputes the split's standardisation, and gives for a typed point what tfjs on
// this page gives for the same test row.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { deleteDB } from 'idb';
import { dataAccess } from '../../src/app/run-continuation';
import { applyEvent, createRunRecord } from '../../src/recorder/recorder';
import type { LabRunRecord } from '../../src/recorder/run-record';
import { RunStore } from '../../src/recorder/run-store';
import { prepareBuiltinOffThread } from '../../src/training/datasets/dataset-client';
import type { StandardizedSplit } from '../../src/training/split';
import '../../src/components/tl-draw-canvas';
import '../../src/components/tl-probability-bars';
import '../../src/components/tl-try-it';
import type { TlTryIt } from '../../src/components/tl-try-it';
import { at, epochEvent, finished, makeInit, makeSnapshot, started } from '../helpers/run-fixtures';
import { savedModel, trained2d } from '../helpers/saved-model';
import { waitFor } from '../helpers/wait';

const mount = <T extends HTMLElement>(el: T): T => document.body.appendChild(el);
afterEach(() => document.body.replaceChildren());

describe('<tl-probability-bars>', () => {
  it('one labelled bar per class, percentages adding up to 100, the likeliest class marked', async () => {
    const el = mount(document.createElement('tl-probability-bars'));
    el.classNames = ['cat', 'dog', 'fish'];
    el.probabilities = [1 / 3, 1 / 3, 1 / 3];
    await el.updateComplete;
    const items = [...el.shadowRoot!.querySelectorAll('li')];
    expect(items.map((li) => li.getAttribute('aria-label'))).to.deep.equal(['cat: 33.4 %', 'dog: 33.3 %', 'fish: 33.3 %']);
    expect(items[0].classList.contains('top')).to.equal(true);
    expect((items[0].querySelector('.bar') as HTMLElement).style.width).to.equal('33.4%');
    el.probabilities = null;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('ol')).to.equal(null);
  });
});

describe('<tl-draw-canvas>', () => {
  it('a stroke raises the drawn pixels (white on black); Clear wipes them and says so', async () => {
    const el = mount(document.createElement('tl-draw-canvas'));
    await el.updateComplete;
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    const r = canvas.getBoundingClientRect();
    const changes: { rgba: Uint8ClampedArray; width: number }[] = [];
    el.addEventListener('drawing-change', (e) => changes.push(e.detail));
    let cleared = 0;
    el.addEventListener('drawing-clear', () => cleared++);
    const pointer = (type: string, fx: number, fy: number) => canvas.dispatchEvent(new PointerEvent(type, { clientX: r.left + fx * r.width, clientY: r.top + fy * r.height, pointerId: 1, bubbles: true }));
    pointer('pointerdown', 0.5, 0.2);
    pointer('pointermove', 0.5, 0.5);
    pointer('pointermove', 0.5, 0.8);
    pointer('pointerup', 0.5, 0.8);
    expect(changes.length).to.be.within(1, 3);
    const last = changes.at(-1)!;
    const white = (x: number, y: number) => last.rgba[(y * last.width + x) * 4];
    expect(white(Math.round(0.5 * last.width), Math.round(0.5 * last.width))).to.equal(255);
    expect(white(5, 5)).to.equal(0);
    el.shadowRoot!.querySelector('button')!.click();
    expect(cleared).to.equal(1);
    expect(canvas.getContext('2d')!.getImageData(0, 0, last.width, last.width).data.some((v, i) => i % 4 !== 3 && v !== 0)).to.equal(false);
  });
});

describe('<tl-try-it> on a stored run', () => {
  let store: RunStore;
  const dbName = `trainlab-tryit-${Date.now()}`;
  before(async () => (store = await RunStore.open(dbName)));
  after(async () => {
    store.close();
    await deleteDB(dbName);
  });


  it("a typed point of the plane gets the stored model's probabilities for it, standardised with the train split's statistics", async () => {
    const synthetic = { samples: 300, noise: 0.1, classes: 3, seed: 7 };
    const made = await prepareBuiltinOffThread({ id: 'spirals', synthetic, ratios: { train: 0.7, val: 0.15, test: 0.15 }, seed: 42 });
    const split = made.split as StandardizedSplit;
    const model = await trained2d(split);

    let r: LabRunRecord = applyEvent(createRunRecord(makeInit({ split, datasetSha256: made.sha256, synthetic })), started(), at(1));
    await store.putRun(r);
    const snap = { ...makeSnapshot(1, { isBest: true }), model: await savedModel(model) };
    r = await store.saveEpoch(applyEvent(r, epochEvent(1, snap), at(3)), snap);

    // While the run trains Try it waits; once its record is stored as ended, it opens by itself (the
    // Lab hands it the record as it was when the run finished, before that last write).
    const el = mount(document.createElement('tl-try-it')) as TlTryIt;
    el.store = Promise.resolve(store);
    el.data = dataAccess(async () => undefined);
    el.record = r;
    const root = () => el.shadowRoot!;
    await waitFor(() => /opens when the run has ended/.test(root().textContent ?? ''), 'the wait while training', 10_000);
    await store.putRun(applyEvent(r, finished('completed', 1, 1), at(4)));
    await waitFor(() => !!root().querySelector('tl-try-it-row'), 'the Try it form', 30_000);
    expect(root().textContent).to.match(/the best model \(epoch 1\), on the (wasm|cpu) backend/);
    expect(root().querySelector('tl-try-it-plane')).to.not.equal(null);

    // Test row 0 in its own coordinates (the standardisation undone), typed into the form.
    const s = split.standardization!;
    const raw = [0, 1].map((j) => split.test.x[j] * s.std[j] + s.mean[j]);
    const row = root().querySelector('tl-try-it-row')!;
    await row.updateComplete;
    const inputs = [...row.shadowRoot!.querySelectorAll('input')];
    expect(inputs.map((i) => i.name)).to.deep.equal(['x1', 'x2']);
    inputs.forEach((input, j) => {
      input.value = String(raw[j]);
      input.dispatchEvent(new Event('input'));
    });
    row.shadowRoot!.querySelector('form')!.requestSubmit();
    await waitFor(() => !!root().querySelector('tl-probability-bars')?.shadowRoot?.querySelector('li'), 'the bars', 30_000);
    const expected = tf.tidy(() => Array.from((model.predict(tf.tensor2d(split.test.x.subarray(0, 2), [1, 2])) as tf.Tensor).dataSync()));
    const labels = [...root().querySelector('tl-probability-bars')!.shadowRoot!.querySelectorAll('li')].map((li) => li.getAttribute('aria-label'));
    const pct = labels.map((l) => Number(/([\d.]+) %$/.exec(l!)![1]));
    pct.forEach((p, k) => expect(p).to.be.closeTo(expected[k] * 100, 0.1));

    // A click on the plane: the point is marked, typed into the form, and predicted.
    const plane = root().querySelector('tl-try-it-plane')!;
    const svgEl = plane.shadowRoot!.querySelector('svg')!;
    const box = svgEl.getBoundingClientRect();
    svgEl.dispatchEvent(new MouseEvent('click', { clientX: box.left + box.width * 0.3, clientY: box.top + box.height * 0.6, bubbles: true }));
    await waitFor(() => plane.shadowRoot!.querySelector('g[role=img]'), 'the chosen point', 10_000);
    await row.updateComplete;
    const typed = [...row.shadowRoot!.querySelectorAll('input')].map((i) => Number(i.value));
    const points = plane.plane!;
    expect(typed[0]).to.be.within(points.bounds.x[0], points.bounds.x[1]);
    expect(typed[0]).to.be.below((points.bounds.x[0] + points.bounds.x[1]) / 2); // left of the centre
    expect(typed[1]).to.be.below((points.bounds.y[0] + points.bounds.y[1]) / 2); // below the centre (y grows upwards)
    const standardized = typed.map((v, j) => (v - s.mean[j]) / s.std[j]);
    const atClick = tf.tidy(() => Array.from((model.predict(tf.tensor2d(standardized, [1, 2])) as tf.Tensor).dataSync()));
    await waitFor(() => {
      const shown = [...root().querySelector('tl-probability-bars')!.shadowRoot!.querySelectorAll('li')].map((li) => Number(/([\d.]+) %$/.exec(li.getAttribute('aria-label')!)![1]));
      return shown.every((p, k) => Math.abs(p - atClick[k] * 100) < 0.1);
    }, 'the probabilities of the clicked point', 10_000);

    // What the person types after a click stays, whatever the panel draws next (a prediction, a status).
    const x1 = row.shadowRoot!.querySelector('input')!;
    x1.value = '0.25';
    x1.dispatchEvent(new Event('input'));
    el.requestUpdate();
    await el.updateComplete;
    await row.updateComplete;
    expect(row.shadowRoot!.querySelector('input')!.value).to.equal('0.25');
    model.dispose();
  });

  it('a run without stored weights says why Try it is not available', async () => {
    const r = { ...createRunRecord(makeInit()), status: 'completed' as const, run_id: 'mlp_20260101_000000' };
    await store.putRun(r);
    const el = mount(document.createElement('tl-try-it')) as TlTryIt;
    el.store = Promise.resolve(store);
    el.record = r;
    await waitFor(() => /not available/.test(el.shadowRoot!.textContent ?? ''), 'the reason', 10_000);
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.equal('Try it is not available: no weights of it are stored (none was saved, or they were deleted).');
  });
});
