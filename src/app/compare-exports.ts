// The Compare view's file work: figure previews, single-figure downloads and comparison.zip (built
// in a worker). The whole Compare view loads on demand; jsPDF and JSZip load on first use.
import { COMPARE_FIGURE_KINDS, renderCompareFigure, type CompareFigureInput, type CompareFigureKind } from '../export/figures/compare/index';
import { saveBlob } from './run-exports';
import { comparisonFolder, FIGURE_FILES, type ComparisonExport } from '../compare/comparison-zip';
import type { ComparisonZipMessage } from './comparison-zip-worker';

export interface ComparePreview {
  kind: CompareFigureKind;
  title: string;
  url: string; // PNG object URL
}

export class CompareExports {
  private urls: string[] = [];

  clear() {
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
  }

  /** PNG previews of every comparison figure; `isCurrent` lets a newer request win over a slower, older one. */
  async previews(input: CompareFigureInput, isCurrent: () => boolean): Promise<ComparePreview[] | null> {
    const made: ComparePreview[] = [];
    for (const kind of COMPARE_FIGURE_KINDS) {
      if (!isCurrent()) break;
      made.push({ kind, title: FIGURE_FILES[kind].title, url: URL.createObjectURL(await renderCompareFigure(kind, input, 'png')) });
    }
    if (!isCurrent()) {
      made.forEach((p) => URL.revokeObjectURL(p.url));
      return null;
    }
    this.clear();
    this.urls = made.map((p) => p.url);
    return made;
  }

  async downloadFigure(kind: CompareFigureKind, input: CompareFigureInput, format: 'png' | 'pdf', now: Date) {
    saveBlob(await renderCompareFigure(kind, input, format, now), `${comparisonFolder(now)}_${kind}.${format}`);
  }

  /** Builds the zip in a module worker (the page stays responsive) and saves it. */
  async downloadZip(x: ComparisonExport, onBusy: (text: string) => void) {
    const worker = new Worker(new URL('./comparison-zip-worker.ts', import.meta.url), { type: 'module', name: 'comparison-zip' });
    try {
      const blob = await new Promise<Blob>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<ComparisonZipMessage>) => {
          const m = e.data;
          if (m.type === 'progress') onBusy(`Building comparison.zip… ${Math.round(m.fraction * 100)} % (${m.what})`);
          else if (m.type === 'done') resolve(m.blob);
          else reject(new Error(`comparison.zip could not be built: ${m.message}`));
        };
        worker.onerror = (e) => reject(new Error(`comparison.zip could not be built: ${e.message || 'the worker failed to start'}`));
        worker.postMessage(x);
      });
      saveBlob(blob, `${comparisonFolder(x.now)}.zip`);
    } finally {
      worker.terminate();
    }
  }
}
