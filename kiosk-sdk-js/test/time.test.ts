import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../src/backoff';
import { TimeSource } from '../src/time';
import { parseRetryAfter } from '../src/transport';
import { TestClock } from './stub-backend';

const T0 = Date.parse('2026-11-23T01:00:00Z');

test('a server within 2 s of the kiosk leaves the clock uncorrected', () => {
  const c = new TestClock(T0);
  const t = new TimeSource(c.now, c.tick);
  t.observe(t.local(), t.local() + 40, T0);
  assert.equal(t.offsetMs(), 0);
  c.advance(700);
  t.observe(t.local(), t.local() + 40, T0 - 1000);
  assert.equal(t.offsetMs(), 0, 'bounds within ±2 s: no correction');
  assert.ok(t.estimated());
  assert.equal(t.now(), T0 + 700);
});

test('a kiosk an hour slow is corrected to within a second, and small refinements do not move it', () => {
  const c = new TestClock(T0);
  const t = new TimeSource(c.now, c.tick);
  const server = (local: number) => Math.floor((local + 3_600_000) / 1000) * 1000;
  t.observe(t.local(), t.local() + 30, server(t.local() + 15));
  const first = t.offsetMs();
  assert.ok(Math.abs(first - 3_600_000) <= 1000, `offset ${first}`);
  for (let i = 0; i < 20; i++) {
    c.advance(1370);
    const sent = t.local();
    t.observe(sent, sent + 30, server(sent + 15));
  }
  assert.ok(Math.abs(t.offsetMs() - 3_600_000) <= 1000);
  assert.equal(t.offsetMs(), first, 'refinements below a second are not applied');
});

test('a contradicting answer (the server clock jumped) starts a new estimate', () => {
  const c = new TestClock(T0);
  const t = new TimeSource(c.now, c.tick);
  t.observe(t.local(), t.local() + 20, T0 + 10_000);
  assert.ok(Math.abs(t.offsetMs() - 10_000) <= 1000);
  c.advance(5000);
  t.observe(t.local(), t.local() + 20, T0 + 5000 - 60_000);
  assert.ok(Math.abs(t.offsetMs() + 60_000) <= 1000, `offset ${t.offsetMs()}`);
});

test('backoff doubles up to its cap, with jitter between half and all, and Retry-After as a floor', () => {
  let r = 0;
  const b = new Backoff(1000, 8000, () => r);
  assert.equal(b.next(0), 500);
  assert.equal(b.next(0), 1000);
  assert.equal(b.next(0), 2000);
  r = 0.999999;
  assert.equal(b.next(0), 8000);
  assert.equal(b.next(0), 8000, 'capped');
  assert.equal(b.next(30_000), 30_000, 'Retry-After wins when longer');
  b.reset();
  r = 0;
  assert.equal(b.next(0), 500);
});

test('Retry-After in seconds or as an HTTP-date', () => {
  assert.equal(parseRetryAfter('7', undefined, 0), 7000);
  const date = Date.parse('2026-11-23T01:00:00Z');
  assert.equal(parseRetryAfter('Mon, 23 Nov 2026 01:00:30 GMT', date, 0), 30_000);
  assert.equal(parseRetryAfter('soon', undefined, 0), undefined);
  assert.equal(parseRetryAfter(undefined, undefined, 0), undefined);
});
