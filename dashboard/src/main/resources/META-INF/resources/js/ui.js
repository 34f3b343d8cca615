// Small DOM helpers shared by the views. No markup strings: every node is created, so no data becomes HTML.

import { current, isLimited, limitText } from './access.js';

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      el.className = v;
    } else if (k === 'text') {
      el.textContent = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'value') {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c !== undefined && c !== null && c !== false) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
}

let ids = 0;
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled control for a filter bar: {label, control}. */
export function field(label, control, hint) {
  if (!control.id) {
    control.id = uid('f');
  }
  return h('div', { class: 'field' }, h('label', { for: control.id, text: label }), control,
    hint ? h('span', { class: 'note', text: hint }) : null);
}

export function select(id, options, value, props) {
  const s = h('select', { id, name: id, ...props });
  for (const o of options) {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    s.append(h('option', { value: v, text }));
  }
  if (value !== undefined && value !== null && [...s.options].some((o) => o.value === value)) {
    s.value = value;
  }
  return s;
}

/** A titled view: the h1 the router focuses when the view opens. */
export function heading(text) {
  return h('h1', { tabindex: '-1', id: 'view-title', text });
}

export function empty(text, hint) {
  return h('div', { class: 'empty', role: 'status' }, h('p', { text }), hint ? h('p', { class: 'note', text: hint }) : null);
}

/** An API or network failure, as the user should see it (the API's own detail included). */
export function problem(error, doing) {
  const box = h('div', { class: 'problem', role: 'alert' });
  const status = error.status ? `The API answered ${error.status}${error.title ? ` ${error.title}` : ''}` : 'The API could not be reached';
  box.append(h('p', null, h('strong', { text: `${doing} failed. ` }), `${status}: ${error.detail ?? error.message}`));
  if (error.fields?.length) {
    box.append(h('ul', null, error.fields.map((f) => h('li', { text: `${f.field}: ${f.message}` }))));
  }
  if (error.status === 401) {
    box.append(h('p', { text: 'Sign out and sign in again.' }));
  } else if (error.status === 403 && current()) {
    box.append(h('p', {
      text: isLimited()
        ? `You are signed in as a ${current().role} limited to ${limitText()}: pick one of those in the filters.`
        : `You are signed in as a ${current().role}.`,
    }));
  }
  return box;
}

/**
 * A table inside a keyboard-scrollable region. columns: [{label, num, sort}], rows: arrays of cells (a node
 * or text). sort: {key, dir, onSort(key)} marks the sortable headers.
 */
export function table(caption, columns, rows, sort) {
  const t = h('table', null, h('caption', { text: caption }));
  const head = h('tr');
  for (const c of columns) {
    const th = h('th', { scope: 'col', class: c.num ? 'num' : null });
    if (c.sort && sort) {
      const active = sort.key === c.sort;
      if (active) {
        th.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
      }
      th.append(h('button', {
        type: 'button', class: 'sort', text: c.label, 'data-sort': c.sort,
        onclick: () => sort.onSort(c.sort),
      }));
    } else {
      th.textContent = c.label;
    }
    head.append(th);
  }
  t.append(h('thead', null, head));
  const body = h('tbody');
  for (const r of rows) {
    const tr = h('tr');
    r.forEach((cell, i) => {
      const rowHeader = i === 0;
      const td = h(rowHeader ? 'th' : 'td', { scope: rowHeader ? 'row' : null, class: columns[i].num ? 'num' : null });
      td.append(cell instanceof Node ? cell : String(cell ?? ''));
      tr.append(td);
    });
    body.append(tr);
  }
  t.append(body);
  return scroll(caption, t);
}

/** A region that scrolls sideways on narrow screens and can be scrolled by keyboard. */
export function scroll(label, content) {
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': label }, content);
}

/** A KPI tile; delta: {text, dir: 'up'|'down'|'', label} or null. */
export function tile(key, label, value, delta) {
  return h('li', { class: 'tile', 'data-kpi': key },
    h('p', { class: 'label', text: label }),
    h('p', { class: 'value', text: value }),
    delta ? h('p', { class: `delta ${delta.dir ?? ''}`, text: delta.text }) : null);
}

export function announce(text) {
  const a = document.getElementById('announcer');
  a.textContent = '';
  setTimeout(() => { a.textContent = text; }, 50);
}

/**
 * In place of a view that needs the whole fleet, for a user limited to some stores or groups: why it is not
 * shown, and links to the overviews they can open (with the same dates).
 */
export function needsWholeFleet(what, ctx) {
  const me = current();
  const range = { from: ctx.params.get('from'), to: ctx.params.get('to') };
  const links = [...me.stores.map((id) => ['storeId', id, `store ${id}`]), ...me.groups.map((id) => ['groupId', id, `group ${id}`])];
  return h('div', { class: 'empty', role: 'status', id: 'needs-fleet' },
    h('p', { text: `${what} You are limited to ${limitText()}, so this view is not available to you.` }),
    h('p', null, 'Open the overview of ',
      links.map(([key, id, label], i) => [i ? ', ' : '', h('a', { href: ctx.href('overview', { ...range, [key]: id }), text: label })]), '.'));
}
