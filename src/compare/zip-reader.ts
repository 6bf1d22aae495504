// Reads the small entries of a zip (JSON, CSV, TXT) and nothing else: the End Of Central Directory
// from the Blob's tail, the central directory, then only the byte ranges of the wanted entries.
// A run.zip is ~8 MB of weights around a few kB of text, and the Compare view opens dozens at once.
// This module picks the entries and refuses the unsafe ones; zip-directory.ts reads the directory,
// zip-inflate.ts the entries' data within the limits, zip-errors.ts names what goes wrong.
import { Source, readDirectory, type Entry, type ZipEntryInfo } from './zip-directory';
import { damaged, formatBytes, ZipEntryTooLargeError, ZipFormatError, ZipTooLargeError } from './zip-errors';
import { dataRange, extract, prefetch, type Budget } from './zip-inflate';
export { crc32 } from '../export/crc32';
export type { ZipEntryInfo } from './zip-directory';
export { ZipEntryTooLargeError, ZipFormatError, ZipTooLargeError } from './zip-errors';

export interface ReadZipOptions {
  /** Which entries to inflate (directories never); asked with the path as it would come back. */
  want: (path: string) => boolean;
  /** Budget for everything inflated from this file, nested zips included (default 1 GiB). */
  maxTotalBytes?: number;
  /**
   * Most bytes one wanted file (not a zip opened as a container) may declare; a larger one is refused
   * before any of it is read, and no entry inflates past the size it declares (default: no limit).
   */
  maxEntryBytes?: number;
  /** Open entries ending in .zip one level deep (default true); their files come back as `outer.zip/inner/path`. */
  nested?: boolean;
  signal?: AbortSignal;
}

export interface ZipFile {
  path: string;
  bytes: Uint8Array;
}

/** A wanted entry (or an inner zip) that could not be read; the rest of the zip still is. */
export interface ZipEntryFailure {
  path: string;
  error: ZipFormatError | ZipTooLargeError;
}

export interface ZipContents {
  files: ZipFile[];
  /** Damaged, encrypted, unsupported, unsafe or too large entries, and inner zips that do not open. */
  failures: ZipEntryFailure[];
  /** Zips inside an inner zip: not opened (one level deep only) and not wanted as files. */
  unopened: string[];
}

const DEFAULT_LIMIT = 2 ** 30;
const METHOD_NAMES: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'xz', 99: 'AES' };
const MAC_FORKS = /(^|\/)__MACOSX\//;

/** Every entry of the central directory, directories included, without reading any entry. */
export async function listZip(blob: Blob): Promise<ZipEntryInfo[]> {
  return (await readDirectory(new Source(blob))).map(({ headerGuess: _, ...info }) => info);
}

/** The wanted entries, inflated and checked (size, CRC-32); nested zips opened one level deep. Throws the first failure. */
export async function readZipFiles(blob: Blob, opts: ReadZipOptions): Promise<ZipFile[]> {
  const { files, failures } = await readZip(blob, opts);
  if (failures.length > 0) throw failures[0].error;
  return files;
}

/**
 * The wanted entries that can be read, and a failure for each that cannot (damaged, encrypted,
 * unsupported, outside the zip, past `maxEntryBytes`) without stopping the others. The zip as a
 * whole fails (throws) only when its own directory is unreadable or it passes `maxTotalBytes`.
 */
export async function readZip(blob: Blob, opts: ReadZipOptions): Promise<ZipContents> {
  const budget = { limit: opts.maxTotalBytes ?? DEFAULT_LIMIT, used: 0 };
  const out: ZipContents = { files: [], failures: [], unopened: [] };
  await readFiles(new Source(blob), opts.want, opts.nested ?? true, budget, opts.maxEntryBytes ?? Infinity, out, opts.signal);
  return out;
}

