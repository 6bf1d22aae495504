import { expect } from '@esm-bundle/chai';
import {
  buildCompareFigure, COMPARE_FIGURE_KINDS, compareFigureTexts, displayLabels, ema, epochAxis, f1Form, fitLabels,
  middleEllipsis, placeLabels, renderCompareFigure, runStyle, sizeAxis, type CompareFigureInput, type CompareFigureKind, type Rect,
} from '../../src/export/figures/compare/index';
import { measure, type Draw } from '../../src/export/figures/draw-api';
import { loadFontSet, type FontSet } from '../../src/export/figures/fonts';
import { OKABE_ITO } from '../../src/palette';
import { compareFixture, groupedFixture, LONG_LABEL } from '../fixtures/compare-figure-fixtures';
import { checkPdf, checkPng } from '../fixtures/figure-checks';

const fontsFor = (input: CompareFigureInput) => loadFontSet(compareFigureTexts(input));

interface Glyphs { text: string; x: number; y: number; size: number }

/** A Draw that records the text it is given (one entry per font run) and the fill opacities. */
function recorder(fonts: FontSet, width: number, height: number): { draw: Draw; texts: Glyphs[]; opacities: number[] } {
  const texts: Glyphs[] = [];
  const opacities: number[] = [];
  const draw: Draw = {
    width, height, fonts,
    polyline() {}, rect() {}, circle() {}, clip() {}, unclip() {},
    polygon(_p, _f, _s, opacity = 1) { opacities.push(opacity); },
    glyphRun(run, x, y, size) { texts.push({ text: run.text, x, y, size }); },
  };
  return { draw, texts, opacities };
}

async function paintTexts(kind: CompareFigureKind, input: CompareFigureInput) {
  const fonts = await fontsFor(input);
  const figure = buildCompareFigure(kind, input, fonts);
  const r = recorder(fonts, figure.width, figure.height);
  figure.paint(r.draw);
  return { figure, ...r };
}

describe('comparison figures: files', () => {
  const twelve = compareFixture(12);
  for (const kind of COMPARE_FIGURE_KINDS) {
    it(`${kind}: PNG is inches × 300 with pHYs, PDF one vector page of the same size with embedded TrueType`, async () => {
      const figure = buildCompareFigure(kind, twelve, await fontsFor(twelve));
      for (const side of [figure.width, figure.height]) expect(Math.abs((side / 72) * 100 - Math.round((side / 72) * 100))).to.be.lessThan(1e-6);
      const png = checkPng(new Uint8Array(await (await renderCompareFigure(kind, twelve, 'png')).arrayBuffer()));
      expect(png).to.deep.equal({ width: Math.round((figure.width / 72) * 300), height: Math.round((figure.height / 72) * 300) });
      const { box, texts } = await checkPdf(await renderCompareFigure(kind, twelve, 'pdf'));
      expect(box[2]).to.be.closeTo(figure.width, 0.01);
      expect(box[3]).to.be.closeTo(figure.height, 0.01);
      expect(texts).to.include(figure.title);
    });
  }

  it('non-Latin names print as text: naïve, Ωmega in DejaVu Sans, 数字 in the embedded CJK font', async () => {
    const thirty = compareFixture(30);
    const { all, texts } = await checkPdf(await renderCompareFigure('per_class_f1', thirty, 'pdf'));
    expect(all).to.match(/\/FontName\s*\/NotoSansSC\b/);
    const joined = texts.join('\n');
    for (const s of ['naïve', 'Ωmega', '数字']) expect(joined).to.contain(s);
    expect(joined).not.to.contain('\uFFFD');
  });

  it('a grouped figure draws its ± std bands translucent (PDF ExtGState /ca below 1)', async () => {
    const { pdf } = await checkPdf(await renderCompareFigure('validation_curves', groupedFixture(), 'pdf'));
    const alphas = [...pdf.objects.values()].flatMap((o) => [...o.dict.matchAll(/\/ca\s+([\d.]+)/g)].map((m) => Number(m[1])));
    expect(alphas.some((a) => a > 0 && a < 1)).to.equal(true);
  });

  it('figures grow with the number of entries', async () => {
    const fonts = await fontsFor(compareFixture(30));
    const size = (kind: CompareFigureKind, n: 2 | 12 | 30) => buildCompareFigure(kind, compareFixture(n), fonts);
    expect(size('test_accuracy', 30).width).to.be.greaterThan(size('test_accuracy', 12).width);
    expect(size('validation_curves', 30).height).to.be.greaterThan(size('validation_curves', 2).height);
    expect(size('per_class_f1', 30).height).to.be.greaterThan(size('per_class_f1', 12).height);
  });
});

