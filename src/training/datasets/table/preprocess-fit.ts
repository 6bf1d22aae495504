// Fitting one feature's preprocessing. Each fitter is given the train rows' values alone, so nothing
// from validation or test can reach it: the imputed value (train mean or most frequent category),
// the scaler (fitted after imputation) and the categories.
import { columnMeanStd } from '../../split';
import { isMissingCell } from './cells';
import { naturalSort } from './preprocess-cells';
import type { CategoricalInput, NumericInput, NumericScaler } from './preprocess-types';
import type { TableChoice } from './table';
import { count, TableError } from './table-error';

type Options = Pick<TableChoice, 'scaling' | 'missing' | 'maxCategories'>;

function noValues(column: string, trainRows: number): TableError {
  return new TableError(`feature column "${column}" has no values in the ${count(trainRows)} rows of the training split: nothing to fit it on`);
}

function fitScaler(scaling: TableChoice['scaling'], values: Float64Array): NumericScaler {
  if (scaling === 'standard') {
    const { mean, std } = columnMeanStd(values, 1);
    return { scaling, mean: mean[0], std: std[0] };
  }
  if (scaling === 'minmax') {
    let [min, max] = [Infinity, -Infinity];
    for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
    return { scaling, min, max };
  }
  return { scaling: 'none' };
}

/** A numeric feature from its train values (NaN where missing). */
export function fitNumeric(column: string, train: Float64Array, o: Options): NumericInput {
  const observed = train.filter((v) => !Number.isNaN(v));
  if (observed.length === 0) throw noValues(column, train.length);
  const impute = o.missing === 'impute' ? columnMeanStd(observed, 1).mean[0] : null;
  // With 'drop' no kept row misses a value, so nothing is filled there.
  const filled = impute === null ? train : train.map((v) => (Number.isNaN(v) ? impute : v));
  return { column, kind: 'numeric', impute, scaler: fitScaler(o.scaling, filled) };
}

/** A categorical feature from its train cells. */
export function fitCategorical(column: string, train: readonly string[], o: Options): CategoricalInput {
  const counts = new Map<string, number>();
  for (const cell of train) if (!isMissingCell(cell)) counts.set(cell, (counts.get(cell) ?? 0) + 1);
  if (counts.size === 0) throw noValues(column, train.length);
  if (counts.size > o.maxCategories) {
    throw new TableError(
      `categorical column "${column}" has ${count(counts.size)} categories in the training split, more than the limit of ${count(o.maxCategories)}: raise the limit, or leave the column out`,
    );
  }
  const categories = naturalSort(counts.keys());
  let impute: string | null = null;
  if (o.missing === 'impute') {
    for (const c of categories) if (impute === null || counts.get(c)! > counts.get(impute)!) impute = c; // ties: first in natural order
  }
  return { column, kind: 'categorical', impute, categories };
}
