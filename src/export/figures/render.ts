// Figure → file: the same Figure paints on the canvas back end (PNG, 300 DPI) and the jsPDF back
// end (vector PDF), so the two files always show the same thing.
import type { LabRunRecord } from '../../recorder/run-record';
import type { DecisionBoundary } from '../../training/decision-boundary';
import { BOUNDARY_FIGURE, DYNAMICS_FIGURE, ExportError, type FigureFormat, type RunFigureKind } from '../types';
import { classDynamicsFigure } from './class-dynamics';
import { boundaryAxisNames, boundaryFigure } from './boundary';
import { createCanvasFigure } from './canvas-backend';
import { curvesFigure, curveTitle, type Figure } from './charts';
import { confusionFigure } from './confusion';
import { loadFontSet, type FontSet } from './fonts';
import { createPdfFigure } from './pdf-backend';

export const DPI = 300;

/** Every string a run's figures may print, so that the needed fonts load once. */
export function figureTexts(record: LabRunRecord): string[] {
  return [curveTitle(record), record.status_reason, ...record.dataset.class_names, ...boundaryAxisNames(record)];
}

/** A figure of the record, or (decision_boundary) of the run's stored `boundary`. */
export function buildFigure(kind: RunFigureKind, record: LabRunRecord, fonts: FontSet, boundary?: DecisionBoundary | null): Figure {
  if (kind === BOUNDARY_FIGURE) return boundaryFigure(record, boundary);
  if (kind === DYNAMICS_FIGURE) return classDynamicsFigure(record, fonts);
  if (kind === 'confusion_matrix') return confusionFigure(record, fonts);
  if (record.history.length === 0) throw new ExportError('no epoch finished: there are no training curves to draw');
  return curvesFigure(kind, record, fonts);
}

/**
 * When a run's files say they were made: its end time, or its last update when it has none (an
 * interrupted run). Dates in the exports (zip entries, the PDFs' /CreationDate) come from here, so
 * exporting the same run again gives the same bytes.
 */
export const runTime = (record: LabRunRecord): string => record.end_time ?? record.updated_at;

/**
 * The figure as a 300-DPI PNG or a vector PDF; `subject` goes into the PDF's metadata and `created`
 * (an ISO 8601 timestamp or a Date) is its /CreationDate (the clock without one). The PDF's /ID is
 * derived from its content, so equal input gives equal bytes.
 */
export async function renderWith(figure: Figure, fonts: FontSet, format: FigureFormat, subject: string, created?: string | Date): Promise<Blob> {
  if (format === 'png') {
    const c = await createCanvasFigure(figure.width, figure.height, fonts, DPI);
    figure.paint(c.draw);
    return c.toPng();
  }
  const p = await createPdfFigure(figure.width, figure.height, fonts, { title: figure.title, subject, created });
  figure.paint(p.draw);
  return p.toPdf();
}

/** One figure of a run as a PNG (300 DPI) or vector PDF, dated at the run's end time; decision_boundary draws the run's `boundary`. */
export async function renderFigure(kind: RunFigureKind, record: LabRunRecord, format: FigureFormat, boundary?: DecisionBoundary | null): Promise<Blob> {
  const fonts = await loadFontSet(figureTexts(record));
  return renderWith(buildFigure(kind, record, fonts, boundary), fonts, format, record.run_id, runTime(record));
}
