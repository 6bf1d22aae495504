// The Compare view's file work: figure previews, single-figure downloads and comparison.zip (the
// whole Compare view loads on demand; jsPDF and JSZip load on first use inside the renderers).
import { COMPARE_FIGURE_KINDS, renderCompareFigure, type CompareFigureInput, type CompareFigureKind } from '../export/figures/compare/index';
import { saveBlob } from '../components/run-exports';
import { buildComparisonZip, comparisonFolder, FIGURE_FILES, type ComparisonExport } from '../compare/comparison-zip';

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

  async downloadFigure(kind: CompareFigureKind, input: CompareFigureInput, format: 'png' | 'pdf', stamp: string) {
    saveBlob(await renderCompareFigure(kind, input, format), `${stamp}_${kind}.${format}`);
  }

  async downloadZip(x: ComparisonExport, onBusy: (text: string) => void) {
    const blob = await buildComparisonZip(x, { onProgress: (f, what) => onBusy(`Building comparison.zip… ${Math.round(f * 100)} % (${what})`) });
    saveBlob(blob, `${comparisonFolder(x.now)}.zip`);
  }
}
