/** What came back: the status, the body, the server's Retry-After (ms) and Date (epoch ms), when sent. */
export interface Reply {
  status: number;
  body: string;
  retryAfterMs?: number;
  date?: number;
}

/** How the SDK reaches the backend: one request, one reply; a rejected promise when no answer came. */
export interface Transport {
  send(method: string, path: string, bearerToken: string, jsonBody: string): Promise<Reply>;
}

/** Retry-After in seconds, or an HTTP-date (then relative to the server's own Date when it sent one). */
export function parseRetryAfter(value: string | null | undefined, serverDate: number | undefined, localNow: number): number | undefined {
  if (value == null || value.trim() === '') {
    return undefined;
  }
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    return Number(v) * 1000;
  }
  const at = Date.parse(v);
  if (Number.isNaN(at)) {
    return undefined;
  }
  return Math.max(0, at - (serverDate ?? localNow));
}

export function parseDate(value: string | null | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** The platform's fetch (Node 18+, browsers, Electron), with a per-request timeout. */
export class FetchTransport implements Transport {
  private readonly base: string;

  constructor(baseUrl: string, private readonly timeoutMs = 15000) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  async send(method: string, path: string, bearerToken: string, jsonBody: string): Promise<Reply> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const r = await fetch(this.base + path, {
        method,
        headers: { Authorization: `Bearer ${bearerToken}`, 'Content-Type': 'application/json' },
        body: jsonBody,
        signal: controller.signal,
      });
      const body = await r.text();
      const date = parseDate(r.headers.get('date'));
      return { status: r.status, body, date, retryAfterMs: parseRetryAfter(r.headers.get('retry-after'), date, Date.now()) };
    } finally {
      clearTimeout(timer);
    }
  }
}
