// Hours: sessions by weekday and hour of the reporting zone (a heatmap), and the hour-of-day profile.

import { api } from '../api.js';
import { seriesChart } from '../chart.js';
import { filterBar, rangeOf, scopeAndRange, scopeOf, scopeParams } from '../filters.js';
import * as f from '../format.js';
import { empty, h, heading, scroll, table } from '../ui.js';

export const title = 'Hours';

/** Monday first, as the API sends them; names in the browser's language. */
function weekdays() {
  const name = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' });
  return [0, 1, 2, 3, 4, 5, 6].map((i) => name.format(new Date(Date.UTC(2024, 0, 1 + i)))); // 2024-01-01 was a Monday
}

function hourLabel(hour) {
  return String(hour).padStart(2, '0');
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  const range = rangeOf(params);
  const scope = scopeOf(params);
  root.replaceChildren(heading('Hours'), filterBar({ params, apply: ctx.go }));

  const data = await api.get('insights/hourly', { ...range, ...scopeParams(scope) }, signal);
  root.append(h('p', { class: 'note', text: `${scopeAndRange(scope, range)}; hours of the reporting zone.` }));
  const total = data.byHour.reduce((n, x) => n + x.sessions, 0);
  if (total === 0) {
    root.append(empty('No sessions in this range.', 'Pick another range or scope; hours count aggregated days only.'));
    return null;
  }

  // Heatmap: one row per weekday, one cell per hour, shaded by its share of the busiest cell.
  const days = weekdays();
  const max = Math.max(1, ...data.byWeekdayHour.flat());
  const heat = h('table', { class: 'heat', id: 'heatmap' }, h('caption', { text: 'Sessions by weekday and hour' }));
  const head = h('tr', null, h('td'));
  for (let hour = 0; hour < 24; hour++) {
    head.append(h('th', { scope: 'col', text: hourLabel(hour) }));
  }
  heat.append(h('thead', null, head));
  const body = h('tbody');
  data.byWeekdayHour.forEach((row, d) => {
    const tr = h('tr', null, h('th', { scope: 'row', text: days[d] }));
    row.forEach((n) => {
      const td = h('td', { text: f.count(n) });
      const share = n / max;
      td.style.backgroundColor = `rgba(var(--heat), ${n === 0 ? 0 : (0.12 + 0.88 * share).toFixed(3)})`;
      if (share > 0.55) {
        td.classList.add('strong');
      }
      tr.append(td);
    });
    body.append(tr);
  });
  heat.append(body);
  root.append(h('section', { class: 'panel', 'aria-labelledby': 'heat-title' },
    h('h2', { id: 'heat-title', text: 'Weekday × hour' }), scroll('Sessions by weekday and hour', heat)));

  // Hour-of-day profile.
  const chart = seriesChart({
    title: 'Sessions by hour of day', labels: data.byHour.map((x) => hourLabel(x.hour)),
    values: data.byHour.map((x) => x.sessions), format: (v) => f.count(v), bars: true, integer: true,
  });
  const currencies = [...new Set(data.byHour.flatMap((x) => Object.keys(x.net)))].sort();
  root.append(h('section', { class: 'panel', 'aria-labelledby': 'profile-title' },
    h('h2', { id: 'profile-title', text: 'Hour of day' }), chart.element,
    table('Hour of day', [
      { label: 'Hour' }, { label: 'Sessions', num: true }, { label: 'Completed', num: true },
      { label: 'Conversion', num: true }, ...currencies.map((c) => ({ label: `Net (${c})`, num: true })),
      { label: 'Errors', num: true },
    ], data.byHour.map((x) => [
      hourLabel(x.hour), f.count(x.sessions), f.count(x.completed), f.percent(x.conversionRate),
      ...currencies.map((c) => (x.net[c] === undefined ? '\u2014' : f.money(x.net[c], c))), f.count(x.errors),
    ]))));
  return () => chart.destroy();
}
