// Per-class F1: grouped bars (a bar per entry per class, in the entry's colour) for up to eight
// entries, beyond that a heatmap (entries × classes, the value printed in each cell in a contrasting
// ink), which stays readable for any number of entries. The reference drew two runs only.
import { drawText, measure, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { heatColor, textColorOn } from '../confusion';
import { AXIS, FONT, INK, MUTED, TICK_LEN } from '../theme';
import { drawYAxis, linearAxis, scaleOf, yAxisWidth } from './axes';
import { fitLabels } from './labels';
import { darken, drawRunMarker, runStyle } from './styles';
import type { Box, CompareFigureInput, Panel } from './types';
import { drawXLabels, layoutXLabels } from './x-labels';

export const MAX_F1_BARS = 8;

/** Which form per_class_f1 takes: the entries that have per-class F1 decide. */
export const f1Form = (input: CompareFigureInput): 'bars' | 'heatmap' =>
  input.entries.filter((e) => e.f1 !== null).length > MAX_F1_BARS ? 'heatmap' : 'bars';

/** Whether two bar-chart entries share a colour (more than eight styles in use): a marker then tops each bar. */
export function f1ColourClash(input: CompareFigureInput): boolean {
  const colours = input.entries.filter((e) => e.f1 !== null).map((e) => runStyle(e.style).color);
  return new Set(colours).size < colours.length;
}

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

export function f1Panel(input: CompareFigureInput, labels: readonly string[], fonts: FontSet): Panel {
  return f1Form(input) === 'bars' ? f1Bars(input, labels, fonts) : f1Heatmap(input, labels, fonts);
}

function f1Bars(input: CompareFigureInput, labels: readonly string[], fonts: FontSet): Panel {
  const { classNames } = input;
  const shown = input.entries.filter((e) => e.f1 !== null);
  const missing = input.entries.map((e, i) => (e.f1 === null ? labels[i] : null)).filter((l): l is string => l !== null);
  const y = linearAxis(0, 1, 'F1 score', 5, 0, [0, 1]);
  const axisW = yAxisWidth(fonts, y);
  const m = Math.max(1, shown.length);
  const C = Math.max(1, classNames.length);
  const minSlot = Math.max(44, m * 8 / 0.8);
  const clash = f1ColourClash(input);
  const xlMin = layoutXLabels(fonts, classNames, minSlot);
  return {
    title: 'Per-class F1 score',
    notes: missing.length ? [`No per-class F1: ${missing.join('; ')}.`] : [],
    minWidth: axisW + 10 + C * minSlot + Math.max(0, xlMin.reach - axisW),
    minHeight: 12 + 170 + TICK_LEN + 4 + xlMin.height + 6,
    draw(d: Draw, box: Box) {
      let slot = (box.w - axisW - 10) / C;
      let xl = layoutXLabels(fonts, classNames, slot);
      const left = Math.max(axisW, xl.reach - slot / 2 + 4);
      if (left > axisW) {
        slot = (box.w - left - 10) / C;
        xl = layoutXLabels(fonts, classNames, slot);
      }
      const top = box.y + (clash ? 10 : 4);
      const plot = { x: box.x + left, y: top, w: C * slot, h: box.y + box.h - top - TICK_LEN - 4 - xl.height - 4 };
      const sy = scaleOf(y, plot.y + plot.h, plot.y);
      drawYAxis(d, y, plot);
      const bottom = plot.y + plot.h;
      const bw = Math.min(22, (slot * 0.8) / m);
      classNames.forEach((_, c) => {
        const x0 = plot.x + (c + 0.5) * slot - (bw * m) / 2;
        shown.forEach((e, k) => {
          const st = runStyle(e.style);
          const v = e.f1![c];
          const x = x0 + k * bw;
          if (!finite(v)) {
            drawText(d, 'n/a', x + bw / 2, bottom - 3, { size: Math.min(6.5, bw * 0.9), color: MUTED, align: 'left', baseline: 'middle', angle: 90 });
            return;
          }
          const h = Math.max(0.8, bottom - sy(Math.min(1, Math.max(0, v))));
          d.rect(x, bottom - h, bw, h, st.color, { color: darken(st.color, 0.3), width: 0.4 });
          if (clash) drawRunMarker(d, st.marker, x + bw / 2, bottom - h - 4, Math.min(2.4, bw / 2.4), st.color);
        });
        if (c > 0) d.polyline([[plot.x + c * slot, bottom], [plot.x + c * slot, bottom + TICK_LEN]], AXIS);
      });
      d.polyline([[plot.x, bottom], [plot.x + plot.w, bottom]], AXIS);
      drawXLabels(d, xl, classNames.map((_, c) => plot.x + (c + 0.5) * slot), bottom + TICK_LEN + 2);
    },
  };
}

const CB_W = 10;

function f1Heatmap(input: CompareFigureInput, labels: readonly string[], fonts: FontSet): Panel {
  const { classNames, entries } = input;
  const C = Math.max(1, classNames.length);
  const rowSize = 8;
  const rowText = fitLabels(fonts, labels, rowSize, 190, 1).map((l) => l[0]);
  const rowW = Math.max(...rowText.map((t) => measure(fonts, t, rowSize))) + 16; // text + marker
  const cbW = CB_W + 6 + measure(fonts, '1.0', FONT.tick) + 6 + FONT.axisLabel * 1.3;
  const minCell = { w: Math.max(34, measure(fonts, '0.00', 8) + 8), h: 14 };
  const xlMin = layoutXLabels(fonts, classNames, minCell.w, 120);
  const missing = entries.map((e, i) => (e.f1 === null ? labels[i] : null)).filter((l): l is string => l !== null);
  return {
    title: 'Per-class F1 score',
    notes: missing.length ? [`No per-class F1 (n/a): ${missing.join('; ')}.`] : [],
    minWidth: rowW + C * minCell.w + 14 + cbW + 8,
    minHeight: 4 + entries.length * minCell.h + 5 + xlMin.height + 8,
    draw(d: Draw, box: Box) {
      const cw = Math.min(70, (box.w - rowW - 14 - cbW - 8) / C);
      const xl = layoutXLabels(fonts, classNames, cw, 120);
      const ch = Math.min(22, (box.h - 4 - 5 - xl.height - 8) / Math.max(1, entries.length));
      const W = rowW + C * cw + 14 + cbW;
      const mx = box.x + (box.w - W) / 2 + rowW;
      const my = box.y + 4;
      const size = Math.min(8, ch * 0.58);
      entries.forEach((e, r) => {
        const st = runStyle(e.style);
        const cy = my + r * ch + ch / 2;
        drawRunMarker(d, st.marker, mx - 8, cy, Math.min(2.8, ch / 4), st.color);
        drawText(d, rowText[r], mx - 15, cy, { size: Math.min(rowSize, ch * 0.62), color: INK, align: 'right', baseline: 'middle' });
        classNames.forEach((_, c) => {
          const v = e.f1?.[c];
          const x = mx + c * cw;
          const bg = finite(v) ? heatColor(v) : '#eeeeee';
          d.rect(x, my + r * ch, cw, ch, bg, { color: '#ffffff', width: 0.5 });
          drawText(d, finite(v) ? v.toFixed(2) : 'n/a', x + cw / 2, cy, { size, color: finite(v) ? textColorOn(bg) : MUTED, align: 'center', baseline: 'middle' });
        });
      });
      const matH = entries.length * ch;
      d.rect(mx, my, C * cw, matH, null, AXIS);
      drawXLabels(d, xl, classNames.map((_, c) => mx + (c + 0.5) * cw), my + matH + 5);
      const cx = mx + C * cw + 14;
      const steps = 48;
      for (let k = 0; k < steps; k++) d.rect(cx, my + matH - ((k + 1) * matH) / steps, CB_W, matH / steps + 0.3, heatColor((k + 0.5) / steps));
      d.rect(cx, my, CB_W, matH, null, AXIS);
      for (let v = 0; v <= 1.0001; v += matH > 90 ? 0.2 : 0.5) {
        const yy = my + matH - v * matH;
        d.polyline([[cx + CB_W, yy], [cx + CB_W + 3, yy]], AXIS);
        drawText(d, v.toFixed(1), cx + CB_W + 5, yy, { size: FONT.tick, color: INK, baseline: 'middle' });
      }
      drawText(d, 'F1 score', cx + CB_W + 5 + measure(fonts, '1.0', FONT.tick) + 6, my + matH / 2, { size: FONT.axisLabel, color: INK, align: 'center', baseline: 'top', angle: 90 });
    },
  };
}
