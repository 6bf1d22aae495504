// The learning dynamics of a run (issue 12): each class's validation recall per epoch, as the
// heatmap shows it (the view, the exported figure) and as per_class_dynamics.csv lists it. Pure.
import type { ClassRecallEpoch } from '../training/learned-types';

/** The colour of a cell without validation rows: a neutral grey that no shade of the blue scale is. */
export const NO_ROWS_COLOR = '#b4b4b4';

/** At most this many classes are drawn; the CSV holds them all. */
export const MAX_DYNAMICS_CLASSES = 50;

export interface DynamicsView {
  epochs: number[]; // the columns, in epoch order
  classes: { index: number; name: string }[]; // the rows shown, in class order
  /** recall[row][column]: percent, or null for a class with no validation rows. */
  recall: (number | null)[][];
  total: number; // classes of the run
}

/** The heatmap's rows and columns: the first `max` classes (class order) over every recorded epoch. */
export function dynamicsView(classNames: readonly string[], history: readonly ClassRecallEpoch[], max = MAX_DYNAMICS_CLASSES): DynamicsView {
  const sorted = [...history].sort((a, b) => a.epoch - b.epoch);
  const shown = classNames.slice(0, Math.max(0, max)).map((name, index) => ({ index, name }));
  return {
    epochs: sorted.map((e) => e.epoch),
    classes: shown,
    recall: shown.map(({ index }) => sorted.map((e) => e.recall[index] ?? null)),
    total: classNames.length,
  };
}

/** '' when every class is shown; else which were left out, in words. */
export function leftOutText(v: DynamicsView): string {
  const shown = v.classes.length;
  if (shown >= v.total) return '';
  return `The first ${shown} of ${v.total} classes are shown; classes ${shown + 1}–${v.total} are left out (per_class_dynamics.csv has them all).`;
}

/** "epoch 3 · class cat: recall 87.5 %" (or "no validation rows"). */
export function cellText(epoch: number, className: string, recall: number | null): string {
  return `epoch ${epoch} · class ${className}: ${recall === null ? 'no validation rows' : `recall ${recall.toFixed(1)} %`}`;
}
