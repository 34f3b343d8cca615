import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IndexedDbJournal } from '../src/journal-indexeddb';
import { KioskTelemetry } from '../src/telemetry';
import { FetchTransport } from '../src/transport';
import { FakeIndexedDb } from './fake-indexeddb';
import { Switchable } from './helpers';
import { StubBackend } from './stub-backend';

let backend: StubBackend;
before(async () => {
  backend = await StubBackend.start();
});
after(() => backend.close());

test('IndexedDB journal: records and open sessions survive a crash; the restart sends them once and ends the session', async () => {
  const idb = new FakeIndexedDb() as unknown as IDBFactory;
  const net = new Switchable(new FetchTransport(backend.url));
  net.offline = true;
  const open = () => KioskTelemetry.open({ transport: net, deviceToken: 't', journal: new IndexedDbJournal('kiosk-a', idb), settings: { flushIntervalMs: 3_600_000 } });
  const first = await open();
  const s = first.sessions.start('3.2.0');
  s.enter('capture');
  for (let i = 0; i < 10; i++) {
    s.track('tap', 'capture', { x: i });
  }
  first.sales.sale(s).currency('KRW').method('card').gross('5000').record();
  assert.equal(await first.buffer.flush(), false);
  assert.ok(await first.buffer.awaitDurable());
  await first.crash();

  net.offline = false;
  const second = await open();
  assert.equal(second.stats().EVENT.replayed, 10);
  assert.equal(second.health().sessionsRecovered, 1);
  assert.ok(await second.buffer.flush());
  await second.close();
  assert.equal([...backend.kind('events').values()].filter((e) => e.sessionId === s.id).length, 10);
  assert.equal(backend.kind('sessions').get(s.id).status, 'abandoned');
  assert.equal(backend.kind('sessions').get(s.id).funnel.exitStage, 'capture');

  const third = await open();
  assert.equal(third.buffer.pending(), 0);
  assert.equal(third.health().sessionsRecovered, 0);
  await third.close();
});

test('IndexedDB journal: a failed transaction keeps the batch and the next commit writes it', async () => {
  const fake = new FakeIndexedDb();
  const journal = new IndexedDbJournal('kiosk-b', fake as unknown as IDBFactory);
  const failures: unknown[] = [];
  const t = await KioskTelemetry.open({ transport: new FetchTransport(backend.url), deviceToken: 't', journal,
    listener: { onJournalFailure: (e) => failures.push(e) }, settings: { flushIntervalMs: 3_600_000 } });
  (fake.dbs.get('kiosk-b') as unknown as { failNextWrite?: Error }).failNextWrite = new Error('QuotaExceededError');
  const s = t.sessions.start('3.2.0');
  s.track('tap', 'start');
  assert.ok(await t.buffer.awaitDurable(5000), 'written by the retry a second later');
  assert.equal(failures.length, 1);
  assert.equal(t.health().journalWriteFailures, 1);
  const reopened = await new IndexedDbJournal('kiosk-b', fake as unknown as IDBFactory).open();
  assert.deepEqual(reopened.pending.map((d) => d.kind), ['SESSION_START', 'EVENT']);
  await t.close();
});
