// A person's own data made ready to train, step by step, off the page's main thread: a table is
// read and profiled (table worker), then prepared as chosen (preprocessing fitted on the train
// split, in the same worker); an image set is listed (image worker), decoded, then split and
// hashed (dataset worker). The Lab's own-data controller and Resume both go through here.
import type { DataFile } from '../recorder/run-record';
import { splitOwnOffThread } from '../training/datasets/dataset-client';
import { loadImageSet, planImageSet, type ImageInput, type ImageSetPlan, type ImageSetResult } from '../training/datasets/images/image-client';
import type { ImageLoadOptions } from '../training/datasets/images/image-limits';
import { prepareTableOffThread, readTableOffThread, type HashedTable, type TableReadResult } from '../training/datasets/table/table-client';
import type { ReadOptions, TableChoice } from '../training/datasets/table/table';
import type { Dataset, DatasetSplit, SplitRatios } from '../training/types';

/** The same shape as a built-in dataset made ready (PreparedBuiltin), plus where the data came from. */
export interface OwnPrepared {
  key: string;
  dataset: Dataset;
  sha256: string; // of the dataset's features and labels (what Resume checks)
  split: DatasetSplit | null;
  splitError: string;
  dataFile: DataFile;
}

export interface StepHooks {
  signal?: AbortSignal;
  onProgress?: (label: string, done: number, total: number) => void;
}

/** What a table input is: a file (or a kept copy of one), or pasted text. */
export interface TableInput {
  name: string;
  content: Blob | string;
  pasted: boolean;
}

export const PASTED_NAME = 'pasted text';

export function readOwnTable(input: TableInput, options: ReadOptions, hooks: StepHooks = {}): Promise<TableReadResult> {
  return readTableOffThread(
    { input: input.content, options },
    { signal: hooks.signal, onProgress: (p) => hooks.onProgress?.(p.label === 'profiling' ? `Profiling the columns of ${input.name}` : `Reading ${input.name}`, p.done, p.total) },
  );
}

/** Prepares the table the worker read last (readOwnTable) as chosen. */
export async function prepareOwnTable(read: TableReadResult, input: TableInput, choice: TableChoice, ratios: SplitRatios, seed: number, hooks: StepHooks = {}): Promise<OwnPrepared> {
  hooks.onProgress?.(`Preparing ${input.name}`, 0, 0);
  const t: HashedTable = await prepareTableOffThread({ choice, ratios, seed }, { signal: hooks.signal });
  const s = read.table.source;
  const dataFile: DataFile = {
    kind: 'table', name: input.name, bytes: s.bytes, sha256: s.sha256, encoding: s.encoding, delimiter: s.delimiter,
    decimal_comma: s.decimalComma, has_header: s.hasHeader, rows: read.totalRows, columns: read.table.header.length, preprocessing: t.preprocessing,
  };
  const dataset = { ...t.dataset, name: input.name, source: `file:${input.name} sha256=${s.sha256}` };
  return { key: `table|${s.sha256}|${JSON.stringify(choice)}|${JSON.stringify(ratios)}|${seed}`, dataset, sha256: t.sha256, split: t.split, splitError: '', dataFile };
}

export function planOwnImages(input: ImageInput, options: ImageLoadOptions, hooks: StepHooks = {}): Promise<ImageSetPlan> {
  return planImageSet(input, options, { signal: hooks.signal });
}

export function decodeOwnImages(input: ImageInput, name: string, options: ImageLoadOptions, hooks: StepHooks = {}): Promise<ImageSetResult> {
  return loadImageSet(input, options, { signal: hooks.signal, onProgress: (p) => hooks.onProgress?.(`Decoding the images of ${name}`, p.done, p.total) });
}

/** What finds an image set again: its zip's bytes, or the folder hash. */
export const imageSetSha256 = (r: ImageSetResult): string => r.info.zipSha256 ?? r.info.folderSha256;

/** Splits and hashes a decoded image set (dataset worker). */
export async function splitOwnImages(images: ImageSetResult, ratios: SplitRatios, seed: number, hooks: StepHooks = {}): Promise<OwnPrepared> {
  const sha = imageSetSha256(images);
  const o = images.info.options;
  const key = `images|${sha}|${o.size}|${o.color}`;
  const s = await splitOwnOffThread(key, images.dataset, ratios, seed, hooks.signal);
  const dataFile: DataFile = { kind: 'images', name: images.info.name, bytes: images.info.zipBytes ?? images.info.totalBytes, sha256: sha, images: images.info };
  const dataset = { ...images.dataset, name: images.info.name, source: `file:${images.info.name} sha256=${sha}` };
  return { key: `${key}|${JSON.stringify(ratios)}|${seed}`, dataset, sha256: s.sha256, split: s.split, splitError: s.splitError, dataFile };
}

/** A kept copy (OwnDataStore) as the input it was read from. */
export async function inputOfKept(kept: { name: string; kind: 'table' | 'images'; pasted: boolean; files: { path: string; blob: Blob }[] }): Promise<{ table: TableInput } | { images: ImageInput }> {
  const { name, files } = kept;
  if (kept.kind === 'table') return { table: { name, content: kept.pasted ? await files[0].blob.text() : files[0].blob, pasted: kept.pasted } };
  const zip = files.length === 1 && /\.zip$/i.test(files[0].path);
  return { images: zip ? { kind: 'zip', name, blob: files[0].blob } : { kind: 'folder', name, files } };
}

/** The table's read options and choice as a run recorded them (data_file), to read and prepare it again alike. */
export function recordedTableChoice(f: Extract<DataFile, { kind: 'table' }>): { options: ReadOptions; choice: TableChoice } {
  const p = f.preprocessing;
  return {
    options: { encoding: f.encoding as ReadOptions['encoding'], delimiter: f.delimiter as ReadOptions['delimiter'], decimalComma: f.decimal_comma, hasHeader: f.has_header },
    choice: {
      label: p.label.column,
      features: p.inputs.map((i) => i.column),
      categorical: p.inputs.filter((i) => i.kind === 'categorical').map((i) => i.column),
      ...p.options,
    },
  };
}

/** The name of a picked or dropped folder: the first segment its files' paths share. */
export function folderName(paths: readonly string[]): string {
  const first = paths.find((p) => p.includes('/'));
  return first ? first.split('/')[0] : 'images';
}
