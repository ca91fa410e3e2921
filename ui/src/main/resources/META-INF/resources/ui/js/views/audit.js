// The audit trail: every change asked of the hub, newest first (GET /hub/audit).
import {get} from '../api.js';
import {empty, h, table} from '../dom.js';

export function auditView(main) {
  const {wrap, tbody} = table('Changes, newest first', ['When', 'User', 'From', 'Request', 'Answer', 'Worker']);
  main.append(h('h1', {tabindex: '-1'}, 'Audit'), wrap);
  return async () => {
    const events = await get('/hub/audit?limit=200');
    if (!events.length) return empty(tbody, 6, 'No changes recorded yet.');
    tbody.replaceChildren(...events.map(e => h('tr', {class: 'audit-event'},
      h('td', null, new Date(e.timestamp).toLocaleString()),
      h('td', null, e.user ?? ''),
      h('td', null, e.remote_address ?? ''),
      h('td', null, `${e.method} ${e.path}`),
      h('td', {class: 'num'}, String(e.status)),
      h('td', null, e.worker ?? ''))));
  };
}
