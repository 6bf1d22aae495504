// Canvas 2D back end: draws in points scaled to `dpi` on an OffscreenCanvas (a <canvas> where
// OffscreenCanvas is missing) and encodes a PNG with a pHYs chunk that says the DPI.
import type { Draw, Point, Stroke } from './draw-api';
import { fontsInUse, type FontSet, type TextRun } from './fonts';
import { setPngDpi } from './png-dpi';

type Ctx = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

const registered = new WeakMap<ArrayBuffer, Promise<void>>();

/** Registers the fonts as FontFaces with the document (or worker) so the canvas can use them. */
async function registerFonts(fonts: FontSet): Promise<void> {
  const set: FontFaceSet | undefined =
    typeof document !== 'undefined' ? document.fonts : (globalThis as unknown as { fonts?: FontFaceSet }).fonts;
  if (!set) throw new Error('FontFace API unavailable: cannot draw figures');
  await Promise.all(fontsInUse(fonts).map((f) => {
    let p = registered.get(f.bytes);
    if (!p) {
      const face = new FontFace(f.family, f.bytes, { weight: f.weight, style: 'normal' });
      p = face.load().then((loaded) => void set.add(loaded));
      registered.set(f.bytes, p);
    }
    return p;
  }));
}

export interface CanvasFigure {
  draw: Draw;
  toPng(): Promise<Blob>;
}

/** Pixel size of a figure: inches × dpi, rounded (figure sizes are whole 1/100 in, so exact at 300 DPI). */
export const pixels = (pt: number, dpi: number): number => Math.round((pt / 72) * dpi);

export async function createCanvasFigure(widthPt: number, heightPt: number, fonts: FontSet, dpi = 300): Promise<CanvasFigure> {
  await registerFonts(fonts);
  const w = pixels(widthPt, dpi);
  const h = pixels(heightPt, dpi);
  let canvas: OffscreenCanvas | HTMLCanvasElement;
  if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(w, h);
  else {
    canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d', { alpha: false }) as Ctx | null;
  if (!ctx) throw new Error('no 2D canvas context');
  const s = dpi / 72;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  ctx.scale(s, s);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'butt';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  if ('fontKerning' in ctx) ctx.fontKerning = 'none'; // layout uses advance widths only, as the PDF does

  const stroke = (st: Stroke) => {
    ctx.strokeStyle = st.color;
    ctx.lineWidth = st.width;
    ctx.setLineDash(st.dash ? [...st.dash] : []);
    ctx.stroke();
  };
  const path = (points: readonly Point[], close: boolean) => {
    ctx.beginPath();
    points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    if (close) ctx.closePath();
  };

  const draw: Draw = {
    width: widthPt,
    height: heightPt,
    fonts,
    polyline(points, st) {
      if (points.length < 2) return;
      path(points, false);
      stroke(st);
    },
    polygon(points, fill, st, opacity = 1) {
      path(points, true);
      if (fill) {
        ctx.fillStyle = fill;
        ctx.globalAlpha = Math.min(1, Math.max(0, opacity));
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      if (st) stroke(st);
    },
    rect(x, y, rw, rh, fill, st) {
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fillRect(x, y, rw, rh);
      }
      if (st) {
        ctx.beginPath();
        ctx.rect(x, y, rw, rh);
        stroke(st);
      }
    },
    circle(cx, cy, r, fill, st) {
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fill();
      }
      if (st) stroke(st);
    },
    clip(x, y, cw, ch) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, y, cw, ch);
      ctx.clip();
    },
    unclip() {
      ctx.restore();
    },
    image(img, x, y, iw, ih) {
      const src = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(img.width, img.height) : Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
      const pixels = new ImageData(img.width, img.height);
      pixels.data.set(img.rgba);
      for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
      (src.getContext('2d') as Ctx).putImageData(pixels, 0, 0);
      ctx.save();
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(src, x, y, iw, ih);
      ctx.restore();
    },
    glyphRun(run: TextRun, x, y, size, color, angle) {
      ctx.save();
      ctx.translate(x, y);
      if (angle) ctx.rotate((-angle * Math.PI) / 180);
      ctx.font = `${run.font.weight === '700' ? 'bold' : 'normal'} ${size}px "${run.font.family}"`;
      ctx.fillStyle = color;
      ctx.fillText(run.text, 0, 0);
      ctx.restore();
    },
  };

  return {
    draw,
    async toPng() {
      const blob = !('convertToBlob' in canvas)
        ? await new Promise<Blob>((resolve, reject) => (canvas as HTMLCanvasElement).toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'))
        : await (canvas as OffscreenCanvas).convertToBlob({ type: 'image/png' });
      const png = setPngDpi(new Uint8Array(await blob.arrayBuffer()), dpi);
      return new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' });
    },
  };
}
