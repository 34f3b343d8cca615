// Calls to the API (config.json's apiBase, or this server) with the token this tab keeps (auth.js): the pasted
// one, or the ID token of Cognito's hosted login.

import { expiresAt, token } from './auth.js';

let base = '';
let onUnauthorized = () => {};

/**
 * apiBase: where /api/… is ("" for this server). unauthorized(error): called when the kept token is refused
 * (401) or has expired, before the caller gets the error.
 */
export function configure(apiBase, unauthorized) {
  base = apiBase ?? '';
  onUnauthorized = unauthorized ?? onUnauthorized;
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
  if (!bearer && t && expiresAt() && Date.now() >= expiresAt()) {
    const e = new ApiError(401, 'Sign-in expired',
      `this tab's sign-in ended at ${new Date(expiresAt()).toLocaleTimeString()} (an ID token lasts an hour)`);
    onUnauthorized(e);
    throw e;
  }
  if (t) {
    headers.Authorization = `Bearer ${t}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${base}/api/${path}${query(params)}`, {
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
    // API Gateway's own refusals (its JWT authoriser) are {"message": "…"}, not problem+json.
    const e = new ApiError(res.status, json?.title ?? res.statusText, json?.detail ?? json?.message, json?.errors);
    if (res.status === 401 && !bearer) {
      onUnauthorized(e);
    }
    throw e;
  }
  return json;
}

export const api = {
  get: (path, params, signal) => call('GET', path, { params, signal }),
  patch: (path, body, signal) => call('PATCH', path, { body, signal }),
  /** Who the token belongs to: {principal, role, stores, groups}; with a candidate token, checks it before it is kept. */
  me: (candidate) => call('GET', 'me', { bearer: candidate }),
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
