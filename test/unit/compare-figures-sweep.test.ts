// The sweep's parallel-coordinates figure: the files (PNG at 300 DPI with pHYs, a one-page vector
// PDF with embedded TrueType fonts, read back by the tests' own readers), its scales (log beyond 2
// decades, categories in the sweep's order), and what it draws, recorded through the drawing
// interface: tick labels that never overlap, lines coloured by the metric, the best one last,
// thickest and labelled, lines without a value grey and dashed.
import { expect } from '@esm-bundle/chai';
import {
  buildCompareFigure, compareFigureTexts, COMPARE_FIGURE_KINDS, figureKinds, metricColor, numericScale, renderCompareFigure, spacedTicks,
  type CompareFigureInput, type SweepFigureInput,
} from '../../src/export/figures/compare/index';
import { measure, type Draw, type Stroke } from '../../src/export/figures/draw-api';
import { loadFontSet, type FontSet } from '../../src/export/figures/fonts';
import { ExportError } from '../../src/export/types';
import { figureInput } from '../../src/compare/figure-input';
import { groupRuns, type GroupMetric } from '../../src/compare/groups';
import { sweepInfo } from '../../src/compare/sweep-compare';
import { sweepFigureInput } from '../../src/compare/sweep-parallel';
import type { RunRecord } from '../../src/recorder/run-record';
import type { SweepRecord } from '../../src/recorder/sweep-record';
import { sweepRecords } from '../fixtures/compare-sweep';
import { GRID_ID, gridSweep, randomSweep } from '../fixtures/compare-sweep-record';
import { checkPdf, checkPng } from '../fixtures/figure-checks';

function sweepInput(runs: RunRecord[], id: string, record: SweepRecord | null, metric: GroupMetric): CompareFigureInput {
  const info = sweepInfo(id, record, runs);
  const groups = groupRuns(runs, { kind: 'keys', keys: info.swept_keys });
  return figureInput(runs, groups, { grouped: true, showTrain: false, smoothing: 0, sweep: sweepFigureInput(info, groups, metric) });
}
const grid = (metric: GroupMetric = 'best_val_acc') => {
  const { record, runs } = gridSweep();
  return sweepInput(runs, GRID_ID, record, metric);
};

interface Text { text: string; x: number; y: number; size: number; bold: boolean }
interface Line { points: readonly (readonly [number, number])[]; stroke: Stroke }

/** A Draw that records text (one entry per font run) and polylines. */
function recorder(fonts: FontSet, width: number, height: number) {
  const texts: Text[] = [];
  const lines: Line[] = [];
  const draw: Draw = {
    width, height, fonts,
    rect() {}, circle() {}, clip() {}, unclip() {}, polygon() {},
    polyline(points, stroke) { lines.push({ points, stroke }); },
    glyphRun(run, x, y, size) { texts.push({ text: run.text, x, y, size, bold: run.font === fonts.bold }); },
  };
  return { draw, texts, lines };
}

async function paint(input: CompareFigureInput) {
  const fonts = await loadFontSet(compareFigureTexts(input));
  const figure = buildCompareFigure('parallel_coordinates', input, fonts);
  const r = recorder(fonts, figure.width, figure.height);
  figure.paint(r.draw);
  return { figure, ...r };
}

