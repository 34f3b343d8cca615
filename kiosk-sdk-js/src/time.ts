/**
 * The SDK's notion of time, as in the Java SDK's TimeSource: durations from a monotonic ticker
 * (performance.now()), record times from the kiosk's wall clock read once at start and advanced by the ticker,
 * plus an estimate of the server's clock offset from the `Date` header of its answers. Each answer bounds the
 * offset to [Date − received, Date + 1 s − sent]; bounds are intersected (a contradiction starts over), the
 * middle is used, no correction while the bounds lie within ±2 s, and the correction moves only by ≥ 1 s.
 */
export const IN_STEP_MS = 2000;
export const MOVE_MS = 1000;

export class TimeSource {
  private readonly anchorWall: number;
  private readonly anchorTick: number;
  private known = false;
  private lowMs = 0;
  private highMs = 0;
  private offset = 0;
  private hasEstimate = false;

  constructor(wallClock: () => number, private readonly ticker: () => number) {
    this.anchorTick = ticker();
    this.anchorWall = wallClock();
  }

  /** Monotonic milliseconds, for durations only. */
  mono(): number {
    return this.ticker();
  }

  /** The kiosk's own time on the monotonic timeline (no server correction), epoch ms. */
  local(): number {
    return this.anchorWall + (this.ticker() - this.anchorTick);
  }

  /** The best estimate of the server's time now, whole epoch ms. */
  now(): number {
    return Math.floor(this.local() + this.offset);
  }

  /** The correction applied now (server − kiosk), ms. */
  offsetMs(): number {
    return this.offset;
  }

  estimated(): boolean {
    return this.hasEstimate;
  }

  /** One answer: sent at local `sentAt`, received at local `receivedAt`, carrying `serverDate` (whole seconds). */
  observe(sentAt: number, receivedAt: number, serverDate: number): void {
    const low = serverDate - receivedAt;
    const high = serverDate + 1000 - sentAt;
    if (!this.known || low > this.highMs || high < this.lowMs) {
      this.lowMs = low;
      this.highMs = high;
      this.known = true;
    } else {
      this.lowMs = Math.max(this.lowMs, low);
      this.highMs = Math.min(this.highMs, high);
    }
    const next = this.lowMs > -IN_STEP_MS && this.highMs < IN_STEP_MS ? 0 : Math.round(this.lowMs + (this.highMs - this.lowMs) / 2);
    if (!this.hasEstimate || Math.abs(next - this.offset) >= MOVE_MS) {
      this.offset = next;
    }
    this.hasEstimate = true;
  }
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
