/**
 * Runs a fleet of TypeScript kiosks in this Node process for the Java fleet simulator (kiosk-simulator,
 * -Dsim.tsKiosks=N), which registers the devices, starts this program and checks what the server holds:
 *
 *     node dist/sim/main.js <config.json> <result.json>
 *
 * config: {endpoint, kiosks:[{deviceId, token}], eventsPerKiosk, eventsPerSecond (this fleet's offered rate),
 * eventsPerSession, lostAnswers, offlineShare, offlineSeconds, journals, drainSeconds, seed}. The result lists,
 * per kiosk, the SDK's delivery counts per kind and how its sessions ended; progress goes to stdout.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { sleep } from '../src/buffer';
import { FileJournal } from '../src/journal-file';
import { KioskTelemetry } from '../src/telemetry';
import { FetchTransport } from '../src/transport';
import type { Experiment } from '../src/variants';
import { FlakyTransport, seeded } from './flaky';
import { SimulatedKiosk } from './kiosk';

interface Config {
  endpoint: string;
  kiosks: Array<{ deviceId: string; token: string }>;
  eventsPerKiosk: number;
  eventsPerSecond: number;
  eventsPerSession: number;
  lostAnswers: number;
  offlineShare: number;
  offlineSeconds: number;
  journals: string;
  drainSeconds: number;
  seed: number;
}

const EXPERIMENTS: Experiment[] = [
  { name: 'frameLayout', unit: 'device', variants: [['A', 50], ['B', 50]] },
  { name: 'priceTag', unit: 'session', variants: [['control', 80], ['badge', 20]] },
];

async function main(): Promise<void> {
  const [configFile, resultFile] = process.argv.slice(2);
  const c = JSON.parse(readFileSync(configFile, 'utf8')) as Config;
  const random = seeded(c.seed);
  const kiosks: SimulatedKiosk[] = [];
  for (const k of c.kiosks) {
    const dir = path.join(c.journals, k.deviceId);
    mkdirSync(dir, { recursive: true });
    const r = seeded(Math.floor(random() * 2 ** 32));
    const network = new FlakyTransport(new FetchTransport(c.endpoint, 30_000), c.lostAnswers, seeded(Math.floor(r() * 2 ** 32)));
    const telemetry = await KioskTelemetry.open({
      transport: network, deviceToken: k.token, journal: new FileJournal(dir, false), deviceId: k.deviceId, experiments: EXPERIMENTS,
      random: r, settings: { initialBackoffMs: 500, maxBackoffMs: 10_000 },
    });
    kiosks.push(new SimulatedKiosk(k.deviceId, telemetry, network, r, c.eventsPerKiosk, c.eventsPerSession));
  }
  const started = Date.now();
  const periodMs = Math.max(1, (kiosks.length / c.eventsPerSecond) * 1000);
  const planned = (c.eventsPerKiosk * kiosks.length) / c.eventsPerSecond;
  const outages = Math.round(kiosks.length * c.offlineShare);
  for (let i = 0; i < outages; i++) {
    const k = kiosks[Math.floor(random() * kiosks.length)];
    const at = planned * 1000 * (0.1 + 0.6 * random());
    setTimeout(() => (k.network.offline = true), at);
    setTimeout(() => (k.network.offline = false), at + c.offlineSeconds * 1000);
  }
  // one timer for the fleet: each tick steps every kiosk whose turn it is
  let tick = 0;
  const stepper = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / periodMs) * kiosks.length);
    while (tick < due) {
      const k = kiosks[tick % kiosks.length];
      tick++;
      try {
        k.step();
      } catch (e) {
        console.log(`kiosk ${k.deviceId} failed: ${String(e)}`);
      }
    }
  }, 20);
  let lastReport = Date.now();
  while (!kiosks.every((k) => k.done())) {
    await sleep(250);
    if (Date.now() - lastReport >= 5000) {
      lastReport = Date.now();
      const events = kiosks.reduce((n, k) => n + k.eventsTracked, 0);
      const pending = kiosks.reduce((n, k) => n + k.telemetry.buffer.pending(), 0);
      console.log(`[ts ${((Date.now() - started) / 1000).toFixed(0)}s] events ${events} of ${c.eventsPerKiosk * kiosks.length} · pending ${pending} · offline ${kiosks.filter((k) => k.network.offline).length}`);
    }
  }
  clearInterval(stepper);
  kiosks.forEach((k) => (k.network.offline = false));
  const deadline = Date.now() + c.drainSeconds * 1000;
  let drained = false;
  while (Date.now() < deadline) {
    if (kiosks.every((k) => k.telemetry.buffer.pending() === 0)) {
      drained = true;
      break;
    }
    kiosks.forEach((k) => k.telemetry.buffer.flushSoon());
    await sleep(200);
  }
  const result = {
    seconds: (Date.now() - started) / 1000,
    drained,
    lostAnswers: kiosks.reduce((n, k) => n + k.network.lostAnswers, 0),
    kiosks: kiosks.map((k) => ({ deviceId: k.deviceId, eventsTracked: k.eventsTracked, endedAs: k.endedAs, stats: k.telemetry.stats() })),
  };
  await Promise.all(kiosks.map((k) => k.telemetry.close()));
  writeFileSync(resultFile, JSON.stringify(result));
  console.log(`[ts] ${kiosks.length} TypeScript kiosks tracked ${result.kiosks.reduce((n, k) => n + k.eventsTracked, 0)} events in ${result.seconds.toFixed(1)} s; drained ${drained}; ${result.lostAnswers} answers lost on purpose`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
