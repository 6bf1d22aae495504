// The comparison figures' input: a neutral shape the compare model maps its records or groups to,
// so the figures know nothing of RunRecord.
import type { Draw } from '../draw-api';

export interface CompareCurve {
  epoch: number;
  mean: number;
  std: number | null; // set for a group mean
}

/** One run, or one group (mean over its runs). */
export interface CompareEntry {
  id: string;
  label: string; // full label; the figures wrap it, and shorten it in the middle only when it cannot fit
  style: number; // index into runStyle: the same run keeps its colour, dash and marker in every plot
  n: number; // runs in it (1 for a run)
  testAcc: number | null; // percent
  testAccStd: number | null;
  parameters: number | null;
  f1: (number | null)[] | null; // per class, fractions, aligned with classNames
  curves: { valAcc: CompareCurve[]; valLoss: CompareCurve[]; trainAcc: CompareCurve[]; trainLoss: CompareCurve[] };
}

export interface CompareFigureInput {
  entries: CompareEntry[];
  classNames: string[];
  grouped: boolean;
  showTrain: boolean;
  smoothing: number; // 0 = none; EMA weight in [0, 0.95]
  subtitle?: string;
}

export const COMPARE_FIGURE_KINDS = ['validation_curves', 'test_accuracy', 'size_vs_accuracy', 'per_class_f1', 'model_comparison'] as const;
export type CompareFigureKind = (typeof COMPARE_FIGURE_KINDS)[number];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * One plot with its title, axes and labels. minWidth / minHeight (pt) are the outer size it needs
 * to stay legible; draw() lays itself out in any box at least that large.
 */
export interface Panel {
  title: string;
  minWidth: number;
  minHeight: number;
  notes: string[]; // what the panel leaves out and why, printed below the figure
  draw(d: Draw, box: Box): void;
}
