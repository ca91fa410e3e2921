// Small DOM helpers. Text always goes in as text nodes, never as HTML, so API data cannot inject markup.

/** h('a', {href: '#/'}, 'text', child...) builds an element; on* attributes become listeners. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const STATE_MARK = {RUNNING: '●', PAUSED: '‖', STOPPED: '■', FAILED: '✖', UNASSIGNED: '○', RESTARTING: '↻',
  RETRYING: '⟳', ONLINE: '●', DAMAGED: '⚠', OFFLINE: '✖', UNAVAILABLE: '✖'};

/** A state shown in colour AND as text (and a symbol), never by colour alone. */
export function stateBadge(state) {
  const s = state ?? 'UNKNOWN';
  return h('span', {class: `state state-${s.toLowerCase()}`},
    h('span', {'aria-hidden': 'true'}, STATE_MARK[s] ?? '?'), ' ', s);
}

/**
 * The state to show for a connector: its worst part. A FAILED task makes the connector FAILED, a task
 * retrying a transient failure makes a RUNNING connector RETRYING, so a failing connector never looks green.
 */
export function worstState(status) {
  const own = status?.connector?.state ?? 'UNASSIGNED';
  const tasks = status?.tasks ?? [];
  if (own === 'FAILED' || status?.health === 'FAILED' || tasks.some(t => t.state === 'FAILED')) return 'FAILED';
  if (own === 'RUNNING' && tasks.some(t => t.retrying)) return 'RETRYING';
  return own;
}

export function fmtNumber(n, digits = 0) {
  if (n == null || Number.isNaN(n)) return '–';
  return Number(n).toLocaleString(undefined, {maximumFractionDigits: digits, minimumFractionDigits: digits});
}

export function fmtBytes(n) {
  if (n == null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A table whose rows are replaced by refresh; the wrapper scrolls sideways on narrow screens. */
export function table(caption, headers) {
  const tbody = h('tbody');
  const wrap = h('div', {class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption},
    h('table', null, h('caption', {class: 'sr-only'}, caption),
      h('thead', null, h('tr', null, headers.map(t => h('th', {scope: 'col'}, t)))), tbody));
  return {wrap, tbody};
}

export function empty(tbody, cols, text) {
  tbody.replaceChildren(h('tr', null, h('td', {colspan: cols, class: 'muted'}, text)));
}

/** Copies text to the clipboard, falling back to selecting it when the Clipboard API is unavailable. */
export async function copy(text, pre) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(pre);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return document.execCommand?.('copy') ?? false;
  }
}

/** A short message in the page's polite live region; error=true uses the alert style. */
export function notice(text, error = false) {
  const el = document.getElementById('notice');
  el.className = error ? 'notice notice-error' : 'notice';
  el.textContent = text;
}

/**
 * A small line chart of {@code values} as inline SVG, labelled for screen readers with its latest and
 * highest value (the chart itself is decoration for sighted users).
 */
export function sparkline(values, label) {
  const ns = 'http://www.w3.org/2000/svg';
  const width = 120, height = 28;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  const latest = values.length ? values[values.length - 1] : 0;
  const max = values.length ? Math.max(...values) : 0;
  svg.setAttribute('aria-label', `${label}: latest ${fmtNumber(latest, 1)}, highest ${fmtNumber(max, 1)}`);
  if (values.length > 1) {
    const top = max > 0 ? max : 1;
    const step = width / (values.length - 1);
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / top) * (height - 4)).toFixed(1)}`);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', 'currentColor');
    line.setAttribute('stroke-width', '1.5');
    svg.append(line);
  }
  const wrap = h('span', {class: 'spark'}, svg, h('span', {class: 'spark-value'}, fmtNumber(latest, 1)));
  return wrap;
}
