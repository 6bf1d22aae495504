// The mistakes gallery (issue 12, point 2): thumbnails of misclassified test images captioned
// "true → predicted (confidence %)", or a table's rows; sorted by confidence; a confusion-matrix
// cell (clicked, or Enter on it) filters it, "Show all" clears it.
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/tl-results-panel';
import type { TlResultsPanel } from '../../src/components/tl-results-panel';
import type { TlMistakes } from '../../src/components/tl-mistakes';
import { mistakesGallery, STORED_BEFORE_ROWS, type MistakesGallery, type PredictionsInput } from '../../src/app/mistakes';
import { confusionMatrix, perClassMetrics } from '../../src/training/metrics';

const NAMES = ['zero', 'one', 'two'];
// 6 test rows of 2×2 images; rows 1, 3, 4 are wrong. Image of dataset row r: every pixel r / 10.
const P: PredictionsInput = {
  yTrue: Int32Array.from([0, 0, 1, 1, 2, 2]),
  yPred: Int32Array.from([0, 1, 1, 0, 1, 2]),
  probabilities: Float32Array.from([0.8, 0.1, 0.1, 0.3, 0.6, 0.1, 0.1, 0.8, 0.1, 0.9, 0.05, 0.05, 0.2, 0.45, 0.35, 0.1, 0.1, 0.8]),
  rowIndex: Int32Array.from([9, 1, 7, 3, 5, 2]),
};
const IMAGES = { kind: 'image' as const, inputShape: [2, 2, 1], features: Float32Array.from({ length: 10 * 4 }, (_, i) => Math.floor(i / 4) / 10), by: 'rowIndex' as const };

const mounted: Element[] = [];
afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

async function panel(gallery: MistakesGallery | null = mistakesGallery(P, 3, IMAGES)): Promise<{ el: TlResultsPanel; gallery: () => TlMistakes }> {
  const el = document.createElement('tl-results-panel');
  const cm = confusionMatrix(P.yTrue, P.yPred, 3);
  el.report = { ...perClassMetrics(cm, NAMES), accuracy: 50 };
  el.confusion = cm;
  el.classNames = NAMES;
  el.testLoss = 0.7;
  el.gallery = gallery;
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  const g = () => el.shadowRoot!.querySelector('tl-mistakes')!;
  await g()?.updateComplete;
  return { el, gallery: g };
}

const captions = (g: TlMistakes) => [...g.shadowRoot!.querySelectorAll('figcaption')].map((f) => f.textContent!.trim());
const cellButton = (el: TlResultsPanel, label: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('table.cm button')].find((b) => b.getAttribute('aria-label')!.startsWith(label))!;
async function settle(el: TlResultsPanel, g: () => TlMistakes) {
  await el.updateComplete;
  await g().updateComplete;
}

