// The dashboard shell: config.json, sign-in (a pasted token, or Cognito's hosted login), who is signed in, the
// views' router on location.hash (#/view?param=…), navigation that keeps the shared filters. Each view is an ES
// module loaded when first opened (js/views/<name>.js).

import { api, configure, ApiError } from './api.js';
import * as auth from './auth.js';
import { current as signedIn, isLimited, limitText, setMe } from './access.js';
import { loadConfig } from './config.js';
import { h, problem } from './ui.js';

const VIEWS = ['overview', 'today', 'stores', 'funnel', 'hours', 'experiments', 'errors', 'kiosks'];
/** The filters a link to another view carries along. */
const SHARED = ['from', 'to', 'storeId', 'groupId', 'countryCode'];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const login = document.getElementById('login');
const signout = document.getElementById('signout');
const who = document.getElementById('who');

/** config.json, checked: {signIn, apiBase, cognito}. */
let config = null;
let current = null; // {name, controller, cleanup}

export function parseHash(hash = location.hash) {
  const m = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  if (!m || !VIEWS.includes(m[1])) {
    return { name: 'overview', params: new URLSearchParams(m?.[2] ?? '') };
  }
  return { name: m[1], params: new URLSearchParams(m[2] ?? '') };
}

export function href(name, params) {
  const q = new URLSearchParams();
  for (const [k, v] of params instanceof URLSearchParams ? params.entries() : Object.entries(params ?? {})) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return `#/${name}${s ? `?${s}` : ''}`;
}

function sharedOf(params) {
  const out = {};
  for (const k of SHARED) {
    if (params.get(k)) {
      out[k] = params.get(k);
    }
  }
  return out;
}

function updateNav(name, params) {
  const shared = sharedOf(params);
  for (const a of nav.querySelectorAll('a[data-view]')) {
    a.href = href(a.dataset.view, shared);
    if (a.dataset.view === name) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

/** The sign-in screen of config.json's kind; message: why (an alert), note: what happened (a status). */
function showLogin(message, note) {
  nav.hidden = true;
  signout.hidden = true;
  who.hidden = true;
  login.hidden = false;
  view.replaceChildren();
  view.setAttribute('aria-busy', 'false'); // a view left half-drawn (a 401 mid-way) is not loading any more
  const cognito = config.signIn === 'cognito';
  document.getElementById('login-token').hidden = cognito;
  document.getElementById('login-cognito').hidden = !cognito;
  document.getElementById('login-note').textContent = note ?? '';
  const box = document.getElementById('login-error');
  box.hidden = !message;
  box.replaceChildren();
  if (message) {
    box.append(message);
  }
  document.title = 'Sign in · Kiosk telemetry';
  document.getElementById(cognito ? 'cognito-signin' : 'token').focus();
}

/** config.json is missing or malformed: say what is wrong, and nothing else. */
function showSetupProblem(error) {
  document.getElementById('setup').hidden = false;
  const box = document.getElementById('setup-problem');
  box.replaceChildren(h('p', { text: 'Its settings file, config.json (next to index.html), cannot be used:' }),
    h('ul', null, (error.problems ?? [error.message]).map((p) => h('li', { text: p }))));
  document.title = 'Not configured · Kiosk telemetry';
}

/** The header's "signed in as": who, their role, and what they are limited to. */
function showWho() {
  const me = signedIn();
  who.replaceChildren('Signed in as ', h('strong', { text: me.principal }), `, ${me.role}`,
    isLimited() ? `, limited to ${limitText()}` : '');
  who.hidden = false;
}

/** The kept token was refused (401) or has expired: back to sign-in, saying why. The view's URL stays. */
function signedOutByApi(error) {
  auth.clearToken();
  setMe(null);
  leave();
  const box = h('div', null, h('p', null, h('strong', { text: 'You were signed out. ' }),
    `The API answered ${error.status}${error.title ? ` ${error.title}` : ''}: ${error.detail ?? error.message}.`),
  h('p', { text: config.signIn === 'cognito' ? 'Sign in again to go on where you were.' : 'Sign in again with a valid token.' }));
  showLogin(box);
}

/** GET /api/me for the kept token; false when the page cannot go on (then it shows why). */
async function loadMe() {
  try {
    setMe(await api.me());
    showWho();
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return false; // signedOutByApi showed the sign-in screen
    }
    login.hidden = true;
    nav.hidden = true;
    signout.hidden = false;
    const again = h('button', { type: 'button', id: 'me-retry', text: 'Try again', onclick: () => route(true) });
    view.replaceChildren(h('h1', { tabindex: '-1', id: 'view-title', text: 'Kiosk telemetry' }),
      problem(e, 'Reading who is signed in'), again);
    view.setAttribute('aria-busy', 'false');
    view.dataset.route = location.hash;
    return false;
  }
}

/** moveFocus: the user went somewhere (a link, a filter, sign-in), so the focus follows; not on a page load. */
async function route(moveFocus = false) {
  if (!auth.token()) {
    leave();
    showLogin();
    return;
  }
  if (!signedIn() && !(await loadMe())) {
    return;
  }
  login.hidden = true;
  nav.hidden = false;
  signout.hidden = false;
  const { name, params } = parseHash();
  const sameView = current?.name === name;
  const focusedId = sameView && view.contains(document.activeElement) ? document.activeElement.id : null;
  leave();
  updateNav(name, params);
  const controller = new AbortController();
  current = { name, controller, cleanup: null };
  const mine = current;
  view.setAttribute('aria-busy', 'true');
  const ctx = {
    params,
    signal: controller.signal,
    /** Go to this view with these parameters changed (null removes one): a new URL, so back/reload work. */
    go(changes) {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === undefined || v === '') {
          next.delete(k);
        } else {
          next.set(k, v);
        }
      }
      const target = href(name, next);
      if (target === location.hash) {
        route(true);
      } else {
        location.hash = target;
      }
    },
    href,
    /** Re-render in place (after an action), keeping the focus where it can. */
    refresh: () => route(true),
  };
  try {
    const module = await import(`./views/${name}.js`);
    document.title = `${module.title} · Kiosk telemetry`;
    const cleanup = await module.render(view, ctx);
    if (current !== mine) {
      cleanup?.();
      return;
    }
    mine.cleanup = cleanup ?? null;
  } catch (e) {
    if (current !== mine || e.name === 'AbortError') {
      return;
    }
    view.append(problem(e, 'Showing this view'));
  } finally {
    if (current === mine) {
      view.setAttribute('aria-busy', 'false');
      view.dataset.route = location.hash;
    }
  }
  if (current !== mine) {
    return;
  }
  const again = focusedId && document.getElementById(focusedId);
  if (again) {
    again.focus();
  } else if (moveFocus || focusedId) {
    document.getElementById('view-title')?.focus();
  }
}

