import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { buttonStyles } from './shared-styles';

/** The pixels drawn so far, as RGBA. */
export interface DrawingChange {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Drawings are raised at most this often while a stroke goes on (and once when it ends). */
const RAISE_EVERY_MS = 150;

/**
 * A square to draw on with a mouse, a pen or a finger: white strokes on black, as MNIST digits are.
 * Raises `drawing-change` (the pixels) while a stroke goes on and when it ends, `drawing-clear` on Clear.
 */
@customElement('tl-draw-canvas')
export class TlDrawCanvas extends LitElement {
  static styles = [
    buttonStyles,
    css`
      :host { display: inline-flex; flex-direction: column; gap: 6px; align-items: flex-start; }
      canvas { width: 224px; height: 224px; background: #000; border-radius: 6px; touch-action: none; cursor: crosshair; }
    `,
  ];

  /** Side of the canvas in pixels (its drawing resolution). */
  @property({ type: Number }) side = 224;
  /** Stroke width in canvas pixels. */
  @property({ type: Number }) stroke = 16;

  @query('canvas') private canvas!: HTMLCanvasElement;
  private last: [number, number] | null = null;
  private raisedAt = 0;

  render() {
    return html`<canvas width=${this.side} height=${this.side} role="img" aria-label="Drawing area: draw a digit with the mouse, a pen or a finger"
        @pointerdown=${this.down} @pointermove=${this.move} @pointerup=${this.up} @pointercancel=${this.up}></canvas>
      <button class="secondary" @click=${this.clear}>Clear</button>`;
  }

  protected firstUpdated() {
    this.wipe();
  }

  private ctx() {
    return this.canvas.getContext('2d', { willReadFrequently: true })!;
  }

  private wipe() {
    const ctx = this.ctx();
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.side, this.side);
  }

  private at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.side, ((e.clientY - r.top) / r.height) * this.side];
  }

  private readonly down = (e: PointerEvent) => {
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.at(e);
    this.line(this.last, this.last);
  };

  private readonly move = (e: PointerEvent) => {
    if (!this.last) return;
    const p = this.at(e);
    this.line(this.last, p);
    this.last = p;
    if (performance.now() - this.raisedAt > RAISE_EVERY_MS) this.raise();
  };

  private readonly up = () => {
    if (!this.last) return;
    this.last = null;
    this.raise();
  };

  private line(a: [number, number], b: [number, number]) {
    const ctx = this.ctx();
    Object.assign(ctx, { strokeStyle: '#fff', lineWidth: this.stroke, lineCap: 'round', lineJoin: 'round' });
    ctx.beginPath();
    ctx.moveTo(...a);
    ctx.lineTo(...b);
    ctx.stroke();
  }

  private raise() {
    this.raisedAt = performance.now();
    const { data } = this.ctx().getImageData(0, 0, this.side, this.side);
    this.dispatchEvent(new CustomEvent<DrawingChange>('drawing-change', { detail: { rgba: data, width: this.side, height: this.side }, bubbles: true, composed: true }));
  }

  private readonly clear = () => {
    this.last = null;
    this.wipe();
    this.dispatchEvent(new CustomEvent('drawing-clear', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-draw-canvas': TlDrawCanvas;
  }
  interface HTMLElementEventMap {
    'drawing-change': CustomEvent<DrawingChange>;
  }
}
