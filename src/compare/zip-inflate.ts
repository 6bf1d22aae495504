// The data of the wanted entries: their local headers (and small entries) read in as few slices
// as possible, then each entry inflated in slices against a byte budget, stopped at the size its
// directory entry declares, and checked against its CRC-32.
import { Inflate } from 'fflate';
import { crc32 } from '../export/crc32';
import { LOCAL_SIG } from '../export/zip-format';
import { view, type Entry, type Source } from './zip-directory';
import { damaged, formatBytes, hex, ZipFormatError, ZipTooLargeError } from './zip-errors';

/** Bytes inflated so far from one file (nested zips included) and the most it may come to. */
export interface Budget {
  limit: number;
  used: number;
}

// Deflate expands at most ~1032×, so pushing input in slices this size bounds how far the output
// count can overshoot the budget before it is checked (~17 MB).
const INFLATE_SLICE = 16 * 1024;
// Wanted entries closer than this are read in one slice; larger ones are read on their own.
const MERGE_GAP = 4 * 1024;
const SMALL_ENTRY = 1024 * 1024;
const LOCAL_EXTRA_SLACK = 64; // local extra fields may be longer than the central ones

/** Reads the picked entries' local headers (and small entries' data) in as few slices as possible. */
export async function prefetch(src: Source, picked: readonly Entry[]): Promise<void> {
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
export async function dataRange(src: Source, e: Entry): Promise<[number, number]> {
  const size = src.blob.size;
  if (e.localHeaderOffset + 30 > size) throw damaged(`entry "${e.path}" starts past the end of the file (is it truncated?)`);
  const h = view(await src.read(e.localHeaderOffset, e.localHeaderOffset + 30));
  if (h.getUint32(0, true) !== LOCAL_SIG) throw damaged(`entry "${e.path}" has no local header at offset ${e.localHeaderOffset}`);
  const start = e.localHeaderOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true);
  if (start + e.compressedSize > size) throw damaged(`entry "${e.path}" runs past the end of the file (is it truncated?)`);
  return [start, start + e.compressedSize];
}

/** The entry's bytes, inflated within the budget and checked (size, CRC-32). */
export async function extract(src: Source, e: Entry, budget: Budget): Promise<Uint8Array<ArrayBuffer>> {
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
