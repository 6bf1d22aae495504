// Small helpers for the plain-text files: monospace column alignment that counts East Asian wide
// characters as two cells, thousands separators and times, all independent of the machine's locale.
import type { LrSchedule, ModelSpec } from '../training/types';

/** Terminal cell width: 2 for East Asian wide / fullwidth characters, 0 for combining marks. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (/\p{Mn}|\p{Me}/u.test(ch)) continue;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

export const padEnd = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - displayWidth(s)));
export const padStart = (s: string, width: number): string => ' '.repeat(Math.max(0, width - displayWidth(s))) + s;

/** 3349190 → "3,349,190" regardless of locale. */
export function thousands(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-' : '') + grouped + (frac ? `.${frac}` : '');
}

/** "2026-11-26T19:20:00.123+01:00" → "2026-11-26 19:20:00 +01:00": the recorded local time, kept. */
export function humanTime(iso: string | null): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] ? ` ${m[3] === 'Z' ? '+00:00' : m[3]}` : ''}`;
}

export const fixed = (x: number | null | undefined, digits: number): string =>
  x === null || x === undefined ? '—' : Number.isFinite(x) ? x.toFixed(digits) : String(x);

export const percent = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${fixed(x, 2)} %`);

export function describeModel(spec: ModelSpec): string {
  if (spec.kind === 'mlp') {
    return `hidden layers [${spec.hidden.join(', ')}], ${spec.activation}, dropout ${spec.dropout}`;
  }
  return `conv filters [${spec.filters.join(', ')}], kernel ${spec.kernelSize}×${spec.kernelSize}, ` +
    `dense ${spec.dense || 'none'}, ${spec.activation}, dropout ${spec.dropout}`;
}

export function describeSchedule(s: LrSchedule): string {
  switch (s.kind) {
    case 'constant':
      return 'constant';
    case 'step':
      return `step: × ${s.gamma} every ${s.stepSize} epochs`;
    case 'cosine':
      return `cosine to ${s.minLr}`;
    case 'plateau':
      return `on plateau: × ${s.factor} after ${s.patience} epochs without improvement, min ${s.minLr}`;
  }
}

/**
 * Rows of cells as an aligned table; `align` per column ('l' or 'r'); columns joined by two spaces.
 * With `maxWidth`, a first cell too long for the line wraps onto continuation lines of its own.
 */
export function table(rows: string[][], align: string, maxWidth = Infinity): string[] {
  const rest = (r: string[]) => r.slice(1);
  const restWidths = rows[0].slice(1).map((_, j) => Math.max(...rows.map((r) => displayWidth(rest(r)[j] ?? ''))));
  const firstMax = Math.max(8, maxWidth - restWidths.reduce((a, w) => a + w + 2, 0));
  const split = rows.map((r) => (displayWidth(r[0]) > firstMax ? wrapWords(r[0], firstMax - 2).map((s, i) => (i ? `  ${s}` : s)) : [r[0]]));
  const widths = [Math.max(...split.flat().map(displayWidth)), ...restWidths];
  const line = (r: string[]) =>
    r.map((cell, j) => (align[j] === 'r' ? padStart(cell, widths[j]) : padEnd(cell, widths[j]))).join('  ').trimEnd();
  return rows.flatMap((r, i) => [line([split[i][0], ...rest(r)]), ...split[i].slice(1).map((s) => line([s]))]);
}

/** "Label:" padded so that the values line up; long values wrap under themselves; '' continues the previous label. */
export function fieldLines(pairs: readonly (readonly [string, string])[], width: number): string[] {
  const w = Math.max(...pairs.map(([k]) => displayWidth(k))) + 2;
  return pairs.flatMap(([k, v]) => wrapWords(v, width - w).map((line, i) => `${padEnd(i === 0 && k ? `${k}:` : '', w)}${line}`));
}

/** Greedy word wrap; a single word longer than the width stays whole. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && displayWidth(line) + 1 + displayWidth(word) > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}
