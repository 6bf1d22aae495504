import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { SERIES_COLORS } from '../palette';

export interface LiveSeries {
  label: string;
  color: string;
  values: number[];
  dash?: number[];
}

/** The train and validation curves of one metric, in the colours and dashes every chart uses. */
export function trainValSeries(train: number[], val: number[]): LiveSeries[] {
  return [
    { label: 'train', color: SERIES_COLORS.train, values: train },
    { label: 'validation', color: SERIES_COLORS.val, values: val, dash: [6, 4] },
  ];
}

/** A live line chart of per-epoch values (uPlot). Redraws at most once per animation frame. */
@customElement('tl-live-chart')
export class TlLiveChart extends LitElement {
  static styles = [
    unsafeCSS(uplotCss),
    css`
      :host { display: block; min-width: 280px; }
      :host([hidden]) { display: none; }
      .title { font-size: 0.9rem; font-weight: 600; margin-bottom: 4px; }
    `,
  ];

  @property() chartTitle = '';
  @property() yLabel = '';
  @property({ attribute: false }) epochs: number[] = [];
  @property({ attribute: false }) series: LiveSeries[] = [];

  @query('.plot') private plotEl!: HTMLDivElement;
  private chart?: uPlot;
  private frame = 0;
  /** The plot's width as its observer last reported it, after layout; 0 until then (or while hidden). */
  private width = 0;
  // Reading the width while drawing would force a layout of the whole page: a long task on a big one.
  private readonly resizeObserver = new ResizeObserver((entries) => this.resized(entries.at(-1)!.contentRect.width));

  render() {
    return html`<div class="title">${this.chartTitle}</div><div class="plot" role="img" aria-label=${this.chartTitle}></div>`;
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.hasUpdated) this.resizeObserver.observe(this.plotEl);
  }

  protected firstUpdated() {
    this.resizeObserver.observe(this.plotEl);
  }

  protected updated(changed: PropertyValues) {
    if (changed.has('series') && this.chart && this.chart.series.length - 1 !== this.series.length) this.destroyChart();
    this.schedule();
  }

  private schedule() {
    if (this.width && !this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private resized(width: number) {
    if (width <= 0) return; // hidden: the chart stays as it was
    this.width = Math.max(280, Math.round(width));
    if (this.chart && Math.abs(this.width - this.chart.width) > 4) this.chart.setSize({ width: this.width, height: 220 });
    this.schedule(); // the first report creates the chart
  }

  private draw() {
    this.frame = 0;
    const data: uPlot.AlignedData = [this.epochs, ...this.series.map((s) => s.values)];
    if (!this.chart) this.chart = this.create(data);
    else this.chart.setData(data);
  }

  private create(data: uPlot.AlignedData): uPlot {
    const opts: uPlot.Options = {
      width: this.width,
      height: 220,
      scales: { x: { time: false } },
      axes: [
        { label: 'Epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500], values: (_u, ticks) => ticks.map((t) => String(t)) },
        { label: this.yLabel, size: 60 },
      ],
      series: [{ label: 'Epoch' }, ...this.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, points: { show: true, size: 4 } }))],
      legend: { live: false },
    };
    return new uPlot(opts, data, this.plotEl);
  }

  private destroyChart() {
    this.chart?.destroy();
    this.chart = undefined;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.resizeObserver.disconnect();
    this.destroyChart();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tl-live-chart': TlLiveChart;
  }
}
