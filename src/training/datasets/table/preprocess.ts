// A person's table made ready to train, the way a careful practitioner would (pure: no DOM, no tfjs):
//  1. the choice is checked against the table;
//  2. rows without a label are dropped; a label profiled as a regression target is refused;
//  3. numeric features are parsed once; cells that are not numbers are refused (listed), or read as
//     missing when the person said so;
//  4. with missing 'drop', rows missing any chosen feature are dropped; classes are the natural
//     order of the labels left (one class, or more than MAX_CLASSES, is refused);
//  5. the rows are split, seeded and stratified (split.ts, the built-in sets' algorithm);
//  6. imputation, scaling and categories are fitted on the train rows' values only (preprocess-fit.ts);
//  7. every row is transformed (preprocess-transform.ts, as transformRow does) into the dataset, and
//     its split is cut from it along the same indices.
import { splitByIndices, stratifiedSplitIndices, type SplitIndices } from '../../split';
import type { Dataset, SplitRatios } from '../../types';
import { isMissingCell, MISSING_MARKERS } from './cells';
import { checkChoice, checkLabelValues, classesOf, rowsWithLabel, type ChosenFeature } from './preprocess-choice';
import { readNumberCell } from './preprocess-cells';
import { fitCategorical, fitNumeric } from './preprocess-fit';
import { encoderFor, type RowCells } from './preprocess-transform';
import type { FittedInput, FittedPreprocessing, PreparedTable, RowCounts } from './preprocess-types';
import type { ColumnProfile, ParsedTable, TableChoice } from './table';
import { count, TableError } from './table-error';

export { transformRow } from './preprocess-transform';

/** Cells of numeric features that are not numbers listed in a refusal. */
const LISTED_CELLS = 5;

/** The chosen features' cells: numeric ones parsed once, by table row (NaN where missing or, when allowed, not a number). */
class FeatureCells {
  readonly numbers: (Float64Array | null)[];
  readonly notNumbers: RowCounts['notNumbers'] = [];

  /** Parses the numeric features' cells of `rows`; refuses cells that are not numbers unless they count as missing. */
  constructor(
    private readonly table: ParsedTable,
    readonly features: ChosenFeature[],
    rows: readonly number[],
    notNumbersAsMissing: boolean,
  ) {
    const listed: string[] = [];
    let total = 0;
    this.numbers = features.map((f) => {
      if (f.kind !== 'numeric') return null;
      const cells = table.columns[f.index];
      const values = new Float64Array(table.rowCount).fill(Number.NaN);
      let bad = 0;
      for (const r of rows) {
        const v = readNumberCell(cells[r]);
        if (v !== null && Number.isNaN(v)) {
          bad++;
          if (listed.length < LISTED_CELLS) listed.push(`column "${f.column}" row ${table.rowNumbers[r]} "${cells[r]}"`);
        } else if (v !== null) values[r] = v;
      }
      total += bad;
      this.notNumbers.push({ column: f.column, cells: bad });
      return values;
    });
    if (total > 0 && !notNumbersAsMissing) {
      const more = total > listed.length ? `, and ${count(total - listed.length)} more` : '';
      const are = total === 1 ? 'is not a number' : 'are not numbers';
      throw new TableError(`${count(total)} cell${total === 1 ? '' : 's'} of numeric features ${are}: ${listed.join(', ')}${more}. Treat them as missing, or make the column categorical.`);
    }
  }

  text(k: number, r: number): string {
    return this.table.columns[this.features[k].index][r];
  }

  missing(k: number, r: number): boolean {
    const values = this.numbers[k];
    return values ? Number.isNaN(values[r]) : isMissingCell(this.text(k, r));
  }

  /** Feature k fitted on the given (train) rows: only their values are handed to the fitter. */
  fit(k: number, trainRows: readonly number[], choice: TableChoice): FittedInput {
    const values = this.numbers[k];
    const column = this.features[k].column;
    if (values) return fitNumeric(column, Float64Array.from(trainRows, (r) => values[r]), choice);
    return fitCategorical(column, trainRows.map((r) => this.text(k, r)), choice);
  }

  /** Table row r as the encoder reads it. */
  row(): { at(r: number): RowCells } {
    let r = 0;
    const cells: RowCells = { numberAt: (k) => this.numbers[k]![r], textAt: (k) => this.text(k, r) };
    return { at: (row) => ((r = row), cells) };
  }
}

