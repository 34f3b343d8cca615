// Calls to this server's API with the operator token the user typed (kept in this tab's session storage).

const KEY = 'kiosk-telemetry.operator-token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(value) {
  sessionStorage.setItem(KEY, value);
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
}

/** A non-2xx answer, with the problem+json detail the API gave (or the status line when it gave none). */
export class ApiError extends Error {
  constructor(status, title, detail, fields) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fields = fields ?? [];
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function call(method, path, { params, body, signal, bearer } = {}) {
  const headers = { Accept: 'application/json' };
  const t = bearer ?? token();
  if (t) {
    headers.Authorization = `Bearer ${t}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`/api/${path}${query(params)}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    throw new ApiError(res.status, json?.title ?? res.statusText, json?.detail, json?.errors);
  }
  return json;
}

export const api = {
  get: (path, params, signal) => call('GET', path, { params, signal }),
  patch: (path, body, signal) => call('PATCH', path, { body, signal }),
  /** Checks a token before it is kept: one small operator read. */
  check: (candidate) => call('GET', 'devices', { params: { limit: 1 }, bearer: candidate }),
};

/** Every page of a list route, up to {@code maxPages} pages. */
export async function all(path, params, signal, maxPages = 20) {
  const items = [];
  let cursor;
  for (let i = 0; i < maxPages; i++) {
    const page = await api.get(path, { ...params, cursor }, signal);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) {
      return { items, complete: true };
    }
  }
  return { items, complete: false };
}
