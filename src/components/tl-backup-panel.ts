import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { buttonStyles, panelStyles } from './shared-styles';

/** What became of one run of a backup that was restored. */
export interface RestoreOutcome {
  run_id: string;
  status: 'restored' | 'already' | 'refused';
  detail: string;
}

/** The panel's state, kept by src/app/backup.ts (BackupController). */
export interface BackupView {
  busy: 'backup' | 'restore' | null;
  progress: number; // 0..1 while busy
  status: string; // what is under way
  error: string; // why the last action failed as a whole
  summary: string; // the last action's result in one line
  notes: string[]; // what the person should know besides (runs not backed up, snapshots left out)
  outcomes: RestoreOutcome[]; // a restore's result per run
}


const STATUS_TEXT: Record<RestoreOutcome['status'], string> = { restored: 'restored', already: 'already there', refused: 'refused' };

/**
 * Back up every stored run to one zip, and restore from such a zip: two buttons, the progress and
 * the result. Raises `backup-create`, `backup-restore` (detail: the File) and `backup-cancel`.
 */
@customElement('tl-backup-panel')
export class TlBackupPanel extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      :host { font-size: 0.85rem; }
      p { margin: 4px 0; }
      .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 6px 0; }
      progress { width: 260px; }
      ul { margin: 4px 0; padding-left: 20px; }
      th, td { text-align: left; }
      td.detail { white-space: normal; max-width: 720px; }
      td.refused { color: #b3261e; font-weight: 600; }
      input[type='file'] { display: none; }
    `,
  ];

  @property({ attribute: false }) view: BackupView = { busy: null, progress: 0, status: '', error: '', summary: '', notes: [], outcomes: [] };
  @property({ type: Number }) runCount = 0;
  @query('input[type=file]') private fileInput!: HTMLInputElement;

  private emit(name: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private picked(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // the same file may be picked again
    if (file) this.emit('backup-restore', file);
  }

  private renderOutcomes() {
    const o = this.view.outcomes;
    if (o.length === 0) return nothing;
    return html`<table aria-label="Restored runs">
      <thead><tr><th scope="col">Run</th><th scope="col">Result</th><th scope="col">Details</th></tr></thead>
      <tbody>${o.map((x) => html`<tr>
        <td>${x.run_id}</td><td class=${x.status}>${STATUS_TEXT[x.status]}</td><td class="detail">${x.detail}</td>
      </tr>`)}</tbody>
    </table>`;
  }

  render() {
    const v = this.view;
    const busy = v.busy !== null;
    return html`<section class="card" aria-label="Backup">
      <h2>Backup</h2>
      <p class="muted">Everything of every run in one zip: the run folders (as run.zip, without figures) plus what brings each run
        back exactly, resumable included. Restore it here, or in another browser.</p>
      <div class="actions">
        <button ?disabled=${busy || this.runCount === 0} @click=${() => this.emit('backup-create')}>Back up all runs</button>
        <button class="secondary" ?disabled=${busy} @click=${() => this.fileInput.click()}>Restore from backup…</button>
        <input type="file" name="restore-backup" accept=".zip,application/zip" tabindex="-1" aria-hidden="true" @change=${(e: Event) => this.picked(e)} />
        ${busy ? html`<button class="secondary" @click=${() => this.emit('backup-cancel')}>Cancel</button>` : nothing}
      </div>
      ${busy
        ? html`<progress max="1" .value=${v.progress} aria-label=${v.busy === 'backup' ? 'Backup progress' : 'Restore progress'}></progress>
            <p role="status">${v.status}</p>`
        : nothing}
      ${v.error ? html`<p class="error" role="alert">${v.error}</p>` : nothing}
      ${!busy && v.summary ? html`<p role="status" data-testid="backup-summary">${v.summary}</p>` : nothing}
      ${v.notes.length ? html`<ul aria-label="Backup notes">${v.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
      ${this.renderOutcomes()}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-backup-panel': TlBackupPanel;
  }
}
