// Per-class loss weights from the train split's class counts. Pure (no tfjs): the trainer uses them
// for its weighted cross-entropy, and the run record stores them as they were used.
import type { ClassWeighting } from './types';

/**
 * sklearn's class_weight='balanced' (the reference script's class_weights=true):
 * w_c = n / (k × n_c), with n the train samples, k the classes and n_c the train samples of class c.
 * A class without train samples has no finite weight: refused, naming it.
 */
export function balancedClassWeights(counts: readonly number[], classNames?: readonly string[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const k = counts.length;
  return counts.map((count, c) => {
    if (!(Number.isInteger(count) && count > 0)) {
      const name = classNames?.[c] === undefined ? `class ${c}` : `class "${classNames[c]}"`;
      throw new RangeError(`balanced class weights need train samples of every class: ${name} has ${count}`);
    }
    return n / (k * count);
  });
}

/** The weights a run trains with: null for 'none' (the plain mean over samples), else one per class. */
export function classWeightsFor(weighting: ClassWeighting, counts: readonly number[], classNames?: readonly string[]): number[] | null {
  if (weighting === 'none') return null;
  if (weighting === 'balanced') return balancedClassWeights(counts, classNames);
  throw new RangeError(`invalid class weights: ${String(weighting)} (expected none or balanced)`);
}
