import type { EventBuffer } from './buffer';
import type { ErrorTracker } from './trackers';
import type { Json, JsonObject } from './json';
import { toJsonValue } from './json';
import type { SessionState } from './journal';
import type { Layout } from './taps';
import { gestureProperties, tapProperties } from './taps';
import type { TimeSource } from './time';
import { iso } from './time';
import type { Experiment } from './variants';
import { assignVariant } from './variants';

export const FUNNEL_STAGES = ['attract', 'start', 'frame_select', 'capture', 'edit', 'payment', 'print', 'complete'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
export type SessionStatus = 'started' | 'in_progress' | 'completed' | 'abandoned' | 'timeout' | 'error';
export type TerminalStatus = 'completed' | 'abandoned' | 'timeout' | 'error';
const TERMINAL = new Set<SessionStatus>(['completed', 'abandoned', 'timeout', 'error']);
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_SCREENS = 64;
const MAX_VISITS = 64;

export function uuid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) {
    return c.randomUUID();
  }
  const hex = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface Visit {
  stage: FunnelStage;
  enteredAt: number;
  exitedAt?: number;
}

/** The shared parts a session works with. */
export interface SessionContext {
  buffer: EventBuffer;
  time: TimeSource;
  errors: ErrorTracker;
  funnelMap: Readonly<Record<string, FunnelStage>>;
  ended(s: Session): void;
}

/**
 * One customer visit, as in the Java SDK: the session once (POST), each state change as a PATCH carrying the
 * whole state with the next `seq`, each event with the next `sequenceNo`. Calls never throw; a call that cannot
 * be honoured is reported to the listener (`onIgnored`) and counted.
 */
export class Session {
  readonly id: string;
  readonly startedAt: number;
  readonly experiments: Readonly<Record<string, Json>>;
  private status_: SessionStatus = 'started';
  private seq = 0;
  private nextSequenceNo = 0;
  private visits: Visit[] = [];
  private endedAt?: number;
  private exitReason?: string;
  private taps = 0;
  private scrolls = 0;
  private selectionChanges = 0;
  private screenDurations: Record<string, number> = {};
  private screen_?: string;
  private screenSince = 0;
  private lastActivity: number;
  private lastActivityOff: number;
  private lastActivityMono: number;

  constructor(private readonly ctx: SessionContext, id: string, appVersion: string | undefined, experiments: Record<string, Json>) {
    this.id = id;
    this.experiments = Object.freeze({ ...experiments });
    const off = ctx.time.offsetMs();
    this.startedAt = ctx.time.now();
    this.lastActivity = this.startedAt;
    this.lastActivityOff = off;
    this.lastActivityMono = ctx.time.mono();
    const body: JsonObject = { sessionId: id, startedAt: iso(this.startedAt) };
    if (appVersion !== undefined) {
      body.appVersion = appVersion;
    }
    if (Object.keys(this.experiments).length > 0) {
      body.experiments = { ...this.experiments };
    }
    this.visits.push({ stage: 'attract', enteredAt: this.startedAt });
    ctx.buffer.add('SESSION_START', id, this.startedAt, body, off, this);
  }

  get status(): SessionStatus {
    return this.status_;
  }

  get stage(): FunnelStage | undefined {
    return this.visits[this.visits.length - 1]?.stage;
  }

  /** The session's variant of an experiment, or undefined. */
  variant(experimentName: string): string | undefined {
    const v = this.experiments[experimentName];
    return v === undefined || v === null ? undefined : String(v);
  }

  /** The furthest stage reached as a share of the funnel: 0 in attract, 1 at complete. */
  progress(): number {
    let max = 0;
    for (const v of this.visits) {
      max = Math.max(max, FUNNEL_STAGES.indexOf(v.stage));
    }
    return max / (FUNNEL_STAGES.length - 1);
  }

  eventsTracked(): number {
    return this.nextSequenceNo;
  }

  private terminal(): boolean {
    return TERMINAL.has(this.status_);
  }

  /** The customer moved to `stage`; the first move past attract makes the session in_progress. */
  enter(stage: FunnelStage): void {
    if (!FUNNEL_STAGES.includes(stage) || this.terminal()) {
      this.ctx.buffer.ignored('Session.enter', !FUNNEL_STAGES.includes(stage) ? `unknown stage ${stage}` : `session ${this.id} already ended as ${this.status_}`);
      return;
    }
    const at = this.touch();
    this.moveTo(stage, at);
  }

