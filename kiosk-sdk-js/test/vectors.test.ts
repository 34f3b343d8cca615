import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { sha256 } from '../src/sha256';
import type { Layout } from '../src/taps';
import { distanceToTarget, hitResult, nearestTarget, tapProperties } from '../src/taps';
import type { Experiment } from '../src/variants';
import { assignVariant, checkExperiment, variantHash, variantPosition } from '../src/variants';

// compiled to dist/test/: the vectors sit at the repository's top level, beside both SDKs
const VECTORS = path.resolve(__dirname, '..', '..', '..', 'sdk-test-vectors');
const read = (name: string) => JSON.parse(readFileSync(path.join(VECTORS, name), 'utf8'));

test('sha256 agrees with node:crypto on empty, block-edge and random inputs', () => {
  const inputs = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000].map((n) => randomBytes(n));
  for (let i = 0; i < 200; i++) {
    inputs.push(randomBytes(Math.floor(Math.random() * 300)));
  }
  for (const input of inputs) {
    assert.equal(Buffer.from(sha256(input)).toString('hex'), createHash('sha256').update(input).digest('hex'), `length ${input.length}`);
  }
});

test('variant assignment matches every shared vector (computed by Python hashlib)', () => {
  const cases = read('variants.json').cases;
  assert.ok(cases.length >= 300);
  const wrong: string[] = [];
  for (const c of cases) {
    const e: Experiment = { name: c.experiment, unit: 'session', variants: c.variants };
    if (variantHash(c.unit, c.experiment) !== c.hash) {
      wrong.push(`hash of ${c.unit}:${c.experiment}`);
    }
    const got = assignVariant(c.unit, e);
    if (got !== c.expected) {
      wrong.push(`${c.unit} in ${c.experiment}: expected ${c.expected}, got ${got}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('variants split by weight and refuse definitions that cannot work', () => {
  const e: Experiment = { name: 'priceTag', unit: 'device', variants: [['control', 80], ['badge', 20]] };
  let badge = 0;
  for (let i = 0; i < 20000; i++) {
    if (assignVariant(`kiosk-${i}`, e) === 'badge') {
      badge++;
    }
  }
  assert.ok(Math.abs(badge - 4000) < 300, `badge ${badge}`);
  const p = variantPosition('kiosk-1', 'priceTag');
  assert.ok(p >= 0 && p < 1);
  assert.equal(assignVariant('kiosk-1', { name: 'x', unit: 'device', variants: [] }), undefined);
  assert.throws(() => checkExperiment({ name: 'bad name', unit: 'device', variants: [['A', 1]] }));
  assert.throws(() => checkExperiment({ name: 'x', unit: 'device', variants: [['A', 1.5]] }));
  assert.throws(() => checkExperiment({ name: 'x', unit: 'device', variants: [['A', 1], ['A', 2]] }));
  assert.throws(() => checkExperiment({ name: 'x', unit: 'device', variants: [['A', 1 << 20], ['B', 1]] }));
});

test('tap properties match every shared vector', () => {
  const v = read('taps.json');
  const layouts: Record<string, Layout> = v.layouts;
  const wrong: string[] = [];
  for (const c of v.cases) {
    const got = tapProperties(c.x, c.y, layouts[c.layout]);
    try {
      assert.deepEqual(got, c.expected);
    } catch {
      wrong.push(`${c.layout} (${c.x}, ${c.y}): expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('tap helpers answer directly', () => {
  const ok = { id: 'ok', left: 100, top: 100, width: 50, height: 20 };
  const cancel = { id: 'cancel', left: 200, top: 100, width: 50, height: 20 };
  const dialog: Layout = { width: 400, height: 300, targets: [ok, cancel] };
  assert.equal(hitResult(100, 100, dialog), 'success');
  assert.equal(hitResult(150, 100, dialog), 'miss');
  assert.equal(hitResult(400, 10, dialog), 'outside');
  assert.equal(distanceToTarget(97, 96, ok), 5);
  assert.equal(nearestTarget(175, 110, dialog.targets)?.id, 'ok', 'a tie goes to the first listed');
});
