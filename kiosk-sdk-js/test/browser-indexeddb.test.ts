import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Browser } from './browser';
import { StubBackend } from './stub-backend';

let backend: StubBackend;
let browser: Browser;

/**
 * A page that loads the SDK as built (dist/src, CommonJS) through a few lines of module loader, so the test runs the
 * shipped code in the browser's own IndexedDB and fetch. `window.sdk` is the package's index.
 */
function page(): string {
  const dir = join(__dirname, '..', 'src');
  const sources: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    sources[f.slice(0, -3)] = readFileSync(join(dir, f), 'utf8');
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kiosk SDK in a browser</title><script>
const sources = ${JSON.stringify(sources).replace(/</g, '\\u003c')};
const loaded = {};
function load(name) {
  if (!loaded[name]) {
    const module = { exports: {} };
    loaded[name] = module;
    new Function('require', 'module', 'exports', sources[name])((r) => load(r.replace(/^\\.\\//, '')), module, module.exports);
  }
  return loaded[name].exports;
}
window.sdk = load('index');
</script></head><body></body></html>`;
}

/** Opens the kiosk as an app would at start; the network is down while `offline` is set on the page. */
const OPEN = `
window.net = { offline: ${'${OFFLINE}'}, inner: new sdk.FetchTransport(location.origin),
  send(m, p, t, b) { return this.offline ? Promise.reject(new Error('network down')) : this.inner.send(m, p, t, b); } };
window.openKiosk = () => sdk.KioskTelemetry.open({ transport: net, deviceToken: 'kt1-browser',
  journal: new sdk.IndexedDbJournal('kiosk-browser'), settings: { flushIntervalMs: 3600000 } });`;

before(async () => {
  backend = await StubBackend.start();
  backend.files.set('/kiosk.html', { contentType: 'text/html; charset=utf-8', body: page() });
  browser = await Browser.launch();
});

after(async () => {
  await browser?.close();
  await backend?.close();
});

test('in Chromium, the IndexedDB journal keeps records and an open session across a page crash; the next start sends them once', async () => {
  await browser.open(`${backend.url}/kiosk.html`);
  const first = await browser.evaluate<{ session: string; flushed: boolean; durable: boolean }>(`(async () => {
    ${OPEN.replace('${OFFLINE}', 'true')}
    const kiosk = await openKiosk();
    const s = kiosk.sessions.start('3.2.0');
    s.enter('capture');
    for (let i = 0; i < 10; i++) {
      s.track('tap', 'capture', { x: i });
    }
    kiosk.sales.sale(s).currency('KRW').method('card').gross('5000').record();
    const flushed = await kiosk.buffer.flush();
    const durable = await kiosk.buffer.awaitDurable();
    return { session: s.id, flushed, durable };
  })()`);
  assert.equal(first.flushed, false, 'the network is down');
  assert.equal(first.durable, true, 'committed to IndexedDB');
  assert.equal(backend.received.filter((r) => r.path.startsWith('/api/')).length, 0, 'nothing reached the server');

  await browser.reload(); // the app dies with everything unsent; only IndexedDB remains
  const second = await browser.evaluate<{ replayed: number; recovered: number; flushed: boolean; pending: number }>(`(async () => {
    ${OPEN.replace('${OFFLINE}', 'false')}
    const kiosk = await openKiosk();
    const replayed = kiosk.stats().EVENT.replayed;
    const recovered = kiosk.health().sessionsRecovered;
    const flushed = await kiosk.buffer.flush();
    await kiosk.close();
    return { replayed, recovered, flushed, pending: kiosk.buffer.pending() };
  })()`);
  assert.deepEqual(second, { replayed: 10, recovered: 1, flushed: true, pending: 0 });
  const events = [...backend.kind('events').values()].filter((e) => e.sessionId === first.session);
  assert.equal(events.length, 10, 'every event once');
  assert.equal(backend.kind('sales').size, 1);
  assert.equal(backend.kind('sessions').get(first.session).status, 'abandoned', 'the leftover session is ended, not resumed');
  assert.equal(backend.kind('sessions').get(first.session).funnel.exitStage, 'capture');

  await browser.reload();
  const third = await browser.evaluate<{ pending: number; recovered: number }>(`(async () => {
    ${OPEN.replace('${OFFLINE}', 'false')}
    const kiosk = await openKiosk();
    const out = { pending: kiosk.buffer.pending(), recovered: kiosk.health().sessionsRecovered };
    await kiosk.close();
    return out;
  })()`);
  assert.deepEqual(third, { pending: 0, recovered: 0 }, 'nothing left after a clean close');
  assert.deepEqual(browser.errors, [], 'no uncaught error or console error in the page');
});
