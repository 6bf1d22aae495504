// Files a person might bring, made by the tests in Node apart from the page's code, so the page is
// tested on files it did not make: a semicolon CSV with decimal commas, and a zip of PNG class
// folders written by a minimal PNG writer (8-bit RGB, no interlace, each scanline with filter 0, the
// pixels deflated by node:zlib and every chunk closed with zlib's CRC-32).
import { crc32, deflateSync } from 'node:zlib';
import JSZip from 'jszip';

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A width × height PNG whose pixel (x, y) is `pixel(x, y)`: [r, g, b], 0–255 each. */
export function pngBytes(width, height, pixel) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter method 0, no interlace
  const raw = Buffer.alloc(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 3 * width); // raw[row] = 0: filter type None
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + 3 * x);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Label values in the order the file first shows them; their natural order is A1, A2, A10 (A10 sorts before A2 as text). */
export const LABELS = ['A10', 'A2', 'A1'];

/** A deterministic stream of numbers in [0, 1) (a linear congruential generator). */
function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const comma = (x) => x.toFixed(2).replace('.', ',');

/**
 * 150 rows, 3 classes (50 each), as a European spreadsheet writes them: ';' between fields, ','
 * before decimals. "length" and "width" separate the classes; "colour" is text (categorical). Some
 * feature cells are missing: empty, "NA" or "?".
 */
export function measurementsCsv(seed = 1) {
  const next = random(seed);
  const lines = ['length;width;colour;label'];
  for (let i = 0; i < 150; i++) {
    const c = i % 3;
    const length = 2 + 3 * c + next();
    const width = 5 - 1.5 * c + next();
    const colour = ['red', 'green', 'blue'][(c + (next() < 0.2 ? 1 : 0)) % 3];
    const cells = [comma(length), comma(width), colour, LABELS[c]];
    if (i % 17 === 5) cells[0] = '';
    if (i % 19 === 7) cells[1] = 'NA';
    if (i % 23 === 11) cells[2] = '?';
    lines.push(cells.join(';'));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** A 16×16 PNG of a white shape on black, moved and sized a little by `next`. */
function shapePng(shape, next) {
  const cx = 7.5 + (next() - 0.5) * 3;
  const cy = 7.5 + (next() - 0.5) * 3;
  const r = 4 + next() * 2;
  const inside = {
    circle: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
    square: (x, y) => Math.abs(x - cx) <= r && Math.abs(y - cy) <= r,
    triangle: (x, y) => y >= cy - r && y <= cy + r && Math.abs(x - cx) <= (y - (cy - r)) / 2,
  }[shape];
  const shade = 200 + Math.floor(next() * 55);
  return pngBytes(16, 16, (x, y) => (inside(x, y) ? [shade, shade, shade] : [0, 0, 0]));
}

/** shapes.zip: shapes/circle/…, shapes/square/…, shapes/triangle/…, `perClass` PNGs each. */
export async function shapesZip(perClass = 20) {
  const next = random(7);
  const zip = new JSZip();
  for (const shape of ['circle', 'square', 'triangle']) {
    for (let i = 1; i <= perClass; i++) zip.file(`shapes/${shape}/${shape}_${i}.png`, shapePng(shape, next));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
