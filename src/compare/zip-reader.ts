// Reads the small entries of a zip (JSON, CSV, TXT) and nothing else: the End Of Central Directory
// from the Blob's tail, the central directory, then only the byte ranges of the wanted entries.
// A run.zip is ~8 MB of weights around a few kB of text, and the Compare view opens dozens at once.
import { Inflate } from 'fflate';
import { crc32 } from '../export/crc32';
import { CENTRAL_SIG, EOCD_SIG, LOCAL_SIG, MAX32, ZIP64_EOCD_SIG, ZIP64_LOCATOR_SIG } from '../export/zip-format';
export { crc32 } from '../export/crc32';

export interface ZipEntryInfo {
  path: string; // '/'-separated; directories end with '/'
  method: number; // 0 stored, 8 deflate
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  isDirectory: boolean;
  encrypted: boolean;
}

/** Not a zip, or a damaged or unsupported one: the message is meant for the user, as is. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

/** Inflating would pass the byte budget; `size` is what it came to (or would have) when refused. */
export class ZipTooLargeError extends Error {
  constructor(message: string, readonly limit: number, readonly size: number) {
    super(message);
    this.name = 'ZipTooLargeError';
  }
}

/** One entry declares more than the limit for one file (`maxEntryBytes`): only that entry is refused. */
export class ZipEntryTooLargeError extends ZipTooLargeError {
  constructor(message: string, limit: number, size: number) {
    super(message, limit, size);
    this.name = 'ZipEntryTooLargeError';
  }
}

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

const EOCD_SIZE = 22;
const MAX_TAIL = EOCD_SIZE + 0xffff; // the record plus the longest possible comment
// Most zips have no comment: a first, shorter tail holds the record and often the whole directory.
const FIRST_TAIL = 16 * 1024;
// Deflate expands at most ~1032×, so pushing input in slices this size bounds how far the output
// count can overshoot the budget before it is checked (~17 MB).
const INFLATE_SLICE = 16 * 1024;
// Wanted entries closer than this are read in one slice; larger ones are read on their own.
const MERGE_GAP = 4 * 1024;
const SMALL_ENTRY = 1024 * 1024;
const LOCAL_EXTRA_SLACK = 64; // local extra fields may be longer than the central ones
const DEFAULT_LIMIT = 2 ** 30;
const METHOD_NAMES: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'xz', 99: 'AES' };
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
const utf8 = new TextDecoder();
const MAC_FORKS = /(^|\/)__MACOSX\//;

interface Entry extends ZipEntryInfo {
  headerGuess: number; // local header length if its name and extra match the central ones
}
interface Budget {
  limit: number;
  used: number;
}

const damaged = (what: string) => new ZipFormatError(`damaged zip: ${what}`);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (v: DataView, at: number) => v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;

/** Byte ranges of one Blob, served from ranges already read (the tail, merged entry spans). */
class Source {
  private cached: { start: number; bytes: Uint8Array }[] = [];
  constructor(readonly blob: Blob) {}

  async read(start: number, end: number, keep = false): Promise<Uint8Array> {
    for (const c of this.cached) {
      if (start >= c.start && end <= c.start + c.bytes.length) return c.bytes.subarray(start - c.start, end - c.start);
    }
    const bytes = new Uint8Array(await this.blob.slice(start, end).arrayBuffer());
    if (keep) this.cached.push({ start, bytes });
    return bytes;
  }
}

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

