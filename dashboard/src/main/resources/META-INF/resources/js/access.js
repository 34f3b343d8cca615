// Who is signed in (GET /api/me): role (operator or viewer) and the stores and groups a user is limited to.
// The API enforces both; the page only adapts: no buttons a viewer may not use, scope pickers that offer what a
// limited user may read, and words instead of failures where a view needs the whole fleet.

let me = null;

/** me: {principal, role, stores, groups} as the API sent it, or null when nobody is signed in. */
export function setMe(value) {
  me = value ? {
    principal: String(value.principal ?? ''),
    role: value.role === 'operator' ? 'operator' : 'viewer',
    stores: Array.isArray(value.stores) ? value.stores.map(String) : [],
    groups: Array.isArray(value.groups) ? value.groups.map(String) : [],
  } : null;
}

export function current() {
  return me;
}

export function isOperator() {
  return me?.role === 'operator';
}

/** Limited to some stores or groups (both lists empty: the whole fleet). */
export function isLimited() {
  return !!me && (me.stores.length > 0 || me.groups.length > 0);
}

/** The scope a limited user's views open with: their first store, else their first group; null for the fleet. */
export function defaultScope() {
  if (!isLimited()) {
    return null;
  }
  return me.stores.length ? { type: 'store', key: 'storeId', id: me.stores[0] } : { type: 'group', key: 'groupId', id: me.groups[0] };
}

function list(word, ids) {
  return ids.length ? `${word}${ids.length > 1 ? 's' : ''} ${ids.join(', ')}` : '';
}

/** "store store-1", "stores a, b and group g": what a limited user may read. */
export function limitText() {
  if (!isLimited()) {
    return 'the whole fleet';
  }
  return [list('store', me.stores), list('group', me.groups)].filter(Boolean).join(' and ');
}
