import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { sleep } from '../src/buffer';
import { MemoryJournal } from '../src/journal';
import { KioskTelemetry } from '../src/telemetry';
import { FetchTransport } from '../src/transport';
import { Recorder, kiosk, tempDir } from './helpers';
import { StubBackend, TestClock } from './stub-backend';

let backend: StubBackend;
before(async () => {
  backend = await StubBackend.start();
});
beforeEach(() => backend.clearScripts());
after(() => backend.close());

test('50 queued events send at once; fewer wait for the interval', async () => {
  const t = await KioskTelemetry.open({ transport: new FetchTransport(backend.url), deviceToken: 'kt1-test', journal: new MemoryJournal(),
    settings: { flushIntervalMs: 1500 } });
  const s = t.sessions.start('3.2.0');
  for (let i = 0; i < 49; i++) {
    s.track('tap', 'start', { x: i });
  }
  await sleep(300);
  assert.equal(backend.requests('/api/events/batch').filter((r) => r.body.events.some((e: any) => e.sessionId === s.id)).length, 0);
  s.track('tap', 'start', { x: 49 });
  await sleep(400);
  const batches = backend.requests('/api/events/batch').filter((r) => r.body.events.some((e: any) => e.sessionId === s.id));
  assert.equal(batches.length, 1);
  assert.equal(batches[0].body.events.length, 50);
  s.track('tap', 'start', { x: 50 });
  await sleep(1800);
  assert.equal(t.buffer.pending(), 0, 'the interval sent the rest');
  await t.close();
});

test('a 503 with retry indexes keeps exactly those items, and the next flush resends them with the same keys', async () => {
  let first = true;
  backend.script('/api/events/batch', () => {
    if (!first) {
      return undefined;
    }
    first = false;
    return { status: 503, body: { accepted: 0, duplicates: 0, rejected: [], retry: [1, 3] }, headers: { 'Retry-After': '2' } };
  });
  const clock = new TestClock(Date.now());
  const t = await kiosk(backend.url, tempDir(), { clock: clock.now, ticker: clock.tick });
  const s = t.sessions.start('3.2.0');
  for (let i = 0; i < 5; i++) {
    s.track('tap', 'start', { x: i });
  }
  assert.equal(await t.buffer.flush(), false);
  assert.equal(t.buffer.pending(), 2);
  assert.ok(t.buffer.nextAttemptInMs() >= 2000, `Retry-After is a floor: ${t.buffer.nextAttemptInMs()}`);
  assert.ok(await t.buffer.flush());
  const second = backend.requests('/api/events/batch').at(-1)!.body.events.map((e: any) => e.sequenceNo);
  assert.deepEqual(second, [1, 3]);
  await t.close();
});

test('429 with Retry-After backs off at least that long, then sends', async () => {
  let n = 0;
  backend.script('/api/sessions', () => (n++ === 0 ? { status: 429, headers: { 'Retry-After': '1' }, body: {} } : undefined));
  const t = await kiosk(backend.url, tempDir(), { settings: { flushIntervalMs: 200, initialBackoffMs: 10, maxBackoffMs: 50 } });
  const s = t.sessions.start('3.2.0');
  const started = Date.now();
  await t.buffer.flush();
  assert.ok(t.buffer.nextAttemptInMs() >= 900);
  while (!backend.kind('sessions').has(s.id)) {
    await sleep(50);
  }
  assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
  await t.close();
});

test('a refused item is dropped and reported; others in the batch are stored', async () => {
  backend.script('/api/events/batch', (r) => {
    if (r.body.events.length !== 3) {
      return undefined;
    }
    return { status: 200, body: { accepted: 2, duplicates: 0, rejected: [{ index: 1, errors: [{ field: 'events[1].properties', message: 'too big' }] }] } };
  });
  const rec = new Recorder();
  const t = await kiosk(backend.url, tempDir(), { listener: rec });
  const s = t.sessions.start('3.2.0');
  s.track('tap', 'a');
  s.track('tap', 'b');
  s.track('tap', 'c');
  assert.ok(await t.buffer.flush());
  assert.equal(t.buffer.pending(), 0);
  assert.equal(t.stats().EVENT.rejected, 1);
  assert.equal(rec.dropped.length, 1);
  assert.match(rec.dropped[0], /EVENT .*#1 rejected/);
  await t.close();
});

test('an overtaken session update is replaced, not sent; offline for long the PATCH count stays one', async () => {
  const t = await kiosk(backend.url, tempDir());
  const s = t.sessions.start('3.2.0');
  s.enter('start');
  s.enter('frame_select');
  s.enter('capture');
  s.end('abandoned', 'walked away');
  assert.ok(await t.buffer.flush());
  await t.close();
  const patches = backend.requests(`/api/sessions/${s.id}`, 'PATCH');
  assert.equal(patches.length, 1);
  assert.equal(patches[0].body.seq, 4);
  assert.equal(t.stats().SESSION_UPDATE.replaced, 3);
});

test('over the cap the oldest events go first; sessions stay', async () => {
  const rec = new Recorder();
  const t = await KioskTelemetry.open({ transport: new FetchTransport(backend.url), deviceToken: 't', journal: new MemoryJournal(),
    listener: rec, settings: { flushIntervalMs: 3_600_000, maxJournalBytes: 20_000, flushAtEvents: 1_000_000 } });
  const s = t.sessions.start('3.2.0');
  for (let i = 0; i < 300; i++) {
    s.track('tap', 'start', { pad: 'x'.repeat(50), i });
  }
  const stats = t.stats();
  assert.ok(stats.EVENT.evicted > 0);
  assert.equal(stats.SESSION_START.pending, 1);
  assert.ok(rec.dropped.every((d) => d.startsWith('EVENT')));
  await t.close();
});
