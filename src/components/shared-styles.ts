import { css } from 'lit';

/** Styles shared by the panels: cards, labelled fields, inline error messages, tables. */
export const panelStyles = css`
  :host { display: block; }
  section.card { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px 16px; }
  h2 { font-size: 1.05rem; margin: 0 0 8px; }
  h3 { font-size: 0.95rem; margin: 12px 0 6px; }
  .fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px 12px; }
  label { display: flex; flex-direction: column; font-size: 0.85rem; gap: 2px; }
  label.checkbox { flex-direction: row; align-items: center; gap: 6px; }
  input, select { font: inherit; padding: 3px 4px; border: 1px solid #b8c0c8; border-radius: 4px; }
  input[aria-invalid='true'] { border-color: #b3261e; background: #fff4f3; }
  .error { color: #b3261e; font-size: 0.8rem; }
  .muted { color: #5b6570; font-size: 0.85rem; }
  table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
  th, td { border-bottom: 1px solid #e4e8ec; padding: 2px 8px; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
`;

/** Primary and secondary buttons (the first is the action, `.secondary` the alternative). */
export const buttonStyles = css`
  button { font: inherit; padding: 5px 16px; border-radius: 6px; border: 1px solid #0b5cad; background: #0b5cad; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #0b5cad; }
  button:disabled { opacity: 0.45; cursor: not-allowed; }
`;
