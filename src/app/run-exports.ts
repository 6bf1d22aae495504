// The shell's export actions for a stored run: figure previews, single-figure downloads and the
// run.zip. The export library (jsPDF, JSZip) is imported only when one of these is used.
import type { FigureKind } from '../export/types';
import { refOf } from '../recorder/checkpoint-refs';
import type { LabRunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { FigureView } from '../components/tl-run-view';

const FIGURE_TITLES: Record<FigureKind, string> = {
  training_curves: 'Training curves',
  loss_curve: 'Loss',
  accuracy_curve: 'Accuracy',
  confusion_matrix: 'Confusion matrix',
};

/** Saves a blob as a file through a temporary link (works in every browser, no permission prompt). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export class RunExports {
  private urls: string[] = [];

  clearFigures() {
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
  }

  async figures(record: LabRunRecord): Promise<FigureView[]> {
    this.clearFigures();
    const { renderFigure, figureKinds } = await import('../export/index');
    const views: FigureView[] = [];
    for (const kind of figureKinds(record)) {
      const url = URL.createObjectURL(await renderFigure(kind, record, 'png'));
      this.urls.push(url);
      views.push({ kind, title: FIGURE_TITLES[kind], url });
    }
    return views;
  }

  async downloadFigure(record: LabRunRecord, kind: string, format: 'png' | 'pdf') {
    const { renderFigure } = await import('../export/index');
    saveBlob(await renderFigure(kind as FigureKind, record, format), `${record.run_id}_${kind}.${format}`);
  }

  async downloadZip(store: RunStore, record: LabRunRecord, onBusy: (text: string) => void) {
    onBusy('Reading the run…');
    const [predictions, best, checkpoints] = await Promise.all([
      store.getPredictions(record.run_id),
      refOf(record, 'best') ? store.getArtifact(refOf(record, 'best')!.key) : undefined,
      Promise.all(record.checkpoints.filter((c) => c.kind === 'periodic').map(async (c) => ({ epoch: c.epoch, artifact: await store.getArtifact(c.key) }))),
    ]);
    const { buildRunZip, runZipName } = await import('../export/index');
    const blob = await buildRunZip(
      {
        record,
        predictions: predictions ?? null,
        models: {
          best: best?.model ?? null,
          checkpoints: checkpoints.flatMap((c) => (c.artifact ? [{ epoch: c.epoch, model: c.artifact.model }] : [])),
        },
      },
      { onProgress: (f, what) => onBusy(`Building run.zip… ${Math.round(f * 100)} % (${what})`) },
    );
    saveBlob(blob, runZipName(record));
  }
}