async function readDirectory(src: Source): Promise<Entry[]> {
  const size = src.blob.size;
  if (size === 0) throw new ZipFormatError('not a zip file (the file is empty)');
  let tailStart = Math.max(0, size - FIRST_TAIL);
  let tail = await src.read(tailStart, size, true);
  let at = findEocd(tail);
  if (at < 0 && tailStart > 0) {
    tailStart = Math.max(0, size - MAX_TAIL);
    tail = await src.read(tailStart, size, true);
    at = findEocd(tail);
  }
  if (at < 0) {
    const head = view(await src.read(0, Math.min(4, size)));
    const begunLikeZip = head.byteLength === 4 && head.getUint32(0, true) === LOCAL_SIG;
    const cut = begunLikeZip ? ': it begins like one, so it was probably cut short (an incomplete download or copy)' : '';
    throw new ZipFormatError(`not a zip file (no end of central directory record)${cut}`);
  }
  const v = view(tail);
  let disks = v.getUint16(at + 4, true) !== 0 || v.getUint16(at + 6, true) !== 0;
  let count = v.getUint16(at + 10, true);
  let cdSize = v.getUint32(at + 12, true);
  let cdOffset = v.getUint32(at + 16, true);
  let dirEnd = tailStart + at; // the directory ends where the records after it begin
  if (at >= 20 && v.getUint32(at - 20, true) === ZIP64_LOCATOR_SIG) {
    const recordAt = u64(v, at - 12);
    dirEnd = tailStart + at - 20;
    if (recordAt + 56 > dirEnd) throw damaged('the ZIP64 end of central directory record lies outside the file');
    const r = view(await src.read(recordAt, recordAt + 56));
    if (r.getUint32(0, true) !== ZIP64_EOCD_SIG) throw damaged('no ZIP64 end of central directory record where its locator points');
    disks = v.getUint32(at - 16, true) !== 0 || v.getUint32(at - 4, true) > 1 || r.getUint32(16, true) !== 0 || r.getUint32(20, true) !== 0;
    count = u64(r, 32);
    cdSize = u64(r, 40);
    cdOffset = u64(r, 48);
    dirEnd = recordAt;
  }
  if (disks) throw new ZipFormatError('multi-disk (split) zip archives are not supported: join the parts into one file first');
  if (cdOffset + cdSize > dirEnd) throw damaged('the central directory runs past the end of the file (is it truncated?)');
  if (count * 46 > cdSize) throw damaged(`the central directory is too short for its ${count} entries`);
  return parseDirectory(await src.read(cdOffset, cdOffset + cdSize), count);
}

/** Offset of the end record in `tail`, scanning backwards; -1 when there is none. */
function findEocd(tail: Uint8Array): number {
  const v = view(tail);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (v.getUint32(i, true) === EOCD_SIG && i + EOCD_SIZE + v.getUint16(i + 20, true) <= tail.length) return i;
  }
  return -1;
}

function parseDirectory(cd: Uint8Array, count: number): Entry[] {
  const v = view(cd);
  const entries: Entry[] = [];
  for (let i = 0, p = 0; i < count; i++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL_SIG) throw damaged(`central directory entry ${i + 1} of ${count} is missing`);
    const flags = v.getUint16(p + 8, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const next = p + 46 + nameLen + extraLen + v.getUint16(p + 32, true);
    if (next > cd.length) throw damaged(`central directory entry ${i + 1} of ${count} is cut short`);
    const path = decodeName(cd.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0).replace(/\\/g, '/');
    let size = v.getUint32(p + 24, true);
    let compressedSize = v.getUint32(p + 20, true);
    let localHeaderOffset = v.getUint32(p + 42, true);
    if (size === MAX32 || compressedSize === MAX32 || localHeaderOffset === MAX32) {
      // The ZIP64 extra field holds, in this order, only the fields that are 0xFFFFFFFF above.
      const z = findExtra(cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), 0x0001);
      let q = 0;
      const next64 = () => {
        if (!z || q + 8 > z.length) throw damaged(`entry "${path}" lacks the ZIP64 sizes its header announces`);
        q += 8;
        return u64(view(z), q - 8);
      };
      if (size === MAX32) size = next64();
      if (compressedSize === MAX32) compressedSize = next64();
      if (localHeaderOffset === MAX32) localHeaderOffset = next64();
    }
    entries.push({
      path,
      method: v.getUint16(p + 10, true),
      compressedSize,
      size,
      crc32: v.getUint32(p + 16, true),
      localHeaderOffset,
      isDirectory: path.endsWith('/'),
      encrypted: (flags & 1) !== 0,
      headerGuess: 30 + nameLen + extraLen,
    });
    p = next;
  }
  return entries;
}

