import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OwnDataBusy, OwnImages, OwnTable } from '../app/own-data';
import type { OwnDatasetMeta } from '../recorder/dataset-store';
import { COLOR_MODES, IMAGE_SIZES, type ImageLoadOptions } from '../training/datasets/images/image-limits';
import type { Dataset } from '../training/types';
import { buttonStyles, panelStyles } from './shared-styles';
import { selectField } from './fields';
import './tl-own-data-source';
import './tl-table-preview';
import './tl-image-samples';

/** What the panel shows of the Lab's own-data controller (src/app/own-data.ts). */
export interface OwnDataView {
  busy: OwnDataBusy | null;
  error: string;
  notes: string[];
  table: OwnTable | null;
  images: OwnImages | null;
  offer: OwnDatasetMeta | null;
  current: { name: string; bytes: number; sha256: string } | null;
  wanted: { name: string; sha256: string } | null;
  dataset: Dataset | null; // the prepared dataset (for image samples)
  imageOptions: ImageLoadOptions;
}

const SKIPPED_SHOWN = 10;

/** A person's own data in the Dataset panel: choose it, follow its reading, preview and choose how to use it. */
@customElement('tl-own-data-panel')
export class TlOwnDataPanel extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      :host { display: block; }
      .wanted, .warning { color: #8a5a00; }
      ul.notes { margin: 6px 0; padding-left: 18px; font-size: 0.85rem; }
      details { font-size: 0.85rem; margin: 6px 0; }
      .image-options { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0; }
    `,
  ];

  @property({ attribute: false }) view?: OwnDataView;

  render() {
    const v = this.view;
    if (!v) return nothing;
    return html`${v.wanted
        ? html`<p class="wanted" role="status">This address trains on <strong>${v.wanted.name}</strong> (SHA-256 ${v.wanted.sha256.slice(0, 12)}…), which is not kept in this browser: choose that file.</p>`
        : nothing}
      <tl-own-data-source .busy=${v.busy} .error=${v.error} .offer=${v.offer ? { name: v.offer.name, bytes: v.offer.bytes, savedAt: v.offer.saved_at } : null} .current=${v.current}></tl-own-data-source>
      ${v.notes.length ? html`<ul class="notes" role="status">${v.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
      ${v.table ? this.renderTable(v.table) : nothing}
      ${v.images ? this.renderImages(v.images, v) : nothing}`;
  }

  private renderTable(t: OwnTable) {
    return html`<tl-table-preview .table=${t.read.table} .totalRows=${t.read.totalRows} .profiles=${t.read.profiles} .choice=${t.choice} .readOptions=${t.read.table.source} .problems=${t.problems}></tl-table-preview>`;
  }

  private renderImages(im: OwnImages, v: OwnDataView) {
    const o = v.imageOptions;
    const p = im.plan;
    return html`<div class="image-options">
        ${selectField({ label: 'Image size', name: 'isize', value: String(o.size), options: IMAGE_SIZES.map((s) => ({ value: String(s), label: `${s}×${s}` })), onValue: (size) => this.raiseImage({ ...o, size: Number(size) as ImageLoadOptions['size'] }) })}
        ${selectField({ label: 'Colour', name: 'icolor', value: o.color, options: COLOR_MODES.map((c) => ({ value: c, label: c === 'rgb' ? 'RGB' : 'grayscale' })), onValue: (color) => this.raiseImage({ ...o, color }) })}
      </div>
      <p class="muted">${p.name}: ${p.imageCount.toLocaleString('en-US')} images in ${p.classes.length} classes (${p.classes.map((c) => `${c.name} ${c.count}`).join(', ')}).</p>
      ${im.memoryWarning
        ? html`<p class="warning" role="alert">${im.memoryWarning}</p><button @click=${() => this.raise('own-data-load-anyway')}>Load anyway</button>`
        : nothing}
      ${this.renderSkipped(im.loaded?.info.skipped ?? p.skipped)}
      ${v.dataset && v.dataset.kind === 'image' ? html`<tl-image-samples .data=${v.dataset}></tl-image-samples>` : nothing}`;
  }

  /** Files left out (not images, unreadable, undecodable), listed with why. */
  private renderSkipped(skipped: readonly { path: string; reason: string }[]) {
    if (skipped.length === 0) return nothing;
    const more = skipped.length - SKIPPED_SHOWN;
    return html`<details><summary>${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped</summary>
      <ul>${skipped.slice(0, SKIPPED_SHOWN).map((s) => html`<li>${s.path}: ${s.reason}</li>`)}${more > 0 ? html`<li>… and ${more} more</li>` : nothing}</ul></details>`;
  }

  private raiseImage(detail: ImageLoadOptions) {
    this.dispatchEvent(new CustomEvent<ImageLoadOptions>('own-image-options', { detail, bubbles: true, composed: true }));
  }

  private raise(name: 'own-data-load-anyway') {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-own-data-panel': TlOwnDataPanel;
  }
  interface HTMLElementEventMap {
    'own-image-options': CustomEvent<ImageLoadOptions>;
    'own-data-load-anyway': CustomEvent<null>;
  }
}
