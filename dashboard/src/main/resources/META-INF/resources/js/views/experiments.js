// Experiments: each variant against the control, with the 95% interval, the uplift, the p-value and a verdict.

import { api } from '../api.js';
import { filterBar, rangeOf, scopeAndRange, scopeOf, scopeParams } from '../filters.js';
import * as f from '../format.js';
import { empty, h, heading, table } from '../ui.js';

export const title = 'Experiments';

/** The level below which a difference is called evidence: the usual two-sided 5 %. */
const ALPHA = 0.05;

/** The verdict in plain words for one variant against the control. */
export function verdict(variant, control) {
  const p = Number(variant.pValue);
  const shown = f.pValue(p);
  const pText = shown.startsWith('<') ? `p ${shown}` : `p = ${shown}`;
  if (p < ALPHA && Number(variant.uplift) !== 0) {
    const better = Number(variant.uplift) > 0;
    return `${variant.variant} converts ${better ? 'better' : 'worse'} than ${control}, ${pText}`;
  }
  return `${variant.variant} against ${control}: not enough evidence yet (${pText})`;
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  const range = rangeOf(params);
  const scope = scopeOf(params);
  root.replaceChildren(heading('Experiments'), filterBar({ params, apply: ctx.go }));

  const data = await api.get('insights/experiments', { ...range, ...scopeParams(scope) }, signal);
  root.append(h('p', { class: 'note', text: `${scopeAndRange(scope, range)}. Conversion = completed ÷ sessions; uplift against the control in percentage points; p from a two-sided two-proportion z-test; evidence below p = ${f.pValue(ALPHA)}.` }));
  if (data.experiments.length === 0) {
    root.append(empty('No experiments in this range.',
      'Sessions join an experiment when the kiosk app assigns variants (the SDKs\u2019 experiments); pick another range or scope.'));
    return null;
  }
  for (const e of data.experiments) {
    const section = h('section', { class: 'panel experiment', 'aria-labelledby': `exp-${e.name}`, 'data-experiment': e.name },
      h('h2', { id: `exp-${e.name}`, text: e.name }));
    const currencies = [...new Set(e.variants.flatMap((v) => Object.keys(v.netPerSession)))].sort();
    section.append(table(`Variants of ${e.name} (control: ${e.control})`, [
      { label: 'Variant' }, { label: 'Sessions', num: true }, { label: 'Conversion', num: true },
      { label: '95% interval', num: true }, { label: 'Uplift', num: true }, { label: 'p-value', num: true },
      ...currencies.map((c) => ({ label: `Net per session (${c})`, num: true })),
    ], e.variants.map((v) => [
      v.variant === e.control && v.variant !== 'control' ? `${v.variant} (control)` : v.variant,
      f.count(v.sessions),
      f.percent(v.conversionRate),
      `${f.percent(v.ci95[0])} \u2013 ${f.percent(v.ci95[1])}`,
      v.uplift === undefined ? '\u2014' : f.points(v.uplift),
      v.pValue === undefined ? '\u2014' : f.pValue(v.pValue),
      ...currencies.map((c) => (v.netPerSession[c] === undefined ? '\u2014' : f.money(v.netPerSession[c], c))),
    ])));
    const verdicts = h('ul', { class: 'verdicts' });
    for (const v of e.variants.filter((x) => x.variant !== e.control)) {
      verdicts.append(h('li', { class: 'verdict', text: verdict(v, e.control) }));
    }
    section.append(verdicts);
    root.append(section);
  }
  return null;
}
