import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { formatBytes } from '../units';
import type { SourceFile } from '../compare/import-sources';
import { DropTarget } from './drop-target';
import { buttonStyles, panelStyles } from './shared-styles';

/** Files chosen or dropped: a table file (CSV, TSV, TXT, zip), or the files of an image folder. */
export interface OwnDataFiles {
  files: File[];
  /** Per file, its path: relative to the folder chosen or dropped, with that folder's name first ("flowers/rose/1.jpg"); the file's name otherwise. */
  paths: string[];
  /** A folder was chosen or dropped (its files are listed, walked through its subfolders). */
  folder: boolean;
}

/** A long read under way: what it does, how far it is (total 0: unknown). */
export interface OwnDataBusy {
  label: string;
  done: number;
  total: number;
}

/** The dataset kept in this browser from last time. */
export interface OwnDataOffer {
  name: string;
  bytes: number;
  savedAt: string; // ISO 8601
}

/** The dataset loaded now. */
export interface OwnDataCurrent {
  name: string;
  bytes: number;
  sha256: string; // hex
  kept?: boolean; // a copy is kept in this browser
}

/** How much of the SHA-256 the page shows: enough to tell two files apart at a glance. */
const HASH_SHOWN = 12;

/**
 * "Your data": choose a table file or an image folder, drop files or a folder, or paste a table.
 * Reads nothing itself: raises `own-data-files`, `own-data-text`, and `own-data-cancel`,
 * `own-data-reuse`, `own-data-forget` (no detail) for the progress and the kept dataset.
 */