describe('<tl-mistakes> in the results panel', () => {
  it('shows every misclassified image, most confident first, with "true → predicted (confidence %)" and its pixels', async () => {
    const { gallery } = await panel();
    const g = gallery();
    expect(captions(g)).to.deep.equal(['one → zero (90.0 %)', 'zero → one (60.0 %)', 'two → one (45.0 %)']);
    const canvases = [...g.shadowRoot!.querySelectorAll('canvas')];
    const grey = (c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, 1, 1).data[0];
    expect(canvases.map(grey)).to.deep.equal([3, 1, 5].map((r) => Math.round((r / 10) * 255))); // dataset rows 3, 1, 5
    const select = g.shadowRoot!.querySelector('select')!;
    select.value = 'least-confident';
    select.dispatchEvent(new Event('change'));
    await g.updateComplete;
    expect(captions(g)).to.deep.equal(['two → one (45.0 %)', 'zero → one (60.0 %)', 'one → zero (90.0 %)']);
  });

  it('clicking a cell shows its images only; "Show all" clears the filter', async () => {
    const { el, gallery } = await panel();
    const cell = cellButton(el, 'true one, predicted zero');
    expect(cell.getAttribute('aria-label')).to.equal('true one, predicted zero: 1 50.0% of the true class; show these test rows');
    cell.click();
    await settle(el, gallery);
    expect(cell.getAttribute('aria-pressed')).to.equal('true');
    expect(captions(gallery())).to.deep.equal(['one → zero (90.0 %)']);
    expect(gallery().shadowRoot!.querySelector('[data-testid="mistakes-count"]')!.textContent).to.equal('1 of 3 mistakes (true one, predicted zero)');
    const all = [...gallery().shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Show all')!;
    all.click();
    await settle(el, gallery);
    expect(captions(gallery())).to.have.length(3);
    expect(cellButton(el, 'true one, predicted zero').getAttribute('aria-pressed')).to.equal('false');
  });

  it('Enter on a focused cell filters too; a diagonal cell says it holds no mistakes', async () => {
    const { el, gallery } = await panel();
    cellButton(el, 'true two, predicted one').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el, gallery);
    expect(captions(gallery())).to.deep.equal(['two → one (45.0 %)']);
    cellButton(el, 'true zero, predicted zero').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el, gallery);
    expect(captions(gallery())).to.deep.equal([]);
    expect(gallery().shadowRoot!.textContent).to.include('This cell holds the correct predictions: no mistakes.');
  });

  it('lists a table\'s misclassified rows with their feature values', async () => {
    const table = { kind: 'tabular' as const, inputShape: [2], features: Float32Array.from({ length: 20 }, (_, i) => i / 2), by: 'rowIndex' as const, featureNames: ['width', 'height'] };
    const { gallery } = await panel(mistakesGallery(P, 3, table));
    const rows = [...gallery().shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).to.deep.equal([
      ['3', 'one → zero (90.0 %)', '3', '3.5'],
      ['1', 'zero → one (60.0 %)', '1', '1.5'],
      ['4', 'two → one (45.0 %)', '5', '5.5'],
    ]);
    expect([...gallery().shadowRoot!.querySelectorAll('thead th')].map((th) => th.textContent)).to.include.members(['width', 'height']);
  });

  it('says plainly when the run was stored before its test rows were recorded; no gallery, cells stay plain without one', async () => {
    const { gallery } = await panel(mistakesGallery({ ...P, rowIndex: undefined }, 3, IMAGES));
    expect(gallery().shadowRoot!.textContent).to.include(STORED_BEFORE_ROWS);
    expect(gallery().shadowRoot!.querySelectorAll('figure')).to.have.length(0);
    const { el } = await panel(null);
    expect(el.shadowRoot!.querySelectorAll('table.cm button')).to.have.length(0);
    expect(el.shadowRoot!.querySelector('tl-mistakes')).to.equal(null);
  });
});

describe('<tl-run-view>: learning dynamics and the mistakes of a stored run', () => {
  it('shows the recorded recall per class and epoch; asks for the mistakes, then shows them in the results', async () => {
    const { fixedRun } = await import('../fixtures/export-fixtures');
    await import('../../src/components/tl-run-view');
    const { record } = fixedRun();
    const view = document.createElement('tl-run-view');
    view.record = record;
    document.body.append(view);
    mounted.push(view);
    await view.updateComplete;
    const root = view.shadowRoot!;
    const dynamics = root.querySelector('tl-class-dynamics')!;
    expect(dynamics.history).to.equal(record.per_class_recall_history);
    expect(dynamics.classNames).to.deep.equal(record.dataset.class_names);
    const actions: string[] = [];
    view.addEventListener('run-action', (e) => actions.push(e.detail.action));
    const ask = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Show misclassified test rows')!;
    ask.click();
    expect(actions).to.deep.equal(['mistakes']);
    view.gallery = mistakesGallery({ ...P, rowIndex: undefined }, 3, null);
    await view.updateComplete;
    expect(root.querySelector('tl-results-panel')!.gallery).to.equal(view.gallery);
    expect([...root.querySelectorAll('button')].some((b) => b.textContent === 'Show misclassified test rows')).to.equal(false);

    view.record = { ...record, per_class_recall_history: [] };
    await view.updateComplete;
    await root.querySelector('tl-class-dynamics')!.updateComplete;
    expect(root.querySelector('tl-class-dynamics')!.shadowRoot!.textContent).to.include("This run was recorded before TrainLab kept each class's recall per epoch.");
  });
});
