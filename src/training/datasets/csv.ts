// CSV → Dataset. The first row names the columns; every column but the label column must be
// numeric. Rows are numbered as lines of the file, the header being row 1, so a message points
// at the line a user sees in an editor. Class names are the distinct labels sorted: numerically
// when every label is a number ("2" before "10"), otherwise by code unit (locale-independent),
// so the class order does not depend on the row order. No scaling happens here (see split.ts).

import Papa from 'papaparse';
import type { Dataset, DatasetId } from '../types';
import { DatasetError } from './errors';

export interface CsvOptions {
  id: DatasetId;
  name: string;
  source: string;
  /** Defaults to the last column. */
  labelColumn?: string;
}

const isNumeric = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));
const isBlankRow = (row: string[]): boolean => row.every((cell) => cell.trim() === '');

function readRows(raw: string): string[][] {
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new DatasetError('the CSV file is empty');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  // A one-column file has no delimiter to detect; that is not an error of the file.
  const err = parsed.errors.find((e) => e.code !== 'UndetectableDelimiter');
  if (err) throw new DatasetError(`row ${(err.row ?? 0) + 1}: ${err.message}`);
  return parsed.data;
}

/**
 * The first row is data, not a header, when it holds only numbers, or when all but its last cell
 * are numbers and its last cell recurs as a label below (e.g. "5.1,3.5,1.4,0.2,setosa").
 */
function looksLikeData(first: string[], rows: string[][]): boolean {
  if (first.every(isNumeric)) return true;
  const last = first.length - 1;
  return first.slice(0, last).every(isNumeric) && rows.slice(1).some((r) => r[last]?.trim() === first[last].trim());
}

function readHeader(rows: string[][]): string[] {
  const header = rows[0].map((h) => h.trim());
  if (looksLikeData(rows[0], rows)) {
    throw new DatasetError(`no header row: the first row (${header.join(',')}) looks like data; it must name the columns`);
  }
  header.forEach((h, i) => {
    if (h === '') throw new DatasetError(`column ${i + 1} of the header has no name`);
    const j = header.indexOf(h);
    if (j !== i) throw new DatasetError(`duplicate column name "${h}" (columns ${j + 1} and ${i + 1})`);
  });
  if (header.length < 2) {
    throw new DatasetError(`need at least one feature column besides the label column (header: ${header.join(',')})`);
  }
  return header;
}

/** Distinct labels sorted as documented above. */
export function sortClassNames(labels: Iterable<string>): string[] {
  const names = [...new Set(labels)];
  if (names.every(isNumeric)) return names.sort((a, b) => Number(a) - Number(b));
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function parseCsvDataset(text: string, opts: CsvOptions): Dataset {
  const rows = readRows(text);
  const header = readHeader(rows);
  const labelName = opts.labelColumn ?? header[header.length - 1];
  const labelCol = header.indexOf(labelName);
  if (labelCol < 0) throw new DatasetError(`label column "${labelName}" not found (columns: ${header.join(', ')})`);
  const featureCols = header.map((_, i) => i).filter((i) => i !== labelCol);

  const values: number[] = [];
  const rawLabels: string[] = [];
  rows.forEach((row, r) => {
    if (r === 0 || isBlankRow(row)) return;
    const rowNo = r + 1;
    if (row.length !== header.length) {
      throw new DatasetError(`row ${rowNo} has ${row.length} fields, the header has ${header.length}`);
    }
    for (const c of featureCols) {
      if (!isNumeric(row[c])) throw new DatasetError(`row ${rowNo}, column "${header[c]}": "${row[c]}" is not a number`);
      values.push(Number(row[c]));
    }
    const label = row[labelCol].trim();
    if (label === '') throw new DatasetError(`row ${rowNo}, column "${labelName}": the label is empty`);
    rawLabels.push(label);
  });
  if (rawLabels.length === 0) throw new DatasetError('the CSV file has a header but no data rows');

  const classNames = sortClassNames(rawLabels);
  if (classNames.length < 2) {
    throw new DatasetError(
      `label column "${labelName}" has ${classNames.length} class (${classNames.join(', ')}); need at least 2`,
    );
  }
  const index = new Map(classNames.map((n, i) => [n, i]));
  return {
    id: opts.id,
    name: opts.name,
    kind: 'tabular',
    source: opts.source,
    inputShape: [featureCols.length],
    classNames,
    features: Float32Array.from(values),
    labels: Int32Array.from(rawLabels, (l) => index.get(l)!),
    numSamples: rawLabels.length,
  };
}
