// The filters most views share: a range of reporting dates and a scope (fleet, store, group or country).
// They live in the URL (#/view?from=…&to=…&storeId=…), so a link or a reload shows the same figures.

import { current, defaultScope, isLimited } from './access.js';
import * as f from './format.js';
import { h, field, select } from './ui.js';

export const SCOPES = [
  ['fleet', 'Whole fleet', null],
  ['store', 'Store', 'storeId'],
  ['group', 'Group', 'groupId'],
  ['country', 'Country', 'countryCode'],
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function iso(d) {
  return d.toISOString().slice(0, 10);
}

export function addDays(isoDate, n) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000) + 1;
}

/** The browser's own calendar date today (not UTC). */
function localToday() {
  const now = new Date();
  return iso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

/** from/to of the URL; without them the 7 days that ended yesterday (today is not rolled up until tonight). */
export function rangeOf(params) {
  const to = DATE.test(params.get('to') ?? '') ? params.get('to') : addDays(localToday(), -1);
  const from = DATE.test(params.get('from') ?? '') ? params.get('from') : addDays(to, -6);
  return { from, to };
}

/** The range of equal length just before this one. */
export function previousRange({ from, to }) {
  const n = daysBetween(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1), days: n };
}

/** The scope of the URL; without one the whole fleet, or a limited user's first store (or group). */
export function scopeOf(params) {
  for (const [type, , key] of SCOPES) {
    if (key && params.get(key)) {
      return { type, key, id: params.get(key) };
    }
  }
  return defaultScope() ?? { type: 'fleet', key: null, id: '' };
}

/** The scope as API parameters: {storeId: "store-12"} or {} for the fleet. */
export function scopeParams(scope) {
  return scope.key ? { [scope.key]: scope.id } : {};
}

/** The text with its first letter in upper case, to start a sentence. */
export function cap(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function scopeText(scope) {
  const names = { fleet: 'the whole fleet', store: 'store', group: 'group', country: 'country' };
  return scope.key ? `${names[scope.type]} ${scope.id}` : names.fleet;
}

/** What a view shows, to start its note: "Store store-12, Nov 1, 2026 to Nov 7, 2026". */
export function scopeAndRange(scope, range) {
  return `${cap(scopeText(scope))}, ${f.date(range.from)} to ${f.date(range.to)}`;
}

/**
 * A limited user's scope pickers: the kinds they have (store, group) and their ids to pick from. A scope of the URL
 * they may not read stays on offer, so the form shows what was asked for (the API's refusal says why).
 */
function limitedScope(s) {
  const me = current();
  const ids = { store: me.stores, group: me.groups };
  const kind = select('filter-scope', SCOPES.filter(([type]) => ids[type]?.length || type === s.type).map(([v, text]) => [v, text]), s.type);
  const id = h('select', { id: 'filter-scope-id', name: 'scopeId' });
  const fill = () => {
    const options = [...(ids[kind.value] ?? [])];
    if (kind.value === s.type && s.id && !options.includes(s.id)) {
      options.push(s.id);
    }
    id.replaceChildren(...options.map((v) => h('option', { value: v, text: v })));
    if (kind.value === s.type && s.id) {
      id.value = s.id;
    }
  };
  kind.addEventListener('change', fill);
  fill();
  return { kind, id };
}

/**
 * The filter bar: date range (optional), scope (optional), any extra fields, and Apply. On submit it calls
 * apply(changes), where changes holds from, to and the scope key (the other scope keys set to null).
 */
export function filterBar({ params, range = true, scope = true, extra = [], apply, label = 'Filters' }) {
  const form = h('form', { class: 'filters', 'aria-label': label });
  const r = rangeOf(params);
  const s = scopeOf(params);
  let from;
  let to;
  if (range) {
    from = h('input', { type: 'date', id: 'filter-from', name: 'from', value: r.from, required: true });
    to = h('input', { type: 'date', id: 'filter-to', name: 'to', value: r.to, required: true });
    form.append(field('From', from), field('To', to));
  }
  let kind;
  let id;
  if (scope && isLimited()) {
    ({ kind, id } = limitedScope(s));
    form.append(field('Scope', kind), field('Store or group', id));
  } else if (scope) {
    kind = select('filter-scope', SCOPES.map(([v, text]) => [v, text]), s.type);
    id = h('input', {
      type: 'text', id: 'filter-scope-id', name: 'scopeId', value: s.id, autocomplete: 'off', spellcheck: 'false',
    });
    const sync = () => {
      id.disabled = kind.value === 'fleet';
      if (id.disabled) {
        id.value = '';
      }
    };
    kind.addEventListener('change', sync);
    sync();
    form.append(field('Scope', kind), field('Store, group or country id', id));
  }
  extra.forEach((x) => form.append(x));
  form.append(h('div', { class: 'field' }, h('button', { type: 'submit', id: 'filter-apply', text: 'Apply' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const changes = {};
    if (range) {
      changes.from = from.value;
      changes.to = to.value;
    }
    if (scope) {
      for (const [type, , key] of SCOPES) {
        if (key) {
          changes[key] = type === kind.value && id.value.trim() ? id.value.trim() : null;
        }
      }
    }
    for (const x of form.querySelectorAll('[data-param]')) {
      changes[x.dataset.param] = x.value || null;
    }
    apply(changes);
  });
  return form;
}

