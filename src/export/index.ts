// Run export: a LabRunRecord (+ test predictions and stored models) → run.zip mirroring the reference
// script's checkpoint folder, and single figures for the run view. jsPDF and JSZip load on demand.
import type { LabRunRecord } from '../recorder/run-record';
import { checkPredictions } from './csv-files';
import { misclassifiedFigure } from './figures/misclassified';
import { buildFigure, figureTexts, renderWith, runTime } from './figures/render';
import { loadFontSet } from './figures/fonts';
import { BEST_MODEL_FOLDER, checkpointFolder, modelFiles } from './model-files';
import { MISCLASSIFIED_FILE, planRunFiles, type ModelPresence } from './run-files';
import { runTextFiles } from './run-text-files';
import { type ExportInput, type ExportOptions, type FigureFormat } from './types';
import { writeZip, type ZipEntry } from './zip';

export { renderFigure } from './figures/render';
export { figureKinds } from './run-files';
export { BOUNDARY_FIGURE, DYNAMICS_FIGURE, ExportError, FIGURE_KINDS } from './types';
export type { ExportInput, ExportOptions, FigureFormat, FigureKind, RunFigureKind, RunModels, RunPredictions } from './types';

/** The paths (under the run folder) that buildRunZip writes for this run. */
export function runFileList(record: LabRunRecord, models: ModelPresence, hasPredictions = record.test !== null, hasBoundary = false): string[] {
  return planRunFiles(record, models, hasPredictions, hasBoundary).files.map((f) => `${record.run_id}/${f.path}`);
}

/** Suggested download name. */
export const runZipName = (record: LabRunRecord): string => `${record.run_id}.zip`;

const FORMATS: FigureFormat[] = ['png', 'pdf'];
// Share of the progress bar per phase: text files, figures, zip.
const TEXT_END = 0.05;
const FIGURES_END = 0.75;

/**
 * Builds the run.zip: every file of runFileList under `{run_id}/`. onProgress gets the fraction done
 * and the step now under way; the work runs in slices (figure by figure, then JSZip's chunks), so
 * the page stays responsive; abort() on the signal stops it with the signal's reason.
 */
export async function buildRunZip(input: ExportInput, opts: ExportOptions = {}): Promise<Blob> {
  const { record, predictions, models, boundary = null, misclassified = null } = input;
  const { signal } = opts;
  const progress = (f: number, what: string) => opts.onProgress?.(Math.min(1, f), what);
  signal?.throwIfAborted();
  if (predictions) checkPredictions(record, predictions);
  const hasMisclassified = misclassified !== null && misclassified.items.length > 0;
  const plan = planRunFiles(record, models, predictions !== null, boundary !== null, hasMisclassified);
  const root = record.run_id;
  const entries: ZipEntry[] = [];
  const add = (path: string, data: ZipEntry['data'], store = false) => entries.push({ path: `${root}/${path}`, data, store });

  progress(0, 'text files');
  for (const f of runTextFiles(record, plan, predictions)) add(f.path, f.text);
  progress(TEXT_END, 'fonts');

  if (plan.figures.length > 0 || hasMisclassified) {
    const fonts = await loadFontSet(figureTexts(record));
    const total = plan.figures.length * FORMATS.length;
    let done = 0;
    for (const kind of plan.figures) {
      const figure = buildFigure(kind, record, fonts, boundary);
      for (const format of FORMATS) {
        signal?.throwIfAborted();
        progress(TEXT_END + ((FIGURES_END - TEXT_END) * done) / total, `${kind}.${format}`);
        add(`${kind}.${format}`, await renderWith(figure, fonts, format, record.run_id, runTime(record)), format === 'png');
        done++;
      }
    }
    if (hasMisclassified) {
      signal?.throwIfAborted();
      progress(FIGURES_END, MISCLASSIFIED_FILE);
      add(MISCLASSIFIED_FILE, await renderWith(misclassifiedFigure(record, misclassified, fonts), fonts, 'png', record.run_id, runTime(record)), true);
    }
  }

  const modelEntries: [string, ExportInput['models']['best']][] = [];
  if (models.best) modelEntries.push([BEST_MODEL_FOLDER, models.best]);
  for (const epoch of plan.checkpointEpochs) {
    modelEntries.push([checkpointFolder(epoch), models.checkpoints.find((c) => c.epoch === epoch)!.model]);
  }
  for (const [folder, saved] of modelEntries) {
    for (const f of modelFiles(saved!)) add(`${folder}/${f.name}`, f.data, typeof f.data !== 'string');
  }

  signal?.throwIfAborted();
  progress(FIGURES_END, 'zip');
  const date = new Date(runTime(record));
  const blob = await writeZip(entries, {
    date: Number.isNaN(date.getTime()) ? undefined : date,
    signal,
    onProgress: (f, file) => progress(FIGURES_END + (1 - FIGURES_END) * f, file ? `zip: ${file}` : 'zip'),
  });
  progress(1, 'done');
  return blob;
}
