// jsPDF back end: a vector PDF whose page is the figure (points), lines and rectangles as paths,
// text as real text in embedded TrueType fonts (DejaVu Sans, subset by jsPDF, with a ToUnicode
// map so it can be selected and searched). jsPDF loads on first use only. Deterministic: the
// /CreationDate is the date given (not the clock) and the /ID a hash of the content, so the same
// figure and date always give the same bytes.
import type { jsPDF as JsPdf } from 'jspdf';
import { isoWithOffset } from '../../training/time';
import type { Draw, Point, Stroke } from './draw-api';
import { fontsInUse, type FontSet, type TextRun } from './fonts';
import { rgbPng } from './rgb-png';

const binaryStrings = new WeakMap<ArrayBuffer, string>();

/** jsPDF's virtual file system takes fonts as binary strings. */
function binaryString(bytes: ArrayBuffer): string {
  let s = binaryStrings.get(bytes);
  if (s === undefined) {
    const u8 = new Uint8Array(bytes);
    const parts: string[] = [];
    for (let i = 0; i < u8.length; i += 0x8000) parts.push(String.fromCharCode(...u8.subarray(i, i + 0x8000)));
    s = parts.join('');
    binaryStrings.set(bytes, s);
  }
  return s;
}

export interface PdfFigure {
  draw: Draw;
  toPdf(): Blob;
}

export interface PdfMeta {
  title: string;
  subject?: string;
  /**
   * The /CreationDate: an ISO 8601 timestamp, written in its own UTC offset (so the bytes do not
   * depend on the exporting machine's time zone), or a Date (written in local time). Exports pass
   * the run's end time or the comparison's `now`, so that exporting again gives the same file;
   * without one, the time of writing.
   */
  created?: string | Date;
}

// jsPDF accepts a creation date as a PDF date string only in this range (years 1970–2037, offsets
// −11:59 to +14:59); outside it we hand it a Date, which it writes in the local offset.
const JSPDF_DATE = /^D:(20[0-2][0-9]|203[0-7]|19[7-9][0-9])(0[0-9]|1[0-2])([0-2][0-9]|3[0-1])(0[0-9]|1[0-9]|2[0-3])(0[0-9]|[1-5][0-9])(0[0-9]|[1-5][0-9])(\+0[0-9]|\+1[0-4]|-0[0-9]|-1[0-1])'(0[0-9]|[1-5][0-9])'?$/;
const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|([+-])(\d\d):(\d\d))$/;

/** `D:YYYYMMDDHHmmSS+HH'mm'` of an ISO 8601 timestamp, in its own offset; else a Date, or the clock. */
export function pdfCreationDate(created: string | Date | undefined): string | Date | undefined {
  if (created === undefined) return undefined;
  const iso = typeof created === 'string' ? created : Number.isNaN(created.getTime()) ? '' : isoWithOffset(created);
  const m = ISO.exec(iso);
  if (m) {
    const [, y, mo, d, h, mi, s, z, sign, oh, om] = m;
    const pdf = `D:${y}${mo}${d}${h}${mi}${s}${z === 'Z' ? "+00'00'" : `${sign}${oh}'${om}'`}`;
    if (JSPDF_DATE.test(pdf)) return pdf;
  }
  const date = new Date(iso || Number.NaN);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const ZERO_ID = '0'.repeat(32);
const idEntry = (id: string) => `/ID [ <${id}> <${id}> ]`;

/**
 * The file identifier (/ID) of a PDF written with an all-zero /ID: a 128-bit hash of those bytes,
 * as 32 hex digits. Derived from the content rather than from a seed (run id, time, figure kind):
 * the same file always gets the same /ID, and any other file (another figure, run, time, or a
 * renderer change that alters the drawing) another, as the PDF spec asks of /ID, with nothing to
 * pass in. The hash is cyrb128 (public domain, by bryc): synchronous and with no need for
 * crypto.subtle (absent outside secure contexts); an identifier needs no cryptographic strength.
 */
export function pdfFileId(pdf: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < pdf.length; i++) {
    const k = pdf.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).toUpperCase().padStart(8, '0')).join('');
}

