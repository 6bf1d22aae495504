// The Compare table's layout when it holds many runs: which rows to draw for a scroll position
// (only those in and near the view exist, all one line and one height) and column widths that
// come from every run's text, not from the rows drawn, so the columns stay put while it scrolls.
// Pure: no DOM.
import type { RunRecord } from '../recorder/run-record';
import { cellText, type CompareColumn } from './run-columns';

/** Rows [first, last) of the table's body. */
export interface RowWindow {
  first: number;
  last: number;
}

/**
 * The rows to draw of `count` rows `rowPx` tall when the view shows `heightPx` of the body from
 * `topPx` below its first row, and `overscan` more on each side.
 */
export function rowWindow(count: number, rowPx: number, topPx: number, heightPx: number, overscan: number): RowWindow {
  if (!(rowPx > 0) || count <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.min(count, Math.floor(Math.max(0, topPx) / rowPx) - overscan));
  const last = Math.max(first, Math.min(count, Math.ceil((Math.max(0, topPx) + Math.max(0, heightPx)) / rowPx) + overscan));
  return { first, last };
}

/** Widths in characters: a text column between these (longer text is cut with an ellipsis, its cell's title has it all). */
const TEXT_CH = { min: 6, max: 28 };
const OTHER_CH = { min: 3, max: 24 };
/** A header's sort mark (" ▼") and bold text's extra width. */
const SORT_MARK_CH = 2;
const BOLD = 1.08;
/** A header wraps at its spaces down to this width (or its longest word). */
const HEADER_CH = 10;

/**
 * Each column's width in characters: its longest cell among all `runs` (within bounds), or what its
 * header needs, wrapped at spaces to about HEADER_CH, whichever is wider.
 */
export function columnChars(columns: readonly CompareColumn[], runs: readonly RunRecord[]): number[] {
  return columns.map((c) => {
    let longest = 0;
    for (const r of runs) longest = Math.max(longest, cellText(c, r).length);
    const { min, max } = c.kind === 'text' ? TEXT_CH : OTHER_CH;
    const word = Math.max(...c.label.split(' ').map((w) => w.length));
    const header = Math.min(c.label.length, Math.max(word, HEADER_CH)) + SORT_MARK_CH;
    return Math.ceil(Math.max(Math.min(max, longest * BOLD), min, header));
  });
}
