import type { EventBuffer } from './buffer';
import type { JsonObject } from './json';
import { decimal, toJsonValue } from './json';
import type { Session } from './session';
import { uuid } from './session';
import type { TimeSource } from './time';
import { iso } from './time';

export type Severity = 'fatal' | 'error' | 'warning' | 'info';
export type ErrorCategory = 'hardware' | 'software' | 'network';
export type MetricType = 'app_start' | 'capture' | 'render' | 'print' | 'payment';
export type PaymentMethod = 'card' | 'cash' | 'mobile' | 'qr' | 'voucher' | 'other';

const SEVERITIES = new Set(['fatal', 'error', 'warning', 'info']);
const CATEGORIES = new Set(['hardware', 'software', 'network']);
const METRIC_TYPES = new Set(['app_start', 'capture', 'render', 'print', 'payment']);
const PAYMENT_METHODS = new Set(['card', 'cash', 'mobile', 'qr', 'voucher', 'other']);
export const BREADCRUMBS = 50;
const MAX_STRING = 2048;
const MAX_STACK = 32 * 1024;
const MAX_OBJECT = 8 * 1024;
export const MAX_DURATION_MS = 3_599_999;

function cut(s: string, max: number): string {
  if (s.length <= max) {
    return s;
  }
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) {
    end--;
  }
  return s.substring(0, end);
}

interface Crumb {
  at: number;
  type: string;
  message: string;
  data?: JsonObject;
}

/**
 * Errors with what led to them: a ring of the last 50 breadcrumbs (session moves and events leave their own),
 * the device state from a supplier the app registers, and the stack; fields cut to the contract's limits.
 */
export class ErrorTracker {
  private readonly crumbs: Crumb[] = [];
  private deviceStateSupplier: () => Record<string, unknown> = () => ({});

  constructor(private readonly buffer: EventBuffer, private readonly time: TimeSource) {}

  breadcrumb(type: string, message: string, data?: Record<string, unknown>): void {
    const d = data && Object.keys(data).length > 0 ? toJsonValue(data) : undefined;
    this.push({ at: this.time.now(), type, message, data: d && typeof d === 'object' && !Array.isArray(d) ? d : undefined });
  }

  autoBreadcrumb(at: number, type: string, message: string): void {
    this.push({ at, type, message });
  }

  private push(c: Crumb): void {
    if (this.crumbs.length === BREADCRUMBS) {
      this.crumbs.shift();
    }
    this.crumbs.push(c);
  }

  deviceState(supplier: () => Record<string, unknown>): void {
    this.deviceStateSupplier = supplier;
  }

  /** Reports an error; returns its errorId (undefined when ignored). `cause` gives the stack. */
  report(severity: Severity, category: ErrorCategory, code: string | undefined, message: string | undefined, cause?: unknown, session?: Session): string | undefined {
    if (!SEVERITIES.has(severity) || !CATEGORIES.has(category)) {
      this.buffer.ignored('ErrorTracker.report', 'severity and category are required');
      return undefined;
    }
    const errorId = uuid();
    const off = this.time.offsetMs();
    const at = this.time.now();
    const error: JsonObject = {
      errorId, timestamp: iso(at), severity, category,
      message: cut(message && message.trim() !== '' ? message : String(code), MAX_STRING),
    };
    if (code !== undefined) {
      error.code = cut(code, MAX_STRING);
    }
    if (session) {
      error.sessionId = session.id;
    }
    if (cause instanceof Error && cause.stack) {
      error.stack = cut(cause.stack, MAX_STACK);
    }
    error.breadcrumbs = this.crumbs.map((c) => {
      const b: JsonObject = { timestamp: iso(c.at), type: cut(c.type || 'other', MAX_STRING), message: cut(c.message ?? '', MAX_STRING) };
      if (c.data) {
        b.data = c.data;
      }
      return b;
    });
    error.deviceState = this.stateNow();
    this.buffer.add('ERROR', errorId, at, error, off);
    if (severity === 'fatal') {
      this.buffer.flushSoon();
    }
    return errorId;
  }

  /** Runs `action` (sync or async); if it throws or rejects, reports an error and rethrows the same value. */
  guard<T>(category: ErrorCategory, code: string | undefined, session: Session | undefined, action: () => T): T {
    const onError = (e: unknown): never => {
      const name = e instanceof Error ? e.name : 'Error';
      this.report('error', category, code ?? name, `${name}: ${e instanceof Error ? e.message : String(e)}`, e, session);
      throw e;
    };
    try {
      const r = action();
      if (r instanceof Promise) {
        return r.catch(onError) as T;
      }
      return r;
    } catch (e) {
      return onError(e);
    }
  }

