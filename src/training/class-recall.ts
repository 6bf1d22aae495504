// Per-class recall on the validation split, each epoch (issue 12, learning dynamics): the counts are
// summed on the backend with the epoch's other validation stats and read once at its end.
import * as tf from '@tensorflow/tfjs';

/** Per true class, how many rows of the batch have their arg-max on it ([numClasses] float32). */
export function classCorrectCounts(probs: tf.Tensor, yOneHot: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const k = yOneHot.shape[yOneHot.shape.length - 1] as number;
    const hit = tf.mul(tf.oneHot(tf.argMax(probs, -1), k).toFloat(), yOneHot); // 1 where predicted = true class
    return tf.sum(hit, 0) as tf.Tensor1D;
  });
}

/** Recall per class in percent from its correct count and its row count; null for a class with no rows. */
export function classRecall(correct: readonly number[], counts: readonly number[]): (number | null)[] {
  if (correct.length !== counts.length) throw new RangeError(`class recall: ${correct.length} correct counts for ${counts.length} classes`);
  return counts.map((n, c) => (n > 0 ? (100 * correct[c]) / n : null));
}
