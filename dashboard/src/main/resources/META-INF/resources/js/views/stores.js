// Stores: the breakdown of a range by store, group or country as a sortable table; a row opens its overview.

import { all, api } from '../api.js';
import { filterBar, rangeOf } from '../filters.js';
import * as f from '../format.js';
import { isLimited } from '../access.js';
import { empty, field, h, heading, needsWholeFleet, select, table } from '../ui.js';

export const title = 'Stores';

const BY = [['store', 'Store', 'storeId'], ['group', 'Group', 'groupId'], ['country', 'Country', 'countryCode']];
const METRICS = [
  ['sessions', 'Sessions'], ['completed', 'Completed sessions'], ['conversionRate', 'Conversion'],
  ['salesCount', 'Sales'], ['errors', 'Errors'], ['errorsPer100Sessions', 'Errors per 100 sessions'],
  ['activeDevices', 'Active kiosks'],
];
const CURRENCY = /^net\.([A-Z]{3})$/;

function formatter(metric) {
  const cur = CURRENCY.exec(metric)?.[1];
  if (cur) {
    return (v) => f.money(v, cur);
  }
  if (metric === 'conversionRate') {
    return (v) => f.percent(v);
  }
  if (metric === 'errorsPer100Sessions') {
    return (v) => f.decimal(v);
  }
  return (v) => f.count(v);
}

function compare(a, b, key, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  if (key === 'key') {
    return sign * a.key.localeCompare(b.key);
  }
  const x = key === 'sessions' ? a.sessions : a.value;
  const y = key === 'sessions' ? b.sessions : b.value;
  if (x === null || y === null) {
    return x === y ? a.key.localeCompare(b.key) : x === null ? 1 : -1; // empty values last either way
  }
  return sign * (Number(x) - Number(y)) || a.key.localeCompare(b.key);
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  if (isLimited()) {
    root.replaceChildren(heading('Stores'),
      needsWholeFleet('This view ranks every store, group or country of the fleet against the others.', ctx));
    return null;
  }
  const range = rangeOf(params);
  const by = BY.find(([v]) => v === params.get('by')) ?? BY[0];
  const metric = params.get('metric') || 'sessions';
  const sort = ['key', 'value', 'sessions'].includes(params.get('sort')) ? params.get('sort') : 'value';
  const dir = params.get('order') === 'asc' ? 'asc' : 'desc';

  const metrics = [...METRICS];
  const bySelect = select('breakdown-by', BY.map(([v, label]) => [v, label]), by[0], { 'data-param': 'by' });
  const metricSelect = select('breakdown-metric', metrics, null, { 'data-param': 'metric' });
  root.replaceChildren(heading('Stores'), filterBar({
    params, scope: false, apply: ctx.go, extra: [field('Break down by', bySelect), field('Metric', metricSelect)],
  }));

  // Net revenue can be ranked in each currency sold in the range.
  const fleet = await api.get('insights/overview', range, signal);
  Object.keys(fleet.sales.byCurrency).sort().forEach((cur, i) => metrics.splice(3 + i, 0, [`net.${cur}`, `Net revenue (${cur})`]));
  if (!metrics.some(([k]) => k === metric)) {
    metrics.push([metric, metric]);
  }
  metricSelect.replaceChildren(...metrics.map(([v, text]) => h('option', { value: v, text })));
  metricSelect.value = metric;

  const { items, complete } = await all('insights/breakdown', {
    ...range, by: by[0], metric, order: dir, limit: 1000,
  }, signal, 10);
  if (items.length === 0) {
    root.append(empty('No sessions in this range.',
      'Pick another range. Stores, groups and countries appear once their days are aggregated.'));
    return null;
  }
  const rows = sort === 'value' ? items : [...items].sort((a, b) => compare(a, b, sort, dir));
  const label = metrics.find(([k]) => k === metric)[1];
  const fmt = formatter(metric);
  const onSort = (key) => ctx.go({ sort: key, order: key === sort && dir === 'desc' ? 'asc' : 'desc' });
  root.append(h('p', { class: 'note', text: `${f.date(range.from)} to ${f.date(range.to)}. Choose a ${by[1].toLowerCase()} to open its overview.` }));
  root.append(table(`${label} by ${by[1].toLowerCase()}`, [
    { label: by[1], sort: 'key' }, { label, num: true, sort: 'value' }, { label: 'Sessions', num: true, sort: 'sessions' },
  ], rows.map((r) => [
    h('a', { href: ctx.href('overview', { ...range, [by[2]]: r.key }), text: r.key }),
    fmt(r.value),
    f.count(r.sessions),
  ]), { key: sort, dir, onSort }));
  if (!complete) {
    root.append(h('p', { class: 'note', text: 'Only the first 10,000 rows are shown.' }));
  }
  return null;
}