/** With missing 'drop': the rows that miss no feature, and per feature how many dropped rows missed it. */
function dropMissing(cells: FeatureCells, rows: number[]): { rows: number[]; byColumn: RowCounts['droppedByColumn'] } {
  const byColumn = cells.features.map((f) => ({ column: f.column, rows: 0 }));
  const kept = rows.filter((r) => {
    let ok = true;
    for (let k = 0; k < byColumn.length; k++) if (cells.missing(k, r)) [ok, byColumn[k].rows] = [false, byColumn[k].rows + 1];
    return ok;
  });
  if (kept.length === 0) {
    const worst = byColumn.reduce((a, b) => (b.rows > a.rows ? b : a));
    throw new TableError(
      `no rows left: each of the ${count(rows.length)} labelled rows misses a feature value (column "${worst.column}" in ${count(worst.rows)}); impute missing values, or leave such columns out`,
    );
  }
  return { rows: kept, byColumn };
}

/** Per feature and split: cells filled by imputation. */
function imputedCells(cells: FeatureCells, rows: readonly number[], parts: SplitIndices): RowCounts['imputed'] {
  return cells.features.map((f, k) => {
    const filled = (idx: number[]) => idx.reduce((n, i) => n + (cells.missing(k, rows[i]) ? 1 : 0), 0);
    return { column: f.column, train: filled(parts.train), val: filled(parts.val), test: filled(parts.test) };
  });
}

/** The table as a dataset and its split, with the preprocessing fitted on the train rows (see above). */
export function prepareTable(table: ParsedTable, profiles: ColumnProfile[], choice: TableChoice, ratios: SplitRatios, seed: number): PreparedTable {
  const { label, features } = checkChoice(table, choice);
  const labelled = rowsWithLabel(table, label);
  checkLabelValues(table, label, profiles);
  const cells = new FeatureCells(table, features, labelled, choice.notNumbersAsMissing);
  const none = features.map((f) => ({ column: f.column, rows: 0 }));
  const dropped = choice.missing === 'drop' ? dropMissing(cells, labelled) : { rows: labelled, byColumn: none };
  const rows = dropped.rows; // dataset row i is table row rows[i]
  const { classes, labels } = classesOf(table, label, rows);
  const parts = stratifiedSplitIndices(labels, classes, ratios, seed);

  const trainRows = parts.train.map((i) => rows[i]);
  const inputs = features.map((_, k) => cells.fit(k, trainRows, choice));
  const counts: RowCounts = {
    total: table.rowCount,
    droppedNoLabel: table.rowCount - labelled.length,
    droppedMissing: labelled.length - rows.length,
    droppedByColumn: dropped.byColumn,
    notNumbers: cells.notNumbers,
    imputed: choice.missing === 'impute' ? imputedCells(cells, rows, parts) : features.map((f) => ({ column: f.column, train: 0, val: 0, test: 0 })),
    kept: rows.length,
    train: parts.train.length,
    val: parts.val.length,
    test: parts.test.length,
  };
  const preprocessing: FittedPreprocessing = {
    fittedOn: 'train',
    label: { column: choice.label, classes: [...classes] },
    options: { scaling: choice.scaling, missing: choice.missing, notNumbersAsMissing: choice.notNumbersAsMissing, maxCategories: choice.maxCategories },
    cells: { missingMarkers: [...MISSING_MARKERS], decimalComma: table.source.decimalComma },
    unseenCategory: 'all zeros',
    inputs,
    outputNames: inputs.flatMap((input) => (input.kind === 'numeric' ? [input.column] : input.categories.map((c) => `${input.column}=${c}`))),
    rows: counts,
  };

  const d = preprocessing.outputNames.length;
  const x = new Float32Array(rows.length * d);
  const encode = encoderFor(preprocessing);
  const row = cells.row();
  rows.forEach((r, i) => encode(row.at(r), x, i * d));
  const { fileName, sha256 } = table.source;
  const dataset: Dataset = {
    id: 'file',
    kind: 'tabular',
    name: fileName,
    source: `file:${fileName} sha256=${sha256}`,
    inputShape: [d],
    classNames: classes,
    features: x,
    labels,
    numSamples: rows.length,
  };
  return { dataset, split: splitByIndices(dataset, parts, ratios, seed), preprocessing, counts };
}
