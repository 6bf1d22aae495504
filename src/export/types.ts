// What the exporters take besides the LabRunRecord. Page-side types only: no tfjs import.
import type { LabRunRecord } from '../recorder/run-record';
import type { DecisionBoundary } from '../training/decision-boundary';
import type { SavedModel } from '../training/types';

/** The test set's labels and softmax outputs, row-major `n × num_classes`. */
export interface RunPredictions {
  yTrue: Int32Array;
  yPred: Int32Array;
  probabilities: Float32Array;
  /** Each test row's index into the dataset (test_predictions.csv's row_index); absent in runs stored before it was kept. */
  rowIndex?: Int32Array;
}

export interface RunModels {
  best: SavedModel | null;
  checkpoints: { epoch: number; model: SavedModel }[];
}

export interface ExportInput {
  record: LabRunRecord;
  predictions: RunPredictions | null;
  models: RunModels;
  /** A 2-feature run's decision boundary (RunStore.getDecisionBoundary): decision_boundary.png/.pdf; absent or null: none. */
  boundary?: DecisionBoundary | null;
  /** An image run's misclassified test images (misclassifiedImages in app/mistakes.ts): misclassified.png; absent or null: none. */
  misclassified?: MisclassifiedImages | null;
}

/** Misclassified test images for misclassified.png (issue 12): their pixels and what the model said of each. */
export interface MisclassifiedImages {
  imageShape: number[]; // [h, w, c]: c = 3 is RGB, else grey from the first channel
  pixels: Float32Array; // items.length × h × w × c, values in [0, 1], in the order of `items`
  invert: boolean; // draw 1 as black (MNIST's ink on white)
  items: { trueClass: number; predicted: number; confidence: number; position: number }[];
  total: number; // misclassified test rows in all (items may hold the first of them only)
}

export interface ExportOptions {
  onProgress?: (fraction: number, what: string) => void;
  signal?: AbortSignal;
}

export const FIGURE_KINDS = ['training_curves', 'loss_curve', 'accuracy_curve', 'confusion_matrix'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];
/** run.zip's figures: FIGURE_KINDS and the learning dynamics (per-class recall per epoch), drawn from the record too. */
export const DYNAMICS_FIGURE = 'per_class_dynamics' as const;
/** …and a 2-feature model's decision boundary, drawn from the artifact the run stored (ExportInput.boundary). */
export const BOUNDARY_FIGURE = 'decision_boundary' as const;
export type RunFigureKind = FigureKind | typeof DYNAMICS_FIGURE | typeof BOUNDARY_FIGURE;
export type FigureFormat = 'png' | 'pdf';

/** Bad export input, e.g. predictions that do not match the record. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
