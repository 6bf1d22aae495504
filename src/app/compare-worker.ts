// The Compare view's figure work, off the page's main thread: the plot previews, a figure to
// download and comparison.zip (OffscreenCanvas and jsPDF here; on the page a figure of 200 runs
// would block it for a quarter of a second, the zip for a second or more). Served with worker-rpc:
// each call can be cancelled (a newer preview request cancels the older one between figures).
import { buildComparisonZip, type ComparisonExport } from '../compare/comparison-zip';
import { figureKinds, renderCompareFigure, renderComparePreview, type CompareFigureInput, type CompareFigureKind } from '../export/figures/compare/index';
import { serveCalls, type CallContext } from '../training/worker-rpc';

export interface FigureRequest {
  kind: CompareFigureKind;
  input: CompareFigureInput;
  format: 'png' | 'pdf';
  created: Date;
}

export interface PreviewFigure {
  kind: CompareFigureKind;
  png: Blob;
}

const handlers = {
  /** Every figure of the comparison as a preview PNG, in figureKinds order (a sweep's parallel coordinates first). */
  async previews(input: CompareFigureInput, ctx: CallContext): Promise<PreviewFigure[]> {
    const made: PreviewFigure[] = [];
    for (const kind of figureKinds(input)) {
      ctx.signal.throwIfAborted();
      made.push({ kind, png: await renderComparePreview(kind, input) });
    }
    return made;
  },
  figure: (r: FigureRequest): Promise<Blob> => renderCompareFigure(r.kind, r.input, r.format, r.created),
  zip: (x: ComparisonExport, ctx: CallContext): Promise<Blob> =>
    buildComparisonZip(x, { signal: ctx.signal, onProgress: (fraction, what) => ctx.progress(fraction, 1, what) }),
};

/** The calls this worker answers (the page's client is typed by it). */
export type CompareWorkerApi = typeof handlers;

serveCalls(handlers);
