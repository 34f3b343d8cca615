import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kiosk, tempDir } from './helpers';
import { StubBackend } from './stub-backend';

let backend: StubBackend;
before(async () => {
  backend = await StubBackend.start();
  backend.validateTimestamps = true;
});
after(() => backend.close());

test('a kiosk clock 2 hours slow: records made before the first answer are refused once, corrected by the Date header and stored', async () => {
  const behind = 2 * 3600_000 + 40 * 86_400_000; // and 40 days: far outside the server's window
  const t = await kiosk(backend.url, tempDir(), { clock: () => Date.now() - behind });
  const s = t.sessions.start('3.2.0');
  s.enter('start');
  for (let i = 0; i < 5; i++) {
    s.track('tap', 'start', { x: i });
  }
  t.performance.record('render', s, 300, true);
  t.errors.report('warning', 'network', 'SLOW', 'slow uplink', undefined, s);
  t.sales.sale(s).currency('KRW').method('cash').gross('5000').record();
  assert.ok(await t.buffer.flush());
  assert.equal(t.buffer.pending(), 0);
  const offset = t.health().clockOffsetMs;
  assert.ok(Math.abs(offset - behind) <= 1500, `offset ${offset}`);
  assert.ok(t.health().timestampsCorrected >= 1);
  const stats = t.stats();
  for (const k of ['SESSION_START', 'EVENT', 'METRIC', 'ERROR', 'SALE'] as const) {
    assert.equal(stats[k].rejected, 0, k);
    assert.equal(stats[k].accepted, k === 'EVENT' ? 5 : 1, k);
  }
  // a record made after the estimate is stamped with the server's time directly
  s.track('tap', 'start', { x: 99 });
  assert.ok(await t.buffer.flush());
  const last = [...backend.kind('events').values()].find((e) => e.sessionId === s.id && e.sequenceNo === 5);
  assert.ok(Math.abs(Date.parse(last.timestamp) - Date.now()) < 3000, last.timestamp);
  await t.close();
});

test('a kiosk within 2 s of the server is never corrected', async () => {
  const t = await kiosk(backend.url, tempDir());
  const s = t.sessions.start('3.2.0');
  s.track('tap', 'start');
  assert.ok(await t.buffer.flush());
  assert.equal(t.health().clockOffsetMs, 0);
  assert.equal(t.health().timestampsCorrected, 0);
  await t.close();
});
