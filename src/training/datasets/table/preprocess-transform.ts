// Applying a FittedPreprocessing to rows: the one code path that makes the dataset's rows
// (preprocess.ts, from cells parsed once) and a new row's input (transformRow, from text cells:
// tests, later the PyTorch/ONNX export).
import { isMissingCell } from './cells';
import { asRead, readNumberCell } from './preprocess-cells';
import type { FittedInput, FittedPreprocessing, NumericScaler } from './preprocess-types';
import { TableError } from './table-error';

/** One row's cells, by input (the k-th of pre.inputs), as the reader stores cells. */
export interface RowCells {
  numberAt(k: number): number; // a numeric input's value; NaN when missing
  textAt(k: number): string; // the cell's text ('' when the row has none)
}
type Encoder = (row: RowCells, out: Float32Array, offset: number) => void;

function scale(s: NumericScaler, x: number): number {
  if (s.scaling === 'standard') return (x - s.mean) / (s.std || 1);
  if (s.scaling === 'minmax') return (x - s.min) / (s.max - s.min || 1);
  return x;
}

function unfillable(input: FittedInput, cell: string): TableError {
  const what = cell === '' ? 'is missing' : `is missing ("${cell}")`;
  return new TableError(`column "${input.column}" ${what}: rows with missing values were dropped in training, so there is no value to fill in`);
}

/** Writes input k's outputs at `at`; returns how many it wrote. */
function inputEncoder(input: FittedInput, k: number): (row: RowCells, out: Float32Array, at: number) => number {
  if (input.kind === 'numeric') {
    return (row, out, at) => {
      let v = row.numberAt(k);
      if (Number.isNaN(v)) {
        if (input.impute === null) throw unfillable(input, row.textAt(k));
        v = input.impute;
      }
      out[at] = scale(input.scaler, v);
      return 1;
    };
  }
  const index = new Map(input.categories.map((c, i) => [c, i]));
  return (row, out, at) => {
    let value = row.textAt(k);
    if (isMissingCell(value)) {
      if (input.impute === null) throw unfillable(input, value);
      value = input.impute;
    }
    out.fill(0, at, at + input.categories.length);
    const i = index.get(value);
    if (i !== undefined) out[at + i] = 1; // unseen in train: all zeros
    return input.categories.length;
  };
}

const encoders = new WeakMap<FittedPreprocessing, Encoder>();

/** Encodes rows with `pre`: its lookups are built once per preprocessing object. */
export function encoderFor(pre: FittedPreprocessing): Encoder {
  let encode = encoders.get(pre);
  if (!encode) {
    const parts = pre.inputs.map(inputEncoder);
    encode = (row, out, offset) => {
      let at = offset;
      for (const part of parts) at += part(row, out, at);
    };
    encoders.set(pre, encode);
  }
  return encode;
}

/**
 * One row of text cells (by column name, as in the file) → the model's input, exactly as the
 * dataset's rows were made. A column absent from `cells` is missing. Throws a TableError for a cell
 * it cannot encode: not a number, or missing when training dropped such rows.
 */
export function transformRow(pre: FittedPreprocessing, cells: Readonly<Record<string, string>>): Float32Array {
  const textAt = (k: number): string => {
    const column = pre.inputs[k].column;
    return Object.hasOwn(cells, column) ? asRead(cells[column], pre.cells.decimalComma) : '';
  };
  const numberAt = (k: number): number => {
    const v = readNumberCell(textAt(k));
    if (v !== null && Number.isNaN(v) && !pre.options.notNumbersAsMissing) {
      throw new TableError(`column "${pre.inputs[k].column}": "${textAt(k)}" is not a number`);
    }
    return v ?? Number.NaN;
  };
  const out = new Float32Array(pre.outputNames.length);
  encoderFor(pre)({ numberAt, textAt }, out, 0);
  return out;
}
