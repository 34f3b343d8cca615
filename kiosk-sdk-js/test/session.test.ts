import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Recorder, kiosk, tempDir } from './helpers';
import { StubBackend, TestClock } from './stub-backend';

let backend: StubBackend;
before(async () => {
  backend = await StubBackend.start();
  backend.sendDate = false; // the kiosk clock is pinned in the past here: no clock correction (clock.test covers it)
});
after(() => backend.close());

test('a completed session walks the funnel with behaviour and seq, and events get sequenceNo 0..n', async () => {
  const clock = new TestClock(Date.parse('2026-11-23T01:00:00Z'));
  const t = await kiosk(backend.url, tempDir(), { clock: clock.now, ticker: clock.tick, funnelMap: { frames: 'frame_select' } });
  const s = t.sessions.start('3.2.0', { heroImage: 'sunset' });
  clock.advance(5000);
  s.enter('start');
  s.screen('frames');
  clock.advance(12_000);
  s.track('tap', 'frames', { x: 512, y: 300 });
  s.track('select', 'frames', { target: 'frame-3' });
  s.track('screen_exit', 'frames');
  s.track('scroll', 'frames', { scrollDepth: 40 });
  assert.equal(s.track('Bad Type'), -1);
  assert.equal(s.tap('frames', 1, 2, undefined as never), -1, 'a call that cannot be honoured returns, never throws');
  assert.equal(s.progress(), 2 / 7);
  clock.advance(30_000);
  s.end('completed');
  s.enter('print');
  assert.ok(await t.buffer.flush());
  await t.close();

  const created = backend.requests('/api/sessions', 'POST').find((r) => r.body.sessionId === s.id)!;
  assert.equal(created.body.startedAt, '2026-11-23T01:00:00.000Z');
  assert.deepEqual(created.body.experiments, { heroImage: 'sunset' });
  const patch = backend.requests(`/api/sessions/${s.id}`, 'PATCH').at(-1)!.body;
  assert.equal(patch.seq, 3, 'start, frame_select, end');
  assert.equal(patch.status, 'completed');
  assert.equal(patch.endedAt, '2026-11-23T01:00:47.000Z');
  assert.equal(patch.funnel.exitStage, null);
  assert.deepEqual(patch.funnel.stages.map((x: any) => x.stage), ['attract', 'start', 'frame_select', 'complete']);
  assert.deepEqual(patch.behavior, { totalTaps: 1, totalScrolls: 1, selectionChanges: 1, screenDurationsMs: { frames: 12000 } });
  const events = [...backend.kind('events').values()].filter((e) => e.sessionId === s.id);
  assert.deepEqual(events.map((e) => e.sequenceNo).sort(), [0, 1, 2, 3, 4]);
  assert.equal(t.health().ignoredCalls, 3, 'the bad type, the tap without a layout and the enter after the end');
});

test('sales carry exact amounts with net computed; bad sales are refused at the call', async () => {
  const rec = new Recorder();
  const t = await kiosk(backend.url, tempDir(), { listener: rec });
  const s = t.sessions.start('3.2.0');
  const id = t.sales.sale(s).currency('KRW').method('card').gross('10000').discount('1000').tax('818').margin('5000')
    .settlement('pending', '2026-11-25').record();
  const cents = t.sales.sale(s).currency('USD').method('cash').gross('9999999999999999.99').tax('0.30').record();
  assert.equal(t.sales.sale(s).currency('KRW').gross('1').discount('2').record(), undefined);
  assert.equal(t.sales.sale(s).currency('KRW').gross('1.234').record(), undefined);
  assert.equal(t.sales.sale(s).currency('krw').gross('1').record(), undefined);
  assert.ok(await t.buffer.flush());
  await t.close();
  const raw = backend.requests('/api/sales').map((r) => r.body);
  const sale = raw.find((b) => b.saleId === id);
  assert.deepEqual(sale.amounts, { gross: 10000, discount: 1000, tax: 818, net: 8182, margin: 5000 });
  assert.deepEqual(sale.settlement, { status: 'pending', scheduledDate: '2026-11-25' });
  assert.ok(raw.some((b) => b.saleId === cents));
  assert.equal(rec.ignored.filter((x) => x.startsWith('SalesRecorder')).length, 3);
});

test('amounts go on the wire as exact JSON numbers, never through a binary float', async () => {
  const t = await kiosk(backend.url, tempDir());
  const s = t.sessions.start('3.2.0');
  const id = t.sales.sale(s).currency('USD').method('cash').gross('9999999999999999.99').tax('0.30').record();
  const texts: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = ((u: any, init: any) => {
    texts.push(String(init.body));
    return original(u, init);
  }) as typeof fetch;
  try {
    assert.ok(await t.buffer.flush());
  } finally {
    globalThis.fetch = original;
    await t.close();
  }
  const text = texts.find((x) => x.includes(id!))!;
  assert.match(text, /"amounts":\{"gross":9999999999999999\.99,"discount":0,"tax":0\.3,"net":9999999999999999\.69\}/);
});