describe('comparison figures: content', () => {
  it('epoch ticks are whole epochs, in the axis function and in the drawn figure', async () => {
    for (const last of [1, 2, 7, 13, 20, 37, 60, 150, 999]) {
      for (const width of [120, 300, 700]) {
        const axis = epochAxis(last, width);
        for (const t of axis.ticks) {
          expect(Number.isInteger(t.v), `${last}/${width}: ${t.v}`).to.equal(true);
          expect(t.label).to.equal(String(t.v));
          expect(t.v).to.be.within(1, last);
        }
        expect(axis.ticks.length).to.be.within(1, 12);
      }
    }
    const { texts } = await paintTexts('validation_curves', compareFixture(30));
    const titles = texts.filter((t) => t.text === 'Epoch');
    expect(titles.length).to.equal(2);
    const ticks = texts.filter((t) => titles.some((e) => e.y - t.y > 4 && e.y - t.y < 20) && t.size === 9);
    expect(ticks.map((t) => t.text)).to.include.members(['1', '10', '60']);
    for (const t of ticks) expect(t.text).to.match(/^\d+$/);
  });

  it('the legend lies below the plots and names every entry, told apart (the reference printed two runs as "complex_cnn")', async () => {
    const two = compareFixture(2);
    const labels = displayLabels(two.entries, false);
    expect(labels[0]).to.not.equal(labels[1]);
    for (const l of labels) expect(l.startsWith('complex_cnn')).to.equal(true);
    const { texts } = await paintTexts('validation_curves', compareFixture(12));
    const epochY = Math.max(...texts.filter((t) => t.text === 'Epoch').map((t) => t.y));
    for (const label of displayLabels(compareFixture(12).entries, false)) {
      const drawn = texts.filter((t) => t.text === label);
      expect(drawn.length, label).to.equal(1);
      expect(drawn[0].y).to.be.greaterThan(epochY);
    }
  });

  it('test accuracy: values with two decimals, "no test" instead of a bar for runs without a result', async () => {
    const input = compareFixture(30);
    const { texts } = await paintTexts('test_accuracy', input);
    expect(texts.filter((t) => t.text === 'no test').length).to.equal(input.entries.filter((e) => e.testAcc === null).length);
    for (const e of input.entries) if (e.testAcc !== null) expect(texts.some((t) => t.text === e.testAcc!.toFixed(2))).to.equal(true);
    const grouped = await paintTexts('test_accuracy', groupedFixture());
    expect(grouped.texts.some((t) => /^±\d+\.\d\d$/.test(t.text))).to.equal(true);
  });

  it('per-class F1: grouped bars up to 8 entries, a heatmap with a value in every cell beyond', async () => {
    const twelve = compareFixture(12);
    const withF1 = twelve.entries.filter((e) => e.f1 !== null);
    const first = (n: number): CompareFigureInput => ({ ...twelve, entries: withF1.slice(0, n) });
    expect(f1Form(compareFixture(2))).to.equal('bars');
    expect(f1Form(first(8))).to.equal('bars');
    expect(f1Form(first(9))).to.equal('heatmap');
    expect(f1Form(twelve)).to.equal('heatmap');
    const cells = (texts: Glyphs[]) => texts.filter((t) => /^(\d\.\d\d|n\/a)$/.test(t.text)).length;
    expect(cells((await paintTexts('per_class_f1', twelve)).texts)).to.equal(twelve.entries.length * twelve.classNames.length);
    const bars = (await paintTexts('per_class_f1', first(8))).texts;
    expect(bars.filter((t) => /^\d\.\d\d$/.test(t.text)).length).to.equal(0); // no cell values
    expect(bars.filter((t) => t.text === 'n/a').length).to.equal(withF1.slice(0, 8).flatMap((e) => e.f1!).filter((v) => v === null).length);
  });

  it('size vs accuracy names every point: beside it, or in a legend when the plot has no room left', async () => {
    const thirty = compareFixture(30);
    // Thirty runs of one size and nearly one accuracy: most labels cannot sit beside their point.
    const crowded = { ...thirty, entries: thirty.entries.map((e, i) => ({ ...e, parameters: 50_000, testAcc: 80 + (i % 3) * 0.01 })) };
    const { texts } = await paintTexts('size_vs_accuracy', crowded);
    const fonts = await fontsFor(crowded);
    const lines: string[] = []; // font runs of one line joined again
    texts.forEach((t, i) => {
      const p = texts[i - 1];
      if (p && t.y === p.y && Math.abs(p.x + measure(fonts, p.text, p.size) - t.x) < 0.5) lines[lines.length - 1] += t.text;
      else lines.push(t.text);
    });
    const plotted = (i: number) => crowded.entries[i].testAcc !== null && crowded.entries[i].parameters !== null;
    const short = displayLabels(crowded.entries, false).filter((l, i) => plotted(i) && measure(fonts, l, 7.5) < 140); // never wrapped
    expect(short.length).to.be.greaterThan(20);
    for (const label of short) expect(lines, label).to.include(label);
    expect(buildCompareFigure('size_vs_accuracy', crowded, fonts).height).to.be.greaterThan(buildCompareFigure('size_vs_accuracy', { ...crowded, entries: crowded.entries.slice(0, 1) }, fonts).height);
  });

  it('size axis: log beyond 1.5 decades, else linear in thousands from zero', () => {
    const log = sizeAxis([61_350, 3_349_190]);
    expect(log.axis.log).to.equal(true);
    expect(log.axis.ticks.map((t) => t.label)).to.include.members(['100k', '1M']);
    const lin = sizeAxis([3_349_190, 3_351_000]);
    expect(lin.axis.log).to.equal(false);
    expect(lin.axis.lo).to.equal(0);
    expect(lin.value(3_349_190)).to.be.closeTo(3349.19, 1e-9);
    expect(lin.axis.title).to.equal('Parameters (thousands)');
  });

  it('EMA smoothing keeps gaps and starts at the first value', () => {
    expect(ema([10, 20, NaN, 30], 0.5)).to.deep.equal([10, 15, NaN, 22.5]);
    expect(ema([1, 2, 3], 0)).to.deep.equal([1, 2, 3]);
  });
});

