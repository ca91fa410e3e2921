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

const STATE_MARK = {RUNNING: '●', PAUSED: '‖', STOPPED: '■', FAILED: '✖', UNASSIGNED: '○', RESTARTING: '↻'};

/** A state shown in colour AND as text (and a symbol), never by colour alone. */
export function stateBadge(state) {
  const s = state ?? 'UNKNOWN';
  return h('span', {class: `state state-${s.toLowerCase()}`},
    h('span', {'aria-hidden': 'true'}, STATE_MARK[s] ?? '?'), ' ', s);
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
