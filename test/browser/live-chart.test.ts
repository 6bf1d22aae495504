// The live chart draws from its observed width: never by reading the layout while drawing (that
// forces a layout of the whole page, a long task on a big one), and not at all while hidden.
import { expect } from '@esm-bundle/chai';
import '../../src/components/tl-live-chart';
import { trainValSeries, type TlLiveChart } from '../../src/components/tl-live-chart';
import { layoutReads } from '../helpers/layout-reads';

const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const plotCanvas = (el: TlLiveChart) => el.shadowRoot!.querySelector<HTMLCanvasElement>('.plot canvas');

describe('tl-live-chart', () => {
  let el: TlLiveChart;
  afterEach(() => el.remove());

  it('draws once its width is known, at that width, and each new epoch without reading the layout', async () => {
    el = document.createElement('tl-live-chart');
    el.style.width = '500px';
    el.chartTitle = 'Loss';
    const reads = await layoutReads(async () => {
      el.epochs = [1];
      el.series = trainValSeries([1], [1.2]);
      document.body.append(el);
      await frames();
      await frames();
      el.epochs = [1, 2];
      el.series = trainValSeries([1, 0.8], [1.2, 1]);
      await frames();
    });
    expect(reads, 'layout reads').to.equal(0);
    const canvas = plotCanvas(el)!;
    expect(canvas, 'a uPlot canvas').to.not.equal(null);
    expect(canvas.width / devicePixelRatio).to.be.within(440, 500);
  });

  it('draws nothing while hidden and draws when shown', async () => {
    el = document.createElement('tl-live-chart');
    el.hidden = true;
    el.style.width = '400px';
    el.epochs = [1];
    el.series = trainValSeries([1], [1.2]);
    document.body.append(el);
    await frames();
    await frames();
    expect(getComputedStyle(el).display).to.equal('none');
    expect(plotCanvas(el)).to.equal(null);
    el.hidden = false;
    await frames();
    await frames();
    expect(plotCanvas(el)).to.not.equal(null);
  });
});
