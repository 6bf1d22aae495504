// Predict a file's result: one row per input (the input row's cells, or the image's file name), the
// predicted class by name, its probability, and one probability column per class (named as in
// test_predictions.csv). Pure: no DOM, no tfjs.
import { probabilityColumns } from '../export/csv-files';
import { toCsv, type CsvCell } from '../export/csv';
import { argmaxRow } from './metrics';

/**
 * `…input columns, predicted_class, confidence, prob_{class}…`; `inputs.rows[i]` are row i's cells
 * under `inputs.header` (for images: header ['file'], one file name per row).
 */
export function predictionsCsv(inputs: { header: readonly string[]; rows: readonly (readonly CsvCell[])[] }, probabilities: Float32Array, classNames: readonly string[]): string {
  const k = classNames.length;
  const n = inputs.rows.length;
  if (probabilities.length !== n * k) throw new RangeError(`${probabilities.length} probabilities for ${n} rows × ${k} classes`);
  const header = [...inputs.header, 'predicted_class', 'confidence', ...probabilityColumns(classNames)];
  function* rows(): Generator<CsvCell[]> {
    for (let i = 0; i < n; i++) {
      const best = argmaxRow(probabilities, k, i);
      const probs = Array.from(probabilities.subarray(i * k, (i + 1) * k));
      yield [...inputs.rows[i], classNames[best], probs[best], ...probs];
    }
  }
  return toCsv(header, rows());
}
