// Compared runs or groups → the comparison figures' neutral input. A run keeps its style (colour,
// dash, marker) from its place in the comparison, so it looks the same in every plot.
import type { CompareCurve, CompareEntry, CompareFigureInput, SweepFigureInput } from '../export/figures/compare/types';
import type { RunRecord } from '../recorder/run-record';
import type { RunGroup } from './groups';
import type { CurvePoint } from './statistics';

export interface FigureOptions {
  grouped: boolean;
  showTrain: boolean;
  smoothing: number;
  /** A sweep's configurations (sweep-parallel.ts): the parallel-coordinates figure is drawn too. */
  sweep?: SweepFigureInput | null;
}

/** Every class name of the compared runs, in order of first appearance (runs may differ in classes). */
export function unionClassNames(records: readonly RunRecord[]): string[] {
  const names: string[] = [];
  for (const r of records) for (const n of r.dataset.class_names) if (!names.includes(n)) names.push(n);
  return names;
}

function f1ByClass(r: RunRecord, classNames: readonly string[]): (number | null)[] | null {
  const pc = r.test?.per_class_metrics?.per_class;
  if (!pc) return null;
  return classNames.map((name) => {
    const i = r.dataset.class_names.indexOf(name);
    return i >= 0 && Number.isFinite(pc.f1[i]) ? pc.f1[i] : null;
  });
}

const runCurve = (r: RunRecord, pick: (h: RunRecord['history'][number]) => number): CompareCurve[] =>
  r.history.map((h) => ({ epoch: h.epoch, mean: pick(h), std: null })).filter((p) => Number.isFinite(p.mean));
const groupCurve = (points: CurvePoint[]): CompareCurve[] => points.map((p) => ({ epoch: p.epoch, mean: p.mean, std: p.std }));

function runEntry(r: RunRecord, style: number, classNames: readonly string[]): CompareEntry {
  const acc = r.test?.test_accuracy;
  return {
    id: r.run_id,
    label: r.run_name,
    style,
    n: 1,
    testAcc: typeof acc === 'number' && Number.isFinite(acc) ? acc : null,
    testAccStd: null,
    parameters: r.model_parameters,
    f1: f1ByClass(r, classNames),
    curves: {
      valAcc: runCurve(r, (h) => h.val_acc),
      valLoss: runCurve(r, (h) => h.val_loss),
      trainAcc: runCurve(r, (h) => h.train_acc),
      trainLoss: runCurve(r, (h) => h.train_loss),
    },
  };
}

function meanOf(values: (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function groupEntry(g: RunGroup, style: number, classNames: readonly string[]): CompareEntry {
  const f1s = g.runs.map((r) => f1ByClass(r, classNames)).filter((f): f is (number | null)[] => f !== null);
  const params = new Set(g.runs.map((r) => r.model_parameters));
  return {
    id: g.id,
    label: `${g.label} (n = ${g.runs.length})`,
    style,
    n: g.runs.length,
    testAcc: g.stats.test_acc?.mean ?? null,
    testAccStd: g.stats.test_acc?.std ?? null,
    parameters: params.size === 1 ? g.runs[0].model_parameters : null,
    f1: f1s.length ? classNames.map((_, i) => meanOf(f1s.map((f) => f[i]))) : null,
    curves: {
      valAcc: groupCurve(g.curves.valAcc),
      valLoss: groupCurve(g.curves.valLoss),
      trainAcc: groupCurve(g.curves.trainAcc),
      trainLoss: groupCurve(g.curves.trainLoss),
    },
  };
}

export function figureInput(records: readonly RunRecord[], groups: readonly RunGroup[], opts: FigureOptions): CompareFigureInput {
  const classNames = unionClassNames(records);
  const entries = opts.grouped ? groups.map((g, i) => groupEntry(g, i, classNames)) : records.map((r, i) => runEntry(r, i, classNames));
  const n = records.length;
  const subtitle = opts.grouped ? `${n} runs in ${groups.length} groups (mean ± std over each group's runs)` : `${n} run${n === 1 ? '' : 's'}`;
  return { entries, classNames, grouped: opts.grouped, showTrain: opts.showTrain, smoothing: opts.smoothing, subtitle, ...(opts.sweep ? { sweep: opts.sweep } : {}) };
}
