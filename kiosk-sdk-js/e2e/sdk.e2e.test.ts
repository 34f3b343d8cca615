import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { FileJournal } from '../src/journal-file';
import { KioskTelemetry, type KioskOptions } from '../src/telemetry';
import { FetchTransport } from '../src/transport';
import { assignVariant, type Experiment } from '../src/variants';
import { FlakyTransport, seeded } from '../sim/flaky';
import { OperatorClient } from '../sim/operator';
import { LocalStack } from './local-stack';

let stack: LocalStack;
let operator: OperatorClient;

before(async () => {
  stack = await LocalStack.start();
  operator = new OperatorClient(stack.url, stack.adminToken);
});
after(async () => {
  await stack?.stop();
});

const layout: Experiment = { name: 'frameLayout', unit: 'device', variants: [['A', 50], ['B', 50]] };
const price: Experiment = { name: 'priceTag', unit: 'session', variants: [['control', 80], ['badge', 20]] };

function options(token: string, deviceId: string, dir: string, network: FlakyTransport, extra: Partial<KioskOptions> = {}): KioskOptions {
  return {
    transport: network, deviceToken: token, journal: new FileJournal(dir), deviceId, experiments: [layout, price],
    settings: { flushIntervalMs: 500, initialBackoffMs: 100, maxBackoffMs: 1000 }, ...extra,
  };
}

test('offline mid-session, crashed while offline, restarted: every record on the real stack exactly once, with its variants', async () => {
  const deviceId = `kiosk-js-e2e-${Date.now().toString(36)}`;
  const token = await operator.register(deviceId, 'store-12', 'KR');
  const dir = mkdtempSync(path.join(tmpdir(), 'sdk-js-e2e-'));
  // a kiosk clock three hours slow, and a network that loses a fifth of the answers after the server acted
  const slowClock = () => Date.now() - 3 * 3600_000;
  const network = new FlakyTransport(new FetchTransport(stack.url, 10_000), 0.2, seeded(42));

  // GIVEN a session whose first 30 events went out while online
  const app = await KioskTelemetry.open(options(token, deviceId, dir, network, { clock: slowClock }));
  const s = app.sessions.start('3.2.0');
  s.enter('start');
  const frames = { width: 1080, height: 1920, targets: [{ id: 'frame-3', left: 400, top: 300, width: 300, height: 380 }] };
  for (let i = 0; i < 30; i++) {
    s.tap('frame_select', 380 + i, 310, frames);
  }
  assert.ok(await app.buffer.drain(30_000));

  // WHEN the network goes down, the customer goes on, and the app dies before it comes back
  network.offline = true;
  s.enter('capture');
  for (let i = 30; i < 50; i++) {
    if (i % 5 === 0) {
      s.gesture('scroll', 'capture', 540, 1500, 540, 900, 300, { scrollDepth: i });
    } else {
      s.track('tap', 'capture', { x: i, y: 1 });
    }
  }
  const metric = app.performance.record('capture', s, 1834, true, { shutter: 120, save: 1714 });
  const sale = app.sales.sale(s).currency('KRW').method('card').gross('10000.50').discount('1000').tax('818.25').record();
  const error = app.errors.report('error', 'hardware', 'PRINTER_JAM', 'Printer jam at tray 2', undefined, s);
  assert.equal(await app.buffer.flush(), false, 'offline: nothing goes through');
  assert.ok(await app.buffer.awaitDurable());
  await app.crash();

  network.offline = false;
  const restarted = await KioskTelemetry.open(options(token, deviceId, dir, network, { clock: slowClock })); // the same kiosk, the same slow clock
  assert.equal(restarted.health().sessionsRecovered, 1);
  const second = restarted.sessions.start('3.2.0');
  second.enter('payment');
  second.end('completed');
  assert.ok(await restarted.buffer.drain(30_000));
  const stats = restarted.stats();
  await restarted.close();

  // THEN the server holds each of the 50 events once, in order, and the rest once each
  const events = await operator.items(`/api/events/session/${s.id}`);
  assert.deepEqual(events.map((e) => e.sequenceNo), [...Array(50).keys()]);
  assert.equal(events[0].properties.hitResult, 'miss');
  assert.equal(events[0].properties.nearestTarget, 'frame-3');
  assert.equal(events[0].properties.distanceToTarget, 20);
  assert.equal(events[25].properties.hitResult, 'success');
  assert.equal(events[30].properties.startY, 1500);
  assert.equal((await operator.items(`/api/events?deviceId=${deviceId}`)).length, 50);
  assert.equal((await operator.items(`/api/sales?deviceId=${deviceId}`)).length, 1);
  assert.equal((await operator.items(`/api/performance?deviceId=${deviceId}`)).length, 1);
  assert.equal((await operator.items(`/api/errors?deviceId=${deviceId}`)).length, 1);
  assert.ok(await operator.get(`/api/performance?deviceId=${deviceId}`));
  const soldAs = await operator.get(`/api/sales/${sale}`);
  assert.equal(Number(soldAs.amounts.net), 8182.25, JSON.stringify(soldAs.amounts));
  assert.ok(await operator.get(`/api/errors/${error}`));
  assert.ok(metric);

  const first = await operator.get(`/api/sessions/${s.id}`);
  assert.equal(first.status, 'abandoned', JSON.stringify(first));
  assert.equal(first.exitReason, 'app restarted');
  assert.equal(first.funnel.exitStage, 'capture');
  assert.equal(first.experiments.frameLayout, assignVariant(deviceId, layout));
  assert.equal(first.experiments.priceTag, assignVariant(s.id, price));
  // the first requests left before any answer, so they carry the kiosk's own (slow, but accepted) time; what
  // was stamped after the first answer carries the server's time, read from its Date header
  assert.ok(Math.abs(Date.parse(events[30].timestamp) - Date.now()) < 5 * 60_000, `event 30 at ${events[30].timestamp}: the server's clock`);
  assert.ok(Math.abs(Date.parse(soldAs.soldAt) - Date.now()) < 5 * 60_000, `soldAt ${soldAs.soldAt}`);
  assert.ok(Date.now() - Date.parse(first.startedAt) > 2.9 * 3600_000, `startedAt ${first.startedAt}: the kiosk's clock, before any answer`);
  const done = await operator.get(`/api/sessions/${second.id}`);
  assert.equal(done.status, 'completed');
  assert.equal(done.experiments.frameLayout, first.experiments.frameLayout, 'per device: the same variant after the restart');

  assert.ok(network.lostAnswers > 0, 'answers were lost on purpose');
  const duplicates = Object.values(stats).reduce((n, c) => n + c.duplicates, 0);
  assert.ok(duplicates > 0, `lost answers come back as duplicates: ${JSON.stringify(stats)}`);
  for (const [kind, c] of Object.entries(stats)) {
    assert.equal(c.rejected + c.evicted + c.expired + c.pending, 0, `${kind}: ${JSON.stringify(c)}`);
  }
});
