// Renders every figure of the export fixtures as PNG and PDF; bench/render-figures.mjs saves them
// so that a person can look at them. Results land in window.__figures as base64.
import { renderFigure, FIGURE_KINDS } from '../src/export/index';
import type { FigureFormat } from '../src/export/index';
import { divergedRun, fixedRun, manyClassRun, mnistLikeRun, stoppedRun, unicodeRun } from '../test/fixtures/export-fixtures';
import { toBase64 } from './base64';

declare global {
  interface Window { __figures?: { name: string; base64: string }[] | { error: string } }
}

async function main() {
  const runs = { fixed: fixedRun(), mnist: mnistLikeRun(), stopped: stoppedRun(), unicode: unicodeRun(), many: manyClassRun(50), twenty: manyClassRun(20), diverged: divergedRun() };
  const only = new URLSearchParams(location.search).get('runs')?.split(',');
  const out: { name: string; base64: string }[] = [];
  for (const [name, { record }] of Object.entries(runs)) {
    if (only && !only.includes(name)) continue;
    for (const kind of FIGURE_KINDS) {
      if (kind === 'confusion_matrix' && !record.test) continue;
      for (const format of ['png', 'pdf'] as FigureFormat[]) {
        const blob = await renderFigure(kind, record, format);
        out.push({ name: `${name}-${kind}.${format}`, base64: await toBase64(blob) });
      }
    }
  }
  window.__figures = out;
}

main().catch((e) => (window.__figures = { error: String(e?.stack ?? e) }));
