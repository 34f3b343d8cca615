// The bearer token this tab keeps (session storage: gone when the tab closes), and Amazon Cognito's hosted login
// (authorization code with PKCE) when config.json says "cognito". The ID token is the bearer then; no refresh
// token is kept, so a user signs in again once the ID token's lifetime (an hour) is over.

const TOKEN = 'kiosk-telemetry.token';
/** When the kept token stops working, in this browser's clock (ms): when it came plus its lifetime. */
const EXPIRES = 'kiosk-telemetry.token-expires';
/** A hosted login under way: {verifier, state, hash}, the view to open when it comes back. */
const PENDING = 'kiosk-telemetry.sign-in';
const SIGNED_OUT = 'kiosk-telemetry.signed-out';

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function setToken(value, expiresAt = null) {
  sessionStorage.setItem(TOKEN, value);
  if (expiresAt) {
    sessionStorage.setItem(EXPIRES, String(expiresAt));
  } else {
    sessionStorage.removeItem(EXPIRES);
  }
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(EXPIRES);
}

/** The time (ms) the kept token expires at by this browser's clock, or null when unknown (a pasted token). */
export function expiresAt() {
  const v = Number(sessionStorage.getItem(EXPIRES));
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** The hosted login did not end in a token; the message says why, in words. */
export class SignInError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SignInError';
  }
}

function base64url(bytes) {
  let s = '';
  for (const b of bytes) {
    s += String.fromCharCode(b);
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** PKCE's S256 code challenge: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The claims of a JWT-shaped token (header.payload.signature), unverified: only to learn its lifetime. */
function claims(jwt) {
  const part = jwt.split('.')[1];
  if (!part) {
    return null;
  }
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/**
 * When an ID token stops working by this browser's clock: now plus its lifetime (exp − iat, or the token
 * answer's expires_in). Counting from now, not from exp, keeps a browser whose clock is off out of a loop.
 */
function endOfLife(idToken, expiresIn) {
  const c = claims(idToken);
  const lifetime = Number.isFinite(c?.exp) && Number.isFinite(c?.iat) ? c.exp - c.iat : Number(expiresIn);
  return Number.isFinite(lifetime) && lifetime > 0 ? Date.now() + lifetime * 1000 : null;
}

/** Leaves for Cognito's hosted login, keeping the PKCE verifier, the state and the view to come back to. */
export async function startHostedLogin(cognito, hash) {
  const verifier = randomText(48); // 64 characters of A–Z a–z 0–9 - _
  const state = randomText(24);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, hash }));
  sessionStorage.removeItem(SIGNED_OUT);
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: cognito.redirectUri,
    scope: 'openid email',
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${cognito.domain}/oauth2/authorize?${q}`);
}

/**
 * The hosted login came back to this page (?code=&state=, or ?error=): checks the state, trades the code for
 * tokens and keeps the ID token. The address loses code and state at once (a reload must not replay them) and
 * gets back the view the user had opened. Returns false when this load is not such a return; throws a
 * SignInError that says what went wrong.
 */
export async function finishHostedLogin(cognito) {
  const q = new URLSearchParams(location.search);
  if (!q.has('code') && !q.has('error') && !q.has('state')) {
    return false;
  }
  const { code, state, error } = { code: q.get('code'), state: q.get('state'), error: q.get('error') };
  const description = q.get('error_description');
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PENDING);
  for (const k of ['code', 'state', 'error', 'error_description', 'error_uri']) {
    q.delete(k);
  }
  const rest = q.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${pending?.hash || location.hash}`);

  if (error) {
    throw new SignInError(`The sign-in service did not sign you in: "${error}"${description ? ` (${description})` : ''}.`);
  }
  if (!pending || !state || state !== pending.state) {
    throw new SignInError('This sign-in answer does not belong to the sign-in started in this tab (its state does not match), '
      + 'so it was not used. Sign in again.');
  }
  if (!code) {
    throw new SignInError('The sign-in service came back without an authorization code. Sign in again.');
  }
  let res;
  try {
    res = await fetch(`${cognito.domain}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: cognito.clientId,
        code,
        redirect_uri: cognito.redirectUri,
        code_verifier: pending.verifier,
      }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new SignInError(`The sign-in service could not be reached to finish signing in (${e.message}). Sign in again.`);
  }
  let json = null;
  try {
    json = JSON.parse(await res.text());
  } catch {
    json = null;
  }
  if (!res.ok || typeof json?.id_token !== 'string' || !json.id_token) {
    const said = json?.error ? ` "${json.error}"${json.error_description ? ` (${json.error_description})` : ''}` : '';
    throw new SignInError(`Finishing the sign-in failed: the sign-in service answered ${res.status}${said}${res.ok ? ' without an ID token' : ''}. Sign in again.`);
  }
  setToken(json.id_token, endOfLife(json.id_token, json.expires_in));
  return true;
}

/** Cognito's logout endpoint, which ends the hosted login's session and comes back to this page. */
export function hostedLogoutUrl(cognito) {
  const q = new URLSearchParams({ client_id: cognito.clientId, logout_uri: cognito.redirectUri });
  return `${cognito.domain}/logout?${q}`;
}

/** Notes that the user signed out, so the page says so when Cognito's logout brings the browser back. */
export function noteSignedOut() {
  sessionStorage.setItem(SIGNED_OUT, '1');
}

export function takeSignedOut() {
  const was = sessionStorage.getItem(SIGNED_OUT) === '1';
  sessionStorage.removeItem(SIGNED_OUT);
  return was;
}
