import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { cellText, dynamicsView, leftOutText, NO_ROWS_COLOR, type DynamicsView } from '../export/class-dynamics';
import { heatColor } from '../export/figures/confusion';
import type { ClassRecallEpoch } from '../training/learned-types';
import { panelStyles } from './shared-styles';
import { styleProps } from './style-props';
import { Memo } from '../compare/memo';

/** Row height (CSS px) for a number of classes shown. */
const rowHeight = (n: number) => (n <= 10 ? 18 : n <= 25 ? 12 : 8);
const SCALE = Array.from({ length: 9 }, (_, i) => `${heatColor(i / 8)} ${(i / 8) * 100}%`).join(', ');

/**
 * Learning dynamics: each class's validation recall per epoch as a heatmap (rows: classes, up to 50;
 * columns: epochs), on the confusion matrix's colour scale, with a legend. Hovering a cell, or moving
 * through the cells with the arrow keys once the map has focus, says its epoch, class and recall.
 */
@customElement('tl-class-dynamics')
export class TlClassDynamics extends LitElement {
  static styles = [
    panelStyles,
    css`
      .map { display: grid; grid-template-columns: auto 1fr; column-gap: 6px; align-items: start; }
      .names { font-size: 0.75rem; text-align: right; color: #3d4650; }
      .names div { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; max-width: 12rem; }
      canvas { width: 100%; display: block; cursor: crosshair; outline-offset: 2px; }
      canvas:focus-visible { outline: 2px solid #0b5cad; }
      .epochs { grid-column: 2; display: flex; justify-content: space-between; font-size: 0.75rem; color: #5b6570; }
      .readout { min-height: 1.3em; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin: 4px 0; }
      .legend { display: flex; align-items: center; gap: 8px; font-size: 0.75rem; color: #3d4650; flex-wrap: wrap; }
      .bar { width: 160px; height: 10px; border: 1px solid #9aa3ad; }
      .swatch { display: inline-block; width: 14px; height: 10px; border: 1px solid #9aa3ad; vertical-align: middle; }
    `,
  ];

  @property({ attribute: false }) classNames: string[] = [];
  @property({ attribute: false }) history: ClassRecallEpoch[] = [];
  /** What is said while there is no epoch to show. */
  @property() emptyText = 'No per-class recall recorded yet.';
  /** The cell under the pointer or the keyboard's focus: [row, column]. */
  @state() private active: [number, number] | null = null;
  @query('canvas') private canvas?: HTMLCanvasElement;
  private readonly memo = new Memo();
  /** Reports the canvas's size after layout: reading it while drawing would force a layout of the page. */
  private readonly resize = new ResizeObserver((entries) => this.resized(entries.at(-1)!));
  private observed?: HTMLCanvasElement;
  /** The canvas's size in device pixels, as last reported; null until its first report. */
  private size: { width: number; height: number } | null = null;

