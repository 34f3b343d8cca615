import { sha256 } from './sha256';

/** What one assignment is stable for: the kiosk (`device`) or the customer visit (`session`). */
export type ExperimentUnit = 'device' | 'session';

/**
 * An A/B experiment: its name (the key in a session's `experiments`), its unit, and its variants with integer
 * weights in a fixed order (the order is part of the assignment).
 * ```ts
 * const frameLayout: Experiment = { name: 'frameLayout', unit: 'device', variants: [['A', 50], ['B', 50]] };
 * ```
 */
export interface Experiment {
  name: string;
  unit: ExperimentUnit;
  variants: ReadonlyArray<readonly [string, number]>;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Weights add up to at most 2^20, so that h × W stays below 2^53: exact as a JavaScript number. */
export const MAX_TOTAL_WEIGHT = 1 << 20;

/** Throws for a definition the assignment cannot take (made once at start-up, like the Java SDK's). */
export function checkExperiment(e: Experiment): void {
  if (!NAME.test(e.name) || (e.unit !== 'device' && e.unit !== 'session')) {
    throw new Error(`experiment ${e.name}: name must match ${NAME.source}, unit 'device' or 'session'`);
  }
  const seen = new Set<string>();
  let total = 0;
  for (const [variant, weight] of e.variants) {
    if (!NAME.test(variant) || !Number.isInteger(weight) || weight < 0 || seen.has(variant)) {
      throw new Error(`experiment ${e.name}: variant ${variant} needs a name matching ${NAME.source}, an integer weight ≥ 0, and to be given once`);
    }
    seen.add(variant);
    total += weight;
  }
  if (total > MAX_TOTAL_WEIGHT) {
    throw new Error(`experiment ${e.name}: the weights add up to more than ${MAX_TOTAL_WEIGHT}`);
  }
}

const utf8 = new TextEncoder();

/** h: the first 4 bytes of SHA-256(UTF-8(unit + ":" + experiment)), unsigned big-endian, in [0, 2^32). */
export function variantHash(unit: string, experimentName: string): number {
  const d = sha256(utf8.encode(`${unit}:${experimentName}`));
  return ((d[0] << 24) >>> 0) + (d[1] << 16) + (d[2] << 8) + d[3];
}

/** The unit's position for the experiment, h / 2^32, in [0, 1). */
export function variantPosition(unit: string, experimentName: string): number {
  return variantHash(unit, experimentName) / 4294967296;
}

/**
 * The variant `unit` (a device id or a session id) gets: point = floor(h × W / 2^32) with W the total weight, and
 * the first variant whose cumulative weight exceeds point. Undefined when the experiment has no weight. The same
 * as the Java SDK's `Variants.assign` (shared vectors: sdk-test-vectors/variants.json).
 */
export function assignVariant(unit: string, experiment: Experiment): string | undefined {
  let total = 0;
  for (const [, w] of experiment.variants) {
    total += w;
  }
  if (total <= 0) {
    return undefined;
  }
  // h × W < 2^52: exact; dividing by 2^32 and flooring is exact too
  const point = Math.floor((variantHash(unit, experiment.name) * total) / 4294967296);
  let cumulative = 0;
  for (const [variant, weight] of experiment.variants) {
    cumulative += weight;
    if (point < cumulative) {
      return variant;
    }
  }
  throw new Error(`unreachable: point ${point} ≥ total weight ${total}`);
}
