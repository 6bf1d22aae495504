// Just enough TrueType parsing to lay text out the same way in both back ends: which code points a
// font has (cmap formats 4 and 12), their advance widths (hmtx) and the vertical metrics.

export interface TtfInfo {
  unitsPerEm: number;
  ascent: number; // em, from hhea
  descent: number; // em, positive
  capHeight: number; // em, from OS/2 (0.7 when absent)
  glyphId(cp: number): number; // 0 = missing
  advance(glyph: number): number; // em
}

export function parseTtf(buffer: ArrayBuffer): TtfInfo {
  const v = new DataView(buffer);
  const numTables = v.getUint16(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(v.getUint8(rec), v.getUint8(rec + 1), v.getUint8(rec + 2), v.getUint8(rec + 3));
    tables.set(tag, v.getUint32(rec + 8));
  }
  const need = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`font has no ${tag} table`);
    return off;
  };
  const head = need('head');
  const hhea = need('hhea');
  const hmtx = need('hmtx');
  const unitsPerEm = v.getUint16(head + 18);
  const numHMetrics = v.getUint16(hhea + 34);
  const os2 = tables.get('OS/2');
  const capHeight = os2 !== undefined && v.getUint16(os2) >= 2 ? v.getInt16(os2 + 88) / unitsPerEm : 0.7;
  return {
    unitsPerEm,
    ascent: v.getInt16(hhea + 4) / unitsPerEm,
    descent: -v.getInt16(hhea + 6) / unitsPerEm,
    capHeight,
    glyphId: cmapLookup(v, need('cmap')),
    advance: (g) => v.getUint16(hmtx + 4 * Math.min(g, numHMetrics - 1)) / unitsPerEm,
  };
}

function cmapLookup(v: DataView, cmap: number): (cp: number) => number {
  const n = v.getUint16(cmap + 2);
  let f4 = -1;
  let f12 = -1;
  for (let i = 0; i < n; i++) {
    const platform = v.getUint16(cmap + 4 + 8 * i);
    const encoding = v.getUint16(cmap + 6 + 8 * i);
    const sub = cmap + v.getUint32(cmap + 8 + 8 * i);
    const format = v.getUint16(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && f12 < 0) f12 = sub;
    if (format === 4 && f4 < 0) f4 = sub;
  }
  if (f12 >= 0) {
    const groups = v.getUint32(f12 + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = f12 + 16 + 12 * mid;
        const start = v.getUint32(g);
        const end = v.getUint32(g + 4);
        if (cp < start) hi = mid - 1;
        else if (cp > end) lo = mid + 1;
        else return v.getUint32(g + 8) + (cp - start);
      }
      return 0;
    };
  }
  if (f4 < 0) throw new Error('font has no Unicode cmap (format 4 or 12)');
  const segX2 = v.getUint16(f4 + 6);
  const ends = f4 + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segX2; s += 2) {
      if (cp > v.getUint16(ends + s)) continue;
      const start = v.getUint16(starts + s);
      if (cp < start) return 0;
      const delta = v.getInt16(deltas + s);
      const ro = v.getUint16(rangeOffsets + s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = v.getUint16(rangeOffsets + s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}
