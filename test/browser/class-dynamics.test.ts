// The learning-dynamics heatmap (issue 12): cells coloured by recall, hover and arrow keys say the
// epoch, class and recall, a legend, at most 50 classes (saying when more were left out).
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-class-dynamics';
import type { TlClassDynamics } from '../../src/components/tl-class-dynamics';
import { heatColor } from '../../src/export/figures/confusion';
import { NO_ROWS_COLOR } from '../../src/export/class-dynamics';
import type { ClassRecallEpoch } from '../../src/training/learned-types';
import { layoutReads } from '../helpers/layout-reads';

const HISTORY: ClassRecallEpoch[] = [
  { epoch: 1, recall: [90, 10, null] },
  { epoch: 2, recall: [95, 40, null] },
  { epoch: 3, recall: [100, 75, null] },
];

const mounted: Element[] = [];
afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

async function mount(classNames: string[], history: ClassRecallEpoch[]): Promise<TlClassDynamics> {
  const el = document.createElement('tl-class-dynamics');
  el.classNames = classNames;
  el.history = history;
  el.style.width = '600px';
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  // The map is drawn when the canvas's size is reported, after layout (never by forcing one).
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return el;
}

const parts = (el: TlClassDynamics) => {
  const root = el.shadowRoot!;
  return { canvas: root.querySelector('canvas')!, readout: root.querySelector('[role="status"]')!, root };
};

/** The canvas pixel at the centre of cell (row, col), as #rrggbb. */
function pixel(canvas: HTMLCanvasElement, row: number, col: number, rows: number, cols: number): string {
  const x = Math.floor(((col + 0.5) * canvas.width) / cols);
  const y = Math.floor(((row + 0.5) * canvas.height) / rows);
  const [r, g, b] = canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

function pointAt(canvas: HTMLCanvasElement, row: number, col: number, rows: number, cols: number) {
  const box = canvas.getBoundingClientRect();
  canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + ((col + 0.5) * box.width) / cols, clientY: box.top + ((row + 0.5) * box.height) / rows, bubbles: true }));
}

describe('<tl-class-dynamics>', () => {
  it('colours each cell by its recall (grey without validation rows) and shows the scale', async () => {
    const el = await mount(['cat', 'dog', 'eel'], HISTORY);
    const { canvas, root } = parts(el);
    expect(pixel(canvas, 0, 0, 3, 3)).to.equal(heatColor(0.9));
    expect(pixel(canvas, 1, 2, 3, 3)).to.equal(heatColor(0.75));
    expect(pixel(canvas, 2, 1, 3, 3)).to.equal(NO_ROWS_COLOR);
    const legend = root.querySelector('[aria-label="Colour scale"]')!;
    expect(legend.textContent!.replace(/\s+/g, ' ')).to.include('recall 0 %').and.include('100 %').and.include('no validation rows');
    expect(root.querySelector('[data-testid="left-out"]')).to.equal(null);
  });

  it('a new epoch redraws the map without reading the layout (a forced layout of a big page is a long task)', async () => {
    const el = await mount(['cat', 'dog', 'eel'], HISTORY);
    const reads = await layoutReads(async () => {
      el.history = [...HISTORY, { epoch: 4, recall: [50, 50, 50] }];
      await el.updateComplete;
    });
    expect(reads, 'layout reads while redrawing').to.equal(0);
    expect(pixel(parts(el).canvas, 1, 3, 3, 4)).to.equal(heatColor(0.5));
  });

  it('says the epoch, class and recall of the cell under the pointer', async () => {
    const el = await mount(['cat', 'dog', 'eel'], HISTORY);
    const { canvas, readout } = parts(el);
    pointAt(canvas, 1, 1, 3, 3);
    await el.updateComplete;
    expect(readout.textContent).to.equal('epoch 2 · class dog: recall 40.0 %');
    pointAt(canvas, 2, 0, 3, 3);
    await el.updateComplete;
    expect(readout.textContent).to.equal('epoch 1 · class eel: no validation rows');
    canvas.dispatchEvent(new MouseEvent('mouseleave'));
    await el.updateComplete;
    expect(readout.textContent).to.equal('');
  });

  it('is focusable and the arrow keys move from cell to cell, saying each', async () => {
    const el = await mount(['cat', 'dog', 'eel'], HISTORY);
    const { canvas, readout } = parts(el);
    expect(canvas.tabIndex).to.equal(0);
    expect(canvas.getAttribute('aria-label')).to.include('Arrow keys');
    canvas.focus();
    await el.updateComplete;
    expect(readout.textContent).to.equal('epoch 3 · class cat: recall 100.0 %');
    for (const key of ['ArrowDown', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft']) canvas.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await el.updateComplete;
    expect(readout.textContent).to.equal('epoch 1 · class dog: recall 10.0 %');
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'End' }));
    await el.updateComplete;
    expect(readout.textContent).to.equal('epoch 3 · class dog: recall 75.0 %');
  });

  it('shows at most 50 classes and says which were left out', async () => {
    const names = Array.from({ length: 64 }, (_, i) => `c${i}`);
    const el = await mount(names, [{ epoch: 1, recall: names.map((_, i) => i) }]);
    const { root } = parts(el);
    expect(root.querySelectorAll('.names div').length).to.equal(50);
    expect(root.querySelector('[data-testid="left-out"]')!.textContent).to.equal('The first 50 of 64 classes are shown; classes 51–64 are left out (per_class_dynamics.csv has them all).');
  });

  it('says why there is nothing to show', async () => {
    const el = await mount(['a', 'b'], []);
    el.emptyText = 'This run was recorded before TrainLab kept each class\'s recall per epoch.';
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.include('recorded before TrainLab');
    expect(el.shadowRoot!.querySelector('canvas')).to.equal(null);
  });
});