/** Why an entry is refused before anything of it is read, or null. */
function refusal(e: Entry, container: boolean, entryLimit: number): ZipFormatError | ZipTooLargeError | null {
  if (!isSafePath(e.path)) return new ZipFormatError(`unsafe zip: entry "${e.path}" points outside the zip (an absolute path or ".."); it is not read`);
  if (e.encrypted) return new ZipFormatError(`unsupported zip: entry "${e.path}" is encrypted`);
  if (e.method !== 0 && e.method !== 8) {
    const name = METHOD_NAMES[e.method] ? ` (${METHOD_NAMES[e.method]})` : '';
    return new ZipFormatError(`unsupported zip: entry "${e.path}" uses compression method ${e.method}${name}; only stored and deflate are supported`);
  }
  if (e.method === 0 && e.compressedSize !== e.size) return damaged(`stored entry "${e.path}" declares ${e.size} bytes but holds ${e.compressedSize}`);
  if (!container && e.size > entryLimit) {
    return new ZipEntryTooLargeError(`entry "${e.path}" declares ${formatBytes(e.size)}, past the ${formatBytes(entryLimit)} limit for one file; it is not read`, entryLimit, e.size);
  }
  return null;
}

/** Relative and inside the zip: no absolute path, drive letter or ".." segment (backslashes are already slashes). */
function isSafePath(path: string): boolean {
  return !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split('/').includes('..') && !path.includes('\0');
}

async function readFiles(
  src: Source,
  want: (path: string) => boolean,
  nested: boolean,
  budget: Budget,
  entryLimit: number,
  out: ZipContents,
  signal?: AbortSignal,
  zip = '', // the inner zip read here ('' for the outer one): prefixes paths and messages
): Promise<void> {
  signal?.throwIfAborted();
  const prefix = zip ? `${zip}/` : '';
  const entries = await readDirectory(src);
  const isZip = (e: Entry) => /\.zip$/i.test(e.path);
  // macOS's resource forks (__MACOSX/…/._run.zip) are named like zips but are not: never opened.
  const opens = (e: Entry) => nested && isZip(e) && !MAC_FORKS.test(e.path);
  const fail = (path: string, error: ZipFormatError | ZipTooLargeError) => out.failures.push({ path, error: within(zip, error) });
  const picked: Entry[] = [];
  for (const e of entries) {
    if (e.isDirectory) continue;
    const container = opens(e);
    if (!container && !want(prefix + e.path)) {
      if (isZip(e) && !MAC_FORKS.test(e.path)) out.unopened.push(prefix + e.path);
      continue;
    }
    const why = refusal(e, container, entryLimit);
    if (why) fail(prefix + e.path, why);
    else picked.push(e);
  }
  // A stored inner zip is sliced, not read: only what gets inflated counts.
  const declared = budget.used + picked.reduce((sum, e) => sum + (opens(e) && e.method === 0 ? 0 : e.size), 0);
  if (declared > budget.limit) {
    throw new ZipTooLargeError(`would expand to ${formatBytes(declared)}, past the ${formatBytes(budget.limit)} limit`, budget.limit, declared);
  }
  await prefetch(src, picked);
  for (const e of picked) {
    signal?.throwIfAborted();
    const container = opens(e);
    let inner: Source;
    try {
      if (!container) {
        out.files.push({ path: prefix + e.path, bytes: await extract(src, e, budget) });
        continue;
      }
      if (e.method === 0) {
        const [start, end] = await dataRange(src, e);
        inner = new Source(src.blob.slice(start, end));
      } else {
        inner = new Source(new Blob([await extract(src, e, budget)]));
      }
    } catch (err) {
      if (err instanceof ZipFormatError || err instanceof ZipEntryTooLargeError) fail(prefix + e.path, err);
      else throw err;
      continue;
    }
    // The inner zip's entries fail one by one (inside the call); its directory failing fails the inner zip.
    try {
      await readFiles(inner, want, false, budget, entryLimit, out, signal, prefix + e.path);
    } catch (err) {
      if (err instanceof ZipFormatError) fail(prefix + e.path, within(prefix + e.path, err));
      else if (err instanceof ZipTooLargeError) throw within(prefix + e.path, err);
      else throw err;
    }
  }
}

/** The error `err` of the inner zip `zip` ("runs/a.zip"), its message starting with that zip's path. */
function within<E extends ZipFormatError | ZipTooLargeError>(zip: string, err: E): E {
  if (!zip || err.message.startsWith(`${zip}: `)) return err;
  const message = `${zip}: ${err.message}`;
  if (err instanceof ZipEntryTooLargeError) return new ZipEntryTooLargeError(message, err.limit, err.size) as E;
  if (err instanceof ZipTooLargeError) return new ZipTooLargeError(message, err.limit, err.size) as E;
  return new ZipFormatError(message) as E;
}