  /**
   * Reports uncaught errors as fatal software errors: in Node through `uncaughtExceptionMonitor` (the process'
   * own handling is unchanged), in a browser or renderer through the window's `error` and `unhandledrejection`.
   */
  installCrashHandler(): void {
    const report = (e: unknown, where: string) => this.report('fatal', 'software', e instanceof Error ? e.name : 'Error',
      `uncaught (${where}): ${e instanceof Error ? e.message : String(e)}`, e);
    const proc = (globalThis as { process?: { on?: (ev: string, f: (e: unknown) => void) => void } }).process;
    const win = (globalThis as { addEventListener?: (ev: string, f: (e: { error?: unknown; reason?: unknown }) => void) => void });
    if (typeof win.addEventListener === 'function' && typeof (globalThis as { document?: unknown }).document !== 'undefined') {
      win.addEventListener('error', (ev) => report(ev.error, 'window'));
      win.addEventListener('unhandledrejection', (ev) => report(ev.reason, 'promise'));
    } else if (proc?.on) {
      proc.on('uncaughtExceptionMonitor', (e) => report(e, 'process'));
    }
  }

  private stateNow(): JsonObject {
    let state: JsonObject;
    try {
      const v = toJsonValue(this.deviceStateSupplier());
      state = v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch (e) {
      state = { unavailable: cut(String(e), MAX_STRING) };
    }
    return JSON.stringify(state).length > MAX_OBJECT ? { truncated: true } : state;
  }
}

/** The device figures a timing carries in `context` by default, where the platform gives them. */
function deviceContext(): JsonObject {
  const out: JsonObject = {};
  const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
  const perf = (globalThis as { performance?: { memory?: { usedJSHeapSize?: number } } }).performance;
  if (proc?.memoryUsage) {
    out.memoryMb = Math.floor(proc.memoryUsage().heapUsed / 1048576);
  } else if (perf?.memory?.usedJSHeapSize) {
    out.memoryMb = Math.floor(perf.memory.usedJSHeapSize / 1048576);
  }
  return out;
}

/** Timings of app start, capture, render, print and payment, sent in batches with the events. */
export class PerformanceTracker {
  constructor(private readonly buffer: EventBuffer, private readonly time: TimeSource, private readonly withDeviceContext: boolean) {}

  /** Starts timing an operation on the monotonic clock; `session` may be undefined (app_start has none). */
  start(type: MetricType, session?: Session): Timer {
    return new Timer(this, this.time, type, session);
  }

  /** Records a timing measured elsewhere; returns its metricId, or undefined when ignored. */
  record(type: MetricType, session: Session | undefined, durationMs: number, success: boolean,
    breakdown?: Record<string, number>, context?: Record<string, unknown>): string | undefined {
    if (!METRIC_TYPES.has(type) || !Number.isFinite(durationMs) || durationMs < 0 || durationMs > MAX_DURATION_MS) {
      this.buffer.ignored('PerformanceTracker.record', !METRIC_TYPES.has(type) ? `unknown metric type ${type}` : `durationMs must be 0..${MAX_DURATION_MS}, was ${durationMs}`);
      return undefined;
    }
    const metricId = uuid();
    const off = this.time.offsetMs();
    const at = this.time.now();
    const metric: JsonObject = { metricId, metricType: type, timestamp: iso(at), durationMs: Math.round(durationMs), success };
    if (session) {
      metric.sessionId = session.id;
    }
    if (breakdown && Object.keys(breakdown).length > 0) {
      const b = toJsonValue(breakdown);
      if (b && typeof b === 'object' && !Array.isArray(b)) {
        metric.breakdown = b;
      }
    }
    const ctx = { ...(this.withDeviceContext ? deviceContext() : {}), ...(toJsonValue(context ?? {}) as JsonObject) };
    if (Object.keys(ctx).length > 0) {
      metric.context = ctx;
    }
    this.buffer.add('METRIC', metricId, at, metric, off);
    return metricId;
  }
}

/** One operation being timed; `mark(phase)` splits it into breakdown phases. */
export class Timer {
  private readonly startedAt: number;
  private lastMark: number;
  private readonly breakdown: Record<string, number> = {};
  private stopped = false;

  constructor(private readonly tracker: PerformanceTracker, private readonly time: TimeSource, private readonly type: MetricType,
    private readonly session?: Session) {
    this.startedAt = time.mono();
    this.lastMark = this.startedAt;
  }

  mark(phase: string): this {
    const now = this.time.mono();
    this.breakdown[phase] = (this.breakdown[phase] ?? 0) + Math.floor(now - this.lastMark);
    this.lastMark = now;
    return this;
  }

