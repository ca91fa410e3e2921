// One connector: state, tasks with their traces, actions, rates, topics, offsets and config.
import {ApiError, del, enc, get, post, put} from '../api.js';
import {copy, empty, fmtNumber, h, notice, sparkline, stateBadge, table, worstState} from '../dom.js';
import {now} from '../live.js';

/** The exception line of a trace (its first line): what failed, readable without opening the trace. */
const cause = text => text.split('\n', 1)[0].replace(/^[\w.$]+(Exception|Error): /, '');

/** A FAILED trace, collapsed under its cause, with a copy button; openTraces keeps it open across refreshes. */
function trace(key, text, openTraces) {
  const pre = h('pre', {class: 'trace', tabindex: '0'}, text);
  const details = h('details', {class: 'trace-box', open: openTraces.has(key), 'data-trace': key},
    h('summary', null, h('span', {class: 'trace-cause'}, cause(text)), ' ', h('span', {class: 'muted'}, '(show trace)')), pre,
    h('button', {type: 'button', onclick: async () => notice(await copy(text, pre) ? 'Trace copied' : 'Trace selected: press Ctrl+C')}, 'Copy trace'));
  details.addEventListener('toggle', () => (details.open ? openTraces.add(key) : openTraces.delete(key)));
  return details;
}

