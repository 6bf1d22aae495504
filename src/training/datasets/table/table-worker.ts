// The module worker that reads a person's table: parsing (PapaParse inside, never its own blob:
// worker, which the page's Content-Security-Policy forbids), hashing and profiling happen here, and
// the parsed table stays here for the next step (prepare: preprocessing and the split, whose typed
// arrays move to the page); the page gets its first rows and the profiles. The page side is
// table-client.ts.
/// <reference lib="webworker" />
import { tick } from '../../../app/backup-util';
import { serveCalls, Transfer, type CallContext } from '../../worker-rpc';
import { sha256OfDataset } from '../../../recorder/dataset-hash';
import { readTable, tableHead } from './csv-read';
import type { SplitRatios } from '../../types';
import type { TableLimits } from './limits';
import { prepareTable } from './preprocess';
import type { PreparedTable } from './preprocess-types';
import { profileColumn } from './profile';
import type { ColumnProfile, ParsedTable, ReadOptions, TableChoice } from './table';
import { TableError } from './table-error';

/** Rows of the table sent to the page unless asked otherwise: the whole table stays in the worker. */
export const DEFAULT_HEAD_ROWS = 100;

export interface ReadRequest {
  input: Blob | string; // a File or Blob, or pasted text
  options?: ReadOptions;
  limits?: Partial<TableLimits>; // tests
  headRows?: number; // rows sent back (Infinity: all); DEFAULT_HEAD_ROWS
}

export interface TableReadResult {
  table: ParsedTable; // the first headRows rows (table.rowCount counts those), with the source
  totalRows: number; // rows of the whole table
  profiles: ColumnProfile[]; // of the whole table
}

/** What the worker holds: the last table read (null while none, or while a read runs) and the reads running. */
export interface TableWorkerState {
  kept: { rows: number; columns: number; sha256: string } | null;
  reading: number;
}

let kept: { table: ParsedTable; profiles: ColumnProfile[] } | null = null;
let reading = 0;
/** The read that runs: a new one cancels it. */
let current: AbortController | null = null;

async function read(req: ReadRequest, ctx: CallContext): Promise<Transfer<TableReadResult>> {
  current?.abort();
  const mine = new AbortController();
  current = mine;
  kept = null; // a read replaces the table; a cancelled one leaves none
  const signal = AbortSignal.any([ctx.signal, mine.signal]);
  reading++;
  try {
    const table = await readTable(req.input, req.options, { signal, limits: req.limits, onProgress: (p) => ctx.progress(p.done, p.total, p.label) });
    const profiles: ColumnProfile[] = [];
    for (let c = 0; c < table.header.length; c++) {
      signal.throwIfAborted();
      profiles.push(profileColumn(table, c));
      ctx.progress(c + 1, table.header.length, 'profiling');
      await tick();
    }
    signal.throwIfAborted();
    kept = { table, profiles };
    const head = tableHead(table, req.headRows ?? DEFAULT_HEAD_ROWS);
    return new Transfer({ table: head, totalRows: table.rowCount, profiles }, [head.rowNumbers.buffer]);
  } finally {
    reading--;
    if (current === mine) current = null;
  }
}

export interface PrepareRequest {
  choice: TableChoice;
  ratios: SplitRatios;
  seed: number;
}

/** A prepared table and the SHA-256 of its dataset (recorder/dataset-hash.ts: what Resume checks). */
export type HashedTable = PreparedTable & { sha256: string };

/** The kept table prepared as chosen: the dataset, its split, the fitted preprocessing and the hash; typed arrays move to the page. */
async function prepare(req: PrepareRequest): Promise<Transfer<HashedTable>> {
  if (!kept) throw new TableError(reading > 0 ? 'the table is still being read' : 'no table has been read yet: choose a file or paste a table');
  const prepared = prepareTable(kept.table, kept.profiles, req.choice, req.ratios, req.seed);
  const { dataset, split } = prepared;
  const arrays = [dataset.features, dataset.labels, ...[split.train, split.val, split.test].flatMap((p) => [p.x, p.y, p.indices])];
  const sha256 = await sha256OfDataset(dataset);
  return new Transfer({ ...prepared, sha256 }, [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]); // a buffer listed twice would fail
}

function state(): TableWorkerState {
  const t = kept?.table;
  return { kept: t ? { rows: t.rowCount, columns: t.header.length, sha256: t.source.sha256 } : null, reading };
}

/** The worker's API: method name → handler (table-client.ts calls them by name). */
export const tableWorkerApi = { read, prepare, state };

serveCalls(tableWorkerApi);
