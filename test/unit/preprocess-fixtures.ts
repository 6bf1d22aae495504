// Tables for the preprocessing tests, built cell by cell (the reader has its own tests): rows are
// numbered as in a file with a header (data row i is record i + 2). Profiles and the proposed
// choice come from the real profiler.
import { expect } from '@esm-bundle/chai';
import { profileTable, proposeChoice } from '../../src/training/datasets/table/profile';
import type { ParsedTable, TableChoice, TableSource } from '../../src/training/datasets/table/table';
import { TableError } from '../../src/training/datasets/table/table-error';
import { createRng } from '../../src/training/rng';

export const RATIOS = { train: 0.6, val: 0.2, test: 0.2 };

export function makeTable(header: string[], rows: string[][], source: Partial<TableSource> = {}): ParsedTable {
  return {
    header,
    columns: header.map((_, c) => rows.map((row) => row[c])),
    rowCount: rows.length,
    rowNumbers: Int32Array.from(rows, (_, i) => i + 2),
    skippedBlankRows: 0,
    source: { fileName: 'people.csv', bytes: 1000, sha256: 'ab'.repeat(32), encoding: 'utf-8', delimiter: ',', decimalComma: false, hasHeader: true, ...source },
  };
}

/** The profiler's proposal, changed by `over`; features given without categorical keep the profiled categorical ones. */
export function choice(table: ParsedTable, over: Partial<TableChoice> = {}): TableChoice {
  const profiles = profileTable(table);
  const proposed = proposeChoice(profiles);
  const features = over.features ?? proposed.features;
  const categorical = features.filter((f) => profiles.find((p) => p.name === f)?.type === 'categorical');
  return { ...proposed, label: 'label', features, categorical, ...over };
}

/** n rows: age (numeric), height (numeric), color (red/green/blue/…), label (a/b/c by turns). */
export function people(n: number, seed = 1): ParsedTable {
  const rng = createRng(seed);
  const colors = ['red', 'green', 'blue', 'green'];
  const rows = Array.from({ length: n }, (_, i) => [
    String(20 + Math.round(rng.next() * 50)),
    (150 + rng.next() * 40).toFixed(1),
    colors[rng.int(colors.length)],
    ['a', 'b', 'c'][i % 3],
  ]);
  return makeTable(['age', 'height', 'color', 'label'], rows);
}

export function expectRefusal(fn: () => unknown, message: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(TableError);
    expect((e as Error).name).to.equal('TableError');
    if (typeof message === 'string') expect((e as Error).message).to.equal(message);
    else expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a TableError: ${message}`);
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
