import type { BufferSettings, Count, DeliveryListener, Health } from './buffer';
import { DEFAULT_SETTINGS, EventBuffer } from './buffer';
import type { Journal, Kind } from './journal';
import type { FunnelStage } from './session';
import { FUNNEL_STAGES, SessionManager } from './session';
import { TimeSource } from './time';
import { ErrorTracker, PerformanceTracker, SalesRecorder } from './trackers';
import type { Transport } from './transport';
import { FetchTransport } from './transport';
import type { Experiment } from './variants';
import { checkExperiment } from './variants';

export interface KioskOptions {
  /** The API's base URL (the stack output ApiUrl, or http://127.0.0.1:8080 locally); or give `transport`. */
  endpoint?: string;
  transport?: Transport;
  /** The device token from POST /api/devices, or a function asked before every request (token rotation). */
  deviceToken: string | (() => string | undefined | Promise<string | undefined>);
  /** Where unsent records and open sessions are kept: FileJournal (Node), IndexedDbJournal (browser), MemoryJournal. */
  journal: Journal;
  /** The kiosk's registered deviceId: the unit of per-device experiments. */
  deviceId?: string;
  experiments?: Experiment[];
  /** Screen name → funnel stage: session.screen(name) and a tracked screen_enter move the session there. */
  funnelMap?: Record<string, FunnelStage>;
  listener?: DeliveryListener;
  settings?: Partial<BufferSettings>;
  idleTimeoutMs?: number;
  closeTimeoutMs?: number;
  deviceContext?: boolean;
  /** The wall clock, read once at start (tests); `ticker` the monotonic clock in ms; `random` the jitter's source. */
  clock?: () => number;
  ticker?: () => number;
  random?: () => number;
}

/**
 * The SDK's entry point, one per kiosk app: `await KioskTelemetry.open({...})`, `await telemetry.close()` at
 * shutdown. Opening replays the journal (what a previous run left unsent goes out first) and ends the sessions it
 * left open. Every app-facing call returns at once and never throws; only `open` rejects, for a configuration
 * that cannot work (no endpoint, a journal another instance holds, a bad experiment).
 */
export class KioskTelemetry {
  private idleTimer?: ReturnType<typeof setInterval>;
  private closed = false;

  private constructor(
    readonly buffer: EventBuffer,
    readonly sessions: SessionManager,
    readonly performance: PerformanceTracker,
    readonly errors: ErrorTracker,
    readonly sales: SalesRecorder,
    private readonly journal: Journal,
    private readonly closeTimeoutMs: number,
  ) {}

  static async open(o: KioskOptions): Promise<KioskTelemetry> {
    const transport = o.transport ?? (o.endpoint ? new FetchTransport(o.endpoint) : undefined);
    if (!transport) {
      throw new Error('an endpoint (or a transport) is required');
    }
    if (!o.journal) {
      throw new Error('a journal is required (FileJournal in Node, IndexedDbJournal in a browser, MemoryJournal for none)');
    }
    const experiments = o.experiments ?? [];
    experiments.forEach(checkExperiment);
    if (new Set(experiments.map((e) => e.name)).size !== experiments.length) {
      throw new Error('an experiment is given twice');
    }
    if (o.deviceId === undefined && experiments.some((e) => e.unit === 'device')) {
      throw new Error('per-device experiments need the kiosk\'s deviceId');
    }
    for (const [screen, stage] of Object.entries(o.funnelMap ?? {})) {
      if (!FUNNEL_STAGES.includes(stage)) {
        throw new Error(`funnelMap: screen ${screen} maps to unknown stage ${stage}`);
      }
    }
    const token = o.deviceToken;
    const tokenFn = typeof token === 'function' ? token : () => token;
    const time = new TimeSource(o.clock ?? Date.now, o.ticker ?? (() => performance.now()));
    const opened = await o.journal.open();
    const buffer = new EventBuffer({ ...DEFAULT_SETTINGS, ...o.settings }, opened, o.journal, tokenFn, transport, time,
      o.random ?? Math.random, o.listener ?? {});
    const errors = new ErrorTracker(buffer, time);
    const idle = o.idleTimeoutMs ?? 180_000;
    const sessions = new SessionManager(buffer, time, errors, o.funnelMap ?? {}, idle, experiments, o.deviceId);
    const t = new KioskTelemetry(buffer, sessions, new PerformanceTracker(buffer, time, o.deviceContext ?? true), errors,
      new SalesRecorder(buffer, time), o.journal, o.closeTimeoutMs ?? 3000);
    buffer.recovered(sessions.recover(opened.openSessions, buffer));
    const every = Math.max(1000, Math.floor(idle / 10));
    t.idleTimer = setInterval(() => {
      try {
        sessions.endIdle();
      } catch {
        // never in the app's way
      }
    }, every);
    (t.idleTimer as { unref?: () => void }).unref?.();
    return t;
  }

  /** Per kind: queued, accepted, duplicates, rejected, ... and pending. */
  stats(): Record<Kind, Count> {
    return this.buffer.stats();
  }

  health(): Health {
    return this.buffer.healthNow();
  }

  /**
   * Ends every open session at its last activity (abandoned, or timeout when idle already; reason "app
   * closed"), sends while sends succeed for up to closeTimeoutMs (default 3 s), commits the journal and releases
   * it. Unsent records stay journaled for the next start. Never rejects; a second call does nothing.
   */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearInterval(this.idleTimer);
    try {
      this.sessions.endAllAtLastActivity('app closed');
      await this.buffer.drainBeforeClose(this.closeTimeoutMs);
      await this.buffer.close();
    } catch {
      // what is unsent stays in the journal
    }
    await this.journal.close().catch(() => undefined);
  }

  /** Tests: the process dies now. Open sessions stay open; nothing more is written. */
  async crash(): Promise<void> {
    this.closed = true;
    clearInterval(this.idleTimer);
    this.buffer.crash();
    const j = this.journal as { abandon?: () => Promise<void> };
    await (j.abandon ? j.abandon() : this.journal.close());
  }
}
