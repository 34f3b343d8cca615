import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { FILE_NAME } from '../src/journal-file';
import { FetchTransport } from '../src/transport';
import { Switchable, kiosk, tempDir } from './helpers';
import { StubBackend } from './stub-backend';

let backend: StubBackend;
before(async () => {
  backend = await StubBackend.start();
});
beforeEach(() => backend.clearScripts());
after(() => backend.close());

test('answers lost after the server stored the records: the resend carries the same keys and the server answers duplicate', async () => {
  let lose = 2;
  backend.script('/api/events/batch', () => (lose-- > 0 ? { status: 200, loseAnswer: true } : undefined));
  let loseSale = 1;
  backend.script('/api/sales', () => (loseSale-- > 0 ? { status: 201, loseAnswer: true } : undefined));
  const t = await kiosk(backend.url, tempDir(), { settings: { flushIntervalMs: 3_600_000, initialBackoffMs: 10, maxBackoffMs: 20 } });
  const s = t.sessions.start('3.2.0');
  for (let i = 0; i < 30; i++) {
    s.track('tap', 'start', { x: i });
  }
  t.sales.sale(s).currency('KRW').method('card').gross('5000').record();
  assert.ok(await t.buffer.drain(10_000));
  const keys = backend.requests('/api/events/batch').flatMap((r) => r.body.events.filter((e: any) => e.sessionId === s.id).map((e: any) => `${e.sessionId}#${e.sequenceNo}`));
  assert.equal(keys.length, 90, 'sent three times');
  assert.equal(new Set(keys).size, 30, 'always the same 30 keys');
  const stats = t.stats();
  assert.equal(stats.EVENT.accepted, 0, 'the stored answers were lost');
  assert.equal(stats.EVENT.duplicates, 30, 'the third send is answered duplicate');
  assert.equal(stats.SALE.duplicates, 1);
  assert.equal([...backend.kind('events').values()].filter((e) => e.sessionId === s.id).length, 30);
  await t.close();
});

test('a crash while offline loses nothing: the next start sends the journal with the same ids, ends the open session, and a resend after a lost answer is a duplicate', async () => {
  const dir = tempDir();
  const net = new Switchable(new FetchTransport(backend.url, 5000));
  const first = await kiosk(net, dir);
  const s = first.sessions.start('3.2.0');
  s.enter('start');
  for (let i = 0; i < 20; i++) {
    s.track('tap', 'start', { x: i });
  }
  assert.ok(await first.buffer.flush());
  // online: the first 20 are stored, but the answer to the next batch is lost just before the crash
  let lose = 1;
  backend.script('/api/events/batch', () => (lose-- > 0 ? { status: 200, loseAnswer: true } : undefined));
  for (let i = 20; i < 35; i++) {
    s.track('tap', 'start', { x: i });
  }
  s.enter('capture');
  await first.buffer.flush();
  net.offline = true;
  for (let i = 35; i < 50; i++) {
    s.track('tap', 'capture', { x: i });
  }
  const err = first.errors.report('error', 'hardware', 'PRINTER_JAM', 'jam', undefined, s);
  assert.ok(await first.buffer.awaitDurable());
  await first.crash();
  assert.match(readFileSync(path.join(dir, FILE_NAME), 'utf8'), /^A \{"id":0,"kind":"SESSION_START"/);

  const second = await kiosk(new FetchTransport(backend.url, 5000), dir);
  assert.equal(second.stats().EVENT.replayed, 30, '15 answered-lost + 15 offline');
  assert.equal(second.health().sessionsRecovered, 1);
  assert.ok(await second.buffer.drain(10_000));
  const stats = second.stats();
  assert.equal(stats.EVENT.duplicates, 15, 'the batch whose answer was lost');
  assert.equal(stats.EVENT.accepted, 15);
  assert.equal(stats.ERROR.accepted, 1);
  await second.close();

  const held = [...backend.kind('events').values()].filter((e) => e.sessionId === s.id);
  assert.deepEqual(held.map((e) => e.sequenceNo).sort((a, b) => a - b), [...Array(50).keys()]);
  assert.ok(backend.kind('errors').has(err!));
  const session = backend.kind('sessions').get(s.id);
  assert.equal(session.status, 'abandoned');
  assert.equal(session.exitReason, 'app restarted');
  assert.equal(session.funnel.exitStage, 'capture');
  assert.equal(session.seq, 3, 'start and capture were applied before the crash; the final PATCH has the next seq');

  const third = await kiosk(backend.url, dir);
  assert.equal(third.buffer.pending(), 0, 'nothing left for a third start');
  assert.equal(third.health().sessionsRecovered, 0);
  await third.close();
});
