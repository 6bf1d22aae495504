// canvas toBlob / convertToBlob write no pHYs chunk, so a "300 DPI" PNG would open at 72 or 96 DPI.
// Insert one (pixels per metre, unit 1 = metre) before the first IDAT, with its CRC-32.

import { crc32 } from '../crc32';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 300 DPI → 11811 pixels per metre (rounded, as every PNG writer does). */
export const dpiToPpm = (dpi: number): number => Math.round(dpi / 0.0254);

/** One PNG chunk: length, type, data and the CRC-32 of type and data. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The PNG with one pHYs chunk saying `dpi` (an existing pHYs is replaced). Throws on a non-PNG. */
export function setPngDpi(png: Uint8Array, dpi: number): Uint8Array {
  if (png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const phys = new Uint8Array(9);
  const ppm = dpiToPpm(dpi);
  new DataView(phys.buffer).setUint32(0, ppm);
  new DataView(phys.buffer).setUint32(4, ppm);
  phys[8] = 1; // unit: metre
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  let inserted = false;
  for (let pos = 8; pos < png.length; ) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    const end = pos + 12 + len;
    if (end > png.length) throw new Error('truncated PNG chunk');
    if (type === 'IDAT' && !inserted) {
      parts.push(pngChunk('pHYs', phys));
      inserted = true;
    }
    if (type !== 'pHYs') parts.push(png.subarray(pos, end));
    pos = end;
  }
  if (!inserted) throw new Error('PNG has no IDAT chunk');
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
