// Renders every comparison figure of the compare fixtures as PNG and PDF;
// bench/render-compare-figures.mjs saves them so that a person can look at them.
// Results land in window.__compareFigures as base64.
import { COMPARE_FIGURE_KINDS, renderCompareFigure, type CompareFigureInput } from '../src/export/figures/compare/index';
import { compareFixture, groupedFixture } from '../test/fixtures/compare-figure-fixtures';
import { toBase64 } from './base64';

declare global {
  interface Window { __compareFigures?: { name: string; base64: string }[] | { error: string } }
}

/** One run with everything and one imported run with nothing but its name. */
function sparse(): CompareFigureInput {
  const two = compareFixture(2);
  const bare = { ...two.entries[1], testAcc: null, parameters: null, f1: null, curves: { valAcc: [], valLoss: [], trainAcc: [], trainLoss: [] } };
  return { ...two, entries: [two.entries[0], bare] };
}

async function main() {
  const inputs: Record<string, CompareFigureInput> = {
    two: compareFixture(2),
    twelve: compareFixture(12),
    thirty: compareFixture(30),
    grouped: groupedFixture(),
    'twelve-train-smoothed': { ...compareFixture(12), showTrain: true, smoothing: 0.6 },
    'grouped-train-smoothed': { ...groupedFixture(), showTrain: true, smoothing: 0.5 },
    sparse: sparse(),
    // Thirty runs of one size and nearly one accuracy: labels that find no room go to a legend.
    crowded: { ...compareFixture(30), entries: compareFixture(30).entries.map((e, i) => ({ ...e, parameters: 50_000, testAcc: 80 + (i % 3) * 0.01 })) },
    // Eight runs with per-class F1 whose styles share a colour (0 and 8): bars, with markers on top.
    'eight-of-thirty': { ...compareFixture(30), entries: compareFixture(30).entries.filter((e) => e.f1 !== null).slice(0, 8) },
  };
  const params = new URLSearchParams(location.search);
  const only = params.get('inputs')?.split(',');
  const kinds = params.get('kinds')?.split(',');
  const formats = (params.get('formats')?.split(',') ?? ['png', 'pdf']) as ('png' | 'pdf')[];
  const out: { name: string; base64: string }[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    if (only && !only.includes(name)) continue;
    for (const kind of COMPARE_FIGURE_KINDS) {
      if (kinds && !kinds.includes(kind)) continue;
      for (const format of formats) {
        const blob = await renderCompareFigure(kind, input, format);
        out.push({ name: `${name}-${kind}.${format}`, base64: await toBase64(blob) });
      }
    }
  }
  window.__compareFigures = out;
}

main().catch((e) => (window.__compareFigures = { error: String(e?.stack ?? e) }));
