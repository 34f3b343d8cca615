// Overview: KPI tiles of a range and scope against the previous range of equal length, and one metric over time.

import { api } from '../api.js';
import { seriesChart } from '../chart.js';
import { filterBar, previousRange, rangeOf, scopeAndRange, scopeOf, scopeParams, scopeText } from '../filters.js';
import * as f from '../format.js';
import { empty, field, h, heading, select, table, tile } from '../ui.js';

export const title = 'Overview';

const METRICS = [
  ['sessions', 'Sessions', (v) => f.count(v), true],
  ['completed', 'Completed sessions', (v) => f.count(v), true],
  ['conversionRate', 'Conversion', (v) => f.percent(v)],
  ['salesCount', 'Sales', (v) => f.count(v), true],
  ['errors', 'Errors', (v) => f.count(v), true],
  ['errorsPer100Sessions', 'Errors per 100 sessions', (v) => f.decimal(v)],
  ['activeDevices', 'Active kiosks', (v) => f.count(v), true],
];
const INTERVALS = [['day', 'Day'], ['week', 'Week'], ['month', 'Month']];

/** Relative change of a count or amount; null when there is nothing to compare with. */
function relative(now, before, days) {
  const a = Number(now);
  const b = Number(before);
  if (before === null || before === undefined || b === 0) {
    return { text: `no figure in the previous ${days} days to compare`, dir: '' };
  }
  const change = (a - b) / b;
  return { text: `${f.signedPercent(change)} vs previous ${days} days`, dir: change > 0 ? 'up' : change < 0 ? 'down' : '' };
}

/** Errors going up is bad: the arrow's colour says so. */
function invert(delta) {
  return { ...delta, dir: delta.dir === 'up' ? 'down' : delta.dir === 'down' ? 'up' : '' };
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  const range = rangeOf(params);
  const scope = scopeOf(params);
  const prev = previousRange(range);
  const q = { ...range, ...scopeParams(scope) };
  const metric = params.get('metric') || 'sessions';
  const interval = params.get('interval') || 'day';

  root.replaceChildren(heading('Overview'), filterBar({ params, apply: ctx.go }));

  const [now, before, series] = await Promise.all([
    api.get('insights/overview', q, signal),
    api.get('insights/overview', { from: prev.from, to: prev.to, ...scopeParams(scope) }, signal),
    api.get('insights/timeseries', { ...q, metric, interval }, signal),
  ]);

  root.append(h('p', { class: 'note', id: 'overview-range' },
    `${scopeAndRange(scope, range)}; changes against ${f.date(prev.from)} to ${f.date(prev.to)}.`));

  if (now.sessions.total === 0) {
    root.append(empty('No sessions in this range.',
      'Pick another range or scope. Days appear here once they are aggregated: every night at 00:05, or by POST /api/daily-summary/aggregate.'));
    return null;
  }

  const tiles = h('ul', { class: 'tiles', 'aria-label': 'Key figures' });
  tiles.append(tile('sessions', 'Sessions', f.count(now.sessions.total),
    relative(now.sessions.total, before.sessions.total, prev.days)));
  const conv = before.sessions.total === 0
    ? { text: `no sessions in the previous ${prev.days} days to compare`, dir: '' }
    : (() => {
      const d = Number(now.sessions.conversionRate) - Number(before.sessions.conversionRate);
      return { text: `${f.points(d)} vs previous ${prev.days} days`, dir: d > 0 ? 'up' : d < 0 ? 'down' : '' };
    })();
  tiles.append(tile('conversion', 'Conversion', f.percent(now.sessions.conversionRate), conv));
  const currencies = Object.keys(now.sales.byCurrency).sort();
  for (const cur of currencies) {
    tiles.append(tile(`net-${cur}`, `Net revenue (${cur})`, f.money(now.sales.byCurrency[cur].net, cur),
      relative(now.sales.byCurrency[cur].net, before.sales.byCurrency[cur]?.net ?? null, prev.days)));
  }
  if (currencies.length === 0) {
    tiles.append(tile('net', 'Net revenue', 'no sales', null));
  }
  const e100 = now.errors.per100Sessions;
  const e100Before = before.errors.per100Sessions;
  tiles.append(tile('errors-per-100', 'Errors per 100 sessions', f.decimal(e100),
    e100Before === null
      ? { text: `no sessions in the previous ${prev.days} days to compare`, dir: '' }
      : invert({
        text: `${f.signedDecimal(Number(e100) - Number(e100Before))} vs previous ${prev.days} days`,
        dir: Number(e100) > Number(e100Before) ? 'up' : Number(e100) < Number(e100Before) ? 'down' : '',
      })));
  tiles.append(tile('active-kiosks', 'Active kiosks', f.count(now.devices.active),
    relative(now.devices.active, before.devices.active, prev.days)));
  root.append(tiles);
  root.append(h('p', { class: 'note' },
    `${f.count(now.devices.registered)} kiosks registered in ${scopeText(scope)} now; ${f.count(now.devices.reporting)} reported in the range.`));

  // The timeseries: metric and interval are part of the URL like every filter.
  const metrics = [...METRICS];
  for (const cur of currencies) {
    metrics.splice(3, 0, [`net.${cur}`, `Net revenue (${cur})`, (v) => f.money(v, cur)]);
  }
  if (!metrics.some(([k]) => k === metric)) {
    const cur = metric.startsWith('net.') ? metric.slice(4) : null;
    metrics.push([metric, metric, cur ? (v) => f.money(v, cur) : (v) => f.decimal(v)]);
  }
  const [, metricLabel, fmt, integer] = metrics.find(([k]) => k === metric);
  const metricSelect = select('ts-metric', metrics.map(([k, label]) => [k, label]), metric);
  const intervalSelect = select('ts-interval', INTERVALS, interval);
  metricSelect.addEventListener('change', () => ctx.go({ metric: metricSelect.value }));
  intervalSelect.addEventListener('change', () => ctx.go({ interval: intervalSelect.value }));
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'ts-title' },
    h('h2', { id: 'ts-title', text: `${metricLabel} by ${interval}` }),
    h('div', { class: 'chart-controls' }, field('Metric', metricSelect), field('Interval', intervalSelect)));
  const labels = series.points.map((p) => f.shortDate(p.start));
  const chart = seriesChart({
    title: `${metricLabel} by ${interval}`, labels, values: series.points.map((p) => p.value), format: fmt, integer,
  });
  panel.append(chart.element);
  panel.append(h('details', null, h('summary', { text: 'Chart figures as a table' }),
    table(`${metricLabel} by ${interval}`, [{ label: interval === 'day' ? 'Day' : `${interval[0].toUpperCase()}${interval.slice(1)} starting` }, { label: metricLabel, num: true }],
      series.points.map((p) => [f.date(p.start), fmt(p.value)]))));
  root.append(panel);
  return () => chart.destroy();
}
