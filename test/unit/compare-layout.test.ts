// What lets Compare handle hundreds of runs: the table's row window and column widths, figures too
// large for a canvas at 300 DPI drawn at the DPI that fits, small previews, and the fast paths
// (ASCII LaTeX escaping, grouping) giving what the general code gives.
import { expect } from '@esm-bundle/chai';
import { columnChars, rowWindow } from '../../src/compare/table-layout';
import { columnByKey } from '../../src/compare/run-columns';
import { latexEscape } from '../../src/compare/latex-table';
import { defaultGroupBy, groupRuns } from '../../src/compare/groups';
import {
  buildCompareFigure, compareFigureTexts, fittingDpi, MAX_CANVAS_AREA, MAX_CANVAS_SIDE, PREVIEW_WIDTH_PX, renderComparePreview, type CompareFigureInput,
} from '../../src/export/figures/compare/index';
import { pixels } from '../../src/export/figures/canvas-backend';
import { loadFontSet } from '../../src/export/figures/fonts';
import { compareFixture } from '../fixtures/compare-figure-fixtures';
import { compareRecord } from '../fixtures/compare-records';
import { readPng } from '../fixtures/parse-png';

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0);

describe('the table window', () => {
  it('covers the rows in view and `overscan` more on each side, clamped to the table', () => {
    // 200 rows of 30 px; the view shows 600 px from 3000 px down: rows 100 to 119.
    expect(rowWindow(200, 30, 3000, 600, 10)).to.deep.equal({ first: 90, last: 130 });
    expect(rowWindow(200, 30, 0, 600, 10)).to.deep.equal({ first: 0, last: 30 });
    expect(rowWindow(200, 30, 5700, 600, 10)).to.deep.equal({ first: 180, last: 200 });
    expect(rowWindow(200, 30, 99_999, 600, 10), 'scrolled past the end').to.deep.equal({ first: 200, last: 200 });
    expect(rowWindow(200, 30, -50, 600, 0), 'overscrolled above').to.deep.equal({ first: 0, last: 20 });
    expect(rowWindow(0, 30, 0, 600, 10)).to.deep.equal({ first: 0, last: 0 });
    expect(rowWindow(200, 0, 0, 600, 10), 'rows not measured yet').to.deep.equal({ first: 0, last: 0 });
  });

  it('sizes each column by its longest cell among all runs (within bounds) or what its header needs', () => {
    const runs = [
      compareRecord({ id: 'mlp_a', name: 'short', params: 1_234_567, testAcc: 81.5 }),
      compareRecord({ id: 'mlp_b', name: 'a run name much longer than any column may be wide in the windowed table', params: 12, testAcc: 9.25 }),
    ];
    const [name, params, acc] = columnChars(['run_name', 'parameters', 'test_acc'].map(columnByKey), runs);
    expect(name, 'a long name is cut (28 characters)').to.equal(28);
    expect(params, '"1,234,567" in bold, or the header "Parameters" with its sort mark').to.equal(12);
    expect(acc, '"Test acc. (%)" wraps to lines of about 10 characters, plus the sort mark').to.equal(12);
  });
});

describe('figures of many runs', () => {
  /** The 30-run fixture repeated to `n` entries with their own labels and styles. */
  const many = (n: number): CompareFigureInput => {
    const base = compareFixture(30);
    return { ...base, entries: Array.from({ length: n }, (_, i) => ({ ...base.entries[i % 30], id: `run${i}`, label: `sweep run ${i}`, style: i })) };
  };

  it('fittingDpi: 300 where the canvas allows, else the highest whole DPI within 32,767 px a side and 268,435,456 px', async () => {
    expect(fittingDpi(12 * 72, 6 * 72, 300)).to.equal(300);
    // The 2 × 2 overview of 200 runs is some 73 × 48 inches: 317 million pixels at 300 DPI, too many for a canvas.
    const input = many(200);
    const figure = buildCompareFigure('model_comparison', input, await loadFontSet(compareFigureTexts(input)));
    expect(pixels(figure.width, 300) * pixels(figure.height, 300)).to.be.greaterThan(MAX_CANVAS_AREA);
    const dpi = fittingDpi(figure.width, figure.height, 300);
    expect(dpi).to.be.below(300);
    const [w, h] = [pixels(figure.width, dpi), pixels(figure.height, dpi)];
    expect(w * h).to.be.at.most(MAX_CANVAS_AREA);
    expect(pixels(figure.width, dpi + 1) * pixels(figure.height, dpi + 1), 'one more DPI would not fit').to.be.greaterThan(MAX_CANVAS_AREA);
    // A very long, thin figure is bounded by its side.
    const side = fittingDpi(200 * 72, 2 * 72, 300);
    expect(pixels(200 * 72, side)).to.be.at.most(MAX_CANVAS_SIDE);
    expect(pixels(200 * 72, side + 1)).to.be.greaterThan(MAX_CANVAS_SIDE);
  });

  it('a preview is at most PREVIEW_WIDTH_PX wide, with a pHYs chunk that says its DPI', async () => {
    const input = compareFixture(12);
    const png = new Uint8Array(await (await renderComparePreview('validation_curves', input)).arrayBuffer());
    const { chunks } = readPng(png);
    const width = u32(chunks[0].data, 0);
    const figure = buildCompareFigure('validation_curves', input, await loadFontSet(compareFigureTexts(input)));
    expect(width).to.be.at.most(PREVIEW_WIDTH_PX).and.above(PREVIEW_WIDTH_PX * 0.9);
    const dpi = Math.floor((PREVIEW_WIDTH_PX * 72) / figure.width);
    expect(width).to.equal(pixels(figure.width, dpi));
    const phys = chunks.find((c) => c.type === 'pHYs')!;
    expect(u32(phys.data, 0)).to.equal(Math.round(dpi / 0.0254));
  });
});

describe('fast paths give what the general code gives', () => {
  it('latexEscape of ASCII text: the same as through the Unicode path (a non-ASCII letter after it forces that path)', () => {
    const samples = ['learning_rate = 0.001, batch_size = 64', 'a--b ---c', "''quoted'' ``x``", '<<a>> ,,low', '!`?`', '100% & $5 #1 {x} ~y ^z \\w', '[start', '*star', 'tab\there'];
    for (const s of samples) expect(latexEscape(s), s).to.equal(latexEscape(`${s}é`).slice(0, -1));
  });

  it('grouping by everything but the seed: runs missing a setting another has are a group of their own', () => {
    const plain = [1, 2].map((seed) => compareRecord({ id: `mlp_p${seed}`, seed }));
    const extra = [1, 2].map((seed) => {
      const r = compareRecord({ id: `mlp_x${seed}`, seed });
      r.config.extra = { warmup: 5 };
      return r;
    });
    const groups = groupRuns([plain[0], extra[0], plain[1], extra[1]], { kind: 'all-but-seed' });
    expect(groups.map((g) => g.runs.map((r) => r.run_id))).to.deep.equal([['mlp_p1', 'mlp_p2'], ['mlp_x1', 'mlp_x2']]);
    expect(defaultGroupBy([plain[0], extra[0]])).to.deep.equal({ kind: 'none' });
    expect(defaultGroupBy(plain)).to.deep.equal({ kind: 'all-but-seed' });
  });
});
