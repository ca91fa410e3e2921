// Plugins this worker could not load (GET /hub/plugins/problems), shown above the connectors overview.
// The list is fixed when the worker starts, so it is read once per visit, not on every refresh.
import {get} from '../api.js';
import {h} from '../dom.js';

const SEVERITY_MARK = {error: '✖', warning: '⚠'};

function heading(errors, warnings) {
  const parts = [];
  if (errors) parts.push(`${errors} plugin problem${errors === 1 ? '' : 's'}: not loaded`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** A section that fills in once the problems are read; it stays hidden when there are none. */
export function pluginProblemsPanel() {
  const section = h('section', {class: 'plugin-problems', id: 'plugin-problems', 'aria-labelledby': 'plugin-problems-h', hidden: true});
  get('/hub/plugins/problems').then(problems => {
    if (!problems?.length) return;
    const errors = problems.filter(p => p.severity === 'error').length;
    section.classList.toggle('plugin-problems-error', errors > 0);
    section.replaceChildren(
      h('h3', {id: 'plugin-problems-h'}, h('span', {'aria-hidden': 'true'}, errors ? '✖ ' : '⚠ '),
        heading(errors, problems.length - errors)),
      h('p', null, 'This worker runs without them. Fix or remove them in the plugin path (',
        h('code', null, 'sluice.plugin-path'), '), then restart the worker.'),
      h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Plugin problems'},
        h('table', null,
          h('thead', null, h('tr', null, ['Severity', 'Location', 'Class', 'Message'].map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', null, problems.map(p => h('tr', {class: 'plugin-problem', 'data-severity': p.severity},
            h('td', null, h('span', {class: `state severity-${p.severity}`},
              h('span', {'aria-hidden': 'true'}, SEVERITY_MARK[p.severity] ?? '?'), ' ', p.severity)),
            h('td', {class: 'location'}, p.location),
            h('td', {class: 'class'}, p.class ?? '–'),
            h('td', {class: 'message'}, p.message)))))));
    section.hidden = false;
  }).catch(() => {
    // an older worker without the endpoint, or a caller not allowed to read it: nothing to show
  });
  return section;
}
