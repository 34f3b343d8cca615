import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CommitBatch, Delivery } from '../src/journal';
import { FILE_NAME, FileJournal, LOCK_NAME } from '../src/journal-file';
import { tempDir } from './helpers';

const rec = (id: number, kind: Delivery['kind'] = 'EVENT'): Delivery => ({ id, kind, key: `k${id}`, at: 1_700_000_000_000, off: 0, body: { n: id } });
const batch = (b: Partial<CommitBatch>): CommitBatch => ({ added: [], done: [], sessions: [], ended: [], ...b });
const none = () => ({ pending: [], sessions: [], pendingBytes: 0 });

test('replay: queued minus done, open sessions minus ended, in the Java SDK\'s line format', async () => {
  const dir = tempDir();
  const j = new FileJournal(dir);
  await j.open();
  await j.commit(batch({ added: [rec(0, 'SESSION_START'), rec(1), rec(2)], sessions: [{ sessionId: 's1', seq: 0 }, { sessionId: 's2', seq: 0 }] }), none);
  await j.commit(batch({ done: [1], sessions: [{ sessionId: 's1', seq: 2 }], ended: ['s2'] }), none);
  await j.close();
  const text = readFileSync(path.join(dir, FILE_NAME), 'utf8');
  assert.match(text, /^A \{"id":0,"kind":"SESSION_START","key":"k0","at":1700000000000,"off":0,"body":\{"n":0\}\}\n/);
  assert.match(text, /\nD 1\n/);
  assert.match(text, /\nX s2\n$/);
  const again = new FileJournal(dir);
  const opened = await again.open();
  assert.deepEqual(opened.pending.map((d) => d.id), [0, 2]);
  assert.deepEqual(opened.openSessions, [{ sessionId: 's1', seq: 2 }]);
  await again.close();
});

test('a line torn by a power cut is cut off; an unreadable line is counted and skipped', async () => {
  const dir = tempDir();
  const j = new FileJournal(dir);
  await j.open();
  await j.commit(batch({ added: [rec(0), rec(1)] }), none);
  await j.close();
  const file = path.join(dir, FILE_NAME);
  appendFileSync(file, 'Z what is this\nA {"id":2,"kind":"EVENT","key":"k2","at":1,"off":0,"bo');
  const again = new FileJournal(dir);
  const opened = await again.open();
  assert.deepEqual(opened.pending.map((d) => d.id), [0, 1]);
  assert.equal(opened.unreadable, 1);
  assert.ok(readFileSync(file, 'utf8').endsWith('\n'), 'the torn tail is gone');
  await again.commit(batch({ added: [rec(3)] }), none);
  await again.close();
  const third = new FileJournal(dir);
  assert.deepEqual((await third.open()).pending.map((d) => d.id), [0, 1, 3]);
  await third.close();
});

test('one instance per directory: a second one is refused; a lock left by a dead process is taken over', async () => {
  const dir = tempDir();
  const j = new FileJournal(dir);
  await j.open();
  await assert.rejects(new FileJournal(dir).open(), /in use/);
  await j.close();
  writeFileSync(path.join(dir, LOCK_NAME), '999999999'); // no such process
  const k = new FileJournal(dir);
  await k.open();
  assert.equal(readFileSync(path.join(dir, LOCK_NAME), 'utf8'), String(process.pid));
  await k.close();
});

test('when finished lines dominate a file over 1 MiB it is rewritten with only what is pending', async () => {
  const dir = tempDir();
  const j = new FileJournal(dir, false);
  await j.open();
  const live = new Map<number, Delivery>();
  const current = () => ({ pending: [...live.values()], sessions: [{ sessionId: 's9', seq: 1 }], pendingBytes: [...live.values()].reduce((n, d) => n + JSON.stringify(d.body).length, 0) });
  const keep = rec(0);
  live.set(keep.id, keep);
  await j.commit(batch({ added: [keep] }), current);
  const big = 'x'.repeat(1000);
  let id = 1;
  let written = 0;
  for (let round = 0; round < 12; round++) {
    const added = [...Array(100)].map(() => ({ ...rec(id++), body: { big } }));
    added.forEach((d) => live.set(d.id, d));
    await j.commit(batch({ added }), current);
    written += added.length * 1000;
    added.forEach((d) => live.delete(d.id));
    await j.commit(batch({ done: added.map((d) => d.id) }), current);
  }
  const size = statSync(path.join(dir, FILE_NAME)).size;
  assert.ok(written > 1 << 20 && size < 300_000, `rewritten along the way: ${written} bytes written, file ${size}`);
  await j.close();
  const again = new FileJournal(dir);
  const opened = await again.open();
  assert.deepEqual(opened.pending.map((d) => d.id), [keep.id]);
  assert.deepEqual(opened.openSessions.map((s) => s.sessionId), ['s9']);
  await again.close();
});
