// What the own-data store (dataset-store.ts) keeps and checks: the entry a page hands in, the
// metadata record stored per dataset, the limits, the named errors, and the validation of
// everything read back (never cast a stored value).
import { formatBytes } from '../units';

export const OWN_DATA_KINDS = ['table', 'images'] as const;
/** 'table': one CSV/TSV file (or pasted text); 'images': a folder of image files, or one .zip of them. */
export type OwnDataKind = (typeof OWN_DATA_KINDS)[number];

/** What the page hands to `save`: the bytes it trained on, as Blobs (a File is a Blob). */
export interface OwnDataEntry {
  sha256: string; // hex SHA-256 of the file's bytes; for a folder the folder hash the caller computed
  name: string; // file or folder name ("pasted text" for pasted input)
  kind: OwnDataKind;
  files: readonly { path: string; blob: Blob }[]; // one for a table or a zip; for a folder, paths relative to it
  bytes: number; // total of the files' sizes
  pasted?: boolean;
}

/** A stored dataset without its files: what list() and latest() give. */
export interface OwnDatasetMeta {
  sha256: string;
  name: string;
  kind: OwnDataKind;
  bytes: number;
  file_count: number;
  pasted: boolean;
  saved_at: string; // ISO 8601 with offset: first kept
  last_used_at: string; // ISO 8601 with offset: last saved or touched
}

/** A stored dataset with its files, in the order they were saved. */
export interface OwnDataset extends OwnDatasetMeta {
  files: { path: string; blob: Blob }[];
}

/** As stored: the metadata plus `use`, the store-wide counter value of its last use (LRU order). */
export interface StoredMeta extends OwnDatasetMeta {
  use: number;
}

/** The store's one bookkeeping record: bytes of every stored file, and the last use counter given. */
export interface UsageRecord {
  bytes: number;
  use: number;
}

/** A dataset forgotten to make room for another (name null: its metadata was damaged). */
export interface EvictedDataset {
  sha256: string;
  name: string | null;
  bytes: number;
}

export interface DamagedDataset {
  sha256: string;
  error: string;
}

export interface OwnDataLimits {
  maxDatasetBytes: number; // one dataset larger than this is not kept
  budgetBytes: number; // all kept datasets together
  maxDatasets: number;
}

export const MAX_OWN_DATASET_BYTES = 250e6;
export const OWN_DATA_BUDGET_BYTES = 500e6;
export const MAX_OWN_DATASETS = 5;
export const DEFAULT_OWN_DATA_LIMITS: Readonly<OwnDataLimits> = {
  maxDatasetBytes: MAX_OWN_DATASET_BYTES,
  budgetBytes: OWN_DATA_BUDGET_BYTES,
  maxDatasets: MAX_OWN_DATASETS,
};

/** Bad input to the store (not a stored value): says which field and why. */
export class OwnDataError extends Error {
  override name = 'OwnDataError';
}

/** A stored dataset that fails validation: get() throws it; list() reports it in `damaged`. */
export class OwnDataDamagedError extends Error {
  override name = 'OwnDataDamagedError';
}

/** The origin's storage is full: the dataset was not kept and the store is as it was. */
export class OwnDataFullError extends Error {
  override name = 'OwnDataFullError';
}