function leave() {
  if (current) {
    current.controller.abort();
    current.cleanup?.();
    current = null;
  }
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('token');
  const candidate = input.value.trim();
  if (!candidate) {
    showLogin('Enter your token.');
    return;
  }
  const button = e.submitter ?? e.target.querySelector('button');
  button.disabled = true;
  try {
    const me = await api.me(candidate);
    auth.setToken(candidate);
    setMe(me);
    showWho();
    input.value = '';
    route(true);
  } catch (err) {
    showLogin(problem(err, 'Signing in'));
  } finally {
    button.disabled = false;
  }
});

const cognitoButton = document.getElementById('cognito-signin');
cognitoButton.addEventListener('click', async () => {
  cognitoButton.disabled = true;
  try {
    await auth.startHostedLogin(config.cognito, location.hash); // leaves the page
  } catch (err) {
    showLogin(`This browser cannot start the sign-in: ${err.message}`);
  } finally {
    cognitoButton.disabled = false;
  }
});

signout.addEventListener('click', () => {
  auth.clearToken();
  setMe(null);
  leave();
  if (config.signIn === 'cognito') {
    // Ends the hosted login's session too; Cognito brings the browser back to this page.
    auth.noteSignedOut();
    location.assign(auth.hostedLogoutUrl(config.cognito));
    return;
  }
  showLogin(null, 'You are signed out.');
});

document.getElementById('skip').addEventListener('click', () => {
  const signIn = config?.signIn === 'cognito' ? 'cognito-signin' : 'token';
  const target = login.hidden ? document.getElementById('view-title') ?? document.getElementById('main') : document.getElementById(signIn);
  target.focus();
});

async function start() {
  try {
    config = await loadConfig();
  } catch (e) {
    showSetupProblem(e);
    return;
  }
  configure(config.apiBase, signedOutByApi);
  window.addEventListener('hashchange', () => route(true));
  if (config.signIn === 'cognito') {
    try {
      if (await auth.finishHostedLogin(config.cognito)) {
        route(true);
        return;
      }
    } catch (e) {
      auth.clearToken();
      showLogin(e.message);
      return;
    }
    if (auth.takeSignedOut()) {
      showLogin(null, 'You are signed out.');
      return;
    }
  }
  route();
}

start();
