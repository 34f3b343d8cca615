import type { KioskTelemetry } from '../src/telemetry';
import type { FunnelStage, Session, TerminalStatus } from '../src/session';
import { FUNNEL_STAGES } from '../src/session';
import type { PaymentMethod } from '../src/trackers';
import type { FlakyTransport } from './flaky';

/** The share of customers who go on from each stage to the next (the Java simulator's numbers). */
const CONTINUE = [0.95, 0.95, 0.94, 0.97, 0.94, 0.97, 0.99];
const METHODS: PaymentMethod[] = ['card', 'card', 'card', 'cash', 'mobile', 'qr'];
const FRAMES = {
  width: 1080, height: 1920,
  targets: [...Array(9).keys()].map((i) => ({ id: `frame-${i}`, left: 60 + (i % 3) * 340, top: 300 + Math.floor(i / 3) * 420, width: 300, height: 380 })),
};

/**
 * One simulated kiosk, like the Java simulator's SimulatedKiosk: customers walk the funnel with taps (heatmap
 * properties), selections and scrolls, drop off, pay, print (jams), and the kiosk counts how it ended each
 * session so the exactly-once check can compare statuses.
 */
export class SimulatedKiosk {
  readonly endedAs: Record<string, number> = {};
  eventsTracked = 0;
  private session?: Session;
  private script: Array<() => void> = [];
  private appStarted = false;
  private readonly eventsPerStage: number;

  constructor(readonly deviceId: string, readonly telemetry: KioskTelemetry, readonly network: FlakyTransport,
    private readonly random: () => number, private readonly budget: number, eventsPerSession: number) {
    this.eventsPerStage = Math.max(3, Math.floor(eventsPerSession / FUNNEL_STAGES.length));
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  done(): boolean {
    return this.eventsTracked >= this.budget && this.session === undefined;
  }

  /** Plays on until one event is tracked (or the budget is used and the last session ended). */
  step(): void {
    if (!this.appStarted) {
      this.appStarted = true;
      this.telemetry.performance.record('app_start', undefined, 1500 + this.int(3000), true, { loadAssets: 600 + this.int(800) });
    }
    const before = this.eventsTracked;
    while (this.eventsTracked === before) {
      if (this.script.length === 0) {
        if (this.eventsTracked >= this.budget) {
          return;
        }
        this.planSession();
      }
      this.script.shift()!();
    }
  }

  private planSession(): void {
    const s = this.telemetry.sessions.start(`3.2.${this.int(3)}`);
    this.session = s;
    const jam = this.int(10) === 0;
    for (let i = 0; i < FUNNEL_STAGES.length - 1; i++) {
      const stage = FUNNEL_STAGES[i];
      if (i > 0) {
        this.script.push(() => s.enter(stage));
      }
      this.planScreen(s, stage);
      this.planWork(s, stage, jam);
      if (this.random() >= CONTINUE[i]) {
        const roll = this.int(20);
        if (roll === 0) {
          this.script.push(() => {
            this.telemetry.errors.report('fatal', 'software', 'RENDER_CRASH', 'renderer stopped', new Error('simulated renderer crash'), s);
            this.end('error', 'renderer crashed');
          });
        } else {
          this.script.push(() => this.end(roll < 3 ? 'timeout' : 'abandoned', roll < 3 ? 'idle' : 'walked away'));
        }
        return;
      }
    }
    this.script.push(() => this.end('completed', null));
  }

  private planScreen(s: Session, stage: FunnelStage): void {
    this.script.push(() => this.count(s.screen(stage)));
    const actions = Math.max(1, this.eventsPerStage - 2 + this.int(3) - 1);
    for (let a = 0; a < actions; a++) {
      const roll = this.int(10);
      if (roll < 6) {
        const x = this.int(1080);
        const y = this.int(1920);
        this.script.push(() => this.count(s.tap(stage, x, y, FRAMES)));
      } else if (roll < 8) {
        const target = `frame-${this.int(9)}`;
        this.script.push(() => this.count(s.track('select', stage, { target })));
      } else {
        const depth = this.int(101);
        this.script.push(() => this.count(s.gesture('scroll', stage, 540, 1500, 540, 1500 - depth * 8, 300, { scrollDepth: depth })));
      }
    }
    this.script.push(() => this.count(s.track('screen_exit', stage)));
  }

  private planWork(s: Session, stage: FunnelStage, jam: boolean): void {
    const t = this.telemetry;
    if (stage === 'capture') {
      const shutter = 80 + this.int(100);
      const save = 900 + this.int(2000);
      this.script.push(() => t.performance.record('capture', s, shutter + save, this.int(50) !== 0, { shutter, save }));
    } else if (stage === 'edit') {
      this.script.push(() => t.performance.record('render', s, 300 + this.int(1500), true));
    } else if (stage === 'payment') {
      this.script.push(() => t.performance.record('payment', s, 2000 + this.int(8000), true));
      const gross = 5000 * (1 + this.int(3));
      const discount = this.int(4) === 0 ? 1000 : 0;
      const tax = Math.floor((gross - discount) / 11);
      const method = METHODS[this.int(METHODS.length)];
      this.script.push(() => t.sales.sale(s).currency('KRW').method(method).gross(String(gross)).discount(String(discount))
        .tax(String(tax)).margin(String(gross / 2)).record());
    } else if (stage === 'print') {
      this.script.push(() => t.performance.record('print', s, 8000 + this.int(12000), !jam));
      if (jam) {
        this.script.push(() => {
          t.errors.breadcrumb('hardware', 'printer reports tray 2', { tray: 2 });
          t.errors.report('error', 'hardware', 'PRINTER_JAM', 'Printer jam at tray 2', undefined, s);
        });
      }
    }
  }

  private count(sequenceNo: number): void {
    if (sequenceNo >= 0) {
      this.eventsTracked++;
    }
  }

  private end(status: TerminalStatus, reason: string | null): void {
    this.session?.end(status, reason);
    this.endedAs[status] = (this.endedAs[status] ?? 0) + 1;
    this.session = undefined;
  }
}