/** This tab's connection was closed (another tab upgraded or deleted the database). */
export class OwnDataClosedError extends Error {
  override name = 'OwnDataClosedError';
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isKind = (v: unknown): v is OwnDataKind => OWN_DATA_KINDS.some((k) => k === v);
const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export function checkSha256(sha256: unknown): string {
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw new OwnDataError(`not a SHA-256 in lowercase hex: ${String(sha256).slice(0, 80)}`);
  return sha256;
}

export function checkLimits(l: OwnDataLimits): OwnDataLimits {
  for (const [k, v] of Object.entries(l)) if (!isCount(v) || v === 0) throw new OwnDataError(`invalid own-data limit ${k}: ${v}`);
  if (l.maxDatasetBytes > l.budgetBytes) throw new OwnDataError(`one dataset's limit (${formatBytes(l.maxDatasetBytes)}) exceeds the total budget (${formatBytes(l.budgetBytes)})`);
  return l;
}

/** Checks what the page hands in; the total of the blob sizes must be `bytes`. */
export function checkEntry(e: OwnDataEntry): void {
  checkSha256(e.sha256);
  if (typeof e.name !== 'string' || !e.name.trim()) throw new OwnDataError('a dataset needs a name');
  if (!isKind(e.kind)) throw new OwnDataError(`unknown kind of own data: ${String(e.kind)}`);
  if (!Array.isArray(e.files) || e.files.length === 0) throw new OwnDataError(`"${e.name}" has no files`);
  if (e.kind === 'table' && e.files.length !== 1) throw new OwnDataError(`a table is one file; "${e.name}" has ${e.files.length}`);
  const paths = new Set<string>();
  let total = 0;
  for (const f of e.files) {
    if (!isObject(f) || typeof f.path !== 'string' || !f.path) throw new OwnDataError(`"${e.name}" has a file without a path`);
    if (!(f.blob instanceof Blob)) throw new OwnDataError(`${f.path} of "${e.name}" is not a Blob`);
    if (paths.has(f.path)) throw new OwnDataError(`"${e.name}" has ${f.path} twice`);
    paths.add(f.path);
    total += f.blob.size;
  }
  if (e.bytes !== total) throw new OwnDataError(`"${e.name}" says ${e.bytes} bytes but its files hold ${total}`);
  if (e.pasted !== undefined && typeof e.pasted !== 'boolean') throw new OwnDataError('pasted must be true or false');
}

/** A stored metadata record, validated; throws OwnDataDamagedError naming the first bad field. */
export function validateStoredMeta(key: unknown, v: unknown): StoredMeta {
  const bad = (what: string) => new OwnDataDamagedError(`stored own dataset ${String(key)} is damaged: ${what}`);
  if (!isObject(v)) throw bad('not an object');
  const { sha256, name, kind, bytes, file_count, pasted, saved_at, last_used_at, use } = v;
  if (sha256 !== key || typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw bad('its sha256 is not its key');
  if (typeof name !== 'string' || !name) throw bad('no name');
  if (!isKind(kind)) throw bad(`unknown kind ${String(kind)}`);
  if (!isCount(bytes)) throw bad('bytes is not a count');
  if (!isCount(file_count) || file_count === 0) throw bad('file_count is not a positive count');
  if (typeof pasted !== 'boolean') throw bad('pasted is not true or false');
  if (!isTime(saved_at) || !isTime(last_used_at)) throw bad('saved_at or last_used_at is not a time');
  if (!isCount(use)) throw bad('use is not a count');
  return { sha256, name, kind, bytes, file_count, pasted, saved_at, last_used_at, use };
}

export function publicMeta(m: StoredMeta): OwnDatasetMeta {
  const { use: _use, ...meta } = m;
  return meta;
}

/** The stored usage record, or null when it is missing or damaged (the store then recounts). */
export function validateUsage(v: unknown): UsageRecord | null {
  return isObject(v) && isCount(v.bytes) && isCount(v.use) ? { bytes: v.bytes, use: v.use } : null;
}

/** A dataset's stored file records, checked against its metadata (count, order and total size). */
export function validateFiles(meta: StoredMeta, values: readonly unknown[]): { path: string; blob: Blob }[] {
  const bad = (what: string) => new OwnDataDamagedError(`stored own dataset "${meta.name}" is damaged: ${what}`);
  if (values.length !== meta.file_count) throw bad(`${values.length} of its ${meta.file_count} files are stored`);
  const files = values.map((v, i) => {
    if (!isObject(v) || typeof v.path !== 'string' || !(v.blob instanceof Blob)) throw bad(`file ${i + 1} is not a path and a Blob`);
    return { path: v.path, blob: v.blob };
  });
  const total = files.reduce((a, f) => a + f.blob.size, 0);
  if (total !== meta.bytes) throw bad(`its files hold ${total} bytes, not ${meta.bytes}`);
  return files;
}

/** The size of one stored file record (0 when it is damaged): for recounting and forgetting. */
export const storedFileBytes = (v: unknown): number => (isObject(v) && v.blob instanceof Blob ? v.blob.size : 0);
