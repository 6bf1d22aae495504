// A zip writer for backups that keeps the page's memory bounded: each entry is compressed (text) or
// stored (weights) and appended at once, and `flush()` hands what was appended to a sink in pieces
// of 1 MiB: a file on disk (File System Access: nothing stays in memory) or Blobs (the browser keeps
// their bytes outside the JavaScript heap, up to its blob storage limit). So a backup of 1,000 runs
// holds one run in memory at a time, not the whole archive as JSZip would.
// ZIP64 records are written where sizes, offsets or the entry count pass the 32-bit limits, so a
// backup may pass 4 GiB. Names are UTF-8 (flag 11), dates DOS local time as JSZip writes them.
// Large entries are compressed and checksummed in slices, with a pause (a yield to the page)
// whenever a slice of work has taken more than a few milliseconds, so no task runs long.
// Pure apart from Blob: no DOM, no IndexedDB.
import { Deflate } from 'fflate';
import { crc32Update } from '../export/crc32';

import { CENTRAL_SIG, EOCD_SIG, LOCAL_SIG, MAX16, MAX32, UTF8_FLAG, ZIP64_EOCD_SIG, ZIP64_LOCATOR_SIG } from '../export/zip-format';

const MADE_BY_UNIX = 3 << 8;
const FILE_MODE = (0o100644 << 16) >>> 0; // a regular file, rw-r--r--
const encoder = new TextEncoder();
const SLICE = 64 * 1024; // bytes compressed (and checksummed) between two looks at the clock
const PAUSE_AFTER_MS = 8;
// Bytes per piece handed to the sink: making a Blob copies its bytes at once (~8 ms per MB in
// Chromium), so a run's megabytes of weights are handed over in pieces with pauses between.
const PIECE = 1024 * 1024;

/** Where the zip's bytes go, in order. */
export interface ZipSink {
  /** Takes `bytes` (the writer never touches them again). */
  write(bytes: Uint8Array<ArrayBuffer>): Promise<void>;
}

/** Keeps the zip as Blobs (outside the JavaScript heap): `blob()` once the writer finished. */
export class BlobSink implements ZipSink {
  private readonly blobs: Blob[] = [];
  async write(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    this.blobs.push(new Blob([bytes as BlobPart]));
  }
  blob(): Blob {
    return new Blob(this.blobs, { type: 'application/zip' });
  }
}


export interface ZipWriterOptions {
  /** 'always' writes every ZIP64 record even when nothing needs it (tests of the >4 GiB path). */
  zip64?: 'auto' | 'always';
  /** Awaited between slices of work once a few milliseconds have passed (a yield to the page). */
  pause?: () => Promise<void>;
}

export interface AddOptions {
  /** The entry's modification time (local time, 2-second resolution). */
  date: Date;
  /** Stored as is (weights: floats barely compress); otherwise deflated. */
  store?: boolean;
}

