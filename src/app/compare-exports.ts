// The Compare view's file work: figure previews, single-figure downloads and comparison.zip, all
// made in a module worker (compare-worker.ts) so that the page stays responsive with hundreds of
// runs. A ReactiveController of the view: the previews' worker starts on the first figure asked for
// and stops, with any drawing in flight, when the view leaves the page; a zip has a worker of its own.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CompareFigureInput, CompareFigureKind } from '../export/figures/compare/types';
import { WorkerClient } from '../training/worker-rpc';
import { tick } from './backup-util';
import { saveBlob } from './run-exports';
import { comparisonFolder, FIGURE_FILES, type ComparisonExport } from '../compare/comparison-zip';
import type { CompareWorkerApi, FigureRequest } from './compare-worker';

export interface ComparePreview {
  kind: CompareFigureKind;
  title: string;
  url: string; // PNG object URL
}

type Result<K extends keyof CompareWorkerApi> = Awaited<ReturnType<CompareWorkerApi[K]>>;

const startWorker = () => new Worker(new URL('./compare-worker.ts', import.meta.url), { type: 'module', name: 'compare-figures' });

export class CompareExports implements ReactiveController {
  /** The previews shown, and what the page says about them ('' when they are up to date). */
  previews: ComparePreview[] = [];
  note = '';
  private key = '';
  private abort?: AbortController;
  private readonly worker = new WorkerClient(startWorker);

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    this.host.requestUpdate(); // back on the page: the view asks for its previews again
  }

  hostDisconnected() {
    this.abort?.abort();
    this.key = ''; // drawn again if the view comes back
    this.setPreviews([]);
    this.worker.terminate();
  }

  /**
   * Draws the previews of `input()` in the worker unless `key` (what they depend on) is what is
   * shown or being drawn; a newer key cancels the drawing of an older one. No input: no previews.
   */
  showPreviews(key: string, input: () => CompareFigureInput | null): void {
    if (key === this.key) return;
    this.key = key;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    void this.draw(input, abort.signal);
  }

  private async draw(input: () => CompareFigureInput | null, signal: AbortSignal) {
    await tick(); // the figures' input is built in a task of its own, not in the view's update
    if (signal.aborted) return;
    const figures = input();
    this.note = figures ? 'Drawing the plots…' : '';
    if (!figures) this.setPreviews([]);
    this.host.requestUpdate();
    if (!figures) return;
    try {
      const made = await this.worker.call<Result<'previews'>>('previews', figures, { signal });
      if (signal.aborted) return;
      this.setPreviews(made.map((p) => ({ kind: p.kind, title: FIGURE_FILES[p.kind].title, url: URL.createObjectURL(p.png) })));
      this.note = '';
    } catch (e) {
      if (signal.aborted) return;
      this.note = `The plots could not be drawn: ${(e as Error).message}`;
    }
    this.host.requestUpdate();
  }

  /** Replaces the previews, revoking the object URLs of those they replace. */
  private setPreviews(previews: ComparePreview[]) {
    this.previews.forEach((p) => URL.revokeObjectURL(p.url));
    this.previews = previews;
  }

  async downloadFigure(kind: CompareFigureKind, input: CompareFigureInput, format: 'png' | 'pdf', now: Date) {
    const request: FigureRequest = { kind, input, format, created: now };
    saveBlob(await this.worker.call<Result<'figure'>>('figure', request), `${comparisonFolder(now)}_${kind}.${format}`);
  }

  /** Builds the zip in a worker of its own (it finishes even if the view leaves the page) and saves it. */
  async downloadZip(x: ComparisonExport, onBusy: (text: string) => void) {
    const worker = new WorkerClient(startWorker);
    let blob: Blob;
    try {
      blob = await worker.call<Result<'zip'>>('zip', x, {
        onProgress: (p) => onBusy(`Building comparison.zip… ${Math.round((p.done / p.total) * 100)} % (${p.label})`),
      });
    } catch (e) {
      throw new Error(`comparison.zip could not be built: ${(e as Error).message}`);
    } finally {
      worker.terminate();
    }
    saveBlob(blob, `${comparisonFolder(x.now)}.zip`);
  }
}
