import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DeliveryListener } from '../src/buffer';
import { FileJournal } from '../src/journal-file';
import type { KioskOptions } from '../src/telemetry';
import { KioskTelemetry } from '../src/telemetry';
import type { Reply, Transport } from '../src/transport';
import { FetchTransport } from '../src/transport';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kiosk-sdk-js-'));
}

/** Records what the SDK told the listener. */
export class Recorder implements DeliveryListener {
  ignored: string[] = [];
  dropped: string[] = [];
  statuses: number[] = [];
  noResponse = 0;
  onIgnored(call: string, reason: string): void {
    this.ignored.push(`${call}: ${reason}`);
  }
  onDropped(d: { kind: string; key: string }, reason: string, detail: string): void {
    this.dropped.push(`${d.kind} ${d.key} ${reason} ${detail}`);
  }
  onResponse(_k: string, status: number): void {
    this.statuses.push(status);
  }
  onNoResponse(): void {
    this.noResponse++;
  }
}

/** A network the test switches off (every request fails without reaching the server). */
export class Switchable implements Transport {
  offline = false;
  constructor(private readonly inner: Transport) {}
  send(method: string, p: string, token: string, body: string): Promise<Reply> {
    return this.offline ? Promise.reject(new Error('network down')) : this.inner.send(method, p, token, body);
  }
}

export async function kiosk(url: string | Transport, dir: string, extra: Partial<KioskOptions> = {}): Promise<KioskTelemetry> {
  return KioskTelemetry.open({
    transport: typeof url === 'string' ? new FetchTransport(url, 5000) : url,
    deviceToken: 'kt1-test',
    journal: new FileJournal(dir),
    settings: { flushIntervalMs: 3_600_000 },
    ...extra,
  });
}
