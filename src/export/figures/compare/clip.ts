// Geometric clipping to a rectangle. The back ends clip what they draw, but a diverged loss puts
// points at 1e21 pt, which jsPDF writes in exponent notation, a syntax error in PDF: lines and
// bands are cut to the plot before they are drawn.
import type { Point } from '../draw-api';
import type { Box } from './types';

/** The part [t0, t1] of the segment p→q inside the box (Liang–Barsky), or null. */
export function clipSegment(p: Point, q: Point, b: Box): [number, number] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const edges: [number, number][] = [[-dx, p[0] - b.x], [dx, b.x + b.w - p[0]], [-dy, p[1] - b.y], [dy, b.y + b.h - p[1]]];
  for (const [a, c] of edges) {
    if (a === 0) {
      if (c < 0) return null;
    } else {
      const t = c / a;
      if (a < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return null;
    }
  }
  return [t0, t1];
}

const at = (p: Point, q: Point, t: number): Point => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];

/** The pieces of a polyline inside the box. */
export function clipPolyline(points: readonly Point[], b: Box): Point[][] {
  const out: Point[][] = [];
  let cur: Point[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const t = clipSegment(points[i], points[i + 1], b);
    if (!t) continue;
    const [p, q] = [at(points[i], points[i + 1], t[0]), at(points[i], points[i + 1], t[1])];
    if (t[0] > 0 || cur.length === 0) {
      if (cur.length > 1) out.push(cur);
      cur = [p];
    }
    cur.push(q);
    if (t[1] < 1) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 1) out.push(cur);
  return out;
}

/** A polygon cut to the box (Sutherland–Hodgman; the box is convex). */
export function clipPolygon(points: readonly Point[], b: Box): Point[] {
  const sides: [(p: Point) => boolean, (p: Point, q: Point) => Point][] = [
    [(p) => p[0] >= b.x, (p, q) => at(p, q, (b.x - p[0]) / (q[0] - p[0]))],
    [(p) => p[0] <= b.x + b.w, (p, q) => at(p, q, (b.x + b.w - p[0]) / (q[0] - p[0]))],
    [(p) => p[1] >= b.y, (p, q) => at(p, q, (b.y - p[1]) / (q[1] - p[1]))],
    [(p) => p[1] <= b.y + b.h, (p, q) => at(p, q, (b.y + b.h - p[1]) / (q[1] - p[1]))],
  ];
  let poly: Point[] = [...points];
  for (const [inside, cross] of sides) {
    const next: Point[] = [];
    poly.forEach((q, i) => {
      const p = poly[(i + poly.length - 1) % poly.length];
      if (inside(q)) {
        if (!inside(p)) next.push(cross(p, q));
        next.push(q);
      } else if (inside(p)) next.push(cross(p, q));
    });
    poly = next;
    if (poly.length === 0) break;
  }
  return poly;
}
