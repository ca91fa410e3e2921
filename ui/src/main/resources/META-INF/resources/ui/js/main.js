// Entry point: hash router, the unreachable banner and the live refresh loop.
import {get, onReachability} from './api.js';
import {h, notice} from './dom.js';
import * as live from './live.js';
import {connectorsView} from './views/connectors.js';
import {connectorView} from './views/connector.js';
import {createView} from './views/create.js';
import {topicsView, topicView} from './views/topics.js';
import {auditView} from './views/audit.js';

const routes = [
  [/^#?\/?$/, 'connectors', connectorsView],
  [/^#\/connectors\/(.+)$/, 'connectors', connectorView],
  [/^#\/new$/, 'new', createView],
  [/^#\/topics$/, 'topics', topicsView],
  [/^#\/topics\/(.+)$/, 'topics', topicView],
  [/^#\/audit$/, 'audit', auditView],
];

const main = document.getElementById('main');
let firstRoute = true;

function route() {
  const hash = location.hash || '#/';
  const [pattern, nav, view] = routes.find(([re]) => re.test(hash)) ?? [null, null, null];
  live.setRefresh(null);
  notice('');
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!view) {
    main.replaceChildren(h('h1', null, 'Not found'), h('p', null, h('a', {href: '#/'}, 'Back to connectors')));
    return;
  }
  const args = hash.match(pattern).slice(1).map(decodeURIComponent);
  main.replaceChildren();
  const refresh = view(main, ...args);
  live.setRefresh(refresh ?? null);
  // Move focus to the new page's heading so screen readers announce it (not on first load).
  if (!firstRoute) main.querySelector('h1')?.focus();
  firstRoute = false;
}

onReachability((ok, detail) => {
  const banner = document.getElementById('banner');
  if (ok) {
    banner.hidden = true;
    banner.textContent = '';
  } else {
    banner.textContent = `Cannot reach the Sluice API${detail ? ` (${detail})` : ''}. Retrying every second — what you see may be out of date.`;
    banner.hidden = false;
  }
});

window.addEventListener('hashchange', route);
live.start(up => {
  const el = document.getElementById('live');
  el.textContent = up ? 'live' : 'polling';
  el.title = up ? 'Updates pushed by the server (server-sent events)' : 'Event stream down: polling every second';
});
// The caller's role hides what it may not do (elements marked data-needs="operator" or "admin").
get('/hub/whoami').then(me => {
  document.body.dataset.role = me.role ?? 'viewer';
  if (me.user) document.getElementById('whoami').textContent = `${me.user} (${me.role})`;
}).catch(() => { document.body.dataset.role = 'viewer'; });
route();
