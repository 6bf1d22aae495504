// The shell's export actions for a stored run: figure previews, single-figure downloads and the
// run.zip, all made in a module worker (run-export-worker.ts) so that the page never blocks while
// a PDF is drawn or the zip is deflated. The export library (jsPDF, JSZip) loads in that worker
// only, on the first export action; the page's bundle holds none of it.
import type { RunFigureKind } from '../export/types';
import { refOf } from '../recorder/checkpoint-refs';
import type { LabRunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import { WorkerClient } from '../training/worker-rpc';
import type { FigureView } from '../components/tl-run-view';
import type { DecisionBoundary } from '../training/decision-boundary';
import { misclassifiedImages } from './mistakes';
import { mistakesOf } from './mistakes-source';
import type { StoredPredictions } from '../recorder/run-store-db';
import type { DataAccess } from './run-continuation';
import type { RunExportWorkerApi, RunFigureRequest, RunZipInput } from './run-export-worker';

const FIGURE_TITLES: Record<RunFigureKind, string> = {
  training_curves: 'Training curves',
  loss_curve: 'Loss',
  accuracy_curve: 'Accuracy',
  confusion_matrix: 'Confusion matrix',
  per_class_dynamics: 'Per-class recall per epoch',
  decision_boundary: 'Decision boundary',
};

type Result<K extends keyof RunExportWorkerApi> = Awaited<ReturnType<RunExportWorkerApi[K]>>;

const startWorker = () => new Worker(new URL('./run-export-worker.ts', import.meta.url), { type: 'module', name: 'run-exports' });

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

/** Every ArrayBuffer inside `value` (typed arrays' included), each once: what a call may transfer. */
export function buffersIn(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (value instanceof ArrayBuffer) found.add(value);
  else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Blob)) {
    for (const v of Object.values(value)) buffersIn(v, found);
  }
  return [...found];
}

/**
 * An image run's misclassified test images for misclassified.png, its data rebuilt through `data`;
 * null when the run has none, or its data cannot be found here (the zip then goes without the figure).
 */
async function misclassifiedOf(record: LabRunRecord, predictions: StoredPredictions | undefined, data: DataAccess): Promise<RunZipInput['misclassified']> {
  if (record.dataset.input_shape.length !== 3 || !record.test || !predictions) return null;
  const gallery = await mistakesOf(record, predictions, data).catch(() => null);
  return gallery ? misclassifiedImages(gallery) : null;
}

/**
 * What buildRunZip needs of a stored run, read from the store: its predictions, stored models and
 * decision boundary, and (with `data`, to rebuild an image run's data) its misclassified images.
 */
export async function readRunZipInput(store: RunStore, record: LabRunRecord, data?: DataAccess): Promise<RunZipInput> {
  const best = refOf(record, 'best');
  const [predictions, bestArtifact, checkpoints, boundary] = await Promise.all([
    store.getPredictions(record.run_id),
    best ? store.getArtifact(best.key) : undefined,
    Promise.all(record.checkpoints.filter((c) => c.kind === 'periodic').map(async (c) => ({ epoch: c.epoch, artifact: await store.getArtifact(c.key) }))),
    store.getDecisionBoundary(record.run_id),
  ]);
  const misclassified = data ? await misclassifiedOf(record, predictions, data) : null;
  return {
    record,
    predictions: predictions ?? null,
    boundary: boundary ?? null,
    misclassified,
    models: {
      best: bestArtifact?.model ?? null,
      checkpoints: checkpoints.flatMap((c) => (c.artifact ? [{ epoch: c.epoch, model: c.artifact.model }] : [])),
    },
  };
}

export class RunExports {
  private urls: string[] = [];
  private previews?: AbortController;
  /** Started on the first export action and kept: its fonts and modules stay loaded for the next one. */
  private readonly worker = new WorkerClient(startWorker);

  /** Drops the previews shown (revoking their URLs) and cancels any still being drawn. */
  clearFigures() {
    this.previews?.abort();
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
  }

  /** The run's figure previews (PNG object URLs); a newer call cancels an older one still drawing. */
  async figures(record: LabRunRecord, boundary: DecisionBoundary | null = null): Promise<FigureView[]> {
    this.clearFigures();
    const abort = (this.previews = new AbortController());
    const made = await this.worker.call<Result<'previews'>>('previews', { record, boundary }, { signal: abort.signal });
    abort.signal.throwIfAborted();
    return made.map((p) => {
      const url = URL.createObjectURL(p.png);
      this.urls.push(url);
      return { kind: p.kind, title: FIGURE_TITLES[p.kind], url };
    });
  }

  async downloadFigure(record: LabRunRecord, kind: string, format: 'png' | 'pdf', boundary: DecisionBoundary | null = null) {
    const request: RunFigureRequest = { kind: kind as RunFigureKind, record, format, boundary };
    saveBlob(await this.worker.call<Result<'figure'>>('figure', request), `${record.run_id}_${kind}.${format}`);
  }

  /** Reads the run from the store, builds its run.zip in the worker and saves it. */
  async downloadZip(store: RunStore, record: LabRunRecord, onBusy: (text: string) => void, signal?: AbortSignal, data?: DataAccess) {
    onBusy('Reading the run…');
    const { blob, name } = await this.zip(await readRunZipInput(store, record, data), onBusy, signal);
    saveBlob(blob, name);
  }

  /**
   * run.zip of `input`, built in the worker, and its file name. The input's buffers are transferred,
   * not copied: the caller gives them up (downloadZip read them for this zip alone).
   */
  zip(input: RunZipInput, onBusy: (text: string) => void, signal?: AbortSignal): Promise<Result<'zip'>> {
    return this.worker.call<Result<'zip'>>('zip', input, {
      signal,
      transfer: buffersIn(input),
      onProgress: (p) => onBusy(`Building run.zip… ${Math.round((p.done / p.total) * 100)} % (${p.label})`),
    });
  }
}
