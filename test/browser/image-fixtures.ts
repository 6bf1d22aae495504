// Real image files made in the test: PNG / JPEG / WebP drawn on an OffscreenCanvas, a BMP and a GIF
// written byte by byte, and random bytes for a damaged file.

export type Rgba = [number, number, number, number]; // 0..255, alpha 0..1 as in CSS
type Draw = (ctx: OffscreenCanvasRenderingContext2D, w: number, h: number) => void;

export async function drawn(w: number, h: number, draw: Draw, type = 'image/png', quality?: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(w, h);
  draw(canvas.getContext('2d')!, w, h);
  return canvas.convertToBlob({ type, quality });
}

export const solid = (w: number, h: number, [r, g, b, a]: Rgba, type = 'image/png', quality?: number): Promise<Blob> =>
  drawn(w, h, (ctx) => {
    ctx.fillStyle = `rgba(${r}, ${g}, ${b}, ${a})`;
    ctx.fillRect(0, 0, w, h);
  }, type, quality);

/** Vertical bands of the given colours, equally wide, left to right. */
export const bands = (w: number, h: number, colours: string[]): Promise<Blob> =>
  drawn(w, h, (ctx) =>
    colours.forEach((c, i) => {
      ctx.fillStyle = c;
      ctx.fillRect((i * w) / colours.length, 0, w / colours.length, h);
    }));

/** A 24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes) of one colour. */
export function bmp(w: number, h: number, [r, g, b]: [number, number, number]): Blob {
  const row = Math.ceil((w * 3) / 4) * 4;
  const size = 54 + row * h;
  const v = new DataView(new ArrayBuffer(size));
  v.setUint8(0, 0x42);
  v.setUint8(1, 0x4d); // "BM"
  v.setUint32(2, size, true);
  v.setUint32(10, 54, true); // pixel data offset
  v.setUint32(14, 40, true); // header size
  v.setInt32(18, w, true);
  v.setInt32(22, h, true);
  v.setUint16(26, 1, true); // planes
  v.setUint16(28, 24, true); // bits per pixel
  v.setUint32(34, row * h, true);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) [b, g, r].forEach((c, k) => v.setUint8(54 + y * row + x * 3 + k, c));
  }
  return new Blob([v.buffer], { type: 'image/bmp' });
}

/**
 * An animated 1×1 GIF89a: frame 1 colour `first`, frame 2 colour `second` (global table of two).
 * Each frame's LZW data (minimum code size 2) is clear (4), the index, end (5) in 3-bit codes.
 */
export function gif(first: [number, number, number], second: [number, number, number]): Blob {
  const frame = (index: number) => [
    0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, // graphic control: 0.1 s delay
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00, // image descriptor: 1×1 at 0,0
    0x02, 0x02, 0x04 | (index << 3) | (1 << 6), 0x01, 0x00, // LZW: min size 2, 2 bytes, end of blocks
  ];
  const bytes = [
    ...Array.from('GIF89a', (c) => c.charCodeAt(0)),
    1, 0, 1, 0, 0x80, 0, 0, // 1×1, global colour table of 2 entries
    ...first,
    ...second,
    ...frame(0),
    ...frame(1),
    0x3b,
  ];
  return new Blob([new Uint8Array(bytes)], { type: 'image/gif' });
}

/** Deterministic random bytes (xorshift32): a "damaged" image. */
export function noise(n: number, seed = 7): Blob {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return new Blob([out]);
}

/** A folder as <input webkitdirectory> gives it: Files whose path starts with the folder's name. */
export const folder = (files: Record<string, Blob>) => ({
  kind: 'folder' as const,
  files: Object.entries(files).map(([path, blob]) => ({ path, blob })),
});

/** Every value of a sample's channel `k` (of `channels`) from `features` row `row`. */
export function channel(features: Float32Array, row: number, per: number, channels: number, k: number): number[] {
  const out: number[] = [];
  for (let i = row * per + k; i < (row + 1) * per; i += channels) out.push(features[i]);
  return out;
}
