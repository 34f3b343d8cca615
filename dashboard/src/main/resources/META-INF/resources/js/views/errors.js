// Errors: the fingerprint groups (open, regressed, resolved) with their counts; an operator resolves a group.

import { api } from '../api.js';
import { filterBar } from '../filters.js';
import * as f from '../format.js';
import { isLimited, isOperator } from '../access.js';
import { announce, empty, field, h, heading, needsWholeFleet, problem, select, table } from '../ui.js';

export const title = 'Errors';

const STATUS = [['', 'Any status'], ['false', 'Open or regressed'], ['true', 'Resolved']];
const CATEGORY = [['', 'Any category'], ['hardware', 'Hardware'], ['software', 'Software'], ['network', 'Network']];

function resolveDialog(group, ctx) {
  const by = h('input', {
    type: 'text', id: 'resolve-by', name: 'resolvedBy', required: true, autocomplete: 'email', autofocus: true,
  });
  const note = h('input', { type: 'text', id: 'resolve-note', name: 'note' });
  const error = h('div');
  const dialog = h('dialog', { 'aria-labelledby': 'resolve-title' });
  const form = h('form', { method: 'dialog' },
    h('h2', { id: 'resolve-title', text: `Resolve ${group.code ?? group.fingerprint}` }),
    h('p', { class: 'note', text: `${group.sampleMessage} (${f.count(group.count)} errors on ${f.count(group.devices)} kiosks)` }),
    field('Resolved by', by), field('Note (optional)', note), error,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'resolve-cancel', text: 'Cancel', onclick: () => dialog.close() }),
      h('button', { type: 'submit', id: 'resolve-confirm', text: 'Resolve group' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!by.value.trim()) {
      error.replaceChildren(h('p', { class: 'problem', role: 'alert', text: 'Say who resolves it (a name or an e-mail address).' }));
      by.focus();
      return;
    }
    try {
      await api.patch(`errors/groups/${encodeURIComponent(group.fingerprint)}/resolve`,
        { resolvedBy: by.value.trim(), ...(note.value.trim() ? { note: note.value.trim() } : {}) });
      dialog.close();
      announce(`Group ${group.code ?? group.fingerprint} resolved`);
      ctx.refresh();
    } catch (err) {
      error.replaceChildren(problem(err, 'Resolving the group'));
    }
  });
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  return dialog;
}

export async function render(root, ctx) {
  const { params, signal } = ctx;
  if (isLimited()) {
    root.replaceChildren(heading('Errors'),
      needsWholeFleet('Error groups are kept for the whole fleet, not per store or group.', ctx));
    return null;
  }
  const operator = isOperator();
  const resolved = STATUS.some(([v]) => v === params.get('resolved')) ? params.get('resolved') : '';
  const category = CATEGORY.some(([v]) => v === params.get('category')) ? params.get('category') : '';
  const statusSelect = select('errors-status', STATUS, resolved, { 'data-param': 'resolved' });
  const categorySelect = select('errors-category', CATEGORY, category, { 'data-param': 'category' });
  root.replaceChildren(heading('Errors'), filterBar({
    params, range: false, scope: false, apply: ctx.go,
    extra: [field('Status', statusSelect), field('Category', categorySelect)],
  }));
  if (!operator) {
    root.append(h('p', { class: 'note', id: 'errors-viewer', text: 'You are signed in as a viewer: resolving a group needs the operator role.' }));
  }

  const groups = [];
  const list = h('div');
  root.append(list);
  const more = h('button', { type: 'button', class: 'secondary', id: 'errors-more', text: 'Show more groups' });
  let cursor;

  function draw() {
    if (groups.length === 0) {
      list.replaceChildren(empty('No error groups match these filters.',
        'Kiosks report errors with POST /api/errors (the SDKs do it for them); groups are made by fingerprint.'));
      return;
    }
    list.replaceChildren(table('Error groups, most recently seen first', [
      { label: 'Code' }, { label: 'Status' }, { label: 'Category' }, { label: 'Sample message' },
      { label: 'Errors', num: true }, { label: 'Kiosks', num: true }, { label: 'First seen' }, { label: 'Last seen' },
      ...(operator ? [{ label: 'Action' }] : []),
    ], groups.map((g) => [
      g.code ?? g.fingerprint,
      h('span', { class: `status status-${g.status}`, text: g.status }),
      g.category,
      g.sampleMessage,
      f.count(g.count),
      f.count(g.devices),
      f.instant(g.firstSeen),
      f.instant(g.lastSeen),
      ...(!operator ? [] : [g.status === 'resolved'
        ? h('span', { text: `by ${g.resolvedBy}` })
        : h('button', {
          type: 'button', class: 'secondary', id: `resolve-${g.fingerprint}`, 'aria-label': `Resolve ${g.code ?? g.fingerprint}`, text: 'Resolve',
          onclick: () => {
            const d = resolveDialog(g, ctx);
            document.body.append(d);
            d.showModal();
          },
        })]),
    ])));
    if (cursor) {
      list.append(more);
    }
  }

  async function page() {
    const p = await api.get('errors/groups', { resolved, category, limit: 100, cursor }, signal);
    groups.push(...p.items);
    cursor = p.nextCursor;
    draw();
  }
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await page();
      more.focus();
    } catch (e) {
      list.append(problem(e, 'Reading more error groups'));
    } finally {
      more.disabled = false;
    }
  });
  await page();
  return null;
}
