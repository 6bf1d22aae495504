// comparison.zip: everything under comparison_{YYYYMMDD_HHMMSS}/ — the tables (CSV, LaTeX), the
// statistics (JSON, TXT), every plot as 300-DPI PNG and vector PDF, and a README saying what each is.
import { figureKinds, renderCompareFigure, type CompareFigureInput, type CompareFigureKind } from '../export/figures/compare/index';
import { writeZip, type ZipEntry } from '../export/zip';
import { isoWithOffset, pad } from '../training/time';
import type { RunRecord } from '../recorder/run-record';
import type { SweepRecord } from '../recorder/sweep-record';
import { groupComparisonCsv, modelComparisonCsv } from './comparison-csv';
import { comparisonSummaryTxt, summaryStatisticsJson, type ComparisonSummary } from './comparison-summary';
import type { RunGroup } from './groups';
import { sweepSummaryLines } from './sweep-compare';

export interface ComparisonExport {
  records: RunRecord[];
  groups: RunGroup[] | null; // null when not grouped
  latex: string;
  summary: ComparisonSummary;
  figures: CompareFigureInput;
  now: Date;
  /** A sweep's record, written as is to sweep.json (a sweep compared without its record has summary.sweep only). */
  sweep?: SweepRecord | null;
}

export const FIGURE_FILES: Record<CompareFigureKind, { title: string; what: string }> = {
  validation_curves: { title: 'Validation curves', what: 'validation accuracy and loss per epoch of every run (group means with a ± std band when grouped)' },
  test_accuracy: { title: 'Test accuracy', what: 'test accuracy per run or group, with value labels (error bars: ± std of a group)' },
  size_vs_accuracy: { title: 'Model size vs test accuracy', what: 'parameters against test accuracy, one labelled point per run or group' },
  per_class_f1: { title: 'Per-class F1', what: 'test-set F1 per class of every run or group (grouped bars up to 8, a heatmap beyond)' },
  model_comparison: { title: 'Overview (2 × 2)', what: "the reference's 2 × 2 overview: test accuracy, size vs accuracy, validation accuracy curves, per-class F1" },
  parallel_coordinates: { title: 'Sweep: parallel coordinates', what: 'one axis per swept key and one for the chosen metric; one line per configuration (mean over its seeds), the best one highlighted' },
};

export function comparisonFolder(now: Date): string {
  return `comparison_${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

function readme(x: ComparisonExport, files: [string, string][]): string {
  const width = Math.max(...files.map(([f]) => f.length)) + 2;
  return [
    'TrainLab comparison',
    '===================',
    '',
    `Created ${isoWithOffset(x.now)} from ${x.records.length} runs${x.groups ? ` in ${x.groups.length} groups (${x.summary.grouped_by})` : ''}.`,
    'Accuracies are in percent; precision, recall and F1 are fractions; std is the sample standard deviation (n - 1).',
    '',
    ...(x.summary.sweep ? ['SWEEP', ...sweepSummaryLines(x.summary.sweep).map((l) => `  ${l}`), ''] : []),
    'FILES',
    ...files.map(([f, what]) => `  ${f.padEnd(width)}${what}`),
    '',
    'RUNS',
    ...x.records.map((r) => `  ${r.run_id}  (${r.origin.kind === 'lab' ? 'trained in TrainLab' : `imported from ${r.origin.file}${r.origin.path ? ` › ${r.origin.path}` : ''}`})`),
    '',
  ].join('\n');
}

/** Builds the zip; onProgress gets the fraction done and what is being made. */
export async function buildComparisonZip(x: ComparisonExport, opts: { onProgress?: (f: number, what: string) => void; signal?: AbortSignal } = {}): Promise<Blob> {
  const root = comparisonFolder(x.now);
  const entries: ZipEntry[] = [];
  const files: [string, string][] = [];
  const add = (path: string, data: ZipEntry['data'], what: string, store = false) => {
    entries.push({ path: `${root}/${path}`, data, store });
    files.push([path, what]);
  };
  add('model_comparison.csv', modelComparisonCsv(x.records), "one row per run: the reference's columns first (same names and units), then ours in full precision");
  if (x.groups) add('group_comparison.csv', groupComparisonCsv(x.groups), 'one row per group: n, then mean, std, min and max of each metric');
  add('comparison_table.tex', x.latex, 'LaTeX table (booktabs; \\usepackage{booktabs}); best values in bold');
  add('summary_statistics.json', summaryStatisticsJson(x.summary), 'the summary statistics, per-group statistics and t-test, as JSON');
  add('SUMMARY.txt', comparisonSummaryTxt(x.summary, isoWithOffset(x.now)), 'the same, to read');
  if (x.sweep) add('sweep.json', JSON.stringify(x.sweep, null, 2) + '\n', "the sweep's record as stored: its definition, planned runs (values, seed, run id, status) and status");
  const kinds = figureKinds(x.figures);
  let done = 0;
  for (const kind of kinds) {
    for (const format of ['png', 'pdf'] as const) {
      opts.signal?.throwIfAborted();
      opts.onProgress?.((0.8 * done) / (kinds.length * 2), `${kind}.${format}`);
      const what = format === 'png' ? `${FIGURE_FILES[kind].what}; 300 DPI` : 'the same figure as vector PDF (fonts embedded)';
      add(`${kind}.${format}`, await renderCompareFigure(kind, x.figures, format, x.now), what, format === 'png');
      done++;
    }
  }
  add('README.txt', '', 'this file');
  entries[entries.length - 1].data = readme(x, files);
  return writeZip(entries, { date: x.now, signal: opts.signal, onProgress: (f) => opts.onProgress?.(0.8 + 0.2 * f, 'zip') });
}
