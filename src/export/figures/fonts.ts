// The figures' fonts, loaded on export only (Vite `?url`: the TTFs are separate assets, fetched on
// first use). DejaVu Sans regular and bold cover Latin, Greek, Cyrillic and many symbols; it has
// no CJK, so text with code points DejaVu lacks pulls in Noto Sans SC (OFL, from npm
// @expo-google-fonts/noto-sans-sc, 10.6 MB: fetched only then). Both back ends lay text out with
// these fonts' own advance widths, so a PNG and its PDF put every glyph in the same place.
import dejavuUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import dejavuBoldUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url';
import notoScUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url';
import { parseTtf, type TtfInfo } from './ttf';

export const FONT_FILES = {
  regular: { url: dejavuUrl, family: 'TrainLab DejaVu Sans', weight: '400', pdfName: 'DejaVuSans' },
  bold: { url: dejavuBoldUrl, family: 'TrainLab DejaVu Sans', weight: '700', pdfName: 'DejaVuSans-Bold' },
  cjk: { url: notoScUrl, family: 'TrainLab Noto Sans SC', weight: '400', pdfName: 'NotoSansSC' },
} as const;
export type FontId = keyof typeof FONT_FILES;

export interface FontData {
  id: FontId;
  family: string; // CSS family for the canvas back end
  weight: string;
  pdfName: string; // name in the PDF (jsPDF VFS file and font name)
  bytes: ArrayBuffer;
  info: TtfInfo;
}

export interface FontSet {
  regular: FontData;
  bold: FontData;
  fallback: FontData | null; // CJK, when some text needs it
  /** Code points that no loaded font has; they print as the missing-glyph box. */
  missing: string[];
}

export interface TextRun {
  text: string;
  font: FontData;
}

const cache = new Map<FontId, Promise<FontData>>();

export function loadFont(id: FontId): Promise<FontData> {
  let p = cache.get(id);
  if (!p) {
    const file = FONT_FILES[id];
    p = fetch(file.url)
      .then((r) => {
        if (!r.ok) throw new Error(`cannot load font ${file.url}: HTTP ${r.status}`);
        return r.arrayBuffer();
      })
      .then((bytes) => ({ id, family: file.family, weight: file.weight, pdfName: file.pdfName, bytes, info: parseTtf(bytes) }));
    p.catch(() => cache.delete(id));
    cache.set(id, p);
  }
  return p;
}

/** The fonts a figure embeds (canvas FontFaces, PDF fonts): regular, bold and the fallback when loaded. */
export function fontsInUse(fonts: FontSet): FontData[] {
  return [fonts.regular, fonts.bold, ...(fonts.fallback ? [fonts.fallback] : [])];
}

const isSpace = (cp: number) => cp === 0x20 || cp === 0xa0;

/** The fonts that print `texts`: DejaVu Sans always, the CJK fallback only when needed. */
export async function loadFontSet(texts: readonly string[]): Promise<FontSet> {
  const [regular, bold] = await Promise.all([loadFont('regular'), loadFont('bold')]);
  const lacking = new Set<number>();
  for (const t of texts) for (const ch of t) {
    const cp = ch.codePointAt(0)!;
    if (!regular.info.glyphId(cp) && !isSpace(cp)) lacking.add(cp);
  }
  const fallback = lacking.size > 0 ? await loadFont('cjk') : null;
  const missing = [...lacking].filter((cp) => !fallback?.info.glyphId(cp)).map((cp) => String.fromCodePoint(cp));
  return { regular, bold, fallback, missing };
}

/** `text` cut into runs of one font each: the wanted face, else regular, else the fallback. */
export function textRuns(text: string, bold: boolean, fonts: FontSet): TextRun[] {
  const runs: TextRun[] = [];
  const first = bold ? fonts.bold : fonts.regular;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let font = first;
    if (!first.info.glyphId(cp) && !isSpace(cp)) {
      if (fonts.regular.info.glyphId(cp)) font = fonts.regular;
      else if (fonts.fallback?.info.glyphId(cp)) font = fonts.fallback;
    }
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += ch;
    else runs.push({ text: ch, font });
  }
  return runs;
}

/** Advance width of `text` at `size` (same unit as size), from the fonts' hmtx; no kerning. */
export function runWidth(run: TextRun, size: number): number {
  let w = 0;
  for (const ch of run.text) w += run.font.info.advance(run.font.info.glyphId(ch.codePointAt(0)!));
  return w * size;
}

export function textWidth(text: string, size: number, bold: boolean, fonts: FontSet): number {
  return textRuns(text, bold, fonts).reduce((w, r) => w + runWidth(r, size), 0);
}