test('errors carry breadcrumbs of moves and events, the device state and the stack; guard rethrows', async () => {
  const t = await kiosk(backend.url, tempDir());
  t.errors.deviceState(() => ({ printerPaper: 12, networkOnline: true }));
  const s = t.sessions.start('3.2.0');
  s.enter('capture');
  s.track('tap', 'capture', { x: 1, y: 2 });
  t.errors.breadcrumb('hardware', 'printer reports tray 2', { tray: 2 });
  assert.throws(() => t.errors.guard('hardware', 'CAMERA', s, () => { throw new TypeError('lens cap on'); }), TypeError);
  await assert.rejects(t.errors.guard('network', undefined, s, async () => { throw new Error('offline'); }));
  assert.ok(await t.buffer.flush());
  await t.close();
  const errors = backend.requests('/api/errors').map((r) => r.body).filter((e) => e.sessionId === s.id);
  assert.equal(errors.length, 2);
  const cam = errors.find((e) => e.code === 'CAMERA');
  assert.equal(cam.category, 'hardware');
  assert.equal(cam.message, 'TypeError: lens cap on');
  assert.match(cam.stack, /TypeError: lens cap on/);
  assert.deepEqual(cam.deviceState, { printerPaper: 12, networkOnline: true });
  assert.deepEqual(cam.breadcrumbs.map((b: any) => b.message), ['enter capture', 'tap capture', 'printer reports tray 2']);
  assert.equal(errors.find((e) => e.category === 'network').code, 'Error');
});

test('timings: a timer with marks, the contract bounds, default device context', async () => {
  const clock = new TestClock(Date.now());
  const t = await kiosk(backend.url, tempDir(), { clock: clock.now, ticker: clock.tick });
  const s = t.sessions.start('3.2.0');
  const timer = t.performance.start('capture', s);
  clock.advance(120);
  timer.mark('shutter');
  clock.advance(1714);
  const id = timer.mark('save').stop(true, { cpuPercent: 63.5 });
  assert.equal(timer.stop(true), undefined, 'a timer stops once');
  assert.equal(t.performance.record('print', s, 3_600_000, true), undefined);
  assert.ok(await t.buffer.flush());
  await t.close();
  const m = backend.kind('metrics').get(id!);
  assert.equal(m.durationMs, 1834);
  assert.deepEqual(m.breakdown, { shutter: 120, save: 1714 });
  assert.equal(m.context.cpuPercent, 63.5);
  assert.equal(typeof m.context.memoryMb, 'number');
});

test('taps and gestures carry the heatmap properties; sessions carry variants, per device stable across restarts', async () => {
  const dir = tempDir();
  const experiments = [
    { name: 'frameLayout', unit: 'device' as const, variants: [['A', 50], ['B', 50]] as [string, number][] },
    { name: 'priceTag', unit: 'session' as const, variants: [['control', 80], ['badge', 20]] as [string, number][] },
  ];
  const seen: string[] = [];
  for (let run = 0; run < 2; run++) {
    const t = await kiosk(backend.url, dir, { deviceId: 'kiosk-0001', experiments });
    const s = t.sessions.start('3.2.0');
    seen.push(s.variant('frameLayout')!);
    assert.equal(t.sessions.deviceVariant('frameLayout'), s.variant('frameLayout'));
    assert.equal(t.sessions.deviceVariant('priceTag'), undefined);
    s.tap('frame_select', 512, 300, { width: 1080, height: 1920, targets: [{ id: 'frame-3', left: 400, top: 300, width: 300, height: 380 }] });
    s.gesture('scroll', 'frame_select', 540, 1500, 540, 700, 420, { scrollDepth: 60 });
    s.end('abandoned');
    assert.ok(await t.buffer.flush());
    await t.close();
    const body = backend.kind('sessions').get(s.id);
    assert.deepEqual(Object.keys(body.experiments), ['frameLayout', 'priceTag']);
    const events = [...backend.kind('events').values()].filter((e) => e.sessionId === s.id);
    assert.deepEqual(events[0].properties, { x: 512, y: 300, hitResult: 'success', target: 'frame-3', nearestTarget: 'frame-3', distanceToTarget: 0 });
    assert.deepEqual(events[1].properties, { startX: 540, startY: 1500, endX: 540, endY: 700, durationMs: 420, scrollDepth: 60 });
  }
  assert.equal(seen[0], seen[1], 'the same device variant after a restart');
  await assert.rejects(kiosk(backend.url, tempDir(), { experiments }), /deviceId/);
});

test('an idle session ends as timeout at the stage it stopped in', async () => {
  const clock = new TestClock(Date.parse('2026-11-23T01:00:00Z'));
  const t = await kiosk(backend.url, tempDir(), { clock: clock.now, ticker: clock.tick });
  const s = t.sessions.start();
  s.enter('payment');
  clock.advance(120_000);
  assert.equal(t.sessions.endIdle(), 0);
  clock.advance(60_000);
  assert.equal(t.sessions.endIdle(), 1);
  assert.ok(await t.buffer.flush());
  await t.close();
  const patch = backend.requests(`/api/sessions/${s.id}`, 'PATCH').at(-1)!.body;
  assert.equal(patch.status, 'timeout');
  assert.equal(patch.funnel.exitStage, 'payment');
});
