// Funnel: how many sessions reached each stage, and the share lost before the next one.

import { api } from '../api.js';
import { filterBar, rangeOf, scopeAndRange, scopeOf, scopeParams } from '../filters.js';
import * as f from '../format.js';
import { empty, h, heading, table } from '../ui.js';

export const title = 'Funnel';

const STAGES = [
  ['attract', 'Attract screen'], ['start', 'Start'], ['frame_select', 'Frame selection'], ['capture', 'Capture'],
  ['edit', 'Edit'], ['payment', 'Payment'], ['print', 'Print'], ['complete', 'Complete'],
];

export async function render(root, ctx) {
  const { params, signal } = ctx;
  const range = rangeOf(params);
  const scope = scopeOf(params);
  root.replaceChildren(heading('Funnel'), filterBar({ params, apply: ctx.go }));

  const o = await api.get('insights/overview', { ...range, ...scopeParams(scope) }, signal);
  root.append(h('p', { class: 'note', text: `${scopeAndRange(scope, range)}.` }));
  if (o.sessions.total === 0) {
    root.append(empty('No sessions in this range.', 'Pick another range or scope; the funnel counts aggregated days only.'));
    return null;
  }
  const top = Math.max(1, ...STAGES.map(([k]) => o.funnel.reached[k] ?? 0));
  const rows = STAGES.map(([key, label], i) => {
    const reached = o.funnel.reached[key] ?? 0;
    const bar = h('div', { class: 'bar', 'aria-hidden': 'true' });
    bar.style.width = `${(100 * reached) / top}%`;
    const next = STAGES[i + 1];
    return [
      label,
      h('span', null, f.count(reached), bar),
      f.percent(reached / o.sessions.total),
      next ? f.percent(o.funnel.dropOff[key]) : '\u2014',
    ];
  });
  root.append(table('Sessions per funnel stage', [
    { label: 'Stage' }, { label: 'Reached', num: true }, { label: 'Share of sessions', num: true },
    { label: 'Drop-off before the next stage', num: true },
  ], rows));
  root.append(h('p', { class: 'note', text: 'A stage counts as reached when a session entered it or any later stage. Drop-off = (reached here − reached at the next stage) ÷ reached here.' }));
  return null;
}
