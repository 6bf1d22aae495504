// The run folder's text files, one list for run.zip and the backup (which holds the same folder).
import type { LabRunRecord } from '../recorder/run-record';
import { perClassDynamicsCsv, perClassMetricsCsv, testPredictionsCsv, trainingHistoryCsv } from './csv-files';
import { configJson, resultsSummaryJson, trainingHistoryJson } from './json-files';
import { readmeTxt } from './readme-txt';
import type { FilePlan } from './run-files';
import { summaryTxt } from './summary-txt';
import type { RunPredictions } from './types';

/** The run folder's text files (README, SUMMARY, JSON and CSV), in the order run.zip holds them. */
export function runTextFiles(record: LabRunRecord, plan: FilePlan, predictions: RunPredictions | null): { path: string; text: string }[] {
  const files = [
    { path: 'README.txt', text: readmeTxt(record, plan) },
    { path: 'SUMMARY.txt', text: summaryTxt(record, plan) },
    { path: 'results_summary.json', text: resultsSummaryJson(record) },
    { path: 'config.json', text: configJson(record) },
    { path: 'training_history.json', text: trainingHistoryJson(record) },
    { path: 'training_history.csv', text: trainingHistoryCsv(record) },
  ];
  const perClass = perClassMetricsCsv(record);
  if (perClass) files.push({ path: 'per_class_metrics.csv', text: perClass });
  const dynamics = perClassDynamicsCsv(record);
  if (dynamics) files.push({ path: 'per_class_dynamics.csv', text: dynamics });
  if (record.test && predictions) files.push({ path: 'test_predictions.csv', text: testPredictionsCsv(record, predictions) });
  return files;
}