interface CentralEntry {
  name: Uint8Array;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** DOS time and date fields of `d` in local time (years before 1980 clamp to 1980-01-01). */
export function dosDateTime(d: Date): { time: number; date: number } {
  if (Number.isNaN(d.getTime()) || d.getFullYear() < 1980) return { time: 0, date: (1 << 5) | 1 };
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  const date = ((Math.min(d.getFullYear(), 2107) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return { time, date };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function setU64(v: DataView, at: number, n: number): void {
  v.setUint32(at, n % 2 ** 32, true);
  v.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
}

export class ZipWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly central: CentralEntry[] = [];
  private readonly names = new Set<string>();
  private offset = 0;
  private directoryBytes = 0;
  private finished = false;
  private readonly always: boolean;
  private readonly pause?: () => Promise<void>;
  private lastPause = performance.now();

  constructor(
    private readonly sink: ZipSink,
    opts: ZipWriterOptions = {},
  ) {
    this.always = opts.zip64 === 'always';
    this.pause = opts.pause;
  }

  private async breathe(): Promise<void> {
    if (!this.pause || performance.now() - this.lastPause < PAUSE_AFTER_MS) return;
    await this.pause();
    this.lastPause = performance.now();
  }

  /** Bytes of the zip so far (the central directory counted once finished). */
  get size(): number {
    return this.offset + this.directoryBytes;
  }

  get entryCount(): number {
    return this.central.length;
  }

  /** Appends one file; `path` is '/'-separated and relative (checked), each path once. One add at a time. */
  async add(path: string, data: string | Uint8Array, opts: AddOptions): Promise<void> {
    if (this.finished) throw new Error('zip writer: add after finish');
    if (!path || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..') || path.includes('\\')) {
      throw new Error(`zip writer: unsafe entry path "${path}"`);
    }
    if (this.names.has(path)) throw new Error(`zip writer: duplicate entry "${path}"`);
    this.names.add(path);
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    const chunks: Uint8Array[] = [];
    let deflatedSize = 0;
    const deflater = opts.store ? null : new Deflate({ level: 6 }, (chunk) => {
      chunks.push(chunk);
      deflatedSize += chunk.length;
    });
    let crc = 0;
    for (let p = 0; p === 0 || p < bytes.length; p += SLICE) {
      const slice = bytes.subarray(p, p + SLICE);
      crc = crc32Update(crc, slice);
      deflater?.push(slice, p + SLICE >= bytes.length);
      await this.breathe();
    }
    if (this.finished) throw new Error('zip writer: finished during add');
    // Deflate never pays off for incompressible data: store it then (readers accept either).
    const method = deflater && deflatedSize < bytes.length ? 8 : 0;
    const body = method === 8 ? concat(chunks, deflatedSize) : bytes;
    const name = encoder.encode(path);
    const { time, date } = dosDateTime(opts.date);
    const entry: CentralEntry = { name, method, time, date, crc, compressedSize: body.length, size: bytes.length, offset: this.offset };
    const zip64 = this.always || entry.size >= MAX32 || entry.compressedSize >= MAX32;
    const header = new Uint8Array(30 + name.length + (zip64 ? 20 : 0));
    const v = new DataView(header.buffer);
    v.setUint32(0, LOCAL_SIG, true);
    v.setUint16(4, zip64 ? 45 : 20, true);
    v.setUint16(6, UTF8_FLAG, true);
    v.setUint16(8, method, true);
    v.setUint16(10, time, true);
    v.setUint16(12, date, true);
    v.setUint32(14, entry.crc, true);
    v.setUint32(18, zip64 ? MAX32 : entry.compressedSize, true);
    v.setUint32(22, zip64 ? MAX32 : entry.size, true);
    v.setUint16(26, name.length, true);
    v.setUint16(28, zip64 ? 20 : 0, true);
    header.set(name, 30);
    if (zip64) {
      const x = 30 + name.length;
      v.setUint16(x, 0x0001, true);
      v.setUint16(x + 2, 16, true);
      setU64(v, x + 4, entry.size);
      setU64(v, x + 12, entry.compressedSize);
    }
    this.pending.push(header, body);
    this.pendingBytes += header.length + body.length;
    this.offset += header.length + body.length;
    this.central.push(entry);
    if (this.pendingBytes >= PIECE) await this.flush();
  }

  /** Hands what was appended since the last flush to the sink in pieces (pausing between), releasing the JavaScript copies. */
  async flush(): Promise<void> {
    const parts = this.pending;
    let remaining = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    let piece = new Uint8Array(Math.min(PIECE, remaining));
    let size = 0;
    for (const part of parts) {
      for (let p = 0; p < part.length; ) {
        const take = Math.min(part.length - p, piece.length - size);
        piece.set(part.subarray(p, p + take), size);
        size += take;
        p += take;
        remaining -= take;
        if (size < piece.length) continue;
        await this.sink.write(piece);
        piece = new Uint8Array(Math.min(PIECE, remaining));
        size = 0;
        await this.breathe();
      }
    }
  }

  /** Writes the central directory and end records: the zip is complete in the sink. The writer is done after this. */
  async finish(): Promise<void> {
    if (this.finished) throw new Error('zip writer: finished twice');
    await this.flush();
    this.finished = true;
    const parts: Uint8Array[] = [];
    let cdSize = 0;
    for (const e of this.central) {
      const big = { size: this.always || e.size >= MAX32, csize: this.always || e.compressedSize >= MAX32, offset: this.always || e.offset >= MAX32 };
      const extraLen = (big.size ? 8 : 0) + (big.csize ? 8 : 0) + (big.offset ? 8 : 0);
      const extra = extraLen ? 4 + extraLen : 0;
      const rec = new Uint8Array(46 + e.name.length + extra);
      const v = new DataView(rec.buffer);
      const needed = extra ? 45 : 20;
      v.setUint32(0, CENTRAL_SIG, true);
      v.setUint16(4, MADE_BY_UNIX | needed, true);
      v.setUint16(6, needed, true);
      v.setUint16(8, UTF8_FLAG, true);
      v.setUint16(10, e.method, true);
      v.setUint16(12, e.time, true);
      v.setUint16(14, e.date, true);
      v.setUint32(16, e.crc, true);
      v.setUint32(20, big.csize ? MAX32 : e.compressedSize, true);
      v.setUint32(24, big.size ? MAX32 : e.size, true);
      v.setUint16(28, e.name.length, true);
      v.setUint16(30, extra, true);
      v.setUint32(38, FILE_MODE, true);
      v.setUint32(42, big.offset ? MAX32 : e.offset, true);
      rec.set(e.name, 46);
      if (extra) {
        // The ZIP64 extra field holds, in this order, only the fields that are 0xFFFFFFFF above.
        let p = 46 + e.name.length;
        v.setUint16(p, 0x0001, true);
        v.setUint16(p + 2, extraLen, true);
        p += 4;
        for (const [on, n] of [[big.size, e.size], [big.csize, e.compressedSize], [big.offset, e.offset]] as const) {
          if (!on) continue;
          setU64(v, p, n);
          p += 8;
        }
      }
      parts.push(rec);
      cdSize += rec.length;
    }
    const cdOffset = this.offset;
    const count = this.central.length;
    const zip64 = this.always || count >= MAX16 || cdSize >= MAX32 || cdOffset >= MAX32;
    if (zip64) {
      const rec = new Uint8Array(56 + 20);
      const v = new DataView(rec.buffer);
      v.setUint32(0, ZIP64_EOCD_SIG, true);
      setU64(v, 4, 44); // the size of the rest of this record
      v.setUint16(12, MADE_BY_UNIX | 45, true);
      v.setUint16(14, 45, true);
      // 16, 20: this disk and the directory's disk: 0
      setU64(v, 24, count);
      setU64(v, 32, count);
      setU64(v, 40, cdSize);
      setU64(v, 48, cdOffset);
      v.setUint32(56, ZIP64_LOCATOR_SIG, true);
      // 60: the disk with the ZIP64 end record: 0
      setU64(v, 64, cdOffset + cdSize);
      v.setUint32(72, 1, true); // one disk in all
      parts.push(rec);
    }
    const end = new Uint8Array(22);
    const v = new DataView(end.buffer);
    v.setUint32(0, EOCD_SIG, true);
    v.setUint16(8, zip64 ? MAX16 : count, true);
    v.setUint16(10, zip64 ? MAX16 : count, true);
    v.setUint32(12, zip64 ? MAX32 : cdSize, true);
    v.setUint32(16, zip64 ? MAX32 : cdOffset, true);
    parts.push(end);
    this.pending = parts;
    this.pendingBytes = parts.reduce((n, p) => n + p.length, 0);
    this.directoryBytes = this.pendingBytes;
    await this.flush();
  }
}
