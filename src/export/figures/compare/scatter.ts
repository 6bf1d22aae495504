// Model size vs test accuracy: one point per entry in its colour and marker (± std for a group),
// parameters on a log axis when they span more than 1.5 decades, else linear in thousands; labels
// placed by placeLabels so they overlap neither each other nor any point.
import { drawText, measure, type Draw } from '../draw-api';
import type { FontSet } from '../fonts';
import { drawXAxis, drawYAxis, linearAxis, logAxis, scaleOf, X_AXIS_H, yAxisWidth, type Axis } from './axes';
import { fitLabels } from './labels';
import { placeLabels, type PlacedLabel } from './placement';
import { drawRunMarker, runStyle } from './styles';
import type { Box, CompareFigureInput, Panel } from './types';

const LABEL_SIZE = 7.5;
const R = 4; // marker half size

/** The parameter axis: log when the sizes span more than 1.5 decades. */
export function sizeAxis(parameters: readonly number[]): { axis: Axis; value: (p: number) => number } {
  const lo = Math.min(...parameters);
  const hi = Math.max(...parameters);
  if (parameters.length > 0 && lo > 0 && hi / lo > 10 ** 1.5) return { axis: logAxis(lo, hi, 'Parameters (log scale)'), value: (p) => p };
  // From zero: sizes that barely differ must not look far apart.
  const b = parameters.length ? hi / 1000 : 1;
  return { axis: linearAxis(0, b, 'Parameters (thousands)', 6, 0.08, [0, Infinity]), value: (p) => p / 1000 };
}

export interface ScatterPanel extends Panel {
  /** Entries whose label found no free place in `box` (the point is still drawn). */
  unlabelled(box: Box): number[];
}

export function sizeAccuracyPanel(input: CompareFigureInput, labels: readonly string[], fonts: FontSet): ScatterPanel {
  const shown = input.entries.map((e, i) => ({ e, i })).filter(({ e }) =>
    e.parameters !== null && e.parameters > 0 && e.testAcc !== null && Number.isFinite(e.testAcc));
  const missing = input.entries.map((_, i) => i).filter((i) => !shown.some((s) => s.i === i)).map((i) => labels[i]);
  const { axis: x, value } = sizeAxis(shown.map(({ e }) => e.parameters!));
  const accs = shown.flatMap(({ e }) => [e.testAcc! - (e.testAccStd ?? 0), e.testAcc! + (e.testAccStd ?? 0)]);
  const y = linearAxis(accs.length ? Math.min(...accs) : 0, accs.length ? Math.max(...accs) : 100, 'Test accuracy (%)', 6, 0.12, [0, 100]);
  const left = yAxisWidth(fonts, y);
  const text = fitLabels(fonts, shown.map(({ i }) => labels[i]), LABEL_SIZE, 150, 2).map((l) => l.join('\n'));
  const sizes = text.map((t) => ({ w: measure(fonts, t, LABEL_SIZE) + 2, h: (t.split('\n').length * 1.15 - 0.15) * LABEL_SIZE + 3 }));

  const layout = (box: Box) => {
    const plot = { x: box.x + left, y: box.y + 4, w: box.w - left - 10, h: box.h - 4 - X_AXIS_H };
    const sx = scaleOf(x, plot.x, plot.x + plot.w);
    const sy = scaleOf(y, plot.y + plot.h, plot.y);
    const anchors = shown.map(({ e }) => ({ x: sx(value(e.parameters!)), y: sy(e.testAcc!), r: R + 1 }));
    // Error bars are obstacles too: a label must not hide one.
    const bars = shown.flatMap(({ e }, k) => {
      const s = e.testAccStd ?? 0;
      if (!(s > 0)) return [];
      const [t, b] = [sy(Math.min(100, e.testAcc! + s)), sy(Math.max(0, e.testAcc! - s))];
      const steps = Math.max(1, Math.ceil((b - t) / 4));
      return Array.from({ length: steps + 1 }, (_, j) => ({ x: anchors[k].x, y: t + ((b - t) * j) / steps, r: 2.5 }));
    });
    const placed = placeLabels([...anchors, ...bars], [...sizes, ...bars.map(() => null)], { x: plot.x + 1, y: plot.y + 1, w: plot.w - 2, h: plot.h - 2 })
      .slice(0, anchors.length);
    return { plot, sx, sy, anchors, placed };
  };

  return {
    title: 'Model size vs test accuracy',
    notes: missing.length ? [`Not in the size plot (no test result or parameter count): ${missing.join('; ')}.`] : [],
    minWidth: left + 300,
    minHeight: 4 + 230 + X_AXIS_H,
    unlabelled: (box) => layout(box).placed.flatMap((p, k) => (p ? [] : [shown[k].i])),
    draw(d: Draw, box: Box) {
      const { plot, sy, anchors, placed } = layout(box);
      drawYAxis(d, y, plot);
      drawXAxis(d, x, plot, true);
      shown.forEach(({ e }, k) => {
        const s = e.testAccStd ?? 0;
        if (!(s > 0)) return;
        const ink = { color: runStyle(e.style).color, width: 0.9 };
        const cx = anchors[k].x;
        const [t, b] = [sy(Math.min(100, e.testAcc! + s)), sy(Math.max(0, e.testAcc! - s))];
        d.polyline([[cx, t], [cx, b]], ink);
        d.polyline([[cx - 3, t], [cx + 3, t]], ink);
        d.polyline([[cx - 3, b], [cx + 3, b]], ink);
      });
      placed.forEach((p: PlacedLabel | null, k) => {
        if (!p?.leader) return;
        const a = anchors[k];
        const nx = Math.max(p.x, Math.min(a.x, p.x + p.w));
        const ny = Math.max(p.y, Math.min(a.y, p.y + p.h));
        const len = Math.hypot(nx - a.x, ny - a.y) || 1;
        d.polyline([[a.x + ((nx - a.x) / len) * (R + 1), a.y + ((ny - a.y) / len) * (R + 1)], [nx, ny]], { color: '#9a9a9a', width: 0.5 });
      });
      shown.forEach(({ e }, k) => {
        const st = runStyle(e.style);
        drawRunMarker(d, st.marker, anchors[k].x, anchors[k].y, R, st.color);
      });
      placed.forEach((p, k) => {
        if (p) drawText(d, text[k], p.x + 1, p.y + 1.5, { size: LABEL_SIZE, color: '#222222', baseline: 'top', lineHeight: 1.15 });
      });
    },
  };
}