/** The document as bytes, its /ID the hash of the document written with a zero /ID. */
function deterministicPdf(doc: JsPdf): Blob {
  doc.setFileId(ZERO_ID);
  const draft = doc.output(); // a binary string, one char per byte
  const at = draft.lastIndexOf(idEntry(ZERO_ID));
  if (at < 0) throw new Error('jsPDF wrote no /ID in the trailer');
  // The trailer follows the cross-reference table and the new /ID has the same length: every
  // offset in the file stays right.
  const pdf = draft.slice(0, at) + idEntry(pdfFileId(draft)) + draft.slice(at + idEntry(ZERO_ID).length);
  const bytes = new Uint8Array(pdf.length);
  for (let i = 0; i < pdf.length; i++) bytes[i] = pdf.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

export async function createPdfFigure(widthPt: number, heightPt: number, fonts: FontSet, meta: PdfMeta): Promise<PdfFigure> {
  const { jsPDF, GState } = await import('jspdf');
  // A custom format needs the matching orientation, or jsPDF swaps width and height.
  const doc: JsPdf = new jsPDF({
    orientation: widthPt > heightPt ? 'landscape' : 'portrait',
    unit: 'pt',
    format: [widthPt, heightPt],
    compress: true,
    putOnlyUsedFonts: true,
  });
  doc.setProperties({ title: meta.title, subject: meta.subject ?? '', creator: 'TrainLab', author: '' });
  doc.setCreationDate(pdfCreationDate(meta.created));
  for (const f of fontsInUse(fonts)) {
    const file = `${f.pdfName}.ttf`;
    doc.addFileToVFS(file, binaryString(f.bytes));
    doc.addFont(file, f.pdfName, 'normal', 'normal', 'Identity-H');
  }
  doc.setLineJoin('round');
  doc.setLineCap('butt');

  const stroke = (st: Stroke) => {
    doc.setDrawColor(st.color);
    doc.setLineWidth(st.width);
    doc.setLineDashPattern(st.dash ? [...st.dash] : [], 0);
  };
  const path = (points: readonly Point[]) => {
    points.forEach(([x, y], i) => (i === 0 ? doc.moveTo(x, y) : doc.lineTo(x, y)));
  };
  const paint = (fill: string | null, st: Stroke | null | undefined) => {
    if (fill) doc.setFillColor(fill);
    if (st) stroke(st);
    return fill && st ? 'FD' : fill ? 'F' : 'S';
  };

  const draw: Draw = {
    width: widthPt,
    height: heightPt,
    fonts,
    polyline(points, st) {
      if (points.length < 2) return;
      stroke(st);
      path(points);
      doc.stroke();
    },
    polygon(points, fill, st, opacity = 1) {
      if (fill && opacity < 1) {
        // Translucent fill: the fill alone in its own graphics state (ExtGState /ca), then the edge.
        doc.saveGraphicsState();
        doc.setGState(new GState({ opacity: Math.max(0, opacity) }));
        draw.polygon(points, fill, null);
        doc.restoreGraphicsState();
        if (st) draw.polygon(points, null, st);
        return;
      }
      const style = paint(fill, st);
      path(points);
      doc.close();
      if (style === 'FD') doc.fillStroke();
      else if (style === 'F') doc.fill();
      else doc.stroke();
    },
    rect(x, y, w, h, fill, st) {
      if (!fill && !st) return;
      doc.rect(x, y, w, h, paint(fill, st));
    },
    circle(cx, cy, r, fill, st) {
      if (!fill && !st) return;
      doc.circle(cx, cy, r, paint(fill, st));
    },
    clip(x, y, w, h) {
      doc.saveGraphicsState();
      doc.rect(x, y, w, h, null);
      doc.clip();
      doc.discardPath();
    },
    unclip() {
      doc.restoreGraphicsState();
    },
    image(img, x, y, w, h) {
      // An RGB PNG (no alpha, so no soft mask): one image XObject.
      doc.addImage(rgbPng(img), 'PNG', x, y, w, h, undefined, 'FAST');
    },
    glyphRun(run: TextRun, x, y, size, color, angle) {
      doc.setFont(run.font.pdfName, 'normal');
      doc.setFontSize(size);
      doc.setTextColor(color);
      doc.text(run.text, x, y, { angle, baseline: 'alphabetic' });
    },
  };

  return { draw, toPdf: () => deterministicPdf(doc) };
}
