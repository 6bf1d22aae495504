// What the exporters take besides the LabRunRecord. Page-side types only: no tfjs import.
import type { LabRunRecord } from '../recorder/run-record';
import type { SavedModel } from '../training/types';

/** The test set's labels and softmax outputs, row-major `n × num_classes`. */
export interface RunPredictions {
  yTrue: Int32Array;
  yPred: Int32Array;
  probabilities: Float32Array;
}

export interface RunModels {
  best: SavedModel | null;
  checkpoints: { epoch: number; model: SavedModel }[];
}

export interface ExportInput {
  record: LabRunRecord;
  predictions: RunPredictions | null;
  models: RunModels;
}

export interface ExportOptions {
  onProgress?: (fraction: number, what: string) => void;
  signal?: AbortSignal;
}

export const FIGURE_KINDS = ['training_curves', 'loss_curve', 'accuracy_curve', 'confusion_matrix'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];
export type FigureFormat = 'png' | 'pdf';

/** Bad export input, e.g. predictions that do not match the record. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
