/** The operator's side of the API, as the simulator and the end-to-end test need it. */
export class OperatorClient {
  private readonly base: string;

  constructor(base: string, private readonly adminToken: string) {
    this.base = base.replace(/\/+$/, '');
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(this.base + path, { ...init, headers: { Authorization: `Bearer ${this.adminToken}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  }

  /** Registers a kiosk; returns its device token. */
  async register(deviceId: string, storeId: string, countryCode: string): Promise<string> {
    const r = await this.request('/api/devices', { method: 'POST', body: JSON.stringify({ deviceId, storeId, countryCode }) });
    const text = await r.text();
    if (r.status !== 201) {
      throw new Error(`registering ${deviceId} answered ${r.status}: ${text}`);
    }
    return JSON.parse(text).token;
  }

  /** Every item of a list route, page by page (500 a page, following nextCursor). */
  async items(pathAndQuery: string): Promise<any[]> {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const sep = pathAndQuery.includes('?') ? '&' : '?';
      const q: string = `${pathAndQuery}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await this.request(q);
      const text = await r.text();
      if (r.status !== 200) {
        throw new Error(`GET ${q} answered ${r.status}: ${text}`);
      }
      const page = JSON.parse(text);
      out.push(...page.items);
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : null;
    } while (cursor);
    return out;
  }

  /** One record by path; undefined on 404. */
  async get(path: string): Promise<any> {
    const r = await this.request(path);
    if (r.status === 404) {
      return undefined;
    }
    return JSON.parse(await r.text());
  }
}