describe('parallel coordinates: files', () => {
  it('PNG is inches × 300 with one pHYs of 11811 px/m before IDAT; PDF one vector page of the same size, TrueType embedded, the texts as text', async () => {
    const input = grid();
    const { figure } = await paint(input);
    for (const side of [figure.width, figure.height]) expect(Math.abs((side / 72) * 100 - Math.round((side / 72) * 100))).to.be.lessThan(1e-6);
    const png = checkPng(new Uint8Array(await (await renderCompareFigure('parallel_coordinates', input, 'png')).arrayBuffer()));
    expect(png).to.deep.equal({ width: Math.round((figure.width / 72) * 300), height: Math.round((figure.height / 72) * 300) });
    const { box, texts } = await checkPdf(await renderCompareFigure('parallel_coordinates', input, 'pdf'));
    expect(box[2]).to.be.closeTo(figure.width, 0.01);
    expect(box[3]).to.be.closeTo(figure.height, 0.01);
    const joined = texts.join('\n');
    for (const s of ['Sweep: parallel coordinates', 'Learning rate (lr)', 'Hidden units (hidden)', 'Best val. acc. (%)', '16,16', '0.001', 'best 94.00 ± 1.41', 'lr = 0.01, hidden = 8']) {
      expect(joined, s).to.contain(s);
    }
  });

  it('a sweep comparison has the figure first; one without a sweep has none; a sweep without swept keys is refused by name', async () => {
    expect(figureKinds(grid())).to.deep.equal(['parallel_coordinates', ...COMPARE_FIGURE_KINDS]);
    const plain = { ...grid(), sweep: null };
    expect(figureKinds(plain)).to.deep.equal([...COMPARE_FIGURE_KINDS]);
    const fonts = await loadFontSet(compareFigureTexts(grid()));
    expect(() => buildCompareFigure('parallel_coordinates', plain, fonts)).to.throw(ExportError, /sweep only/);
    const sweep = grid().sweep!;
    const bare: SweepFigureInput = { ...sweep, axes: [], lines: sweep.lines.map((l) => ({ ...l, values: [] })) };
    expect(() => buildCompareFigure('parallel_coordinates', { ...grid(), sweep: bare }, fonts)).to.throw(ExportError, /lr × hidden has no swept key/);
    const short: SweepFigureInput = { ...sweep, lines: [{ ...sweep.lines[0], values: ['0.01'] }] };
    expect(() => buildCompareFigure('parallel_coordinates', { ...grid(), sweep: short }, fonts)).to.throw(ExportError, /1 values for 2 swept keys/);
  });
});

describe('parallel coordinates: scales', () => {
  it('log only when the values span more than 2 decades; a single value sits in the middle', () => {
    expect(numericScale([0.001, 0.1]).log).to.equal(false); // exactly 2 decades
    expect(numericScale([0.001, 0.11]).log).to.equal(true);
    expect(numericScale([16, 512]).log).to.equal(false);
    expect(numericScale([-1, 1000]).log).to.equal(false);
    expect(numericScale([5]).at('5')).to.equal(0.5);
    const log = numericScale([0.0001, 0.001, 0.01, 0.1]);
    const at = ['0.0001', '0.001', '0.01', '0.1'].map((v) => log.at(v)!);
    for (let i = 1; i < 3; i++) expect(at[i + 1] - at[i]).to.be.closeTo(at[1] - at[0], 1e-12); // decades equally apart
    expect(log.at('0')).to.equal(null);
    expect(log.at('abc')).to.equal(null);
  });

  it('few values are each labelled as written; many get decades (log) or nice steps', () => {
    expect(numericScale([0.001, 0.01], ['0.001', '0.01']).ticks.map((t) => t.label)).to.deep.equal(['0.001', '0.01']);
    const rates = Array.from({ length: 12 }, (_, i) => 1e-4 * 1000 ** (i / 11));
    expect(numericScale(rates).ticks.map((t) => t.label)).to.deep.equal(['0.0001', '0.001', '0.01', '0.1']);
    const batches = [16, 32, 48, 64, 96, 128, 192, 256, 384, 512];
    expect(numericScale(batches).ticks.map((t) => t.label)).to.deep.equal(['100', '200', '300', '400', '500']);
  });

  it('spacedTicks keeps both ends and drops labels that would overlap', () => {
    const ticks = [0, 0.01, 0.02, 0.5, 0.51, 1].map((at) => ({ at }));
    expect(spacedTicks(ticks, 200, 8)).to.deep.equal([0, 3, 5]); // 10 pt apart: 8 × 1.15 fits, 2 pt does not
  });

  it('colours run along viridis from its dark end, without its palest yellow', () => {
    expect(metricColor(0)).to.equal('#440154');
    expect(metricColor(1)).to.not.equal('#fde725');
    const lum = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).reduce((a, b) => a + b, 0);
    for (let t = 0.1; t <= 1; t += 0.1) expect(lum(metricColor(t))).to.be.greaterThan(lum(metricColor(t - 0.1)) - 1);
  });
});

