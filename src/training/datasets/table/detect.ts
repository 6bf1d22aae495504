// Guesses what a person would otherwise have to say about a table, from a sample of its first
// records: the delimiter, whether the first row is a header, and whether numbers use a decimal comma.
// Each guess can be overridden (ReadOptions). Pure.
import { isDecimalCommaCell, isDecimalPointCell, isMissingCell, isNumberCell } from './cells';
import { isBlankRecord, parseRecords } from './records';
import { DELIMITERS, type Delimiter } from './table';

/** Records looked at by the guesses. */
export const SAMPLE_RECORDS = 200;

/** The first non-blank records of `text` split by `delimiter` (`complete`: text is the whole file). */
export function sampleRecords(text: string, delimiter: Delimiter, complete: boolean): string[][] {
  const { records } = parseRecords(text, delimiter, complete, SAMPLE_RECORDS * 2);
  return records.filter((r) => !isBlankRecord(r)).slice(0, SAMPLE_RECORDS);
}

/**
 * The delimiter that splits the sample most consistently: for each candidate, the most common field
 * count (at least 2) and the share of records that have it; the highest share wins, then the most
 * fields, then the order comma, semicolon, tab. No candidate splits anything: a one-column table (',').
 */
export function detectDelimiter(text: string, complete: boolean): Delimiter {
  let best: { delimiter: Delimiter; share: number; fields: number } = { delimiter: ',', share: 0, fields: 1 };
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(text, delimiter, complete);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let fields = 1;
    let most = 0;
    for (const [n, times] of counts) if (times > most || (times === most && n > fields)) [fields, most] = [n, times];
    if (fields < 2) continue;
    const share = most / records.length;
    if (share > best.share || (share === best.share && fields > best.fields)) best = { delimiter, share, fields };
  }
  return best.delimiter;
}

/**
 * Whether numbers are written "3,14": only with ';' as the delimiter, when some cells are such
 * numbers and none is written with a decimal point.
 */
export function detectDecimalComma(records: string[][], delimiter: Delimiter): boolean {
  if (delimiter !== ';') return false;
  let commas = 0;
  for (const r of records) {
    for (const raw of r) {
      const cell = raw.trim();
      if (isDecimalPointCell(cell)) return false;
      if (isDecimalCommaCell(cell)) commas++;
    }
  }
  return commas > 0;
}

/**
 * Whether the first record names the columns. It does when it has text above a column of numbers
 * ("height" over 1.7, 1.8, …). It does not when it is all numbers, or holds a number above a column
 * of numbers, or repeats a value found below it in a text column ("setosa" in Iris without header).
 * A table of text only, with first-row values found nowhere below: a header.
 */
export function detectHeader(records: string[][], decimalComma: boolean): boolean {
  const [first, ...rest] = records;
  if (!first) return true;
  const isNumber = (c: string) => isNumberCell(c) || (decimalComma && isDecimalCommaCell(c));
  const top = first.map((c) => c.trim());
  if (top.every(isNumber)) return false;
  let numberOverNumbers = false;
  let repeated = false;
  for (let c = 0; c < top.length; c++) {
    const below = rest.map((r) => (r[c] ?? '').trim()).filter((v) => !isMissingCell(v));
    if (below.length === 0 || isMissingCell(top[c])) continue;
    const numbers = below.filter(isNumber).length;
    if (numbers >= 0.8 * below.length) {
      if (!isNumber(top[c])) return true;
      numberOverNumbers = true;
    } else if (below.includes(top[c])) {
      repeated = true;
    }
  }
  return !(numberOverNumbers || repeated);
}