describe('comparison figures: odd inputs', () => {
  it('bad input throws a readable error; one run, or runs without curves or results, still draw', async () => {
    const two = compareFixture(2);
    const fonts = await fontsFor(two);
    expect(() => buildCompareFigure('test_accuracy', { ...two, entries: [] }, fonts)).to.throw('no runs to compare');
    expect(() => buildCompareFigure('validation_curves', { ...two, smoothing: 1.5 }, fonts)).to.throw('invalid smoothing: 1.5');
    const bad = { ...two, entries: [{ ...two.entries[0], f1: [0.5] }] };
    expect(() => buildCompareFigure('per_class_f1', bad, fonts)).to.throw('has 1 values for 6 classes');
    const bare = { ...two.entries[0], testAcc: null, parameters: null, f1: null, curves: { valAcc: [], valLoss: [], trainAcc: [], trainLoss: [] } };
    for (const entries of [[two.entries[0]], [bare], [bare, two.entries[1]]]) {
      for (const kind of COMPARE_FIGURE_KINDS) {
        const { texts } = await paintTexts(kind, { ...two, entries });
        expect(texts.length, kind).to.be.greaterThan(5);
        for (const t of texts) expect(Number.isFinite(t.x) && Number.isFinite(t.y), `${kind}: ${t.text}`).to.equal(true);
      }
    }
  });

  it('a group label that already states its n is not given a second one (and keeps "(n=5)" in one piece)', () => {
    const g = groupedFixture();
    const entries = [{ ...g.entries[0], label: 'complex_cnn (n = 5)' }, g.entries[1]];
    expect(displayLabels(entries, true)).to.deep.equal(['complex_cnn (n=5)', 'lstm_autoencoder (n=3)']);
  });
});