describe('parallel coordinates: what is drawn', () => {
  it('categories in the sweep order from the bottom up ("16,16" below "8"); tick labels on one axis never overlap, even for 40 configurations', async () => {
    const { texts } = await paint(grid());
    const y = (s: string) => texts.find((t) => t.text === s)!.y;
    expect(y('16,16')).to.be.greaterThan(y('8'));
    expect(y('0.001')).to.be.greaterThan(y('0.01'));
    const input = sweepInput(sweepRecords(200).map((r) => ({ ...r, sweep_id: 'big' })), 'big', null, 'test_acc');
    const big = await paint(input);
    const fonts = await loadFontSet(compareFigureTexts(input));
    // Tick labels end where their axis is (right-aligned): group them by their right end.
    const byAxis = new Map<number, number[]>();
    for (const t of big.texts.filter((x) => x.size === 8 && !x.bold)) {
      const end = Math.round(t.x + measure(fonts, t.text, 8));
      byAxis.set(end, [...(byAxis.get(end) ?? []), t.y]);
    }
    expect([...byAxis.values()].filter((ys) => ys.length >= 4).length).to.equal(4); // lr, batch, epochs, and the metric (labels of equal width)
    for (const ys of byAxis.values()) {
      const s = [...ys].sort((a, b) => a - b);
      for (let i = 1; i < s.length; i++) expect(s[i] - s[i - 1]).to.be.at.least(8);
    }
  });

  it('lines take the colour of their metric (lowest mean darkest); the best is drawn last, thickest, outlined, and labelled with mean ± std', async () => {
    // Test accuracy means: 81, 72, 90.5 (best), 87.
    const { texts, lines } = await paint(grid('test_acc'));
    // The plot's lines (the legend's samples are 26 pt long; axes and ticks thinner).
    const configLines = lines.filter((l) => l.points.at(-1)![0] - l.points[0][0] > 40 && l.stroke.width > 1);
    const colours = configLines.map((l) => l.stroke.color);
    expect(colours).to.include(metricColor(0)).and.include(metricColor((81 - 72) / 18.5)).and.include(metricColor((87 - 72) / 18.5));
    const widest = Math.max(...configLines.map((l) => l.stroke.width));
    const last = configLines.filter((l) => l.stroke.width >= widest - 2).map((l) => l.stroke);
    expect(last.map((s) => s.color)).to.deep.equal(['#000000', metricColor(1)]); // the outline, then the line
    expect(configLines.slice(-2).map((l) => l.stroke.width)).to.deep.equal([widest, widest - 1.8]);
    expect(texts.map((t) => t.text).join(' ')).to.contain('best 90.50 ± 0.71');
  });

  it('a configuration without a value of the metric is grey and dashed, and named in the legend', async () => {
    const { record, runs } = gridSweep();
    const untested = runs.map((r, i) => (i < 2 ? { ...r, test: null } : r));
    const { lines, texts } = await paint(sweepInput(untested, GRID_ID, record, 'test_acc'));
    const grey = lines.filter((l) => l.stroke.color === '#9a9a9a' && l.stroke.dash);
    expect(grey.length).to.be.greaterThan(0);
    expect(texts.map((t) => t.text).join(' ')).to.contain('No Test acc. (%)');
  });

  it('a random sweep over 3 decades draws its learning-rate axis on a log scale, said under its title', async () => {
    const { texts } = await paint(sweepInput(randomSweep(12), 'sweep_random', null, 'test_acc'));
    const shown = texts.map((t) => t.text);
    expect(shown).to.include('(log scale)');
    for (const s of ['0.0001', '0.001', '0.01', '0.1', 'adam', 'sgd']) expect(shown, s).to.include(s);
  });
});
