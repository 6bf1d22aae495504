// A stored run's file work, off the page's main thread: the run view's figure previews, a figure to
// download and the whole run.zip (OffscreenCanvas, jsPDF and JSZip here; on the page each PDF
// blocked it for 80–390 ms). Served with worker-rpc, as the Compare view's compare-worker.ts: each
// call can be cancelled (a newer run's previews cancel the older ones between figures).
import { buildRunZip, figureKinds, renderFigure, runZipName, type FigureFormat, type RunFigureKind } from '../export/index';
import type { DecisionBoundary } from '../training/decision-boundary';
import type { LabRunRecord } from '../recorder/run-record';
import { serveCalls, type CallContext } from '../training/worker-rpc';

/** Whatever buildRunZip takes, as it is: new optional inputs pass through this worker unchanged. */
export type RunZipInput = Parameters<typeof buildRunZip>[0];

/** A run's record and, for a 2-feature model, its stored decision boundary (the figures' inputs). */
export interface RunFigureSource {
  record: LabRunRecord;
  boundary: DecisionBoundary | null;
}

export interface RunFigureRequest extends RunFigureSource {
  kind: RunFigureKind;
  format: FigureFormat;
}

export interface RunPreview {
  kind: RunFigureKind;
  png: Blob;
}

const handlers = {
  /** Every figure of the run as a preview PNG, in figureKinds order. */
  async previews({ record, boundary }: RunFigureSource, ctx: CallContext): Promise<RunPreview[]> {
    const made: RunPreview[] = [];
    for (const kind of figureKinds(record, boundary !== null)) {
      ctx.signal.throwIfAborted();
      made.push({ kind, png: await renderFigure(kind, record, 'png', boundary) });
    }
    return made;
  },
  figure: (r: RunFigureRequest): Promise<Blob> => renderFigure(r.kind, r.record, r.format, r.boundary),
  /** run.zip and its suggested file name. */
  async zip(input: RunZipInput, ctx: CallContext): Promise<{ blob: Blob; name: string }> {
    const blob = await buildRunZip(input, { signal: ctx.signal, onProgress: (fraction, what) => ctx.progress(fraction, 1, what) });
    return { blob, name: runZipName(input.record) };
  },
};

/** The calls this worker answers (the page's client is typed by it). */
export type RunExportWorkerApi = typeof handlers;

serveCalls(handlers);
