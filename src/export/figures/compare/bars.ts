// Test accuracy per entry: a bar in the entry's colour from zero, its value printed above ("98.36"),
// a group's ± std as an error bar, the entry's marker under the axis (tying the bar to the legend)
// and its label below. An entry without a test result says "no test" instead of showing a zero bar.
import { drawText, measure, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { AXIS, MUTED, TICK_LEN } from '../theme';
import { drawYAxis, linearAxis, scaleOf, yAxisWidth } from './axes';
import { darken, drawRunMarker, runStyle } from './styles';
import type { Box, CompareFigureInput, Panel } from './types';
import { drawXLabels, layoutXLabels } from './x-labels';

const MIN_SLOT = 24;
const MARKER_ROW = 13; // below the axis: the entry's marker

function valueText(acc: number, std: number | null): string[] {
  return std !== null && Number.isFinite(std) ? [acc.toFixed(2), `±${std.toFixed(2)}`] : [acc.toFixed(2)];
}

export function testAccuracyPanel(input: CompareFigureInput, labels: readonly string[], fonts: FontSet): Panel {
  const { entries } = input;
  const n = Math.max(1, entries.length);
  const y = linearAxis(0, 100, 'Test accuracy (%)', 5, 0, [0, 100]);
  const axisW = yAxisWidth(fonts, y);
  const texts = entries.map((e) => (e.testAcc === null || !Number.isFinite(e.testAcc) ? null : valueText(e.testAcc, e.testAccStd)));
  const valueSize = (slot: number) => {
    const widest = (size: number) => Math.max(0, ...texts.map((t) => (t ? measure(fonts, t.join('\n'), size) : 0)));
    const size = [8, 7.5, 7, 6.5].find((s) => widest(s) <= slot - 2);
    return size ? { size, vertical: false, room: (texts.some((t) => t && t.length > 1) ? 2.3 : 1.2) * size + 4 } : { size: 7, vertical: true, room: widest(7) + 6 };
  };
  const layoutFor = (width: number) => {
    let slot = (width - axisW - 8) / n;
    let xl = layoutXLabels(fonts, labels, slot);
    let left = axisW;
    if (xl.reach - slot / 2 > axisW - 4) {
      left = xl.reach - slot / 2 + 4;
      slot = (width - left - 8) / n;
      xl = layoutXLabels(fonts, labels, slot);
    }
    return { slot, xl, left, value: valueSize(slot) };
  };
  const minW = axisW + 8 + n * MIN_SLOT;
  const probe = layoutFor(Math.max(minW, 300));
  return {
    title: 'Test accuracy',
    notes: [],
    minWidth: Math.max(300, minW + Math.max(0, probe.left - axisW)),
    minHeight: probe.value.room + 200 + MARKER_ROW + probe.xl.height + 8,
    draw(d: Draw, box: Box) {
      const { slot, xl, left, value } = layoutFor(box.w);
      const top = box.y + value.room;
      const plot = { x: box.x + left, y: top, w: n * slot, h: box.y + box.h - top - MARKER_ROW - xl.height - 8 };
      const sy = scaleOf(y, plot.y + plot.h, plot.y);
      drawYAxis(d, y, plot);
      const bottom = plot.y + plot.h;
      const xs = entries.map((_, i) => plot.x + (i + 0.5) * slot);
      entries.forEach((e, i) => {
        const st = runStyle(e.style);
        const cx = xs[i];
        const bw = Math.min(slot * 0.72, 46);
        const text = texts[i];
        if (!text || e.testAcc === null) {
          const note = 'no test';
          const horizontal = measure(fonts, note, 7.5) <= slot - 2;
          drawText(d, note, cx, bottom - 4, { size: 7.5, color: MUTED, align: horizontal ? 'center' : 'left', baseline: horizontal ? 'bottom' : 'middle', angle: horizontal ? 0 : 90 });
        } else {
          const acc = Math.min(100, Math.max(0, e.testAcc));
          d.rect(cx - bw / 2, sy(acc), bw, bottom - sy(acc), st.color, { color: darken(st.color, 0.3), width: 0.5 });
          let tip = sy(acc);
          if (e.testAccStd !== null && Number.isFinite(e.testAccStd) && e.testAccStd > 0) {
            const [a, b] = [sy(Math.max(0, acc - e.testAccStd)), sy(Math.min(100, acc + e.testAccStd))];
            const cap = Math.min(8, bw * 0.4);
            const ink = { color: '#222222', width: 0.9 };
            d.polyline([[cx, a], [cx, b]], ink);
            d.polyline([[cx - cap / 2, a], [cx + cap / 2, a]], ink);
            d.polyline([[cx - cap / 2, b], [cx + cap / 2, b]], ink);
            tip = Math.min(tip, sy(acc + e.testAccStd));
          }
          if (value.vertical) drawText(d, text.join(' '), cx, tip - 3, { size: value.size, color: '#222222', align: 'left', baseline: 'middle', angle: 90 });
          else drawText(d, text.join('\n'), cx, tip - 2, { size: value.size, color: '#222222', align: 'center', baseline: 'bottom', lineHeight: 1.1 });
        }
        d.polyline([[cx, bottom], [cx, bottom + TICK_LEN * 0.7]], AXIS);
        drawRunMarker(d, st.marker, cx, bottom + MARKER_ROW / 2 + 2, 2.7, st.color);
      });
      d.polyline([[plot.x, bottom], [plot.x + plot.w, bottom]], AXIS);
      drawXLabels(d, xl, xs, bottom + MARKER_ROW + 2);
    },
  };
}
