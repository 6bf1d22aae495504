// Classification metrics from integer labels: a confusion matrix and the per-class / averaged
// precision, recall and F1 that results_summary.json carries. Pure: no DOM, no tfjs.
//
// Key names and units follow the reference script's `test.per_class_metrics` exactly
// (`per_class.{precision, recall, f1, support}`, `macro.{precision, recall, f1}`; fractions 0..1);
// we add `per_class.class_name`, `weighted` and `accuracy` (percent, like `test_accuracy`).
// Zero-division convention as sklearn's `zero_division=0`: never NaN.

/** The class with the highest probability of row `i` (the first on ties). */
export function argmaxRow(probabilities: ArrayLike<number>, numClasses: number, i: number): number {
  let best = 0;
  for (let k = 1; k < numClasses; k++) if (probabilities[i * numClasses + k] > probabilities[i * numClasses + best]) best = k;
  return best;
}

export interface AveragedMetrics {
  precision: number; // 0..1
  recall: number; // 0..1
  f1: number; // 0..1
}

export interface PerClassTable {
  class_name: string[];
  precision: number[]; // 0..1; 0 for a class never predicted
  recall: number[]; // 0..1; 0 for a class with no support
  f1: number[]; // 0..1; 0 when precision + recall = 0
  support: number[]; // true samples per class
}

export interface ClassificationMetrics {
  per_class: PerClassTable;
  macro: AveragedMetrics; // unweighted mean over classes
  weighted: AveragedMetrics; // support-weighted mean; 0 when the total support is 0
  accuracy: number; // percent 0..100; 0 for an empty matrix
}

/** Rows = true class, columns = predicted class. Throws on length mismatch or a label out of range. */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`invalid number of classes: ${numClasses}`);
  }
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`label length mismatch: ${yTrue.length} true labels, ${yPred.length} predictions`);
  }
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!isLabel(t, numClasses)) throw new RangeError(`true label out of range at ${i}: ${t} (classes 0..${numClasses - 1})`);
    if (!isLabel(p, numClasses)) throw new RangeError(`predicted label out of range at ${i}: ${p} (classes 0..${numClasses - 1})`);
    cm[t][p]++;
  }
  return cm;
}

function isLabel(v: number, numClasses: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < numClasses;
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);

/** Precision, recall, F1 and support per class, with macro and weighted averages and accuracy (%). */
export function perClassMetrics(cm: number[][], classNames: string[]): ClassificationMetrics {
  const k = cm.length;
  if (cm.some((row) => row.length !== k)) throw new RangeError(`confusion matrix must be square (${k} rows)`);
  if (classNames.length !== k) {
    throw new RangeError(`class names do not match the matrix: ${classNames.length} names, ${k} classes`);
  }
  const support = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = cm.map((_, j) => cm.reduce((a, row) => a + row[j], 0));
  const precision = cm.map((row, i) => ratio(row[i], predicted[i]));
  const recall = cm.map((row, i) => ratio(row[i], support[i]));
  const f1 = precision.map((p, i) => ratio(2 * p * recall[i], p + recall[i]));

  const total = support.reduce((a, b) => a + b, 0);
  const correct = cm.reduce((a, row, i) => a + row[i], 0);
  const mean = (xs: number[]): number => ratio(xs.reduce((a, b) => a + b, 0), xs.length);
  const weightedMean = (xs: number[]): number => ratio(xs.reduce((a, x, i) => a + x * support[i], 0), total);

  return {
    per_class: { class_name: [...classNames], precision, recall, f1, support },
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: weightedMean(precision), recall: weightedMean(recall), f1: weightedMean(f1) },
    accuracy: ratio(correct, total) * 100,
  };
}
