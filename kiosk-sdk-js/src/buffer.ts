import { Backoff } from './backoff';
import type { Json, JsonObject } from './json';
import { wireJson } from './json';
import type { CommitBatch, Delivery, Journal, Kind, Opened, SessionState, Snapshot } from './journal';
import type { TimeSource } from './time';
import { iso } from './time';
import type { Reply, Transport } from './transport';

/** The buffer's knobs; the defaults are the Java SDK's (and the contract's) numbers. */
export interface BufferSettings {
  flushAtEvents: number;
  flushIntervalMs: number;
  maxBatchItems: number;
  maxBatchBytes: number;
  maxJournalBytes: number;
  maxRecordAgeMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_SETTINGS: BufferSettings = {
  flushAtEvents: 50,
  flushIntervalMs: 5000,
  maxBatchItems: 500,
  maxBatchBytes: 900_000,
  maxJournalBytes: 64 * 1024 * 1024,
  maxRecordAgeMs: 30 * 24 * 3600 * 1000,
  initialBackoffMs: 1000,
  maxBackoffMs: 5 * 60 * 1000,
};

export type DropReason = 'rejected' | 'evicted' | 'expired';

/** What the SDK tells the app about its own work; every method optional, and a throwing listener is ignored. */
export interface DeliveryListener {
  onResponse?(kind: Kind, status: number, ms: number): void;
  onNoResponse?(kind: Kind, error: unknown): void;
  onDropped?(d: Delivery, reason: DropReason, detail: string): void;
  onIgnored?(call: string, reason: string): void;
  onJournalFailure?(error: unknown): void;
  onTimestampCorrected?(d: Delivery, deltaMs: number): void;
}

export interface Count {
  queued: number;
  replayed: number;
  accepted: number;
  duplicates: number;
  notApplied: number;
  rejected: number;
  evicted: number;
  expired: number;
  replaced: number;
  pending: number;
}

export interface Health {
  ignoredCalls: number;
  journalWriteFailures: number;
  journalCommits: number;
  timestampsCorrected: number;
  clockOffsetMs: number;
  sessionsRecovered: number;
}

/** Something whose state the journal keeps while it is open (a Session). */
export interface Persistent {
  persistentState(): SessionState | undefined;
}

type Lane = 'SESSIONS' | 'EVENTS' | 'METRICS' | 'ERRORS' | 'SALES';
const LANES: Lane[] = ['SESSIONS', 'EVENTS', 'METRICS', 'ERRORS', 'SALES'];
const KINDS: Kind[] = ['SESSION_START', 'SESSION_UPDATE', 'EVENT', 'METRIC', 'ERROR', 'SALE'];

function laneOf(kind: Kind): Lane {
  switch (kind) {
    case 'SESSION_START':
    case 'SESSION_UPDATE':
      return 'SESSIONS';
    case 'EVENT':
      return 'EVENTS';
    case 'METRIC':
      return 'METRICS';
    case 'ERROR':
      return 'ERRORS';
    case 'SALE':
      return 'SALES';
  }
}

const TIME_FIELDS = new Set(['timestamp', 'startedAt', 'endedAt', 'soldAt', 'enteredAt', 'exitedAt']);
const APP_OBJECTS = new Set(['properties', 'data', 'deviceState', 'context', 'experiments', 'breakdown', 'behavior', 'amounts', 'settlement']);
const CORRECT_FROM_MS = 1000;

function retryable(status: number): boolean {
  return status === 401 || status === 408 || status === 429 || status >= 500;
}

function parseBody(text: string): JsonObject {
  try {
    const v = JSON.parse(text) as Json;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** True when every error of a refusal names a timestamp field (and there is at least one). */
function onlyTimestamps(errors: Json | undefined): boolean {
  if (!Array.isArray(errors) || errors.length === 0) {
    return false;
  }
  return errors.every((e) => {
    const field = e !== null && typeof e === 'object' && !Array.isArray(e) && typeof e.field === 'string' ? e.field : '';
    const last = field.substring(field.lastIndexOf('.') + 1).replace(/\[\d+]$/, '');
    return TIME_FIELDS.has(last);
  });
}

function shift(node: Json, deltaMs: number): Json {
  if (Array.isArray(node)) {
    return node.map((e) => shift(e, deltaMs));
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (TIME_FIELDS.has(k) && typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
      out[k] = iso(Date.parse(v) + deltaMs);
    } else {
      out[k] = APP_OBJECTS.has(k) ? v : shift(v, deltaMs);
    }
  }
  return out;
}

function newCount(): Count {
  return { queued: 0, replayed: 0, accepted: 0, duplicates: 0, notApplied: 0, rejected: 0, evicted: 0, expired: 0, replaced: 0, pending: 0 };
}

/**
 * Everything the kiosk means to send, kept in a {@link Journal} until the server has answered for it; the same
 * rules as the Java SDK's EventBuffer. Sent every 5 s, or at once at 50 queued events; one flush sends session
 * starts and updates in order, then events and timings in batches (≤ 500 items, ≤ 900 KB), then errors and
 * sales. A record leaves only when the server answered for it (stored, duplicate, or refused for good); no
 * answer, 401, 408, 429 and 5xx keep it and back off (Retry-After is a floor); a 503 with `retry` keeps exactly
 * those items; a 413 halves the batch. Resends carry the same ids, so the server answers "duplicate".
 *
 * Queueing never waits and never throws: records go to memory, and a group commit writes every change queued
 * since the previous commit to the journal in one write (one fsync, or one IndexedDB transaction).
 */
export class EventBuffer {
  private readonly lanes = new Map<Lane, Map<number, Delivery>>(LANES.map((l) => [l, new Map()]));
  private readonly weights = new Map<number, number>();
  private readonly counters = new Map<Kind, Count>(KINDS.map((k) => [k, newCount()]));
  private readonly queuedUpdateBySession = new Map<string, number>();
  private readonly backoff: Backoff;
  private readonly health: Health;
  private nextId = 0;
  private pendingBytes = 0;
  private pendingEvents = 0;
  private nextAttemptMono: number;
  private flushing = false;
  private flushSoonTimer?: ReturnType<typeof setTimeout>;
  private ticker?: ReturnType<typeof setInterval>;
  private closed = false;

  // group commit
  private ops: CommitBatch = { added: [], done: [], sessions: [], ended: [] };
  private unwritten?: CommitBatch;
  private dirty = new Set<Persistent>();
  private pushSeq = 0;
  private durableSeq = 0;
  private committing = false;
  private commitAgain = false;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private commitStopped = false;

  constructor(
    private readonly settings: BufferSettings,
    opened: Opened,
    private readonly journal: Journal,
    private readonly deviceToken: () => string | undefined | Promise<string | undefined>,
    private readonly transport: Transport,
    private readonly time: TimeSource,
    random: () => number,
    private readonly listener: DeliveryListener,
  ) {
    if (settings.flushAtEvents < 1 || settings.maxBatchItems < 1 || settings.maxBatchItems > 500 || settings.maxBatchBytes > 1_000_000) {
      throw new Error('flushAtEvents ≥ 1, maxBatchItems 1..500 and maxBatchBytes ≤ 1,000,000 (the contract\'s limits)');
    }
    this.backoff = new Backoff(settings.initialBackoffMs, settings.maxBackoffMs, random);
    this.health = { ignoredCalls: 0, journalWriteFailures: 0, journalCommits: 0, timestampsCorrected: 0, clockOffsetMs: 0, sessionsRecovered: 0 };
    this.nextAttemptMono = time.mono();
    for (const d of [...opened.pending].sort((a, b) => a.id - b.id)) {
      this.put(d);
      this.count(d.kind).replayed++;
      if (d.kind === 'SESSION_UPDATE') {
        this.queuedUpdateBySession.set(d.key, d.id);
      }
      this.nextId = Math.max(this.nextId, d.id + 1);
    }
    this.ticker = setInterval(() => void this.flushIfDue(), settings.flushIntervalMs);
    (this.ticker as { unref?: () => void }).unref?.();
  }

  private count(kind: Kind): Count {
    return this.counters.get(kind)!;
  }

  private put(d: Delivery): void {
    const old = this.weights.get(d.id);
    const w = JSON.stringify(d.body).length;
    this.lanes.get(laneOf(d.kind))!.set(d.id, d);
    this.weights.set(d.id, w);
    this.pendingBytes += w - (old ?? 0);
    if (old === undefined && d.kind === 'EVENT') {
      this.pendingEvents++;
    }
  }

  private remove(d: Delivery): boolean {
    const lane = this.lanes.get(laneOf(d.kind))!;
    if (lane.get(d.id) === undefined) {
      return false;
    }
    lane.delete(d.id);
    this.pendingBytes -= this.weights.get(d.id) ?? 0;
    this.weights.delete(d.id);
    if (d.kind === 'EVENT') {
      this.pendingEvents--;
    }
    if (d.kind === 'SESSION_UPDATE' && this.queuedUpdateBySession.get(d.key) === d.id) {
      this.queuedUpdateBySession.delete(d.key);
    }
    return true;
  }

  // ------------------------------------------------------------------ queueing

  /** Queues one record; never throws. `owner`: the open session whose state changed with it. */
  add(kind: Kind, key: string, at: number, body: JsonObject, off: number, owner?: Persistent): Delivery | undefined {
    if (this.closed) {
      this.ignored('record', `the SDK is closed: ${kind} ${key} not queued`);
      return undefined;
    }
    const d: Delivery = { id: this.nextId++, kind, key, at, off, body };
    if (kind === 'SESSION_UPDATE') {
      const older = this.queuedUpdateBySession.get(key);
      const olderRecord = older === undefined ? undefined : this.lanes.get('SESSIONS')!.get(older);
      if (olderRecord && this.remove(olderRecord)) {
        this.count(kind).replaced++;
        this.ops.done.push(olderRecord.id);
      }
      this.queuedUpdateBySession.set(key, d.id);
    }
    this.put(d);
    this.count(kind).queued++;
    this.ops.added.push(d);
    this.evictOverCap();
    this.changed(owner);
    if (kind === 'EVENT' && this.pendingEvents >= this.settings.flushAtEvents && this.time.mono() >= this.nextAttemptMono) {
      this.flushSoon();
    }
    return d;
  }

  /** A session's state changed without a record. */
  touched(owner: Persistent): void {
    if (!this.closed) {
      this.changed(owner);
    }
  }

  /** The session ended (its final PATCH is queued): not recovered at the next start. */
  sessionEnded(sessionId: string, owner?: Persistent): void {
    if (!this.closed) {
      if (owner) {
        this.dirty.delete(owner);
      }
      this.ops.ended.push(sessionId);
      this.changed(undefined);
    }
  }

  ignored(call: string, reason: string): void {
    this.health.ignoredCalls++;
    this.tell((l) => l.onIgnored?.(call, reason));
  }

  private tell(f: (l: DeliveryListener) => void): void {
    try {
      f(this.listener);
    } catch {
      // a listener that throws must not break the SDK
    }
  }

  private evictOverCap(): void {
    const evicted: Delivery[] = [];
    while (this.pendingBytes > this.settings.maxJournalBytes) {
      let victim: Delivery | undefined;
      for (const lane of ['EVENTS', 'METRICS'] as Lane[]) {
        victim = this.lanes.get(lane)!.values().next().value;
        if (victim) {
          break;
        }
      }
      if (!victim) {
        for (const lane of LANES) {
          const first: Delivery | undefined = this.lanes.get(lane)!.values().next().value;
          if (first && (!victim || first.id < victim.id)) {
            victim = first;
          }
        }
      }
      if (!victim) {
        break;
      }
      this.remove(victim);
      this.count(victim.kind).evicted++;
      this.ops.done.push(victim.id);
      evicted.push(victim);
    }
    for (const e of evicted) {
      this.tell((l) => l.onDropped?.(e, 'evicted', `journal over its cap of ${this.settings.maxJournalBytes} bytes`));
    }
  }

  // ------------------------------------------------------------------ group commit

  private changed(owner: Persistent | undefined): void {
    if (owner) {
      this.dirty.add(owner);
    }
    this.pushSeq++;
    this.wakeCommitter();
  }

  private wakeCommitter(): void {
    if (this.commitStopped) {
      return;
    }
    if (this.committing) {
      this.commitAgain = true;
      return;
    }
    this.committing = true;
    setTimeout(() => void this.commitLoop(), 0);
  }

  private async commitLoop(): Promise<void> {
    try {
      do {
        this.commitAgain = false;
        const ok = await this.commitOnce();
        if (!ok) {
          // the disk refused: try again in a second, not in a busy loop
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.wakeCommitter(), 1000);
          (this.retryTimer as { unref?: () => void }).unref?.();
          break;
        }
      } while (this.commitAgain && !this.commitStopped);
    } finally {
      this.committing = false;
    }
  }

  /** One group commit of everything queued since the last one; false when the journal refused it (kept for the next). */
  private async commitOnce(): Promise<boolean> {
    const seq = this.pushSeq;
    const batch = this.takeBatch();
    if (batch.added.length + batch.done.length + batch.sessions.length + batch.ended.length === 0) {
      this.markDurable(seq);
      return true;
    }
    try {
      await this.journal.commit(batch, () => this.snapshot());
      this.health.journalCommits++;
      this.markDurable(seq);
      return true;
    } catch (e) {
      this.unwritten = batch;
      this.health.journalWriteFailures++;
      this.tell((l) => l.onJournalFailure?.(e));
      return false;
    }
  }

  private takeBatch(): CommitBatch {
    const b = this.unwritten ?? { added: [], done: [], sessions: [], ended: [] };
    this.unwritten = undefined;
    b.added.push(...this.ops.added);
    b.done.push(...this.ops.done);
    const states = new Map<string, SessionState>(b.sessions.map((s) => [s.sessionId, s]));
    for (const s of this.dirty) {
      const state = s.persistentState();
      if (state) {
        states.set(state.sessionId, state);
      }
    }
    b.ended.push(...this.ops.ended);
    b.ended.forEach((id) => states.delete(id));
    b.sessions = [...states.values()];
    this.ops = { added: [], done: [], sessions: [], ended: [] };
    this.dirty = new Set();
    return b;
  }

  private snapshot(): Snapshot {
    const pending: Delivery[] = [];
    this.lanes.forEach((lane) => lane.forEach((d) => pending.push(d)));
    return { pending, sessions: this.openStates(), pendingBytes: this.pendingBytes };
  }

  /** The states of the sessions still open, for a journal rewrite (set by the session manager). */
  openStates: () => SessionState[] = () => [];

  private markDurable(seq: number): void {
    this.durableSeq = Math.max(this.durableSeq, seq);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.seq <= this.durableSeq) {
        w.resolve();
      } else {
        still.push(w);
      }
    }
    this.waiters = still;
  }