describe('run styles and labels', () => {
  it('runStyle: Okabe–Ito colours, 30 distinct colour + dash + marker combinations, stable', () => {
    const key = (i: number) => JSON.stringify(runStyle(i));
    const all = Array.from({ length: 30 }, (_, i) => key(i));
    expect(new Set(all).size).to.equal(30);
    // A scatter shows colour and marker only: those alone must tell 30 runs apart too.
    expect(new Set(Array.from({ length: 30 }, (_, i) => `${runStyle(i).color} ${runStyle(i).marker}`)).size).to.equal(30);
    for (let i = 0; i < 30; i++) {
      expect(key(i)).to.equal(key(i));
      expect(runStyle(i).color).to.equal(OKABE_ITO[i % 8]);
      if (i < 8) expect(runStyle(i).dash).to.equal(undefined);
    }
  });

  it('labels are never cut when they fit; shortened ones keep both ends and stay distinct', async () => {
    const fonts = await loadFontSet([LONG_LABEL]);
    expect(fitLabels(fonts, ['simple_cnn · baseline'], 9, 200, 1)).to.deep.equal([['simple_cnn · baseline']]);
    const short = middleEllipsis(fonts, LONG_LABEL, 9, 150);
    expect(measure(fonts, short, 9)).to.be.at.most(150);
    expect(short).to.contain('…');
    expect(short.startsWith('transformer')).to.equal(true);
    expect(short.endsWith('07')).to.equal(true);
    const similar = [`${LONG_LABEL}_a`, `${LONG_LABEL}_b`, `x_${LONG_LABEL}_a`];
    const fitted = fitLabels(fonts, similar, 9, 120, 2);
    expect(new Set(fitted.map((l) => l.join(' '))).size).to.equal(3);
    for (const lines of fitted) for (const line of lines) expect(measure(fonts, line, 9)).to.be.at.most(120.001);
  });
});

describe('label placement (property test on random points)', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const hitsCircle = (cx: number, cy: number, r: number, b: Rect) => {
    const dx = cx - Math.max(b.x, Math.min(cx, b.x + b.w));
    const dy = cy - Math.max(b.y, Math.min(cy, b.y + b.h));
    return dx * dx + dy * dy < r * r;
  };
  /** Samples along the segment: a leader must not pass through another label. */
  const segmentCrosses = (a: readonly [number, number], b: readonly [number, number], r: Rect) =>
    Array.from({ length: 41 }, (_, k) => [a[0] + ((b[0] - a[0]) * k) / 40, a[1] + ((b[1] - a[1]) * k) / 40])
      .some(([x, y]) => x > r.x + 0.01 && x < r.x + r.w - 0.01 && y > r.y + 0.01 && y < r.y + r.h - 0.01);

  it('labels never overlap each other, any point or a leader, and stay inside the plot', () => {
    const bounds = { x: 0, y: 0, w: 500, h: 320 };
    let placed = 0;
    let total = 0;
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + Math.floor(random() * 35);
      const clustered = trial % 3 === 0;
      const anchors = Array.from({ length: n }, () => ({
        x: clustered ? 200 + random() * 80 : 5 + random() * 490, y: clustered ? 120 + random() * 60 : 5 + random() * 310, r: 5,
      }));
      const sizes = anchors.map(() => ({ w: 30 + random() * 110, h: random() < 0.3 ? 20 : 11 }));
      const out = placeLabels(anchors, sizes, bounds);
      const boxes = out.filter((b): b is NonNullable<typeof b> => b !== null);
      out.forEach((b, i) => {
        if (!b) return;
        expect(b.w).to.equal(sizes[i].w);
        expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= 500 && b.y + b.h <= 320, 'inside').to.equal(true);
        for (const a of anchors) expect(hitsCircle(a.x, a.y, a.r, b), 'over a point').to.equal(false);
        for (const o of boxes) if (o !== b) expect(overlap(b, o), 'labels overlap').to.equal(false);
        if (b.leader) {
          const end: [number, number] = [Math.max(b.x, Math.min(anchors[i].x, b.x + b.w)), Math.max(b.y, Math.min(anchors[i].y, b.y + b.h))];
          for (const o of boxes) if (o !== b) expect(segmentCrosses([anchors[i].x, anchors[i].y], end, o), 'leader through a label').to.equal(false);
        } else {
          // Unmoved labels sit right next to their point.
          expect(hitsCircle(anchors[i].x, anchors[i].y, anchors[i].r + 4, b)).to.equal(true);
        }
      });
      placed += boxes.length;
      total += n;
    }
    expect(placed / total).to.be.greaterThan(0.85);
  });

  it('a sparse plot labels every point beside it, without leaders', () => {
    const anchors = [{ x: 50, y: 50, r: 4 }, { x: 250, y: 100, r: 4 }, { x: 400, y: 250, r: 4 }];
    const out = placeLabels(anchors, anchors.map(() => ({ w: 80, h: 11 })), { x: 0, y: 0, w: 500, h: 300 });
    expect(out.every((b) => b !== null && !b.leader)).to.equal(true);
    expect(out[0]!.x).to.be.greaterThan(50); // first choice: to the right
  });
});
