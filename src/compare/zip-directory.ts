// A zip's central directory, read from the Blob's tail without reading any entry: the End Of
// Central Directory record (ZIP64 too), then every entry's name, sizes, method and offset. Byte
// ranges already read (the tail, merged entry spans) are served again from memory.
import { CENTRAL_SIG, EOCD_SIG, LOCAL_SIG, MAX32, ZIP64_EOCD_SIG, ZIP64_LOCATOR_SIG } from '../export/zip-format';
import { damaged, ZipFormatError } from './zip-errors';

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

/** An entry with what its local header is likely to take. */
export interface Entry extends ZipEntryInfo {
  headerGuess: number; // local header length if its name and extra match the central ones
}

const EOCD_SIZE = 22;
const MAX_TAIL = EOCD_SIZE + 0xffff; // the record plus the longest possible comment
// Most zips have no comment: a first, shorter tail holds the record and often the whole directory.
const FIRST_TAIL = 16 * 1024;
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
const utf8 = new TextDecoder();

export const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (v: DataView, at: number) => v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;

/** Byte ranges of one Blob, served from ranges already read (the tail, merged entry spans). */
export class Source {
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

/** Every entry of the zip in `src`, directories included; a zip whose directory cannot be read throws. */
export async function readDirectory(src: Source): Promise<Entry[]> {
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
