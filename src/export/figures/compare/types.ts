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
  /** A sweep's configurations: the comparison then has the parallel-coordinates figure too. */
  sweep?: SweepFigureInput | null;
}

/** One axis of the parallel-coordinates figure: a swept key. */
export interface ParallelAxisInput {
  key: string; // the Lab address key ("lr")
  title: string; // "Learning rate"
  /** Values placed on a scale (linear, or log beyond 2 decades); else categories in `order`. */
  numeric: boolean;
  /** Every value the axis shows, in the order a categorical axis lists them from the bottom up. */
  order: string[];
}

/** One configuration: its swept values and the chosen metric's mean over its runs (seeds). */
export interface ParallelLineInput {
  label: string; // "lr = 0.01, batch = 32"
  values: (string | null)[]; // per axis, as the Lab's address writes them
  metric: number | null;
  std: number | null;
  n: number; // runs with a value of the metric
  best: boolean;
}

export interface SweepFigureInput {
  name: string;
  axes: ParallelAxisInput[];
  metric: { key: string; title: string; better: 'higher' | 'lower'; digits: number };
  lines: ParallelLineInput[];
}

export const COMPARE_FIGURE_KINDS = ['validation_curves', 'test_accuracy', 'size_vs_accuracy', 'per_class_f1', 'model_comparison'] as const;
/** The figures only a sweep's comparison has. */
export const SWEEP_FIGURE_KINDS = ['parallel_coordinates'] as const;
export type CompareFigureKind = (typeof COMPARE_FIGURE_KINDS)[number] | (typeof SWEEP_FIGURE_KINDS)[number];

/** The figures of a comparison: a sweep's first, then those of every comparison. */
export const figureKinds = (input: Pick<CompareFigureInput, 'sweep'>): CompareFigureKind[] =>
  input.sweep ? [...SWEEP_FIGURE_KINDS, ...COMPARE_FIGURE_KINDS] : [...COMPARE_FIGURE_KINDS];

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
