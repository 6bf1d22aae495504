// A run's decision boundary as the run store keeps it: one entry of the `artifacts` store under
// `${runId}/decision_boundary` (beside the run's snapshots, so deleting the run deletes it and the
// store's byte count includes it), never inside the record, which stays small for the Runs list.
import type { DecisionBoundary } from '../training/decision-boundary';

export const boundaryKey = (runId: string): string => `${runId}/decision_boundary`;

export interface StoredBoundary extends DecisionBoundary {
  runId: string;
  kind: 'decision_boundary';
  bytes: number; // indexed: usage() reads no maps
}

/** The bytes a boundary takes: its map and its points. */
export function boundaryBytes(b: DecisionBoundary): number {
  const p = b.points;
  return b.grid.classes.byteLength + b.grid.confidence.byteLength + p.x.byteLength + p.y.byteLength + p.label.byteLength + p.part.byteLength + p.predicted.byteLength;
}

export function storedBoundary(runId: string, b: DecisionBoundary): StoredBoundary {
  return { runId, kind: 'decision_boundary', grid: b.grid, points: b.points, bytes: boundaryBytes(b) };
}

/** The boundary a stored entry holds (storedBoundary's inverse). */
export const boundaryOf = (v: StoredBoundary): DecisionBoundary => ({ grid: v.grid, points: v.points });

const finite = (...v: unknown[]) => v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** A light guard: a damaged entry never reaches a view or an exporter. */
export function isStoredBoundary(v: unknown): v is StoredBoundary {
  if (typeof v !== 'object' || v === null || !('grid' in v) || !('points' in v)) return false;
  const { grid: g, points: p } = v as StoredBoundary;
  if (typeof g !== 'object' || g === null || typeof p !== 'object' || p === null) return false;
  if (!finite(g.epoch, g.size, g.xMin, g.xMax, g.yMin, g.yMax) || !(g.xMax > g.xMin && g.yMax > g.yMin)) return false;
  const cells = g.size * g.size;
  if (!(g.classes instanceof Uint8Array && g.classes.length === cells && g.confidence instanceof Float32Array && g.confidence.length === cells)) return false;
  const n = p.x instanceof Float32Array ? p.x.length : -1;
  return n >= 0 && p.y instanceof Float32Array && p.label instanceof Int32Array && p.part instanceof Uint8Array && p.predicted instanceof Int32Array &&
    [p.y, p.label, p.part, p.predicted].every((a) => a.length === n);
}
