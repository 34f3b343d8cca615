// Kiosks: the registry's devices with store, last seen and silence; a device opens its daily summaries.

import { all, api } from '../api.js';
import { isLimited } from '../access.js';
import { filterBar, rangeOf, scopeOf, scopeParams } from '../filters.js';
import * as f from '../format.js';
import { empty, field, h, heading, table } from '../ui.js';

export const title = 'Kiosks';

async function device(root, ctx, deviceId) {
  const { params, signal } = ctx;
  const range = rangeOf(params);
  root.replaceChildren(heading(`Kiosk ${deviceId}`),
    h('p', null, h('a', { href: ctx.href('kiosks', { from: params.get('from'), to: params.get('to') }), text: 'All kiosks' })),
    filterBar({ params, scope: false, apply: ctx.go, label: 'Date range' }));
  const [d, summaries] = await Promise.all([
    api.get(`devices/${encodeURIComponent(deviceId)}`, null, signal),
    all('daily-summary', { deviceId, ...range, limit: 500 }, signal, 4),
  ]);
  root.append(h('p', { class: 'note', id: 'kiosk-facts' },
    `Store ${d.storeId ?? '\u2014'}, group ${d.groupId ?? '\u2014'}, country ${d.countryCode ?? '\u2014'}; `
    + `${d.revoked ? 'revoked' : 'active'}; last seen ${d.lastSeenAt ? f.instant(d.lastSeenAt) : 'never'}.`));
  if (summaries.items.length === 0) {
    root.append(empty('No daily summaries in this range.',
      'A kiosk has a summary for each day it sent anything, once that day is aggregated; pick another range.'));
    return null;
  }
  const currencies = [...new Set(summaries.items.flatMap((s) => Object.keys(s.sales.byCurrency)))].sort();
  root.append(table(`Daily summaries of ${deviceId}, newest first`, [
    { label: 'Date' }, { label: 'Sessions', num: true }, { label: 'Conversion', num: true },
    { label: 'Average duration', num: true }, { label: 'Sales', num: true },
    ...currencies.map((c) => ({ label: `Net (${c})`, num: true })), { label: 'Errors', num: true },
  ], summaries.items.map((s) => [
    f.date(s.date), f.count(s.sessions.total), f.percent(s.sessions.conversionRate),
    s.sessions.ended ? f.duration(s.sessions.avgDurationMs) : '\u2014', f.count(s.sales.count),
    ...currencies.map((c) => (s.sales.byCurrency[c] ? f.money(s.sales.byCurrency[c].net, c) : '\u2014')),
    f.count(s.errors.total),
  ])));
  return null;
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  if (params.get('deviceId')) {
    return device(root, ctx, params.get('deviceId'));
  }
  let filter;
  if (isLimited()) {
    // A limited user lists the kiosks of one of their stores or groups (the API lists no other).
    const scope = scopeOf(params);
    filter = scope.type === 'store' || scope.type === 'group' ? scopeParams(scope) : {};
    root.replaceChildren(heading('Kiosks'), filterBar({ params, range: false, apply: ctx.go, label: 'Kiosk filters' }));
  } else {
    filter = { storeId: params.get('storeId'), groupId: params.get('groupId') };
    const store = h('input', { type: 'text', id: 'kiosks-store', value: params.get('storeId') ?? '', 'data-param': 'storeId', autocomplete: 'off' });
    const group = h('input', { type: 'text', id: 'kiosks-group', value: params.get('groupId') ?? '', 'data-param': 'groupId', autocomplete: 'off' });
    root.replaceChildren(heading('Kiosks'), filterBar({
      params, range: false, scope: false, apply: ctx.go, label: 'Kiosk filters',
      extra: [field('Store id', store), field('Group id', group)],
    }));
  }
  const { items, complete } = await all('devices', { ...filter, limit: 500 }, signal);
  if (items.length === 0) {
    root.append(empty('No kiosks match.', 'Register kiosks with POST /api/devices, or clear the filters.'));
    return null;
  }
  const now = Date.now();
  const range = { from: params.get('from'), to: params.get('to') };
  root.append(table('Kiosks by id', [
    { label: 'Kiosk' }, { label: 'Store' }, { label: 'Group' }, { label: 'Country' }, { label: 'Last seen' },
    { label: 'Silent for' }, { label: 'Status' },
  ], items.map((d) => [
    h('a', { href: ctx.href('kiosks', { deviceId: d.deviceId, ...range }), text: d.deviceId }),
    d.storeId ?? '\u2014', d.groupId ?? '\u2014', d.countryCode ?? '\u2014',
    d.lastSeenAt ? f.instant(d.lastSeenAt) : 'never seen',
    d.lastSeenAt ? f.duration(now - Date.parse(d.lastSeenAt)) : '\u2014',
    d.revoked ? 'revoked' : 'active',
  ])));
  if (!complete) {
    root.append(h('p', { class: 'note', text: 'Only the first 10,000 kiosks are listed; filter by store or group.' }));
  }
  return null;
}
