// The dashboard shell: sign-in, the views' router on location.hash (#/view?param=…), navigation that keeps the
// shared filters. Each view is an ES module loaded when first opened (js/views/<name>.js).

import { api, token, setToken, clearToken, ApiError } from './api.js';
import { problem } from './ui.js';

const VIEWS = ['overview', 'today', 'stores', 'funnel', 'hours', 'experiments', 'errors', 'kiosks'];
/** The filters a link to another view carries along. */
const SHARED = ['from', 'to', 'storeId', 'groupId', 'countryCode'];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const login = document.getElementById('login');
const signout = document.getElementById('signout');

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

function showLogin(message) {
  nav.hidden = true;
  signout.hidden = true;
  login.hidden = false;
  view.replaceChildren();
  const box = document.getElementById('login-error');
  box.hidden = !message;
  box.replaceChildren();
  if (message) {
    box.append(message);
  }
  document.title = 'Sign in · Kiosk telemetry';
  document.getElementById('token').focus();
}

/** moveFocus: the user went somewhere (a link, a filter, sign-in), so the focus follows; not on a page load. */
async function route(moveFocus = false) {
  if (!token()) {
    leave();
    showLogin();
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
    if (e instanceof ApiError && e.status === 401) {
      clearToken();
      showLogin(problem(e, 'Reading the figures'));
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
    showLogin('Enter the operator token.');
    return;
  }
  const button = e.submitter ?? e.target.querySelector('button');
  button.disabled = true;
  try {
    await api.check(candidate);
    setToken(candidate);
    input.value = '';
    route(true);
  } catch (err) {
    showLogin(problem(err, 'Signing in'));
  } finally {
    button.disabled = false;
  }
});

signout.addEventListener('click', () => {
  clearToken();
  leave();
  showLogin();
});

document.getElementById('skip').addEventListener('click', () => {
  const target = login.hidden ? document.getElementById('view-title') ?? document.getElementById('main') : document.getElementById('token');
  target.focus();
});

window.addEventListener('hashchange', () => route(true));
route();
