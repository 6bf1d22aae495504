// Entry labels: full text, wrapped; shortened with an ellipsis in the middle only when it cannot fit
// in the lines allowed, and then in a way that keeps every entry's label distinct (the reference
// cut labels to their last six characters, so different runs printed the same).
import { measure, wrapText } from '../draw-api';
import type { FontSet } from '../fonts';
import type { CompareEntry } from './types';

const ELLIPSIS = '…';

/**
 * The label each entry prints: its own, told apart from an identical one by the rest of its id
 * ("complex_cnn · 20251103_101500"), with the run count of a group.
 */
export function displayLabels(entries: readonly CompareEntry[], grouped: boolean): string[] {
  const count = new Map<string, number>();
  for (const e of entries) count.set(e.label, (count.get(e.label) ?? 0) + 1);
  const seen = new Set<string>();
  return entries.map((e, i) => {
    let label = e.label.trim() || e.id;
    if ((count.get(e.label) ?? 0) > 1) {
      const rest = e.id.startsWith(e.label) ? e.id.slice(e.label.length).replace(/^[\s_\-.:·]+/, '') : e.id;
      label = rest && rest !== label ? `${label} · ${rest}` : label;
    }
    if (seen.has(label)) label = `${label} #${i + 1}`;
    seen.add(label);
    // No spaces inside "(n=5)", so a wrap keeps it whole; a label that already states its n keeps that n.
    const stated = /\s*\(n\s*=\s*(\d+)\)\s*$/.exec(label);
    if (stated) return `${label.slice(0, stated.index)} (n=${stated[1]})`;
    return grouped ? `${label} (n=${e.n})` : label;
  });
}

/** `text` with characters taken out of its middle (a share `bias` of the kept ones from the front) so it has `kept` characters. */
function cut(chars: string[], kept: number, bias: number): string {
  const head = Math.round(kept * bias);
  return chars.slice(0, head).join('').trimEnd() + ELLIPSIS + chars.slice(chars.length - (kept - head)).join('').trimStart();
}

/** The longest middle-shortened form of `text` for which `ok` holds (the text itself when it does). */
function shorten(text: string, bias: number, ok: (s: string) => boolean): string {
  if (ok(text)) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(cut(chars, mid, bias))) lo = mid;
    else hi = mid - 1;
  }
  return cut(chars, lo, bias);
}

/** One line no wider than `maxWidth`: the text, or it shortened in the middle. */
export function middleEllipsis(fonts: FontSet, text: string, size: number, maxWidth: number, bias = 0.5, bold = false): string {
  return shorten(text, bias, (s) => measure(fonts, s, size, bold) <= maxWidth);
}

/** `text` wrapped to at most `maxLines` lines of `maxWidth`, shortened in the middle when it needs more. */
export function fitLabel(fonts: FontSet, text: string, size: number, maxWidth: number, maxLines: number, bias = 0.5): string[] {
  const wrap = (s: string) => wrapText(fonts, s, size, maxWidth);
  const fitted = shorten(text, bias, (s) => wrap(s).length <= maxLines);
  return wrap(fitted);
}

const BIASES = [0.5, 0.35, 0.65, 0.2, 0.8, 0.08, 0.92];

/** fitLabel for every text, choosing where to cut so that no two different texts print the same. */
export function fitLabels(fonts: FontSet, texts: readonly string[], size: number, maxWidth: number, maxLines: number): string[][] {
  const used = new Set<string>();
  return texts.map((text) => {
    let best: string[] | null = null;
    for (const bias of BIASES) {
      const lines = fitLabel(fonts, text, size, maxWidth, maxLines, bias);
      best ??= lines;
      if (!used.has(lines.join(' '))) {
        best = lines;
        break;
      }
      if (lines.join(' ') === text) break; // not shortened: every bias gives the same
    }
    used.add(best!.join(' '));
    return best!;
  });
}