export function connectorView(main, name) {
  const base = `/connectors/${enc(name)}`;
  const openTraces = new Set();
  const head = h('div', {class: 'connector-head'});
  const summary = h('dl', {class: 'facts'});
  const tasks = table('Tasks', ['Task', 'State', 'Worker', 'Records/s (5 min)', 'Lag (5 min)', 'Trace', 'Action']);
  const restarts = table('Restart history (newest first)', ['Task', 'When', 'Attempt', 'Reason']);
  const lagBox = h('section', {id: 'partition-lag', 'aria-labelledby': 'lag-h', hidden: true});
  const lagTable = table('Lag by partition', ['Task', 'Topic', 'Partition', 'Records not written', 'Oldest unwritten']);
  lagBox.append(h('h2', {id: 'lag-h'}, 'Lag by partition'), lagTable.wrap);
  const snapshotBox = h('section', {id: 'snapshot', 'aria-labelledby': 'snapshot-h', hidden: true});
  const topics = h('ul', {class: 'plain', id: 'topics'});
  const offsets = table('Offsets', ['Partition', 'Offset']);
  const configBox = h('div', {id: 'config'});
  let editing = false;
  let gone = false;

  async function act(label, fn) {
    try {
      await fn();
      notice(`${label}: requested`);
    } catch (e) {
      notice(`${label} failed: ${e.message}`, true);
    }
    now();
  }

  const deleteDialog = h('dialog', {id: 'delete-dialog', 'aria-labelledby': 'delete-h'},
    h('h2', {id: 'delete-h'}, `Delete connector ${name}?`),
    h('p', null, 'Its tasks stop and its configuration is removed. Records already in topics stay. This cannot be undone.'),
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'danger', id: 'confirm-delete', onclick: async () => {
        deleteDialog.close();
        try {
          await del(base);
          notice(`Connector ${name} deleted`);
          location.hash = '#/';
        } catch (e) {
          notice(`Delete failed: ${e.message}`, true);
        }
      }}, 'Delete'),
      h('button', {type: 'button', onclick: () => deleteDialog.close()}, 'Cancel')));

  const actions = h('div', {class: 'actions', role: 'group', 'aria-label': 'Connector actions'},
    h('button', {type: 'button', id: 'pause', 'data-needs': 'operator', onclick: () => act('Pause', () => put(`${base}/pause`))}, 'Pause'),
    h('button', {type: 'button', id: 'resume', 'data-needs': 'operator', onclick: () => act('Resume', () => put(`${base}/resume`))}, 'Resume'),
    h('button', {type: 'button', id: 'stop', 'data-needs': 'operator', onclick: () => act('Stop', () => put(`${base}/stop`))}, 'Stop'),
    h('button', {type: 'button', id: 'restart', 'data-needs': 'operator', onclick: () => act('Restart', () => post(`${base}/restart?includeTasks=true`))}, 'Restart all'),
    h('button', {type: 'button', id: 'restart-failed', 'data-needs': 'operator', onclick: () => act('Restart failed',
      () => post(`${base}/restart?includeTasks=true&onlyFailed=true`))}, 'Restart failed tasks'),
    h('button', {type: 'button', id: 'delete', class: 'danger', 'data-needs': 'admin', onclick: () => deleteDialog.showModal()}, 'Delete…'));

  function renderConfig(config) {
    const rows = Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
    const {wrap, tbody} = table('Configuration', ['Setting', 'Value']);
    tbody.replaceChildren(...rows.map(([k, v]) => h('tr', null, h('th', {scope: 'row'}, k),
      h('td', null, v === '[hidden]' ? h('span', {class: 'hidden-secret'}, h('span', {'aria-hidden': 'true'}, '🔒 '), 'hidden') : v))));
    const editor = h('textarea', {id: 'config-editor', rows: Math.min(30, rows.length + 3), spellcheck: 'false',
      'aria-describedby': 'config-help config-errors'}, JSON.stringify(config, null, 2));
    const errors = h('div', {id: 'config-errors', role: 'alert'});
    const form = h('form', {class: 'editor', hidden: true, onsubmit: async e => {
      e.preventDefault();
      let parsed;
      try {
        parsed = JSON.parse(editor.value);
      } catch (err) {
        errors.replaceChildren(h('p', {class: 'error'}, `Not valid JSON: ${err.message}`));
        return;
      }
      try {
        await put(`${base}/config`, parsed);
        notice('Configuration saved');
        editing = false;
        renderConfig(await get(`${base}/config`));
        now();
      } catch (err) {
        errors.replaceChildren(h('p', {class: 'error'}, err.message),
          err instanceof ApiError && err.errors.length ? h('ul', null, err.errors.map(f => h('li', null, h('code', null, f.field), `: ${f.message}`))) : '');
      }
    }},
      h('label', {for: 'config-editor'}, 'Configuration (JSON)'),
      h('p', {id: 'config-help', class: 'muted'}, 'Secrets are shown as [hidden]: leave them as they are to keep the stored value, or type a new one.'),
      editor, errors,
      h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'save-config'}, 'Save configuration'),
        h('button', {type: 'button', onclick: () => { editing = false; form.hidden = true; wrap.hidden = false; }}, 'Cancel')));
    const edit = h('button', {type: 'button', id: 'edit-config', 'data-needs': 'admin', onclick: () => {
      editing = true; form.hidden = false; wrap.hidden = true; editor.focus();
    }}, 'Edit configuration');
    configBox.replaceChildren(edit, wrap, form);
  }

  main.append(
    h('p', null, h('a', {href: '#/'}, '← All connectors')),
    head, actions, summary, snapshotBox,
    h('section', {'aria-labelledby': 'tasks-h'}, h('h2', {id: 'tasks-h'}, 'Tasks'), tasks.wrap),
    lagBox,
    h('section', {'aria-labelledby': 'restarts-h'}, h('h2', {id: 'restarts-h'}, 'Restarts'), restarts.wrap),
    h('div', {class: 'two-col'},
      h('section', {'aria-labelledby': 'topics-h'}, h('h2', {id: 'topics-h'}, 'Topics'), topics),
      h('section', {'aria-labelledby': 'offsets-h'}, h('h2', {id: 'offsets-h'}, 'Offsets'), offsets.wrap)),
    h('section', {'aria-labelledby': 'config-h'}, h('h2', {id: 'config-h'}, 'Configuration'), configBox),
    deleteDialog);

  get(`${base}/config`).then(renderConfig, e => configBox.replaceChildren(h('p', {class: 'error'}, e.message)));

  /** CDC snapshot progress: rows read of the estimated total (else tables done of total) as a progress bar. */
  function renderSnapshot(snap) {
    if (!snap) { snapshotBox.hidden = true; return; }
    const state = snap.completed ? 'completed' : snap.aborted ? 'aborted' : snap.running ? 'running' : 'not started';
    const estimate = snap.rows_estimated > 0 ? ` of about ${fmtNumber(snap.rows_estimated)}` : '';
    const label = `${snap.tables_done} of ${snap.tables_total} tables, ${fmtNumber(snap.rows_scanned)}${estimate} rows (${state})`;
    const byRows = snap.rows_estimated > 0 && !snap.completed;
    const max = byRows ? snap.rows_estimated : Math.max(1, snap.tables_total);
    const value = byRows ? Math.min(snap.rows_scanned, snap.rows_estimated) : snap.tables_done;
    snapshotBox.hidden = false;
    snapshotBox.replaceChildren(
      h('h2', {id: 'snapshot-h'}, 'Initial snapshot'),
      h('progress', {max: String(max), value: String(value), 'aria-label': 'Snapshot progress'}),
      h('p', {class: 'snapshot-label'}, label));
  }

  return async () => {
    if (gone) return;
    let status;
    try {
      status = await get(`${base}/status`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        gone = true;
        head.replaceChildren(h('h1', {tabindex: '-1'}, name), h('p', {class: 'error'}, 'This connector does not exist (any more).'));
        actions.hidden = true;
      }
      throw e;
    }
    const [rates, activeTopics, offs, snap, taskHistory, lag] = await Promise.all([
      get(`/hub/connectors/${enc(name)}/rates`).catch(() => null),
      get(`${base}/topics`).catch(() => null),
      get(`${base}/offsets`).catch(() => null),
      get(`/hub/connectors/${enc(name)}/snapshot`).catch(() => null),
      get(`/hub/connectors/${enc(name)}/history`).catch(() => []),
      status.type === 'sink' ? get(`/hub/connectors/${enc(name)}/lag`).catch(() => []) : Promise.resolve([])]);
    lagBox.hidden = !lag.length;
    lagTable.tbody.replaceChildren(...lag.map(l => h('tr', {'data-lag': `${l.topic}-${l.partition}`},
      h('td', null, String(l.task)), h('td', null, l.topic), h('td', {class: 'num'}, String(l.partition)),
      h('td', {class: 'num'}, fmtNumber(l.records)),
      h('td', {class: 'num'}, l.records > 0 ? `${fmtNumber(l.oldest_unwritten_age_seconds, 1)} s` : '–'))));
    renderSnapshot(snap);
    const c = status.connector;
    head.replaceChildren(
      h('h1', {tabindex: '-1'}, name, ' ', h('span', {id: 'connector-state'}, stateBadge(worstState(status)))),
      c.trace ? trace('connector', c.trace, openTraces) : '');
    summary.replaceChildren(
      h('dt', null, 'Type'), h('dd', null, status.type ?? '–'),
      h('dt', null, 'Worker'), h('dd', null, c.worker_id ?? '–'),
      h('dt', null, 'Records/s'), h('dd', null, fmtNumber(rates?.records_per_second, 1)),
      h('dt', null, 'Records total'), h('dd', null, fmtNumber(rates?.records_total)),
      h('dt', null, 'Lag'), h('dd', null, fmtNumber(rates?.lag)));
    const series = new Map((taskHistory ?? []).map(s => [s.task, s.points]));
    if (!status.tasks.length) empty(tasks.tbody, 7, 'No tasks.');
    else tasks.tbody.replaceChildren(...status.tasks.map(t => h('tr', {'data-task': t.id},
      h('th', {scope: 'row'}, String(t.id)),
      h('td', null, stateBadge(t.state === 'RUNNING' && t.retrying ? 'RETRYING' : t.state),
        t.retrying ? h('p', {class: 'retrying'}, `since ${new Date(t.retrying.since).toLocaleString()}: `,
          h('span', {class: 'retrying-error'}, t.retrying.error)) : ''),
      h('td', null, t.worker_id ?? '–'),
      h('td', null, sparkline((series.get(t.id) ?? []).map(p => p.records_per_second), `Task ${t.id} records per second`)),
      h('td', null, sparkline((series.get(t.id) ?? []).map(p => p.lag), `Task ${t.id} lag`)),
      h('td', null, t.trace ? trace(`task-${t.id}`, t.trace, openTraces) : '–'),
      h('td', null, h('button', {type: 'button', class: 'restart-task', 'data-needs': 'operator', 'aria-label': `Restart task ${t.id}`,
        onclick: () => act(`Restart task ${t.id}`, () => post(`${base}/tasks/${t.id}/restart`))}, 'Restart')))));
    const history = status.tasks.flatMap(t => (t.restarts ?? []).map(r => ({task: t.id, ...r})))
      .sort((a, b) => b.at.localeCompare(a.at));
    if (!history.length) empty(restarts.tbody, 4, 'No restarts.');
    else restarts.tbody.replaceChildren(...history.map(r => h('tr', null,
      h('th', {scope: 'row'}, String(r.task)),
      h('td', null, new Date(r.at).toLocaleString()),
      h('td', null, r.attempt === 0 ? 'requested' : `automatic #${r.attempt}`),
      h('td', null, r.reason ?? ''))));
    const names = activeTopics?.[name]?.topics ?? [];
    topics.replaceChildren(...(names.length ? names.map(t => h('li', null, h('a', {href: `#/topics/${enc(t)}`}, t)))
      : [h('li', {class: 'muted'}, 'No active topics.')]));
    const list = offs?.offsets ?? [];
    if (!list.length) empty(offsets.tbody, 2, 'No committed offsets.');
    else offsets.tbody.replaceChildren(...list.map(o => h('tr', null,
      h('td', null, h('code', null, JSON.stringify(o.partition))), h('td', null, h('code', null, JSON.stringify(o.offset))))));
  };
}
