// jsPDF back end: a vector PDF whose page is the figure (points), lines and rectangles as paths,
// text as real text in embedded TrueType fonts (DejaVu Sans, subset by jsPDF, with a ToUnicode
// map so it can be selected and searched). jsPDF loads on first use only.
import type { jsPDF as JsPdf } from 'jspdf';
import type { Draw, Point, Stroke } from './draw-api';
import { fontsInUse, type FontSet, type TextRun } from './fonts';

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
    glyphRun(run: TextRun, x, y, size, color, angle) {
      doc.setFont(run.font.pdfName, 'normal');
      doc.setFontSize(size);
      doc.setTextColor(color);
      doc.text(run.text, x, y, { angle, baseline: 'alphabetic' });
    },
  };

  return { draw, toPdf: () => doc.output('blob') };
}