  private moveTo(stage: FunnelStage, at: { at: number; off: number }): void {
    if (this.stage === stage) {
      return;
    }
    this.leave(at.at);
    if (this.visits.length === MAX_VISITS) {
      this.visits.pop();
    }
    this.visits.push({ stage, enteredAt: at.at });
    if (this.status_ === 'started' && stage !== 'attract') {
      this.status_ = 'in_progress';
    }
    this.ctx.errors.autoBreadcrumb(at.at, 'navigation', `enter ${stage}`);
    this.sendState(at);
  }

  private leave(at: number): void {
    const last = this.visits[this.visits.length - 1];
    if (last && last.exitedAt === undefined) {
      last.exitedAt = at;
    }
  }

  /** A screen_enter event and, when the funnel map maps the screen, a move to its stage. */
  screen(name: string): number {
    return this.track('screen_enter', name);
  }

  /**
   * Queues one event with the next sequenceNo; returns it, or −1 when ignored (a type the server would refuse).
   * Events after the session ended are still sent.
   */
  track(eventType: string, screen?: string, properties?: Record<string, unknown>): number {
    if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) {
      this.ctx.buffer.ignored('Session.track', `event type ${eventType} does not match ${EVENT_TYPE.source}`);
      return -1;
    }
    const at = this.touch();
    const sequenceNo = this.nextSequenceNo++;
    const event: JsonObject = { sessionId: this.id, sequenceNo, eventType, timestamp: iso(at.at) };
    if (screen !== undefined && screen !== null) {
      event.screen = screen;
    }
    if (properties && Object.keys(properties).length > 0) {
      const p = toJsonValue(properties);
      if (p === undefined || p === null || typeof p !== 'object' || Array.isArray(p)) {
        this.ctx.buffer.ignored('Session.track', 'properties not serializable');
      } else {
        event.properties = p;
      }
    }
    this.countBehaviour(eventType, screen);
    this.ctx.errors.autoBreadcrumb(at.at, 'event', screen ? `${eventType} ${screen}` : eventType);
    const open = !this.terminal();
    this.ctx.buffer.add('EVENT', `${this.id}#${sequenceNo}`, at.at, event, at.off, open ? this : undefined);
    if (eventType === 'screen_enter' && open && screen) {
      const stage = this.ctx.funnelMap[screen];
      if (stage) {
        this.moveTo(stage, at);
      }
    }
    return sequenceNo;
  }

  /** A tap at (x, y) on a screen laid out as `layout`, with hitResult, target, nearestTarget, distanceToTarget. */
  tap(screen: string, x: number, y: number, layout: Layout): number {
    if (!layout || !Array.isArray(layout.targets) || typeof x !== 'number' || typeof y !== 'number') {
      this.ctx.buffer.ignored('Session.tap', 'a tap needs numeric x, y and a layout with targets');
      return -1;
    }
    return this.track('tap', screen, tapProperties(x, y, layout));
  }

  /** A gesture (scroll, long_press, a custom swipe) with startX, startY, endX, endY, durationMs and `extra`. */
  gesture(eventType: string, screen: string, startX: number, startY: number, endX: number, endY: number, durationMs: number,
    extra?: Record<string, unknown>): number {
    return this.track(eventType, screen, { ...gestureProperties(startX, startY, endX, endY, durationMs), ...extra });
  }

  private countBehaviour(eventType: string, screen: string | undefined): void {
    switch (eventType) {
      case 'tap':
        this.taps++;
        break;
      case 'scroll':
        this.scrolls++;
        break;
      case 'select':
      case 'deselect':
        this.selectionChanges++;
        break;
      case 'screen_enter':
        this.closeScreen();
        this.screen_ = screen;
        this.screenSince = this.ctx.time.mono();
        break;
      case 'screen_exit':
        this.closeScreen();
        break;
      default:
    }
  }

  private closeScreen(): void {
    const s = this.screen_;
    if (s !== undefined && (s in this.screenDurations || Object.keys(this.screenDurations).length < MAX_SCREENS)) {
      this.screenDurations[s] = (this.screenDurations[s] ?? 0) + Math.max(0, Math.floor(this.ctx.time.mono() - this.screenSince));
    }
    this.screen_ = undefined;
  }

  /** Ends the session with a terminal status and sends the final state. */
  end(status: TerminalStatus, reason?: string | null): void {
    if (!TERMINAL.has(status)) {
      this.ctx.buffer.ignored('Session.end', `${status} is not a terminal status`);
      return;
    }
    if (this.terminal()) {
      this.ctx.buffer.ignored('Session.end', `session ${this.id} already ended as ${this.status_}`);
      return;
    }
    this.endAt(status, reason ?? undefined, { at: this.ctx.time.now(), off: this.ctx.time.offsetMs() });
  }

  private endAt(status: TerminalStatus, reason: string | undefined, at: { at: number; off: number }): void {
    if (status === 'completed' && this.stage !== 'complete') {
      this.leave(at.at);
      this.visits.push({ stage: 'complete', enteredAt: at.at });
    }
    this.closeScreen();
    this.leave(at.at);
    this.status_ = status;
    this.endedAt = at.at;
    this.exitReason = reason;
    this.sendState(at);
    this.ctx.buffer.sessionEnded(this.id, this);
    this.ctx.ended(this);
  }

  /** Ends the session as timeout if nothing happened in it for `idleMs` (monotonic). */
  endIfIdle(idleMs: number): boolean {
    if (this.terminal() || this.ctx.time.mono() - this.lastActivityMono < idleMs) {
      return false;
    }
    this.endAt('timeout', `idle for ${Math.round(idleMs / 1000)} s`, { at: this.ctx.time.now(), off: this.ctx.time.offsetMs() });
    return true;
  }

  /** For close(): ended at its last activity, timeout when idle already, else abandoned. */
  endAtLastActivity(idleMs: number, reason: string): void {
    if (this.terminal()) {
      return;
    }
    const idle = this.ctx.time.mono() - this.lastActivityMono >= idleMs;
    this.endAt(idle ? 'timeout' : 'abandoned', reason, { at: this.lastActivity, off: this.lastActivityOff });
  }

  private sendState(at: { at: number; off: number }): void {
    this.seq++;
    this.ctx.buffer.add('SESSION_UPDATE', this.id, at.at, this.patchBody(), at.off, this.terminal() ? undefined : this);
  }

  private funnelJson(exitStage: FunnelStage | null): JsonObject {
    return {
      stages: this.visits.map((v) => {
        const s: JsonObject = { stage: v.stage, enteredAt: iso(v.enteredAt) };
        if (v.exitedAt !== undefined) {
          s.exitedAt = iso(v.exitedAt);
        }
        return s;
      }),
      exitStage,
    };
  }

  private behavior(): JsonObject {
    return { totalTaps: this.taps, totalScrolls: this.scrolls, selectionChanges: this.selectionChanges, screenDurationsMs: { ...this.screenDurations } };
  }

  private patchBody(): JsonObject {
    const exit = this.terminal() && this.status_ !== 'completed' ? this.stage ?? null : null;
    const patch: JsonObject = { seq: this.seq, status: this.status_, funnel: this.funnelJson(exit), behavior: this.behavior() };
    if (this.endedAt !== undefined) {
      patch.endedAt = iso(this.endedAt);
      patch.exitReason = this.exitReason ?? null;
    }
    return patch;
  }

  /** What the journal keeps of an open session (undefined once ended). */
  persistentState(): SessionState | undefined {
    if (this.terminal()) {
      return undefined;
    }
    return {
      sessionId: this.id, startedAt: iso(this.startedAt), seq: this.seq, status: this.status_, lastActivity: iso(this.lastActivity),
      off: this.lastActivityOff, events: this.nextSequenceNo, funnel: this.funnelJson(null), behavior: this.behavior(),
    };
  }

  private touch(): { at: number; off: number } {
    this.lastActivityMono = this.ctx.time.mono();
    this.lastActivityOff = this.ctx.time.offsetMs();
    this.lastActivity = this.ctx.time.now();
    return { at: this.lastActivity, off: this.lastActivityOff };
  }
}

