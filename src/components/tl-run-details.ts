import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import { describeRun, type Field, type FieldValue, type RunSection } from '../export/run-description';
import { fixed, thousands } from '../export/text-format';
import { panelStyles } from './shared-styles';

/** A field with the lines that continue it (fields whose label is empty). */
interface Row {
  label: string;
  values: FieldValue[];
}

function rowsOf(fields: readonly Field[]): Row[] {
  const rows: Row[] = [];
  for (const [label, value] of fields) {
    const last = rows[rows.length - 1];
    if (label === '' && last) last.values.push(value);
    else rows.push({ label, values: [value] });
  }
  return rows;
}

/** What a run was, in words: its model, training, data (with the class counts per split) and environment. */
@customElement('tl-run-details')
export class TlRunDetails extends LitElement {
  static styles = [
    panelStyles,
    css`
      .sections { columns: 3 340px; column-gap: 24px; }
      .sections > section { break-inside: avoid; margin-bottom: 12px; }
      .sections h3 { margin-top: 0; }
      table.fields-table { width: 100%; }
      table.fields-table th { text-align: left; font-weight: 600; white-space: nowrap; vertical-align: top; padding-right: 12px; }
      table.fields-table td { text-align: left; overflow-wrap: anywhere; vertical-align: top; }
      .more { color: #3d4650; }
      ul { margin: 0; padding-left: 1.1em; }
    `,
  ];

  @property({ attribute: false }) record?: RunRecord;

  render() {
    const r = this.record;
    if (!r) return nothing;
    return html`<div class="sections">${describeRun(r).map((s) => this.renderSection(s, r))}</div>`;
  }

  private renderSection(s: RunSection, r: RunRecord) {
    return html`<section>
      <h3>${s.title}</h3>
      <table class="fields-table" aria-label=${s.title}>
        <tbody>${rowsOf(s.fields).map((row) => html`<tr><th scope="row">${row.label}</th><td>${row.values.map((v, i) => this.renderValue(v, i > 0))}</td></tr>`)}</tbody>
      </table>
      ${s.title === 'Data' ? this.renderSplit(r) : nothing}
    </section>`;
  }

  private renderValue(v: FieldValue, more: boolean) {
    if (typeof v !== 'string') return html`<ul>${v.map((item) => html`<li>${item}</li>`)}</ul>`;
    return more ? html`<div class="more">${v}</div>` : html`<div>${v}</div>`;
  }

  /** The class counts per split, with the loss's class weights when it had them. */
  private renderSplit(r: RunRecord) {
    const d = r.dataset.class_distribution;
    if (!d) return nothing;
    const w = r.config.class_weight_values ?? null;
    const count = (n: number | undefined | null) => (n === undefined || n === null ? '–' : thousands(n));
    return html`<table aria-label="Class counts per split">
      <thead><tr><th>class</th><th>train</th><th>validation</th><th>test</th>${w ? html`<th>weight</th>` : nothing}</tr></thead>
      <tbody>${r.dataset.class_names.map((n, i) => html`<tr><td>${n}</td><td>${count(d.train[i])}</td><td>${count(d.val[i])}</td><td>${count(d.test[i])}</td>${w ? html`<td>${fixed(w[i], 4)}</td>` : nothing}</tr>`)}</tbody>
      <tfoot><tr><td>total</td><td>${count(r.dataset.num_train_samples)}</td><td>${count(r.dataset.num_val_samples)}</td><td>${count(r.dataset.num_test_samples)}</td>${w ? html`<td></td>` : nothing}</tr></tfoot>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-run-details': TlRunDetails;
  }
}
