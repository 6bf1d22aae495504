import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-app';
import type { TlApp } from '../../src/components/tl-app';
import { waitFor } from '../helpers/wait';

const until = <T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20000) => waitFor(probe, what, timeoutMs);

/** Finds an element inside nested shadow roots. */
function deepQuery<T extends Element>(root: Element | ShadowRoot, selector: string): T | null {
  const direct = root.querySelector<T>(selector);
  if (direct) return direct;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const found = deepQuery<T>(el.shadowRoot, selector);
      if (found) return found;
    }
  }
  return null;
}

function deepText(root: Element | ShadowRoot): string {
  let text = '';
  for (const node of root.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
    else if (node instanceof Element) text += ' ' + deepText(node.shadowRoot ?? node) + (node.shadowRoot ? deepText(node) : '');
  }
  return text;
}

function trainButton(app: TlApp): HTMLButtonElement {
  const controls = deepQuery(app.shadowRoot!, 'tl-train-controls')!;
  return [...controls.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Train')!;
}

async function mount(search: string): Promise<TlApp> {
  history.replaceState(null, '', `${location.pathname}${search}`);
  const app = document.createElement('tl-app');
  document.body.append(app);
  await until(() => deepQuery(app.shadowRoot!, 'table[aria-label="Class distribution"]'), 'the dataset to load');
  return app;
}

function setField(app: TlApp, name: string, value: string) {
  const input = deepQuery<HTMLInputElement | HTMLSelectElement>(app.shadowRoot!, `[name="${name}"]`)!;
  expect(input, `field ${name}`).to.exist;
  input.value = value;
  input.dispatchEvent(new Event('change'));
}

describe('<tl-app>', () => {
  const query = new URLSearchParams(location.search);
  afterEach(() => {
    document.querySelectorAll('tl-app').forEach((a) => a.remove());
    history.replaceState(null, '', `${location.pathname}?${query}`);
  });

  it('opens ready to train with the dataset, its split and the architecture shown', async () => {
    const app = await mount('?dataset=moons&samples=200&seed=3');
    await until(() => !trainButton(app).disabled, 'Train to be enabled');
    const text = deepText(app.shadowRoot!);
    expect(text).to.contain('200 samples');
    expect(text).to.contain('Total parameters');
    expect(deepQuery(app.shadowRoot!, 'tl-scatter-plot')).to.exist;
    // 200 samples at 70/15/15, stratified over two balanced classes: 70+70, 15+15, 15+15.
    const rows = [...deepQuery(app.shadowRoot!, 'table[aria-label="Class distribution"]')!.querySelectorAll('tbody tr')];
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent))).to.deep.equal([
      ['100', '70', '15', '15'],
      ['100', '70', '15', '15'],
    ]);
  });

  it('explains a bad learning rate beside the field, keeps Train disabled and records it in the URL', async () => {
    const app = await mount('?dataset=xor&samples=100');
    setField(app, 'lr', '-1');
    await until(() => deepText(app.shadowRoot!).includes('learning rate must be > 0 (got -1)'), 'the error message');
    expect(trainButton(app).disabled).to.equal(true);
    setField(app, 'lr', '0.01');
    await until(() => !trainButton(app).disabled, 'Train to be enabled again');
    expect(new URLSearchParams(location.search).get('lr')).to.equal('0.01');
  });

  it('refuses batch size 0 and ratios that do not sum to 1', async () => {
    const app = await mount('?dataset=circles&samples=100');
    setField(app, 'batch', '0');
    await until(() => deepText(app.shadowRoot!).includes('batch size must be an integer ≥ 1 (got 0)'), 'the batch error');
    expect(trainButton(app).disabled).to.equal(true);
    setField(app, 'batch', '16');
    setField(app, 'train', '0.5');
    await until(() => deepText(app.shadowRoot!).includes('must add up to 1'), 'the ratio error');
    expect(trainButton(app).disabled).to.equal(true);
  });

  it('explains that a CNN needs image data instead of attempting it', async () => {
    const app = await mount('?dataset=spirals&model=cnn');
    await until(() => deepText(app.shadowRoot!).includes('A CNN needs image data'), 'the CNN explanation');
    expect(trainButton(app).disabled).to.equal(true);
  });

  it('loads Iris from public/datasets and MNIST with digit thumbnails', async () => {
    const iris = await mount('?dataset=iris');
    expect(deepText(iris.shadowRoot!)).to.contain('150 samples');
    iris.remove();
    const mnist = await mount('?dataset=mnist&model=cnn');
    expect(deepText(mnist.shadowRoot!)).to.contain('10,000 samples');
    expect(deepQuery(mnist.shadowRoot!, 'tl-digit-grid')).to.exist;
    await until(() => !trainButton(mnist).disabled, 'Train to be enabled for a CNN on MNIST');
  });
});
