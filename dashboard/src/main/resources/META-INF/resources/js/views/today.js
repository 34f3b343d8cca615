// Today: the running totals of the current reporting day, read again every 30 s, and the kiosks gone silent.

import { all, api } from '../api.js';
import { filterBar, scopeOf, scopeParams, scopeText } from '../filters.js';
import * as f from '../format.js';
import { announce, empty, field, h, heading, problem, select, table, tile } from '../ui.js';

export const title = 'Today';

const EVERY_MS = 30000;
const SILENCE = [
  ['PT15M', '15 minutes'], ['PT30M', '30 minutes'], ['PT1H', '1 hour'], ['PT6H', '6 hours'], ['P1D', '1 day'],
];

function tiles(t) {
  const list = h('ul', { class: 'tiles', 'aria-label': 'Today so far' });
  list.append(tile('sessions', 'Sessions', f.count(t.sessions.total), null));
  list.append(tile('conversion', 'Conversion', f.percent(t.sessions.conversionRate), null));
  const currencies = Object.keys(t.sales.byCurrency).sort();
  for (const cur of currencies) {
    list.append(tile(`net-${cur}`, `Net revenue (${cur})`, f.money(t.sales.byCurrency[cur].net, cur), null));
  }
  if (currencies.length === 0) {
    list.append(tile('net', 'Net revenue', 'no sales yet', null));
  }
  list.append(tile('errors', 'Errors', f.count(t.errors.total), null));
  list.append(tile('errors-per-100', 'Errors per 100 sessions', f.decimal(t.errors.per100Sessions), null));
  list.append(tile('active-kiosks', 'Active kiosks', f.count(t.devices.active), null));
  list.append(tile('reporting-kiosks', 'Reporting kiosks', `${f.count(t.devices.reporting)} of ${f.count(t.devices.registered)}`, null));
  return list;
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  const scope = scopeOf(params);
  const silentFor = SILENCE.some(([v]) => v === params.get('silentFor')) ? params.get('silentFor') : 'PT30M';
  const silence = select('silent-for', SILENCE, silentFor, { 'data-param': 'silentFor' });

  root.replaceChildren(heading('Today'),
    filterBar({ params, range: false, apply: ctx.go, extra: [field('Silent for at least', silence)] }));

  const live = h('section', { class: 'panel', 'aria-labelledby': 'live-title' });
  const status = h('p', { class: 'note', id: 'today-asof', 'aria-live': 'polite' });
  const refresh = h('button', { type: 'button', class: 'secondary', id: 'today-refresh', text: 'Refresh now' });
  const body = h('div');
  live.append(h('h2', { id: 'live-title', text: `So far today, ${scopeText(scope)}` }), status, refresh, body);
  root.append(live);

  async function load(quiet) {
    try {
      const t = await api.get('insights/today', scopeParams(scope), signal);
      body.replaceChildren(t.sessions.total === 0
        ? empty('No sessions yet today.', 'Kiosks count here as soon as they open sessions; check the silent kiosks below.')
        : tiles(t));
      body.append(h('p', { class: 'note', id: 'today-date', text: `Reporting day ${f.date(t.date)}.` }));
      status.textContent = `As of ${f.timeOfDay(t.asOf)}; refreshed every 30 seconds.`;
      if (!quiet) {
        announce(`Today's figures as of ${f.timeOfDay(t.asOf)}`);
      }
    } catch (e) {
      if (e.name !== 'AbortError') {
        body.replaceChildren(problem(e, "Reading today's figures"));
      }
    }
  }
  refresh.addEventListener('click', () => load(false));
  await load(true);

  // Silent kiosks: the registry's devices not heard from for the chosen time (never seen ones included).
  const silentPanel = h('section', { class: 'panel', 'aria-labelledby': 'silent-title' },
    h('h2', { id: 'silent-title', text: 'Silent kiosks' }));
  root.append(silentPanel);
  const listParams = { silentFor, limit: 500 };
  if (scope.type === 'store' || scope.type === 'group') {
    Object.assign(listParams, scopeParams(scope));
  }
  const { items, complete } = await all('devices', listParams, signal);
  const silent = scope.type === 'country' ? items.filter((d) => d.countryCode === scope.id) : items;
  const now = Date.now();
  if (silent.length === 0) {
    silentPanel.append(empty(`No kiosk in ${scopeText(scope)} has been silent for ${SILENCE.find(([v]) => v === silentFor)[1]}.`));
  } else {
    silentPanel.append(table(`Kiosks silent for at least ${SILENCE.find(([v]) => v === silentFor)[1]}`,
      [{ label: 'Kiosk' }, { label: 'Store' }, { label: 'Last seen' }, { label: 'Silent for' }],
      silent.map((d) => [
        h('a', { href: ctx.href('kiosks', { deviceId: d.deviceId }), text: d.deviceId }),
        d.storeId ?? '\u2014',
        d.lastSeenAt ? f.instant(d.lastSeenAt) : 'never seen',
        d.lastSeenAt ? f.duration(now - Date.parse(d.lastSeenAt)) : 'since registration',
      ])));
    if (!complete) {
      silentPanel.append(h('p', { class: 'note', text: 'Only the first 10,000 silent kiosks are listed.' }));
    }
  }

  const timer = setInterval(() => load(true), EVERY_MS);
  return () => clearInterval(timer);
}
