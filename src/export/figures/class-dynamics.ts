// Learning dynamics: each class's validation recall per epoch as a heatmap (rows: classes, up to
// 50; columns: epochs), coloured on the confusion matrix's ColorBrewer "Blues" scale (0–100 %),
// grey where a class had no validation rows, with a colour bar. A class that lags stays pale.
import type { LabRunRecord } from '../../recorder/run-record';
import { dynamicsView, leftOutText, NO_ROWS_COLOR } from '../class-dynamics';
import { ExportError } from '../types';
import { curveTitle, type Figure } from './charts';
import { drawPercentBar, heatColor, PERCENT_BAR_WIDTH } from './confusion';
import { blockHeight, drawText, measure, wrapText, type Draw } from './draw-api';
import type { FontSet } from './fonts';
import { headedFigure } from './headed';
import { belowHeading } from './heading';
import { epochTicks } from './ticks';
import { AXIS, FONT, INK, roundUpInches, TICK_LEN } from './theme';

const rowHeight = (n: number) => (n <= 8 ? 20 : n <= 16 ? 14 : n <= 30 ? 10 : 7.5);

export function classDynamicsFigure(record: LabRunRecord, fonts: FontSet): Figure {
  const v = dynamicsView(record.dataset.class_names, record.per_class_recall_history);
  if (v.epochs.length === 0) throw new ExportError('no per-class recall was recorded: there are no learning dynamics to draw');
  const rows = v.classes.length;
  const cols = v.epochs.length;
  const rh = Math.max(rowHeight(rows), 96 / rows); // a few classes get taller rows: the colour bar needs the height
  const labelFont = Math.max(5, Math.min(FONT.tick, rh * 0.8));
  const labelLines = rh >= 2.6 * labelFont ? 2 : 1;
  const names = v.classes.map((c) => {
    const lines = wrapText(fonts, c.name, labelFont, 110);
    return lines.length > labelLines ? `${lines.slice(0, labelLines).join('\n')}…` : lines.join('\n');
  });
  const labelW = Math.max(...names.map((s) => measure(fonts, s, labelFont)));
  const plotW = Math.max(240, Math.min(460, cols * 14));
  const cw = plotW / cols;
  const plotH = rows * rh;
  const hasNull = v.recall.some((r) => r.includes(null));

  const title = `${curveTitle(record)} — per-class recall per epoch`;
  const left = leftOutText(v);
  const sub = `Validation recall (%) of each class after each epoch; darker is higher${hasNull ? '; grey: no validation rows' : ''}.${left ? ` ${left}` : ''}`;
  const cbW = PERCENT_BAR_WIDTH;
  const cbTickW = measure(fonts, '100', FONT.tick);
  const leftBlock = FONT.axisLabel * 1.3 + 8 + labelW + 6;
  const content = 10 + leftBlock + plotW + 16 + cbW + 4 + cbTickW + 8 + FONT.axisLabel * 1.3 + 10;
  const W = roundUpInches(Math.max(content, measure(fonts, title, FONT.title, true) + 30, 360));
  const subLines = wrapText(fonts, sub, FONT.subtitle, W - 30);
  const top = belowHeading(subLines.length);
  const barH = plotH;
  const H = roundUpInches(top + barH + TICK_LEN + 4 + blockHeight(fonts, 1, FONT.tick) + 8 + FONT.axisLabel + 12 + (hasNull ? 16 : 0));
  const px = (W - content) / 2 + 10 + leftBlock;
  const py = top;
  const lastEpoch = v.epochs[cols - 1];
  const ticks = epochTicks(lastEpoch, Math.max(2, Math.floor(plotW / 40))).values.filter((e) => v.epochs.includes(e));

  return headedFigure(W, H, title, subLines, (d: Draw) => {
    v.recall.forEach((row, i) =>
      row.forEach((r, j) => d.rect(px + j * cw, py + i * rh, cw + 0.15, rh + 0.15, r === null ? NO_ROWS_COLOR : heatColor(r / 100))),
    );
    d.rect(px, py, plotW, plotH, null, AXIS);
    names.forEach((name, i) => drawText(d, name, px - 6, py + i * rh + rh / 2, { size: labelFont, color: INK, align: 'right', baseline: 'middle' }));
    for (const e of ticks) {
      const x = px + (v.epochs.indexOf(e) + 0.5) * cw;
      d.polyline([[x, py + plotH], [x, py + plotH + TICK_LEN]], AXIS);
      drawText(d, String(e), x, py + plotH + TICK_LEN + 2, { size: FONT.tick, color: INK, align: 'center', baseline: 'top' });
    }
    const axisY = py + plotH + TICK_LEN + 4 + blockHeight(d.fonts, 1, FONT.tick) + 6;
    drawText(d, 'Epoch', px + plotW / 2, axisY, { size: FONT.axisLabel, bold: true, color: INK, align: 'center', baseline: 'top' });
    drawText(d, 'Class', px - leftBlock + FONT.axisLabel * 1.3 - 2, py + plotH / 2, { size: FONT.axisLabel, bold: true, color: INK, align: 'center', baseline: 'alphabetic', angle: 90 });

    const cx = px + plotW + 16;
    drawPercentBar(d, cx, py, barH, cbTickW, 'Validation recall (%)');
    if (hasNull) {
      const y = axisY + FONT.axisLabel + 8;
      d.rect(cx, y, cbW, 8, NO_ROWS_COLOR, AXIS);
      drawText(d, 'no validation rows', cx - 4, y + 4, { size: FONT.tick, color: INK, align: 'right', baseline: 'middle' });
    }
  });
}