function findExtra(extra: Uint8Array, id: number): Uint8Array | null {
  const v = view(extra);
  for (let p = 0; p + 4 <= extra.length; p += 4 + v.getUint16(p + 2, true)) {
    if (v.getUint16(p, true) === id) return extra.subarray(p + 4, p + 4 + v.getUint16(p + 2, true));
  }
  return null;
}

function decodeName(raw: Uint8Array, isUtf8: boolean): string {
  if (isUtf8) return utf8.decode(raw);
  let s = '';
  for (const b of raw) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

/** Reads the picked entries' local headers (and small entries' data) in as few slices as possible. */
async function prefetch(src: Source, picked: readonly Entry[]): Promise<void> {
  const size = src.blob.size;
  const spans = picked
    .map((e) => {
      const start = Math.min(e.localHeaderOffset, size);
      const data = e.compressedSize <= SMALL_ENTRY ? e.compressedSize : 0;
      return [start, Math.min(size, start + e.headerGuess + LOCAL_EXTRA_SLACK + data)];
    })
    .sort((a, b) => a[0] - b[0]);
  const merged: number[][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1] + MERGE_GAP) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  await Promise.all(merged.map(([start, end]) => src.read(start, end, true)));
}

/** Where the entry's data lies, after its local header. */
async function dataRange(src: Source, e: Entry): Promise<[number, number]> {
  const size = src.blob.size;
  if (e.localHeaderOffset + 30 > size) throw damaged(`entry "${e.path}" starts past the end of the file (is it truncated?)`);
  const h = view(await src.read(e.localHeaderOffset, e.localHeaderOffset + 30));
  if (h.getUint32(0, true) !== LOCAL_SIG) throw damaged(`entry "${e.path}" has no local header at offset ${e.localHeaderOffset}`);
  const start = e.localHeaderOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true);
  if (start + e.compressedSize > size) throw damaged(`entry "${e.path}" runs past the end of the file (is it truncated?)`);
  return [start, start + e.compressedSize];
}

async function extract(src: Source, e: Entry, budget: Budget): Promise<Uint8Array<ArrayBuffer>> {
  const [start, end] = await dataRange(src, e);
  if (e.method === 0) spend(budget, e.compressedSize, e);
  const data = await src.read(start, end);
  const bytes = e.method === 0 ? data.slice() : inflateCounted(data, e, budget);
  if (bytes.length !== e.size) throw damaged(`entry "${e.path}" holds ${bytes.length} bytes but its directory entry says ${e.size}`);
  const crc = crc32(bytes);
  if (crc !== e.crc32) throw damaged(`entry "${e.path}" fails its CRC-32 check (${hex(crc)}, expected ${hex(e.crc32)})`);
  return bytes;
}

function inflateCounted(data: Uint8Array, e: Entry, budget: Budget): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate({}, (chunk) => {
    spend(budget, chunk.length, e);
    total += chunk.length;
    // A directory entry that understates its size is stopped here, not after inflating everything.
    if (total > e.size) {
      throw damaged(`entry "${e.path}" inflates to more than the ${formatBytes(e.size)} its directory entry declares (stopped after ${formatBytes(total)})`);
    }
    chunks.push(chunk);
  });
  try {
    for (let p = 0; p === 0 || p < data.length; p += INFLATE_SLICE) {
      inflater.push(data.subarray(p, p + INFLATE_SLICE), p + INFLATE_SLICE >= data.length);
    }
  } catch (err) {
    if (err instanceof ZipTooLargeError || err instanceof ZipFormatError) throw err;
    throw damaged(`entry "${e.path}" does not inflate (${(err as Error).message})`);
  }
  const out = new Uint8Array(total);
  for (let i = 0, o = 0; i < chunks.length; o += chunks[i].length, i++) out.set(chunks[i], o);
  return out;
}

function spend(budget: Budget, bytes: number, e: Entry): void {
  budget.used += bytes;
  if (budget.used > budget.limit) {
    const what = `${formatBytes(budget.used)} inflated so far; its directory entry declares ${formatBytes(e.size)}`;
    throw new ZipTooLargeError(`entry "${e.path}" expands past the ${formatBytes(budget.limit)} limit (${what})`, budget.limit, budget.used);
  }
}


const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${i === 0 ? n : Number(n.toFixed(1))} ${units[i]}`;
}
