// Connectors list with the cluster overview on top: plugins that could not load, workers, connectors by
// state, throughput, failures.
import {get} from '../api.js';
import {empty, fmtNumber, h, stateBadge, table, worstState} from '../dom.js';
import {pluginProblemsPanel} from './plugin-problems.js';

const STATES = ['RUNNING', 'RETRYING', 'PAUSED', 'STOPPED', 'FAILED', 'UNASSIGNED', 'RESTARTING'];

/** One row per connector from /connectors?expand=status&expand=info and /hub/connectors/rates. */
function rows(connectors, rates) {
  const byName = new Map(rates.map(r => [r.connector, r]));
  return Object.entries(connectors).map(([name, c]) => {
    const tasks = c.status?.tasks ?? [];
    const rate = byName.get(name);
    return {
      name,
      type: c.status?.type ?? c.info?.type ?? '',
      plugin: c.info?.config?.['connector.class'] ?? '',
      state: c.status ? worstState(c.status) : 'UNASSIGNED',
      running: tasks.filter(t => t.state === 'RUNNING').length,
      failed: tasks.filter(t => t.state === 'FAILED').length,
      tasks: tasks.length,
      perSecond: rate?.records_per_second,
      lag: rate?.lag,
      total: rate?.records_total,
    };
  });
}

const needsAttention = r => r.state === 'FAILED' || r.failed > 0;

export function connectorsView(main) {
  const overview = h('section', {class: 'overview', 'aria-labelledby': 'overview-h'});
  const search = h('input', {type: 'search', id: 'search', placeholder: 'name or plugin', autocomplete: 'off'});
  const stateFilter = h('select', {id: 'state-filter'},
    h('option', {value: ''}, 'All states'), STATES.map(s => h('option', {value: s}, s)));
  const typeFilter = h('select', {id: 'type-filter'},
    h('option', {value: ''}, 'All types'), h('option', {value: 'source'}, 'source'), h('option', {value: 'sink'}, 'sink'));
  const count = h('p', {class: 'muted', 'aria-live': 'polite', id: 'connector-count'});
  const {wrap, tbody} = table('Connectors',
    ['Name', 'Type', 'Plugin', 'State', 'Tasks', 'Records/s', 'Lag', 'Records total']);
  let latest = [];

  function renderRows() {
    const q = search.value.trim().toLowerCase();
    const shown = latest
      .filter(r => !q || r.name.toLowerCase().includes(q) || r.plugin.toLowerCase().includes(q))
      .filter(r => !stateFilter.value || r.state === stateFilter.value
        || (stateFilter.value === 'FAILED' && r.failed > 0))
      .filter(r => !typeFilter.value || r.type === typeFilter.value)
      .sort((a, b) => (needsAttention(b) - needsAttention(a)) || a.name.localeCompare(b.name));
    count.textContent = `${shown.length} of ${latest.length} connectors`;
    if (shown.length === 0) {
      empty(tbody, 8, latest.length ? 'No connector matches the filter.' : 'No connectors yet.');
      return;
    }
    tbody.replaceChildren(...shown.map(r => h('tr', {class: needsAttention(r) ? 'attention' : null, 'data-connector': r.name},
      h('th', {scope: 'row'}, h('a', {href: `#/connectors/${encodeURIComponent(r.name)}`}, r.name)),
      h('td', null, r.type),
      h('td', {class: 'plugin'}, r.plugin),
      h('td', null, stateBadge(r.state)),
      h('td', null, `${r.running} running`, r.failed ? h('span', {class: 'failed-count'}, `, ${r.failed} failed`) : '',
        r.tasks !== r.running + r.failed ? ` (of ${r.tasks})` : ''),
      h('td', {class: 'num'}, fmtNumber(r.perSecond, 1)),
      h('td', {class: 'num'}, fmtNumber(r.lag)),
      h('td', {class: 'num'}, fmtNumber(r.total)))));
  }

  function renderOverview(workers) {
    const byState = Object.fromEntries(STATES.map(s => [s, latest.filter(r => r.state === s).length]));
    const failing = latest.filter(needsAttention);
    const throughput = latest.reduce((sum, r) => sum + (r.perSecond ?? 0), 0);
    overview.replaceChildren(
      h('h2', {id: 'overview-h', class: 'sr-only'}, 'Overview'),
      failing.length ? h('div', {class: 'failing', id: 'failing'},
        h('h3', null, h('span', {'aria-hidden': 'true'}, '✖ '), `${failing.length} need attention`),
        h('ul', null, failing.map(r => h('li', null,
          h('a', {href: `#/connectors/${encodeURIComponent(r.name)}`}, r.name), ': ',
          r.failed > 0 ? `${r.failed} task(s) FAILED` : 'connector FAILED')))) : '',
      h('div', {class: 'cards'},
        h('div', {class: 'card'}, h('h3', null, 'Workers'), h('p', {class: 'big'}, String(workers.length)),
          h('ul', {class: 'plain'}, workers.map(w => h('li', null, w.id, ' ', stateBadge(w.state),
            ` ${w.connectors} connectors, ${w.tasks} tasks`)))),
        h('div', {class: 'card'}, h('h3', null, 'Connectors by state'),
          h('ul', {class: 'plain', id: 'by-state'}, STATES.filter(s => byState[s] > 0).map(s =>
            h('li', null, stateBadge(s), ` ${byState[s]}`))),
          latest.length === 0 ? h('p', {class: 'muted'}, 'None yet') : ''),
        h('div', {class: 'card'}, h('h3', null, 'Throughput'),
          h('p', {class: 'big', id: 'throughput'}, fmtNumber(throughput, 1)), h('p', {class: 'muted'}, 'records/s, all connectors'))));
  }

  for (const el of [search, stateFilter, typeFilter]) el.addEventListener('input', renderRows);

  main.append(
    h('div', {class: 'title-row'}, h('h1', {tabindex: '-1'}, 'Connectors'), h('a', {class: 'button', href: '#/new', 'data-needs': 'admin'}, 'New connector')),
    pluginProblemsPanel(),
    overview,
    h('section', {'aria-labelledby': 'list-h'},
      h('h2', {id: 'list-h'}, 'All connectors'),
      h('div', {class: 'filters', role: 'search'},
        h('label', {for: 'search'}, 'Search'), search,
        h('label', {for: 'state-filter'}, 'State'), stateFilter,
        h('label', {for: 'type-filter'}, 'Type'), typeFilter),
      count, wrap));

  return async () => {
    const [connectors, rates, workers] = await Promise.all([
      get('/connectors?expand=status&expand=info'), get('/hub/connectors/rates'), get('/hub/workers')]);
    latest = rows(connectors, rates);
    renderOverview(workers);
    renderRows();
  };
}
