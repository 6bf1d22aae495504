// The Runs list's styles: a grid of rows laid out alike, and the windowed body of a long list.
import { css } from 'lit';
import { ROW_REM } from './run-list-window';

export const runListStyles = css`
  .filters { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; align-items: end; }
  /* A grid of rows laid out alike: every row is its own CSS grid, with widths that depend on the
     list's width only, never on content, so that the rows of a window line up with the header. */
  table.grid, table.grid thead, table.grid tbody { display: block; }
  /* Off screen (below an open run, say), rows are neither laid out nor painted: a window's body at
     once, a short list's rows each (a wrapped row keeps its height once laid out). */
  tbody:not(.window) tr { content-visibility: auto; contain-intrinsic-size: auto ${ROW_REM}rem; }
  /* A window: rows of one line and one height; the body keeps the whole list's height (set with its
     padding above the first row drawn: RowWindowController.range). */
  tbody.window { box-sizing: border-box; content-visibility: auto; }
  tbody.window tr { height: ${ROW_REM}rem; }
  tbody.window td { white-space: nowrap; }
  tbody.window td br { display: none; }
  tbody.window .origin::before { content: ' · '; }
  tbody.window form.edit { flex-wrap: nowrap; }
  tbody.window form.edit input { min-width: 4em; flex: 1 1 4em; }
  table.grid { min-width: 88em; }
  table.grid tr {
    display: grid; align-items: center; width: 100%; box-sizing: border-box; border-bottom: 1px solid #e4e8ec;
    grid-template-columns: 2.2em minmax(12em, 2.4fr) minmax(8em, 1.4fr) minmax(7em, 1fr) 7.5em 6em 6.5em 6em 12em 20.5em;
  }
  table.grid thead tr { align-items: end; }
  table.grid th, table.grid td { display: block; min-width: 0; border-bottom: none; }
  table.grid thead { position: sticky; top: 0; z-index: 1; background: #fff; }
  table.grid tr[aria-selected='true'] { background: #eef5fc; }
  th button { all: unset; cursor: pointer; font-weight: 600; }
  th button:focus-visible { outline: 2px solid #0b5cad; }
  td.actions { white-space: nowrap; }
  td.actions button, .confirm button { font: inherit; font-size: 0.8rem; padding: 1px 8px; margin-left: 4px; }
  .status-running { color: #0b5cad; } .status-interrupted, .status-diverged, .status-failed { color: #b3261e; }
  .origin { font-size: 0.75rem; color: #5b6570; overflow-wrap: anywhere; }
  .tag { display: inline-block; background: #e8eef5; border-radius: 8px; padding: 0 6px; margin: 0 2px; font-size: 0.75rem; }
  .confirm { background: #fff4f3; border: 1px solid #b3261e; border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
  td.text, th.text { text-align: left; overflow-wrap: anywhere; }
  td:not(.text) { white-space: nowrap; }
  td:not(.pick):not(.actions):not(.editing) { overflow: hidden; text-overflow: ellipsis; } /* focus rings stay whole */
  button.compare { font: inherit; font-size: 0.85rem; padding: 2px 10px; }
  form.edit { display: flex; flex-wrap: wrap; gap: 4px; }
  form.edit input { font: inherit; font-size: 0.85rem; flex: 1 1 12em; }
  form.edit button { font: inherit; font-size: 0.8rem; padding: 1px 8px; white-space: nowrap; }
`;