  /** Resolves once everything queued before the call is in the journal; false when the time ran out. */
  awaitDurable(timeoutMs = 5000): Promise<boolean> {
    const target = this.pushSeq;
    if (this.durableSeq >= target) {
      return Promise.resolve(true);
    }
    this.wakeCommitter();
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ seq: target, resolve: () => { clearTimeout(timer); resolve(true); } });
    });
  }

  // ------------------------------------------------------------------ sending

  private async flushIfDue(): Promise<void> {
    if (!this.closed && this.pending() > 0 && this.time.mono() >= this.nextAttemptMono) {
      await this.flush();
    }
  }

  /** Asks for a flush now rather than at the next tick (still after any backoff). */
  flushSoon(): void {
    if (this.flushSoonTimer || this.flushing || this.closed) {
      return;
    }
    this.flushSoonTimer = setTimeout(() => {
      this.flushSoonTimer = undefined;
      void this.flushIfDue();
    }, 0);
  }

  /** Sends what is pending now, whatever the backoff says; true when no retryable failure happened. */
  async flush(): Promise<boolean> {
    if (this.flushing) {
      return false;
    }
    this.flushing = true;
    try {
      this.expire();
      for (const lane of LANES) {
        const failure = lane === 'EVENTS' || lane === 'METRICS' ? await this.sendBatches(lane) : await this.sendOneByOne(lane);
        if (failure) {
          this.nextAttemptMono = this.time.mono() + this.backoff.next(failure.retryAfterMs);
          return false;
        }
      }
      this.backoff.reset();
      return true;
    } catch (e) {
      this.tell((l) => l.onNoResponse?.('EVENT', e));
      return false;
    } finally {
      this.flushing = false;
    }
  }

  /** Flushes until nothing is pending or the time is up, waiting out backoff between attempts. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = this.time.mono() + timeoutMs;
    while (this.time.mono() < deadline) {
      if (this.pending() === 0) {
        return true;
      }
      const wait = this.nextAttemptMono - this.time.mono();
      if (wait > 0) {
        await sleep(Math.min(wait, deadline - this.time.mono()));
        continue;
      }
      if (!(await this.flush()) && this.flushing) {
        await sleep(10);
      }
    }
    return this.pending() === 0;
  }

  /** For close(): sends while sends succeed, until the deadline; never waits out a backoff. */
  async drainBeforeClose(timeoutMs: number): Promise<void> {
    const deadline = this.time.mono() + timeoutMs;
    const run = (async () => {
      while (this.pending() > 0 && this.time.mono() < deadline) {
        if (this.flushing) {
          await sleep(10);
        } else if (!(await this.flush())) {
          return;
        }
      }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([run, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private serverTimeOf(d: Delivery): number {
    return this.time.estimated() ? d.at + (this.time.offsetMs() - d.off) : d.at;
  }

  private expire(): void {
    const oldest = this.time.now() - this.settings.maxRecordAgeMs;
    const expired: Delivery[] = [];
    for (const lane of this.lanes.values()) {
      for (const d of [...lane.values()]) {
        if (this.serverTimeOf(d) >= oldest) {
          break; // a lane is in the order its records were made
        }
        this.remove(d);
        this.count(d.kind).expired++;
        this.ops.done.push(d.id);
        expired.push(d);
      }
    }
    if (expired.length > 0) {
      this.changed(undefined);
    }
    expired.forEach((d) => this.tell((l) => l.onDropped?.(d, 'expired', `older than ${this.settings.maxRecordAgeMs} ms`)));
  }

  private nextAfter(lane: Lane, afterId: number, maxItems: number, maxBytes: number): Delivery[] {
    const out: Delivery[] = [];
    let bytes = 0;
    for (const d of this.lanes.get(lane)!.values()) {
      if (d.id <= afterId) {
        continue;
      }
      const w = this.weights.get(d.id) ?? 0;
      if (out.length > 0 && (out.length >= maxItems || bytes + w > maxBytes)) {
        break;
      }
      out.push(d);
      bytes += w + 1;
    }
    return out;
  }

  private async sendOneByOne(lane: Lane): Promise<{ retryAfterMs: number } | undefined> {
    let after = -1;
    for (;;) {
      const next = this.nextAfter(lane, after, 1, Infinity);
      if (next.length === 0) {
        return undefined;
      }
      after = next[0].id;
      const failure = await this.sendSingle(next[0]);
      if (failure) {
        return failure;
      }
    }
  }

  private async sendSingle(d: Delivery): Promise<{ retryAfterMs: number } | undefined> {
    const method = d.kind === 'SESSION_UPDATE' ? 'PATCH' : 'POST';
    const path = d.kind === 'SESSION_START' ? '/api/sessions'
      : d.kind === 'SESSION_UPDATE' ? `/api/sessions/${encodeURIComponent(d.key)}`
        : d.kind === 'ERROR' ? '/api/errors' : '/api/sales';
    const reply = await this.call(d.kind, method, path, wireJson(this.bodyToSend(d)));
    if (!reply) {
      return { retryAfterMs: 0 };
    }
    const body = parseBody(reply.body);
    if (reply.status === 200 || reply.status === 201) {
      if (this.remove(d)) {
        const c = this.count(d.kind);
        if (d.kind === 'SESSION_UPDATE') {
          body.applied === false ? c.notApplied++ : c.accepted++;
        } else if (body.created === true || (body.created === undefined && reply.status === 201)) {
          c.accepted++;
        } else {
          c.duplicates++;
        }
        this.ops.done.push(d.id);
        this.changed(undefined);
      }
      return undefined;
    }
    if (retryable(reply.status)) {
      return { retryAfterMs: reply.retryAfterMs ?? 0 };
    }
    if (reply.status === 400 && onlyTimestamps(body.errors)) {
      const fixed = this.correct(d);
      if (fixed) {
        return this.sendSingle(fixed); // at once, so a session is created before its updates in this flush
      }
    }
    this.reject([d], `${reply.status} ${typeof body.detail === 'string' ? body.detail : ''}`);
    return undefined;
  }

  private async sendBatches(lane: Lane): Promise<{ retryAfterMs: number } | undefined> {
    let after = -1;
    for (;;) {
      const batch = this.nextAfter(lane, after, this.settings.maxBatchItems, this.settings.maxBatchBytes);
      if (batch.length === 0) {
        return undefined;
      }
      after = batch[batch.length - 1].id;
      const failure = await this.sendBatch(batch);
      if (failure) {
        return failure;
      }
    }
  }

  private async sendBatch(batch: Delivery[]): Promise<{ retryAfterMs: number } | undefined> {
    const kind = batch[0].kind;
    const list = kind === 'EVENT' ? 'events' : 'metrics';
    const text = `{"${list}":[` + batch.map((d) => wireJson(this.bodyToSend(d))).join(',') + ']}';
    const reply = await this.call(kind, 'POST', kind === 'EVENT' ? '/api/events/batch' : '/api/performance/batch', text);
    if (!reply) {
      return { retryAfterMs: 0 };
    }
    const body = parseBody(reply.body);
    if (reply.status === 413 && batch.length > 1) {
      const half = Math.floor(batch.length / 2);
      return (await this.sendBatch(batch.slice(0, half))) ?? (await this.sendBatch(batch.slice(half)));
    }
    const perItem = reply.status === 200 || (reply.status === 400 && Array.isArray(body.rejected)) || (reply.status === 503 && Array.isArray(body.retry));
    if (!perItem) {
      if (retryable(reply.status)) {
        return { retryAfterMs: reply.retryAfterMs ?? 0 };
      }
      this.reject(batch, `${reply.status} ${typeof body.detail === 'string' ? body.detail : ''}`);
      return undefined;
    }
    const rejected = new Map<number, Json>();
    for (const r of Array.isArray(body.rejected) ? body.rejected : []) {
      if (r !== null && typeof r === 'object' && !Array.isArray(r) && typeof r.index === 'number') {
        rejected.set(r.index, r.errors ?? null);
      }
    }
    const retry = new Set<number>((Array.isArray(body.retry) ? body.retry : []).filter((i): i is number => typeof i === 'number'));
    const c = this.count(kind);
    c.accepted += typeof body.accepted === 'number' ? body.accepted : 0;
    c.duplicates += typeof body.duplicates === 'number' ? body.duplicates : 0;
    const corrected: Delivery[] = [];
    batch.forEach((d, i) => {
      if (retry.has(i)) {
        return;
      }
      if (!rejected.has(i)) {
        if (this.remove(d)) {
          this.ops.done.push(d.id);
        }
        return;
      }
      const errors = rejected.get(i);
      const fixed = onlyTimestamps(errors) ? this.correct(d) : undefined;
      if (fixed) {
        corrected.push(fixed);
      } else {
        this.reject([d], JSON.stringify(errors));
      }
    });
    this.changed(undefined);
    const failure = retry.size === 0 ? undefined : { retryAfterMs: reply.retryAfterMs ?? 0 };
    if (corrected.length > 0) {
      const again = await this.sendBatch(corrected);
      return failure ?? again;
    }
    return failure;
  }

  /** The body as it goes on the wire: shifted when the clock estimate moved by ≥ 1 s since it was stamped. */
  private bodyToSend(d: Delivery): JsonObject {
    if (!this.time.estimated()) {
      return d.body;
    }
    const delta = this.time.offsetMs() - d.off;
    if (Math.abs(delta) < CORRECT_FROM_MS) {
      return d.body;
    }
    this.health.timestampsCorrected++;
    return shift(d.body, delta) as JsonObject;
  }

  /** A record refused for its timestamps, re-stamped with the current estimate (once); undefined when it cannot be. */
  private correct(d: Delivery): Delivery | undefined {
    if (d.fix || !this.time.estimated()) {
      return undefined;
    }
    const delta = this.time.offsetMs() - d.off;
    if (Math.abs(delta) < CORRECT_FROM_MS || this.lanes.get(laneOf(d.kind))!.get(d.id) !== d) {
      return undefined;
    }
    const fixed: Delivery = { ...d, at: d.at + delta, off: this.time.offsetMs(), fix: true, body: shift(d.body, delta) as JsonObject };
    this.put(fixed);
    this.ops.added.push(fixed);
    this.changed(undefined);
    this.health.timestampsCorrected++;
    this.tell((l) => l.onTimestampCorrected?.(fixed, delta));
    return fixed;
  }

  private reject(refused: Delivery[], reason: string): void {
    for (const d of refused) {
      if (this.remove(d)) {
        this.count(d.kind).rejected++;
        this.ops.done.push(d.id);
        this.tell((l) => l.onDropped?.(d, 'rejected', reason));
      }
    }
    this.changed(undefined);
  }

  private async call(kind: Kind, method: string, path: string, body: string): Promise<Reply | undefined> {
    const start = this.time.mono();
    const sentAt = this.time.local();
    try {
      const token = await this.deviceToken();
      if (!token) {
        throw new Error('no device token from the token supplier');
      }
      const reply = await this.transport.send(method, path, token, body);
      const receivedAt = this.time.local();
      if (reply.date !== undefined) {
        this.time.observe(sentAt, receivedAt, reply.date);
      }
      this.tell((l) => l.onResponse?.(kind, reply.status, this.time.mono() - start));
      return reply;
    } catch (e) {
      this.tell((l) => l.onNoResponse?.(kind, e));
      return undefined;
    }
  }

  // ------------------------------------------------------------------ reading

  pending(): number {
    let n = 0;
    this.lanes.forEach((l) => (n += l.size));
    return n;
  }

  /** Per kind: queued, replayed, accepted, duplicates, not applied, rejected, evicted, expired, replaced, pending. */
  stats(): Record<Kind, Count> {
    const out = {} as Record<Kind, Count>;
    for (const k of KINDS) {
      out[k] = { ...this.count(k), pending: 0 };
    }
    this.lanes.forEach((l) => l.forEach((d) => out[d.kind].pending++));
    return out;
  }

  /** Monotonic ms until the next automatic attempt may run (0 when due). */
  nextAttemptInMs(): number {
    return Math.max(0, this.nextAttemptMono - this.time.mono());
  }

  healthNow(): Health {
    return { ...this.health, clockOffsetMs: this.time.offsetMs() };
  }

  recovered(n: number): void {
    this.health.sessionsRecovered += n;
  }

  /** Stops the timer and commits what is queued; what is pending stays journaled for the next start. */
  async close(): Promise<void> {
    clearInterval(this.ticker);
    clearTimeout(this.flushSoonTimer);
    this.closed = true;
    while (this.committing) {
      await sleep(5);
    }
    this.commitStopped = true;
    clearTimeout(this.retryTimer);
    await this.commitOnce();
  }

  /** Tests: the process dies here; nothing more is written. */
  crash(): void {
    clearInterval(this.ticker);
    clearTimeout(this.flushSoonTimer);
    clearTimeout(this.retryTimer);
    this.closed = true;
    this.commitStopped = true;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
