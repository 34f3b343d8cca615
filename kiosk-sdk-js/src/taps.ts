/**
 * Heatmap helpers, the same rules as the Java SDK's `Taps` (shared vectors: sdk-test-vectors/taps.json). Screen
 * pixels, origin top left; a point is in a rectangle when left ≤ x < left + width and top ≤ y < top + height.
 */
export type HitResult = 'success' | 'miss' | 'outside';

/** A tappable rectangle, with the id `properties.target` carries. */
export interface Target {
  id: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A screen's size and its targets, topmost first. */
export interface Layout {
  width: number;
  height: number;
  targets: readonly Target[];
}

function contains(t: Target, x: number, y: number): boolean {
  return x >= t.left && x < t.left + t.width && y >= t.top && y < t.top + t.height;
}

/** `outside`: not on the screen; `success`: in a target; `miss`: on the screen, in no target. */
export function hitResult(x: number, y: number, layout: Layout): HitResult {
  if (!(x >= 0 && y >= 0 && x < layout.width && y < layout.height)) {
    return 'outside';
  }
  return layout.targets.some((t) => contains(t, x, y)) ? 'success' : 'miss';
}

/** From the point to the target's rectangle, 0 inside (sqrt, which IEEE 754 rounds exactly, not hypot). */
export function distanceToTarget(x: number, y: number, t: Target): number {
  const dx = Math.max(t.left - x, 0, x - (t.left + t.width));
  const dy = Math.max(t.top - y, 0, y - (t.top + t.height));
  return Math.sqrt(dx * dx + dy * dy);
}

/** The target holding the point (the first listed), else the nearest (the first listed on a tie); undefined without targets. */
export function nearestTarget(x: number, y: number, targets: readonly Target[]): Target | undefined {
  let best: Target | undefined;
  let bestDistance = Infinity;
  for (const t of targets) {
    if (contains(t, x, y)) {
      return t;
    }
    const d = distanceToTarget(x, y, t);
    if (d < bestDistance) {
      best = t;
      bestDistance = d;
    }
  }
  return best;
}

/** Half up to one decimal (for d ≥ 0 Math.round agrees with Java's). */
function round1(d: number): number {
  return Math.round(d * 10) / 10;
}

/** A tap's properties: x, y, hitResult, and with targets nearestTarget, distanceToTarget (one decimal) and, on a success, target. */
export function tapProperties(x: number, y: number, layout: Layout): Record<string, string | number> {
  const p: Record<string, string | number> = { x, y };
  const hit = hitResult(x, y, layout);
  p.hitResult = hit;
  const nearest = nearestTarget(x, y, layout.targets);
  if (nearest) {
    if (hit === 'success') {
      p.target = nearest.id;
    }
    p.nearestTarget = nearest.id;
    p.distanceToTarget = round1(distanceToTarget(x, y, nearest));
  }
  return p;
}

/** A gesture's properties: startX, startY, endX, endY, durationMs. */
export function gestureProperties(startX: number, startY: number, endX: number, endY: number, durationMs: number): Record<string, number> {
  return { startX, startY, endX, endY, durationMs: Math.max(0, Math.round(durationMs)) };
}
