import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RunRecord } from '../recorder/run-record';
import type { RunStore } from '../recorder/run-store';
import type { DataAccess } from '../app/run-continuation';
import { TryItController } from '../app/try-it';
import { Memo } from '../compare/memo';
import { DropTarget } from './drop-target';
import { buttonStyles, panelStyles } from './shared-styles';
import type { DrawingChange } from './tl-draw-canvas';
import './tl-draw-canvas';
import './tl-probability-bars';
import './tl-try-it-plane';
import './tl-try-it-row';

const IMAGE_TYPES = 'image/png,image/jpeg,image/webp,image/gif,image/bmp';

/**
 * Try it: a stored run's model on new input (a drawing, an image, a typed row, a point of the plane)
 * with its class probabilities as bars, and Predict a file. The work is the controller's
 * (src/app/try-it.ts, which runs the model in a worker of its own); this only shows its state.
 */
@customElement('tl-try-it')
export class TlTryIt extends LitElement {
  static styles = [
    panelStyles,
    buttonStyles,
    css`
      .body { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
      .input { display: flex; flex-direction: column; gap: 8px; }
      .output { flex: 1 1 260px; min-width: 220px; }
      .drop { border: 2px dashed #b8c0c8; border-radius: 6px; padding: 16px; text-align: center; }
      .drop.over { border-color: #0b5cad; background: #eef5fc; }
      .file { margin-top: 12px; display: flex; flex-direction: column; gap: 4px; }
      ul.notes { margin: 4px 0; padding-left: 18px; font-size: 0.85rem; }
    `,
  ];

  /** The run to try (its stored weights and preprocessing are read by id); reloaded when its weights change. */
  @property({ attribute: false }) record?: RunRecord;
  /** The page's run store; without it Try it opens a connection of its own. */
  @property({ attribute: false }) store?: Promise<RunStore | undefined>;
  /** Where a built-in set's split is rebuilt (Iris, 2-D sets); defaults to rebuilding built-in sets in the dataset worker. */
  @property({ attribute: false }) data?: DataAccess;

  private readonly tryIt = new TryItController(this, { store: () => this.store });
  private readonly dropImage = new DropTarget(this, (files) => {
    if (files[0]) void this.tryIt.image(new File([files[0].blob], files[0].name));
  });
  private opened = '';
  /** The clicked point's values for the form, made once per click: a new object would overwrite what the person typed since. */
  private readonly memo = new Memo();

  protected willUpdate(changed: PropertyValues<this>) {
    const r = this.record;
    if (changed.has('data')) this.tryIt.data = this.data;
    // Opened once per run: the controller follows the run's record in the store (new weights, its end).
    if (r && r.run_id !== this.opened) {
      this.opened = r.run_id;
      void this.tryIt.open(r.run_id);
    }
  }

  render() {
    const v = this.tryIt.view;
    return html`<section class="card" aria-label="Try it">
      <h2>Try it</h2>
      ${v.state === 'ready' ? this.renderReady() : html`<p class=${v.state === 'error' ? 'error' : 'muted'} role="status">${v.message}</p>`}
    </section>`;
  }

  private renderReady() {
    const v = this.tryIt.view;
    return html`<p class="muted">Give the model new input: ${v.weights}. It runs in a worker of its own, apart from any training.</p>
      <div class="body">
        <div class="input">${this.renderInput()}</div>
        <div class="output" aria-live="polite">
          ${v.inputError ? html`<p class="error" role="alert">${v.inputError}</p>` : nothing}
          ${v.probabilities ? nothing : html`<p class="muted">The class probabilities appear here.</p>`}
          <tl-probability-bars .classNames=${v.classNames} .probabilities=${v.probabilities}></tl-probability-bars>
          ${v.notes.length ? html`<ul class="notes">${v.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
        </div>
      </div>
      ${this.renderPredictFile()}`;
  }

  private renderInput() {
    const v = this.tryIt.view;
    const t = this.tryIt;
    switch (v.input) {
      case 'digits':
        return html`<tl-draw-canvas @drawing-change=${(e: CustomEvent<DrawingChange>) => t.drawing(e.detail.rgba, e.detail.width, e.detail.height)} @drawing-clear=${() => t.clear()}></tl-draw-canvas>
          <label>Or upload an image of a digit <input type="file" accept=${IMAGE_TYPES} @change=${this.pickImage} /></label>`;
      case 'images':
        return html`<p class="drop ${this.dropImage.over ? 'over' : ''}" @dragover=${this.dropImage.dragOver} @dragleave=${this.dropImage.dragLeave} @drop=${this.dropImage.drop}>Drop an image here</p>
          <label>Or choose an image <input type="file" accept=${IMAGE_TYPES} @change=${this.pickImage} /></label>`;
      case 'plane':
        return html`<tl-try-it-plane .plane=${v.plane} .picked=${v.picked} @plane-pick=${(e: CustomEvent<[number, number]>) => t.point(...e.detail)}></tl-try-it-plane>
          <span class="muted">Click the plane, or type a point:</span>
          <tl-try-it-row .fields=${v.fields} .values=${this.memo.get('picked', [v.picked, v.fields], () => (v.picked ? Object.fromEntries(v.fields.map((f, i) => [f.column, String(v.picked![i])])) : {}))}
            @row-submit=${(e: CustomEvent<Record<string, string>>) => this.pickPoint(e.detail)}></tl-try-it-row>`;
      default:
        return html`<tl-try-it-row .fields=${v.fields} @row-submit=${(e: CustomEvent<Record<string, string>>) => t.row(e.detail)}></tl-try-it-row>`;
    }
  }

  private renderPredictFile() {
    const v = this.tryIt.view;
    const images = v.input === 'digits' || v.input === 'images';
    return html`<div class="file">
      <h3>Predict a file</h3>
      <label>${images ? 'Images or a zip of images' : 'A table (CSV, TSV or TXT) with the feature columns'}: predictions as CSV
        <input type="file" aria-label="Predict a file" ?multiple=${images} accept=${images ? `${IMAGE_TYPES},.zip,application/zip` : '.csv,.tsv,.txt,text/csv,text/plain'}
          ?disabled=${!!v.busy} @change=${this.pickFiles} /></label>
      ${v.busy ? html`<span role="status">${v.busy}</span>` : nothing}
      ${v.fileMessage ? html`<span role="status" aria-label="Predict a file result" class=${v.fileMessage.startsWith('Predict a file failed') ? 'error' : 'muted'}>${v.fileMessage}</span>` : nothing}
    </div>`;
  }

  private readonly pickImage = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void this.tryIt.image(file);
    input.value = '';
  };

  private readonly pickFiles = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    void this.tryIt.predictFiles(files);
  };

  private pickPoint(cells: Record<string, string>) {
    const [x, y] = this.tryIt.view.fields.map((f) => Number(cells[f.column]));
    if (Number.isFinite(x) && Number.isFinite(y)) void this.tryIt.point(x, y);
    else void this.tryIt.row(cells);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-try-it': TlTryIt;
  }
}