  /** Stops the timer and queues the timing (once); returns its metricId. */
  stop(success: boolean, context?: Record<string, unknown>): string | undefined {
    if (this.stopped) {
      return undefined;
    }
    this.stopped = true;
    const ms = Math.min(Math.max(0, Math.floor(this.time.mono() - this.startedAt)), MAX_DURATION_MS);
    return this.tracker.record(this.type, this.session, ms, success, this.breakdown, context);
  }
}

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;
const LIMIT_CENTS = 10n ** 18n; // 10^16 in cents

/** An amount as exact cents, or an error message. */
function cents(name: string, v: string | number | undefined): bigint | string {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : (v ?? '').trim();
  const m = AMOUNT.exec(text);
  if (!m) {
    return `${name} must be a decimal amount ≥ 0 such as "10000" or "0.30", was ${String(v)}`;
  }
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) {
    return `${name} has more than 2 fraction digits: ${text}`;
  }
  const c = BigInt(m[1]) * 100n + BigInt((fraction + '00').substring(0, 2));
  return c >= LIMIT_CENTS ? `${name} must be below 10^16, was ${text}` : c;
}

function formatCents(c: bigint): string {
  const whole = c / 100n;
  const frac = c % 100n;
  return frac === 0n ? whole.toString() : `${whole}.${frac.toString().padStart(2, '0').replace(/0$/, '')}`;
}

/** A sale being described; `record()` queues it (net = gross − discount − tax, computed exactly in cents). */
export class Sale {
  private currency_?: string;
  private method_: PaymentMethod = 'other';
  private gross_: string | number = '0';
  private discount_: string | number = '0';
  private tax_: string | number = '0';
  private margin_?: string | number;
  private settlement_?: { status: string; scheduledDate?: string };

  constructor(private readonly recorder: SalesRecorder, private readonly session: Session | undefined) {}

  currency(c: string): this { this.currency_ = c; return this; }
  method(m: PaymentMethod): this { this.method_ = m; return this; }
  /** Amounts as decimal text ("10000", "0.30"); numbers are accepted for whole amounts and cents. */
  gross(v: string | number): this { this.gross_ = v; return this; }
  discount(v: string | number): this { this.discount_ = v; return this; }
  tax(v: string | number): this { this.tax_ = v; return this; }
  margin(v: string | number): this { this.margin_ = v; return this; }
  settlement(status: string, scheduledDate?: string): this { this.settlement_ = { status, scheduledDate }; return this; }

  /** Queues the sale; returns its saleId, or undefined when invalid (the reason goes to onIgnored). */
  record(): string | undefined {
    return this.recorder.recordSale(this.session, this.currency_, this.method_, this.gross_, this.discount_, this.tax_, this.margin_, this.settlement_);
  }
}

/** Sales with exact decimal amounts, refused at the call (nothing queued, nothing thrown) when they break the contract. */
export class SalesRecorder {
  constructor(private readonly buffer: EventBuffer, private readonly time: TimeSource) {}

  sale(session: Session): Sale {
    return new Sale(this, session);
  }

  recordSale(session: Session | undefined, currency: string | undefined, method: PaymentMethod, gross: string | number, discount: string | number,
    tax: string | number, margin: string | number | undefined, settlement: { status: string; scheduledDate?: string } | undefined): string | undefined {
    const fail = (reason: string): undefined => {
      this.buffer.ignored('SalesRecorder.record', reason);
      return undefined;
    };
    if (!session) {
      return fail('a sale belongs to a session');
    }
    if (!PAYMENT_METHODS.has(method)) {
      return fail(`unknown payment method ${method}`);
    }
    if (!currency || !/^[A-Z]{3}$/.test(currency)) {
      return fail(`currency must be an ISO 4217 code such as KRW, was ${currency}`);
    }
    const g = cents('gross', gross);
    const d = cents('discount', discount);
    const t = cents('tax', tax);
    const m = margin === undefined ? undefined : cents('margin', margin);
    for (const x of [g, d, t, m]) {
      if (typeof x === 'string') {
        return fail(x);
      }
    }
    const [gc, dc, tc] = [g as bigint, d as bigint, t as bigint];
    if (dc > gc) {
      return fail(`discount ${formatCents(dc)} exceeds gross ${formatCents(gc)}`);
    }
    const net = gc - dc - tc;
    if (net < 0n) {
      return fail(`gross − discount − tax is negative: ${formatCents(net)}`);
    }
    const saleId = uuid();
    const off = this.time.offsetMs();
    const at = this.time.now();
    const amounts: JsonObject = { gross: decimal(formatCents(gc)), discount: decimal(formatCents(dc)), tax: decimal(formatCents(tc)), net: decimal(formatCents(net)) };
    if (m !== undefined) {
      amounts.margin = decimal(formatCents(m as bigint));
    }
    const sale: JsonObject = { saleId, sessionId: session.id, soldAt: iso(at), currency, paymentMethod: method, amounts };
    if (settlement) {
      sale.settlement = settlement.scheduledDate ? { status: settlement.status || 'pending', scheduledDate: settlement.scheduledDate } : { status: settlement.status || 'pending' };
    }
    this.buffer.add('SALE', saleId, at, sale, off);
    return saleId;
  }
}
