// A run's per-epoch history from training_history.csv (one row per epoch) or training_history.json
// (one array per metric), in the record's units.
import type { EpochRecord } from '../recorder/run-record';
import { accuracyFactor, scaled } from './import-units';
import { cellNumber, countLines, csvTable, ImportFormatError } from './import-text';

export const HISTORY_REQUIRED = ['train_loss', 'train_acc', 'val_loss', 'val_acc'] as const;
const OPTIONAL = ['epoch', 'test_loss', 'test_acc', 'learning_rate', 'epoch_time_seconds', 'samples_per_second'] as const;
const ACCURACIES = ['train_acc', 'val_acc', 'test_acc'] as const;
/** More epochs than any run has: a file past it is refused before it is parsed (millions of rows would stall the page). */
export const MAX_HISTORY_ROWS = 100_000;
const tooLong = (file: string, rows: number) =>
  new ImportFormatError(`${file}: ${rows.toLocaleString('en-US')} epochs, more than the ${MAX_HISTORY_ROWS.toLocaleString('en-US')} a run's history may hold`);

export interface History {
  epochs: EpochRecord[];
  /** Rows in the file; more than epochs.length when rows past a non-finite value were left out. */
  rows: number;
  hasTest: boolean;
  /** Remarks for the person, each starting with the file name. */
  notes: string[];
}

type Columns = Map<string, (number | null)[]>;

export function historyFromCsv(text: string, file = 'training_history.csv'): History {
  const rows = countLines(text) - 1;
  if (rows > MAX_HISTORY_ROWS) throw tooLong(file, rows);
  const table = csvTable(text, file, HISTORY_REQUIRED);
  const columns: Columns = new Map();
  for (const name of [...HISTORY_REQUIRED, ...OPTIONAL]) {
    if (!table.columns.includes(name)) continue;
    columns.set(name, table.rows.map((row, r) => cellNumber(row[name], file, `row ${r + 2}, column ${name}`)));
  }
  return fromColumns(columns, table.rows.length, file);
}

export function historyFromJson(value: unknown, file = 'training_history.json'): History {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFormatError(`${file}: must be an object with one array per metric`);
  }
  const source = new Map(Object.entries(value));
  const missing = HISTORY_REQUIRED.filter((k) => !Array.isArray(source.get(k))).sort();
  if (missing.length > 0) throw new ImportFormatError(`${file}: missing arrays ${missing.join(', ')}`);
  const columns: Columns = new Map();
  let rows = -1;
  for (const name of [...HISTORY_REQUIRED, ...OPTIONAL]) {
    const list = source.get(name);
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ImportFormatError(`${file}: ${name} must be an array`);
    if (list.length > MAX_HISTORY_ROWS) throw tooLong(file, list.length);
    if (rows >= 0 && list.length !== rows) throw new ImportFormatError(`${file}: ${name} has ${list.length} values, train_loss has ${rows}`);
    rows = list.length;
    columns.set(
      name,
      list.map((v: unknown, i) => {
        if (v === null || (typeof v === 'number' && Number.isFinite(v))) return v;
        throw new ImportFormatError(`${file}: ${name}[${i}] must be a number (got ${JSON.stringify(v)?.slice(0, 40)})`);
      }),
    );
  }
  return fromColumns(columns, rows, file);
}

function fromColumns(columns: Columns, rows: number, file: string): History {
  const notes: string[] = [];
  const { factor, note } = accuracyFactor(ACCURACIES.flatMap((k) => columns.get(k) ?? []));
  if (note) notes.push(`${file}: ${note}`);
  const col = (name: string, i: number) => columns.get(name)?.[i] ?? null;
  const hasTest = columns.has('test_loss') || columns.has('test_acc');
  const epochs: EpochRecord[] = [];
  for (let i = 0; i < rows; i++) {
    const epoch = columns.has('epoch') ? col('epoch', i) : i + 1;
    if (epoch === null || !Number.isInteger(epoch) || epoch < 0) {
      throw new ImportFormatError(`${file}: row ${i + 1}: epoch must be a whole number (got ${epoch})`);
    }
    const [trainLoss, trainAcc, valLoss, valAcc] = HISTORY_REQUIRED.map((k) => col(k, i));
    if (trainLoss === null || trainAcc === null || valLoss === null || valAcc === null) {
      // A diverged run's last epochs carry NaN losses; the record holds finite numbers only.
      const missing = HISTORY_REQUIRED.filter((k) => col(k, i) === null).join(', ');
      notes.push(`${file}: epoch ${epoch} has no finite ${missing}; the history is kept up to epoch ${epochs.at(-1)?.epoch ?? 0}`);
      break;
    }
    const record: EpochRecord = {
      epoch,
      train_loss: trainLoss,
      train_acc: scaled(trainAcc, factor),
      val_loss: valLoss,
      val_acc: scaled(valAcc, factor),
      learning_rate: col('learning_rate', i),
      epoch_time_seconds: col('epoch_time_seconds', i),
      samples_per_second: col('samples_per_second', i),
    };
    if (columns.has('test_loss')) record.test_loss = col('test_loss', i);
    if (columns.has('test_acc')) record.test_acc = scaled(col('test_acc', i), factor);
    epochs.push(record);
  }
  return { epochs, rows: Math.max(rows, 0), hasTest, notes };
}