/** The final PATCH of a session a previous process left open: next seq, endedAt = last activity, its stage as exitStage. */
export function finalPatchOfLeftover(state: SessionState, status: TerminalStatus, reason: string): JsonObject {
  const last = String(state.lastActivity);
  const funnel = JSON.parse(JSON.stringify(state.funnel ?? { stages: [] })) as { stages: JsonObject[]; exitStage?: Json };
  let exitStage: Json = null;
  const lastVisit = funnel.stages[funnel.stages.length - 1];
  if (lastVisit) {
    if (lastVisit.exitedAt === undefined || lastVisit.exitedAt === null) {
      lastVisit.exitedAt = last;
    }
    exitStage = lastVisit.stage ?? null;
  }
  funnel.exitStage = exitStage;
  const patch: JsonObject = { seq: Number(state.seq) + 1, status, funnel: funnel as unknown as JsonObject };
  if (state.behavior !== undefined) {
    patch.behavior = state.behavior;
  }
  patch.endedAt = last;
  patch.exitReason = reason;
  return patch;
}

/**
 * Starts sessions (with their experiments' variants) and ends those left idle (default 3 minutes, monotonic);
 * at start it ends the sessions a previous process left open.
 */
export class SessionManager {
  private readonly open_ = new Map<string, Session>();
  private readonly ctx: SessionContext;