@customElement('tl-own-data-source')
export class TlOwnDataSource extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 6px 0; }
      .drop { border: 2px dashed #b8c0c8; border-radius: 8px; padding: 10px 14px; color: #5b6570; font-size: 0.9rem; margin: 6px 0; }
      .drop.over { border-color: #0b5cad; background: #eef5fc; }
      .paste { display: flex; flex-direction: column; gap: 6px; align-items: flex-start; }
      .paste label { align-self: stretch; }
      textarea { font: 0.8rem ui-monospace, monospace; min-height: 8em; padding: 4px; border: 1px solid #b8c0c8; border-radius: 4px; resize: vertical; }
      progress { width: 260px; }
      p { margin: 6px 0; }
      code { font-size: 0.85em; }
      input[type='file'] { display: none; }
    `,
  ];

  @property({ attribute: false }) busy: OwnDataBusy | null = null;
  @property() error = '';
  @property({ attribute: false }) offer: OwnDataOffer | null = null;
  @property({ attribute: false }) current: OwnDataCurrent | null = null;
  @state() private pasteOpen = false;
  @state() private pasted = '';
  @query('input[name=own-file]') private fileInput!: HTMLInputElement;
  @query('input[name=own-folder]') private folderInput!: HTMLInputElement;
  private readonly dropTarget = new DropTarget(this, (dropped) => this.dropped(dropped));

  render() {
    const busy = this.busy !== null;
    return html`<div class="actions">
        <button @click=${() => this.fileInput.click()} ?disabled=${busy}>Choose file</button>
        <button class="secondary" @click=${() => this.folderInput.click()} ?disabled=${busy}>Choose folder</button>
        <button class="secondary" aria-expanded=${this.pasteOpen ? 'true' : 'false'} aria-controls=${this.pasteOpen ? 'paste' : nothing} @click=${() => (this.pasteOpen = !this.pasteOpen)}>Paste</button>
        <input type="file" name="own-file" accept=".csv,.tsv,.txt,.zip,text/csv" aria-label="Choose a table file (CSV, TSV, TXT) or a zip of image folders" @change=${(e: Event) => this.picked(e, false)} />
        <input type="file" name="own-folder" webkitdirectory aria-label="Choose a folder of images, one subfolder per class" @change=${(e: Event) => this.picked(e, true)} />
      </div>
      ${this.pasteOpen ? this.renderPaste(busy) : nothing}
      <p class="drop ${this.dropTarget.over ? 'over' : ''}" @dragover=${this.dropTarget.dragOver} @dragleave=${this.dropTarget.dragLeave} @drop=${this.dropTarget.drop}>
        Or drop a file or a folder here: a table (<code>.csv</code>, <code>.tsv</code>, <code>.txt</code>) with one row per sample and a label column,
        or a folder of images with one subfolder per class. Nothing leaves this browser.
      </p>
      ${this.busy ? this.renderBusy(this.busy) : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.offer ? this.renderOffer(this.offer, busy) : nothing}
      ${this.current ? this.renderCurrent(this.current) : nothing}`;
  }

  private renderPaste(busy: boolean) {
    return html`<div class="paste" id="paste">
      <label>Pasted table (the first row may name the columns)
        <textarea name="own-text" spellcheck="false" .value=${this.pasted} @input=${(e: Event) => (this.pasted = (e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      <button @click=${this.usePasted} ?disabled=${busy || this.pasted.trim() === ''}>Use pasted text</button>
    </div>`;
  }

  private renderBusy(b: OwnDataBusy) {
    const known = b.total > 0;
    const percent = known ? ` ${Math.min(100, Math.floor((100 * b.done) / b.total))} %` : '';
    return html`<div class="actions">
      ${known ? html`<progress aria-label=${b.label} max=${b.total} .value=${Math.min(b.done, b.total)}></progress>` : html`<progress aria-label=${b.label}></progress>`}
      <span>${b.label}${percent}</span>
      <button class="secondary" @click=${() => this.raise('own-data-cancel', null)}>Cancel</button>
    </div>`;
  }

  private renderOffer(o: OwnDataOffer, busy: boolean) {
    const saved = new Date(o.savedAt);
    return html`<div class="actions">
      <span>Use your last dataset: ${o.name} (${formatBytes(o.bytes)}, kept in this browser)${Number.isNaN(saved.getTime())
        ? nothing
        : html`, saved <time datetime=${o.savedAt}>${saved.toLocaleString()}</time>`}</span>
      <button @click=${() => this.raise('own-data-reuse', null)} ?disabled=${busy}>Use it</button>
      <button class="secondary" @click=${() => this.raise('own-data-forget', null)} ?disabled=${busy}>Forget</button>
    </div>`;
  }

  private renderCurrent(c: OwnDataCurrent) {
    return html`<p class="muted">Loaded: <strong>${c.name}</strong> (${formatBytes(c.bytes)}, SHA-256 <code title=${c.sha256}>${c.sha256.slice(0, HASH_SHOWN)}…</code>)${c.kept
        ? html`, kept in this browser <button class="secondary" @click=${() => this.raise('own-data-forget-current', null)}>Forget the kept copy</button>`
        : nothing}</p>`;
  }

  private usePasted = () => {
    if (this.pasted.trim()) this.raise('own-data-text', { text: this.pasted });
  };

  private picked(e: Event, folder: boolean) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = ''; // picking the same file again must fire change again
    if (files.length) this.raise('own-data-files', { files, paths: files.map((f) => f.webkitRelativePath || f.name), folder });
  }

  private dropped(dropped: SourceFile[]) {
    if (this.busy) return;
    const files = dropped.map((s) => (s.blob instanceof File ? s.blob : new File([s.blob], s.name)));
    // A walked folder's files have paths under it ("flowers/rose/1.jpg"); a dropped file has its name.
    this.raise('own-data-files', { files, paths: dropped.map((s) => s.path), folder: dropped.some((s) => s.path.includes('/')) });
  }

  private raise<K extends keyof OwnDataEvents>(type: K, detail: OwnDataEvents[K]) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

interface OwnDataEvents {
  'own-data-files': OwnDataFiles;
  'own-data-text': { text: string };
  'own-data-cancel': null;
  'own-data-reuse': null;
  'own-data-forget': null;
  'own-data-forget-current': null;
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-own-data-source': TlOwnDataSource;
  }
  interface HTMLElementEventMap {
    'own-data-files': CustomEvent<OwnDataFiles>;
    'own-data-text': CustomEvent<{ text: string }>;
    'own-data-cancel': CustomEvent<null>;
    'own-data-reuse': CustomEvent<null>;
    'own-data-forget': CustomEvent<null>;
    'own-data-forget-current': CustomEvent<null>;
  }
}
