import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-image-samples';
import type { TlImageSamples } from '../../src/components/tl-image-samples';

/** `counts[c]` samples of class c, each one solid colour `colours[c]` ([0,1] per channel). */
function makeSet(counts: number[], colours: number[][], size = 4) {
  const channels = colours[0].length;
  const labels = Int32Array.from(counts.flatMap((n, c) => Array(n).fill(c)));
  const per = size * size * channels;
  const features = new Float32Array(labels.length * per);
  labels.forEach((c, i) => {
    for (let p = 0; p < size * size; p++) colours[c].forEach((v, k) => (features[i * per + p * channels + k] = v));
  });
  return { features, labels, inputShape: [size, size, channels] };
}

async function mount(set: (el: TlImageSamples) => void): Promise<TlImageSamples> {
  const el = document.createElement('tl-image-samples');
  set(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const pixel = (canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(1, 1, 1, 1).data);

describe('<tl-image-samples>', () => {
  afterEach(() => document.querySelectorAll('tl-image-samples').forEach((e) => e.remove()));

  it('shows each class with its count, up to 8 RGB thumbnails and an accessible label', async () => {
    const data = { ...makeSet([120, 3], [[1, 0, 0], [0, 0, 1]]), classNames: ['cats', 'dogs'] };
    const el = await mount((e) => (e.data = data));
    const figures = [...el.shadowRoot!.querySelectorAll('figure')];
    expect(figures.map((f) => [f.getAttribute('role'), f.getAttribute('aria-label')])).to.deep.equal([
      ['img', 'cats: 120 images'],
      ['img', 'dogs: 3 images'],
    ]);
    expect(figures[0].textContent!.replace(/\s+/g, ' ').trim()).to.equal('cats 120 images');
    const cats = figures[0].querySelectorAll('canvas');
    const dogs = figures[1].querySelectorAll('canvas');
    expect(cats.length).to.equal(8);
    expect(dogs.length).to.equal(3);
    expect([cats[0].width, cats[0].height]).to.deep.equal([4, 4]);
    expect(pixel(cats[7])).to.deep.equal([255, 0, 0, 255]);
    expect(pixel(dogs[2])).to.deep.equal([0, 0, 255, 255]);
  });

  it('draws grayscale samples from features, labels, shape and class names set one by one', async () => {
    const { features, labels, inputShape } = makeSet([1, 2], [[0.5], [1]], 3);
    const el = await mount((e) => {
      e.features = features;
      e.labels = labels;
      e.inputShape = inputShape;
      e.classNames = ['class2', 'class10'];
    });
    const figures = [...el.shadowRoot!.querySelectorAll('figure')];
    expect(figures.map((f) => f.getAttribute('aria-label'))).to.deep.equal(['class2: 1 image', 'class10: 2 images']);
    expect(pixel(figures[0].querySelector('canvas')!)).to.deep.equal([128, 128, 128, 255]);
    expect(pixel(figures[1].querySelectorAll('canvas')[1])).to.deep.equal([255, 255, 255, 255]);
  });

  it('redraws when the data changes', async () => {
    const el = await mount((e) => (e.data = { ...makeSet([2, 2], [[1, 0, 0], [0, 1, 0]]), classNames: ['a', 'b'] }));
    el.data = { ...makeSet([1, 1], [[0, 1, 0], [1, 0, 0]]), classNames: ['a', 'b'] };
    await el.updateComplete;
    const canvases = el.shadowRoot!.querySelectorAll('canvas');
    expect(canvases.length).to.equal(2);
    expect(pixel(canvases[0])).to.deep.equal([0, 255, 0, 255]);
  });
});