  constructor(buffer: EventBuffer, private readonly time: TimeSource, errors: ErrorTracker, funnelMap: Record<string, FunnelStage>,
    private readonly idleTimeoutMs: number, private readonly experiments: readonly Experiment[], private readonly deviceId: string | undefined) {
    this.ctx = { buffer, time, errors, funnelMap, ended: (s) => this.open_.delete(s.id) };
    buffer.openStates = () => [...this.open_.values()].map((s) => s.persistentState()).filter((s): s is SessionState => s !== undefined);
  }

  /**
   * A customer walked up: a new session in attract, carrying its variant of every configured experiment; the
   * app's own `experiments` entries are added and win over an assignment (a forced variant on a demo kiosk).
   */
  start(appVersion?: string, experiments?: Record<string, unknown>): Session {
    const id = uuid();
    const carried: Record<string, Json> = { ...this.assign(id) };
    for (const [k, v] of Object.entries(experiments ?? {})) {
      const j = toJsonValue(v);
      if (j !== undefined) {
        carried[k] = j;
      }
    }
    const s = new Session(this.ctx, id, appVersion, carried);
    this.open_.set(id, s);
    return s;
  }

  /** The variants of the configured experiments for a session with this id (per-device ones by the device id). */
  assign(sessionId: string): Record<string, string> {
    const m: Record<string, string> = {};
    for (const e of this.experiments) {
      const unit = e.unit === 'device' ? this.deviceId : sessionId;
      const v = unit === undefined ? undefined : assignVariant(unit, e);
      if (v !== undefined) {
        m[e.name] = v;
      }
    }
    return m;
  }

  /** This kiosk's variant of a per-device experiment (the same in every session and after restarts), else undefined. */
  deviceVariant(experimentName: string): string | undefined {
    const e = this.experiments.find((x) => x.name === experimentName && x.unit === 'device');
    return e && this.deviceId !== undefined ? assignVariant(this.deviceId, e) : undefined;
  }

  open(): Session[] {
    return [...this.open_.values()];
  }

  /** Ends every session idle for the timeout; returns how many. */
  endIdle(): number {
    return this.open().filter((s) => s.endIfIdle(this.idleTimeoutMs)).length;
  }

  endAllAtLastActivity(reason: string): void {
    this.open().forEach((s) => s.endAtLastActivity(this.idleTimeoutMs, reason));
  }

  /**
   * Ends the sessions a previous process left open: a final PATCH with the next seq, endedAt = last activity,
   * timeout when that is at least the idle timeout ago, else abandoned. None is resumed. Returns how many.
   */
  recover(leftovers: SessionState[], buffer: EventBuffer): number {
    const now = this.time.now();
    let n = 0;
    for (const state of leftovers) {
      const last = Date.parse(String(state.lastActivity));
      if (Number.isNaN(last)) {
        continue;
      }
      const off = typeof state.off === 'number' ? state.off : 0;
      const lastByNow = this.time.estimated() ? last + this.time.offsetMs() - off : last;
      const status: TerminalStatus = now - lastByNow >= this.idleTimeoutMs ? 'timeout' : 'abandoned';
      buffer.add('SESSION_UPDATE', state.sessionId, last, finalPatchOfLeftover(state, status, 'app restarted'), off);
      buffer.sessionEnded(state.sessionId);
      n++;
    }
    return n;
  }
}