  private get shown(): DynamicsView {
    return this.memo.get('view', [this.classNames, this.history], () => dynamicsView(this.classNames, this.history));
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated) this.requestUpdate(); // observe the canvas again
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.observed = undefined;
  }

  render() {
    const v = this.shown;
    if (v.epochs.length === 0) return html`<p class="muted">${this.emptyText}</p>`;
    const h = rowHeight(v.classes.length);
    const left = leftOutText(v);
    const hasNull = v.recall.some((r) => r.includes(null));
    const [row, col] = this.active ?? [-1, -1];
    const readout = row >= 0 ? cellText(v.epochs[col], v.classes[row].name, v.recall[row][col]) : '';
    return html`<div role="group" aria-label="Per-class recall per epoch">
      ${left ? html`<p class="muted" data-testid="left-out">${left}</p>` : nothing}
      <div class="map">
        <div class="names" aria-hidden="true">${v.classes.map((c) => html`<div ${styleProps({ height: `${h}px`, 'line-height': `${h}px`, 'font-size': `${Math.min(12, h - 1)}px` })} title=${c.name}>${c.name}</div>`)}</div>
        <canvas tabindex="0" role="img" ${styleProps({ height: `${h * v.classes.length}px` })}
          aria-label=${`Validation recall of ${v.classes.length} classes over ${v.epochs.length} epochs (rows: classes, columns: epochs). Arrow keys move from cell to cell.`}
          @mousemove=${(e: MouseEvent) => this.hover(e)} @mouseleave=${() => (this.active = null)}
          @keydown=${(e: KeyboardEvent) => this.key(e)} @focus=${() => (this.active ??= [0, v.epochs.length - 1])} @blur=${() => (this.active = null)}></canvas>
        <div class="epochs" aria-hidden="true"><span>epoch ${v.epochs[0]}</span><span>epoch ${v.epochs.at(-1)}</span></div>
      </div>
      <p class="readout" role="status" aria-live="polite">${readout}</p>
      <div class="legend" aria-label="Colour scale">
        <span>recall 0 %</span><span class="bar" ${styleProps({ background: `linear-gradient(to right, ${SCALE})` })}></span><span>100 %</span>
        ${hasNull ? html`<span><span class="swatch" ${styleProps({ background: NO_ROWS_COLOR })}></span> no validation rows</span>` : nothing}
      </div>
    </div>`;
  }

  /** The cell at the pointer. */
  private hover(e: MouseEvent) {
    const v = this.shown;
    const box = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const col = Math.floor(((e.clientX - box.left) / box.width) * v.epochs.length);
    const row = Math.floor(((e.clientY - box.top) / box.height) * v.classes.length);
    this.active = row >= 0 && row < v.classes.length && col >= 0 && col < v.epochs.length ? [row, col] : null;
  }

  private key(e: KeyboardEvent) {
    const v = this.shown;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const [row, col] = this.active ?? [0, v.epochs.length - 1];
    let next: [number, number] | null = null;
    if (e.key in moves) next = [row + moves[e.key][0], col + moves[e.key][1]];
    else if (e.key === 'Home') next = [row, 0];
    else if (e.key === 'End') next = [row, v.epochs.length - 1];
    if (!next) return;
    e.preventDefault();
    this.active = [Math.min(v.classes.length - 1, Math.max(0, next[0])), Math.min(v.epochs.length - 1, Math.max(0, next[1]))];
  }

  protected updated(_changed: PropertyValues) {
    const canvas = this.canvas;
    if (canvas === this.observed) return this.draw();
    this.resize.disconnect();
    this.observed = canvas;
    this.size = null;
    if (!canvas) return;
    // Its first report draws the map; the device-pixel box also reports a change of pixel ratio.
    try {
      this.resize.observe(canvas, { box: 'device-pixel-content-box' });
    } catch {
      this.resize.observe(canvas);
    }
  }

  private resized(entry: ResizeObserverEntry) {
    const dpr = window.devicePixelRatio || 1;
    const box = entry.devicePixelContentBoxSize?.[0];
    this.size = box
      ? { width: box.inlineSize, height: box.blockSize }
      : { width: Math.round(entry.contentRect.width * dpr), height: Math.round(entry.contentRect.height * dpr) };
    this.draw();
  }

  private draw() {
    const canvas = this.canvas;
    const v = this.shown;
    if (!canvas || !this.size || v.epochs.length === 0) return;
    const w = Math.max(1, this.size.width);
    const h = Math.max(1, this.size.height);
    if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const cw = w / v.epochs.length;
    const rh = h / v.classes.length;
    v.recall.forEach((row, i) =>
      row.forEach((r, j) => {
        ctx.fillStyle = r === null ? NO_ROWS_COLOR : heatColor(r / 100);
        // Whole-pixel edges, so neighbouring cells leave no seam.
        ctx.fillRect(Math.floor(j * cw), Math.floor(i * rh), Math.floor((j + 1) * cw) - Math.floor(j * cw), Math.floor((i + 1) * rh) - Math.floor(i * rh));
      }),
    );
    if (this.active) {
      const [i, j] = this.active;
      ctx.strokeStyle = '#d55e00';
      ctx.lineWidth = Math.max(1.5, (window.devicePixelRatio || 1) * 1.5);
      ctx.strokeRect(j * cw + 1, i * rh + 1, Math.max(2, cw - 2), Math.max(2, rh - 2));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-class-dynamics': TlClassDynamics;
  }
}
