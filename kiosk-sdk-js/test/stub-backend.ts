import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  token: string;
  body: any;
}

export interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Store the request as usual, then cut the connection: the kiosk never sees the answer. */
  loseAnswer?: boolean;
}

/**
 * A backend on a real HTTP port that stores records by the contract's dedup keys (first write wins), answers as
 * the contract says (201/200 created/duplicate, per-item batch results), sends a Date header from its own
 * (possibly skewed) clock, can refuse timestamps out of the contract's window, and can be scripted per route.
 */
export class StubBackend {
  readonly received: Received[] = [];
  readonly stored = new Map<string, Map<string, any>>();
  readonly sessionSeq = new Map<string, number>();
  skewMs = 0;
  sendDate = true;
  validateTimestamps = false;
  private scripts: Array<{ prefix: string; answer: (r: Received) => Scripted | undefined }> = [];
  /** Files served on GET by exact path (a test page and the SDK for a browser), not recorded as requests. */
  readonly files = new Map<string, { contentType: string; body: string }>();
  private server: http.Server;
  private sockets = new Set<import('node:net').Socket>();

  private constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(): Promise<StubBackend> {
    const b = new StubBackend();
    await new Promise<void>((resolve) => b.server.listen(0, '127.0.0.1', resolve));
    return b;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  now(): number {
    return Date.now() + this.skewMs;
  }

  /** Answers requests whose path starts with `prefix` with `answer` (undefined: the default answer). */
  script(prefix: string, answer: (r: Received) => Scripted | undefined): void {
    this.scripts.push({ prefix, answer });
  }

  clearScripts(): void {
    this.scripts = [];
  }

  kind(k: string): Map<string, any> {
    let m = this.stored.get(k);
    if (!m) {
      m = new Map();
      this.stored.set(k, m);
    }
    return m;
  }

  requests(prefix: string, method?: string): Received[] {
    return this.received.filter((r) => r.path.startsWith(prefix) && (!method || r.method === method));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const file = req.method === 'GET' ? this.files.get(req.url ?? '') : undefined;
    if (file) {
      res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-store' });
      res.end(file.body);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: any = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      const r: Received = { method: req.method ?? '', path: req.url ?? '', token: String(req.headers.authorization ?? '').replace(/^Bearer /, ''), body };
      this.received.push(r);
      let answer: Scripted | undefined;
      for (const s of this.scripts) {
        if (r.path.startsWith(s.prefix)) {
          answer = s.answer(r);
          if (answer) {
            break;
          }
        }
      }
      if (answer?.loseAnswer) {
        this.defaultAnswer(r);
        req.socket.destroy();
        return;
      }
      const a = answer ?? this.defaultAnswer(r);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(a.headers ?? {}) };
      res.sendDate = false; // Node adds a Date of its own otherwise
      if (this.sendDate) {
        headers.Date = new Date(this.now()).toUTCString();
      }
      res.writeHead(a.status, headers);
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  }

  private badTimes(item: any): Array<{ field: string; message: string }> {
    if (!this.validateTimestamps) {
      return [];
    }
    const out: Array<{ field: string; message: string }> = [];
    const now = this.now();
    const walk = (node: any, path: string) => {
      if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          const p = path ? `${path}.${k}` : k;
          if (['timestamp', 'startedAt', 'endedAt', 'soldAt', 'enteredAt', 'exitedAt'].includes(k) && typeof v === 'string') {
            const t = Date.parse(v);
            if (t > now + 5 * 60_000 || t < now - 30 * 86_400_000) {
              out.push({ field: p, message: 'out of the accepted window' });
            }
          } else if (!['properties', 'experiments', 'behavior', 'amounts'].includes(k)) {
            walk(v, p);
          }
        }
      }
    };
    walk(item, '');
    return out;
  }

  private store(kind: string, key: string, item: any): boolean {
    const m = this.kind(kind);
    if (m.has(key)) {
      return false;
    }
    m.set(key, item);
    return true;
  }

  private defaultAnswer(r: Received): Scripted {
    const path = r.path;
    const single = (kind: string, idField: string): Scripted => {
      const errors = this.badTimes(r.body);
      if (errors.length > 0) {
        return { status: 400, body: { title: 'Bad Request', status: 400, errors } };
      }
      const created = this.store(kind, r.body[idField], r.body);
      return { status: created ? 201 : 200, body: { [idField]: r.body[idField], created } };
    };
    const batch = (kind: string, list: string, key: (i: any) => string): Scripted => {
      const items: any[] = r.body?.[list] ?? [];
      let accepted = 0;
      let duplicates = 0;
      const rejected: any[] = [];
      items.forEach((item, index) => {
        const errors = this.badTimes(item).map((e) => ({ ...e, field: `${list}[${index}].${e.field}` }));
        if (errors.length > 0) {
          rejected.push({ index, errors });
        } else if (this.store(kind, key(item), item)) {
          accepted++;
        } else {
          duplicates++;
        }
      });
      if (rejected.length === items.length && items.length > 0) {
        return { status: 400, body: { title: 'Bad Request', status: 400, accepted, duplicates, rejected } };
      }
      return { status: 200, body: { accepted, duplicates, rejected } };
    };
    if (r.method === 'POST' && path === '/api/sessions') {
      const a = single('sessions', 'sessionId');
      if (a.status === 201) {
        this.sessionSeq.set(r.body.sessionId, 0);
        this.kind('sessions').get(r.body.sessionId).status = 'started';
      }
      return a;
    }
    if (r.method === 'PATCH' && path.startsWith('/api/sessions/')) {
      const id = decodeURIComponent(path.substring('/api/sessions/'.length));
      const s = this.kind('sessions').get(id);
      if (!s) {
        return { status: 404, body: { status: 404, title: 'Not Found' } };
      }
      const errors = this.badTimes(r.body);
      if (errors.length > 0) {
        return { status: 400, body: { status: 400, errors } };
      }
      if (r.body.seq > (this.sessionSeq.get(id) ?? 0)) {
        this.sessionSeq.set(id, r.body.seq);
        Object.assign(s, r.body);
        return { status: 200, body: { applied: true } };
      }
      return { status: 200, body: { applied: false } };
    }
    if (path === '/api/events/batch') {
      return batch('events', 'events', (e) => `${e.sessionId}#${e.sequenceNo}`);
    }
    if (path === '/api/performance/batch') {
      return batch('metrics', 'metrics', (m) => m.metricId);
    }
    if (path === '/api/errors') {
      return single('errors', 'errorId');
    }
    if (path === '/api/sales') {
      return single('sales', 'saleId');
    }
    return { status: 404, body: { status: 404 } };
  }

  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A clock the test moves: wall time and the monotonic ticker together. */
export class TestClock {
  private mono = 1000;
  constructor(private wall: number) {}
  readonly now = (): number => this.wall;
  readonly tick = (): number => this.mono;
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}
