// A small opaque image as an RGB PNG (colour type 2, no alpha), written here rather than by a
// canvas (whose PNGs carry an alpha channel): jsPDF embeds an RGB PNG as one image XObject, where
// an alpha channel would add a second (a soft mask).
import { zlibSync } from 'fflate';
import { PNG_SIGNATURE, pngChunk } from './png-dpi';
import type { RasterImage } from './draw-api';

export function rgbPng(img: RasterImage): Uint8Array {
  const { width, height, rgba } = img;
  if (rgba.length !== width * height * 4) throw new RangeError(`image: ${rgba.length} values for ${width} × ${height} RGBA pixels`);
  const raw = new Uint8Array(height * (1 + width * 3)); // each row: filter 0 (none), then RGB
  for (let r = 0; r < height; r++) {
    const row = r * (1 + width * 3);
    for (let c = 0; c < width; c++) for (let j = 0; j < 3; j++) raw[row + 1 + c * 3 + j] = rgba[(r * width + c) * 4 + j];
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, filter method 0, not interlaced
  const parts = [new Uint8Array(PNG_SIGNATURE), pngChunk('IHDR', header), pngChunk('IDAT', zlibSync(raw)), pngChunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}
