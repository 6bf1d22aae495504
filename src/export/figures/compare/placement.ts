// Point labels that never overlap each other or any point: greedy, crowded points first, each label
// tried at candidate positions around its point (right, upper right, lower right, left, … then on
// wider rings, where it gets a leader line back to its point). A label with no free place is left
// out (null) rather than drawn over something: the legend still names its point.
import { clipSegment } from './clip';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A point and the radius its marker covers. */
export interface Anchor {
  x: number;
  y: number;
  r: number;
}

export interface PlacedLabel extends Rect {
  leader: boolean; // placed away from its point: draw a line from the point to the label
}

export interface PlaceOptions {
  gap?: number; // between a point's marker and its label, pt
  pad?: number; // kept free around every label
  rings?: number; // how many wider rings to try after the first
  ringStep?: number;
}

type Seg = readonly [number, number, number, number];

export const rectsOverlap = (a: Rect, b: Rect, pad = 0): boolean =>
  a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;

export function circleHitsRect(cx: number, cy: number, r: number, b: Rect): boolean {
  const dx = cx - Math.max(b.x, Math.min(cx, b.x + b.w));
  const dy = cy - Math.max(b.y, Math.min(cy, b.y + b.h));
  return dx * dx + dy * dy < r * r;
}

/** Whether the segment crosses the rectangle. */
export const segmentHitsRect = ([x1, y1, x2, y2]: Seg, b: Rect): boolean => clipSegment([x1, y1], [x2, y2], b) !== null;

function segmentHitsCircle([x1, y1, x2, y2]: Seg, cx: number, cy: number, r: number): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((cx - x1) * dx + (cy - y1) * dy) / len2)) : 0;
  const ex = x1 + t * dx - cx;
  const ey = y1 + t * dy - cy;
  return ex * ex + ey * ey < r * r;
}

/** The leader from the edge of the point's marker to the nearest point of its label. */
export function leaderLine(a: Anchor, box: Rect): Seg {
  const nx = Math.max(box.x, Math.min(a.x, box.x + box.w));
  const ny = Math.max(box.y, Math.min(a.y, box.y + box.h));
  const len = Math.hypot(nx - a.x, ny - a.y) || 1;
  return [a.x + ((nx - a.x) / len) * (a.r + 1), a.y + ((ny - a.y) / len) * (a.r + 1), nx, ny];
}

/** The label's box on the side of `a + u·dist` that faces away from the point. */
function candidate(a: Anchor, w: number, h: number, angle: number, dist: number): Rect {
  const ux = Math.cos(angle);
  const uy = -Math.sin(angle);
  const hx = Math.max(-1, Math.min(1, ux / 0.38));
  const hy = Math.max(-1, Math.min(1, uy / 0.38));
  const px = a.x + ux * dist;
  const py = a.y + uy * dist;
  return { x: px - w / 2 + (hx * w) / 2, y: py - h / 2 + (hy * h) / 2, w, h };
}

const deg = Math.PI / 180;
const FIRST_RING = [0, 35, -35, 180, 145, -145, 90, -90].map((a) => a * deg);
const WIDE_RING = [0, 22.5, -22.5, 45, -45, 67.5, -67.5, 90, -90, 112.5, -112.5, 135, -135, 157.5, -157.5, 180].map((a) => a * deg);

/** Labels for `anchors`; an anchor whose size is null is an obstacle only (e.g. part of an error bar). */
export function placeLabels(anchors: readonly Anchor[], sizes: readonly ({ w: number; h: number } | null)[], bounds: Rect, opts: PlaceOptions = {}): (PlacedLabel | null)[] {
  const { gap = 2, pad = 1.5, rings = 10 } = opts;
  const crowd = anchors.map((a) => anchors.filter((b) => Math.hypot(a.x - b.x, a.y - b.y) < 60).length);
  const order = anchors.map((_, i) => i).sort((i, j) => crowd[j] - crowd[i] || i - j);
  const boxes: Rect[] = [];
  const leaders: Seg[] = [];
  const out: (PlacedLabel | null)[] = anchors.map(() => null);
  const inside = (b: Rect) => b.x >= bounds.x && b.y >= bounds.y && b.x + b.w <= bounds.x + bounds.w && b.y + b.h <= bounds.y + bounds.h;

  for (const i of order) {
    const a = anchors[i];
    const size = sizes[i];
    if (!size) continue;
    const { w, h } = size;
    const step = opts.ringStep ?? Math.max(6, h * 0.9);
    const free = (b: Rect, leader: Seg | null) => {
      if (!inside(b)) return false;
      if (boxes.some((o) => rectsOverlap(b, o, pad))) return false;
      if (anchors.some((o) => circleHitsRect(o.x, o.y, o.r + pad, b))) return false;
      if (leaders.some((s) => segmentHitsRect(s, { x: b.x - pad, y: b.y - pad, w: b.w + 2 * pad, h: b.h + 2 * pad }))) return false;
      if (!leader) return true;
      return !boxes.some((o) => segmentHitsRect(leader, o)) && !anchors.some((o, k) => k !== i && segmentHitsCircle(leader, o.x, o.y, o.r));
    };
    search: for (let k = 0; k <= rings; k++) {
      const dist = a.r + gap + k * step;
      for (const angle of k === 0 ? FIRST_RING : WIDE_RING) {
        const b = candidate(a, w, h, angle, dist);
        const leader = k > 0 ? leaderLine(a, b) : null;
        if (free(b, leader)) {
          boxes.push(b);
          if (leader) leaders.push(leader);
          out[i] = { ...b, leader: k > 0 };
          break search;
        }
      }
    }
  }
  return out;
}
