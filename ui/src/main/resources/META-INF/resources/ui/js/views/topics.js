// Topics of the hub's log: partitions, sizes, end offsets, and a record browser (decoded, seek by offset).
// In a cluster the topics are the cluster's, the same from every worker: each replicated partition names
// its leader and replicas, and one that cannot be read now is shown UNAVAILABLE with the reason.
import {enc, get, post} from '../api.js';
import {empty, fmtBytes, fmtNumber, h, notice, stateBadge, table} from '../dom.js';

/** Whether a partition can be read now (always, outside a cluster). */
const unavailable = p => p.available === false;

/** The state to show for a partition: UNAVAILABLE when the cluster cannot read it now, else its own. */
const partitionState = p => (unavailable(p) ? 'UNAVAILABLE' : p.state);

/** The worst state of a topic's partitions: UNAVAILABLE, OFFLINE, then DAMAGED, else ONLINE. */
const topicState = t => (t.partitions.some(unavailable) ? 'UNAVAILABLE'
  : t.partitions.some(p => p.state === 'OFFLINE') ? 'OFFLINE'
  : t.partitions.some(p => p.state === 'DAMAGED') ? 'DAMAGED' : 'ONLINE');

/** One line per damaged range (offsets, file, position, reason), the offline reason, or why it is unavailable. */
function damageLines(p) {
  if (unavailable(p)) return [`partition ${p.partition} unavailable: ${p.reason ?? 'unknown reason'}`];
  if (p.state === 'OFFLINE') return [`partition ${p.partition} offline: ${p.offline_reason ?? 'unknown reason'}`];
  return (p.damage ?? []).map(d => `partition ${p.partition}: offsets ${fmtNumber(d.from_offset)}–${fmtNumber(d.to_offset - 1)}`
    + ` unreadable, ${d.file} damaged from position ${fmtNumber(d.position)} (${fmtBytes(d.bytes)}): ${d.reason}`);
}

/** The size of a partition, or why it is unknown (an offline partition has no readable segments). */
const sizeText = p => (unavailable(p) ? 'unknown (unavailable)'
  : p.state === 'OFFLINE' ? 'unknown (offline)' : fmtBytes(p.size_bytes));

/** Whether a topic is replicated over a cluster's workers (its partitions name their replicas). */
const replicated = t => t.partitions.some(p => Array.isArray(p.replicas));

/** A partition's replicas as text: "2 (leader), 3, 4 (unreachable)". */
const replicasText = p => (p.replicas ?? []).map(r => r
  + (r === p.leader ? ' (leader)' : '') + ((p.unreachable_replicas ?? []).includes(r) ? ' (unreachable)' : '')).join(', ');

export function topicsView(main) {
  const internal = h('input', {type: 'checkbox', id: 'show-internal'});
  const {wrap, tbody} = table('Topics', ['Topic', 'State', 'Partitions', 'Leaders', 'Size', 'Records (end offsets)']);
  let latest = [];
  function render() {
    const shown = latest.filter(t => internal.checked || !t.internal);
    if (!shown.length) return empty(tbody, 6, 'No topics yet.');
    tbody.replaceChildren(...shown.map(t => h('tr', {'data-topic': t.name},
      h('th', {scope: 'row'}, h('a', {href: `#/topics/${enc(t.name)}`}, t.name), t.internal ? h('span', {class: 'muted'}, ' (internal)') : ''),
      h('td', null, stateBadge(topicState(t)),
        ...t.partitions.flatMap(damageLines).map(line => h('p', {class: 'damage'}, line))),
      h('td', {class: 'num'}, String(t.partitions.length)),
      h('td', null, replicated(t) ? [...new Set(t.partitions.map(p => p.leader ?? 'none'))].join(', ') : h('span', {class: 'muted'}, 'this worker')),
      h('td', {class: 'num'}, t.partitions.some(p => unavailable(p) || p.state === 'OFFLINE')
        ? `${fmtBytes(t.size_bytes)} + unknown (${t.partitions.some(unavailable) ? 'unavailable' : 'offline'})` : fmtBytes(t.size_bytes)),
      h('td', {class: 'num'}, fmtNumber(t.partitions.reduce((s, p) => s + (p.end_offset ?? 0), 0))
        + (t.partitions.some(unavailable) ? ' + unknown' : '')))));
  }
  internal.addEventListener('change', render);
  main.append(h('h1', {tabindex: '-1'}, 'Topics'),
    h('div', {class: 'filters'}, internal, h('label', {for: 'show-internal'}, 'Show internal topics')), wrap);
  return async () => {
    latest = await get('/hub/topics');
    render();
  };
}

/**
 * A record key or value for reading: JSON is parsed, and a converter's envelope ({"schema", "payload"})
 * shows its payload only (a CDC row then reads as its before/after/op); other text as it is.
 */
export function decodePayload(v) {
  if (v == null) return {kind: 'null'};
  if (v.encoding !== 'utf8') return {kind: 'binary', text: v.text};
  try {
    let json = JSON.parse(v.text);
    if (json && typeof json === 'object' && !Array.isArray(json) && 'schema' in json && 'payload' in json) json = json.payload;
    return {kind: 'json', text: JSON.stringify(json, null, 2)};
  } catch {
    return {kind: 'text', text: v.text};
  }
}

function payloadCell(v) {
  const d = decodePayload(v);
  if (d.kind === 'null') return h('span', {class: 'muted'}, 'null');
  if (d.kind === 'binary') return h('code', {title: `${v.size} bytes, base64`}, d.text);
  return h('pre', {class: `payload-${d.kind}`, title: `${v.size} bytes`}, d.text);
}

export function topicView(main, topic) {
  const local = table('Partitions', ['Partition', 'State', 'Log start', 'End offset', 'Size']);
  const spread = table('Partitions', ['Partition', 'State', 'Leader', 'Replicas', 'Log start', 'End offset', 'Size']);
  const parts = h('div', {id: 'partitions'}, local.wrap);
  const partition = h('select', {id: 'peek-partition'});
  const limit = h('input', {id: 'peek-limit', type: 'number', min: '1', max: '500', value: '20'});
  const fromOffset = h('input', {id: 'seek-offset', type: 'number', min: '0', placeholder: 'latest'});
  const search = h('input', {id: 'page-search', type: 'search', placeholder: 'text in key or value'});
  const records = table('Records', ['Offset', 'Time', 'Key', 'Value']);
  const status = h('p', {class: 'muted', id: 'records-status', 'aria-live': 'polite'});
  const more = h('button', {type: 'button', id: 'next-page', hidden: true}, 'Next page');
  let partitions = [];
  let page = [];
  let nextOffset = null;

  function renderPage() {
    const q = search.value.trim().toLowerCase();
    const shown = page.filter(r => !q || [r.key, r.value].some(v => v && v.text.toLowerCase().includes(q)));
    if (!shown.length) return empty(records.tbody, 4, page.length ? 'No record on this page matches.' : 'No records.');
    records.tbody.replaceChildren(...shown.map(r => h('tr', {'data-offset': String(r.offset)},
      h('td', {class: 'num'}, String(r.offset)),
      h('td', null, new Date(r.timestamp).toLocaleString()),
      h('td', {class: 'payload'}, payloadCell(r.key)),
      h('td', {class: 'payload'}, payloadCell(r.value)))));
  }

  /** Reads a page: from the offset asked for (oldest first), or the latest records (newest first). */
  async function peek(offset) {
    const p = partitions.find(x => String(x.partition) === partition.value) ?? partitions[0];
    if (!p) return;
    if (unavailable(p)) {
      page = [];
      renderPage();
      status.textContent = `Partition ${p.partition} cannot be read now: ${p.reason ?? 'unknown reason'}`;
      return;
    }
    const n = Math.max(1, Math.min(500, Number(limit.value) || 20));
    const seeking = offset != null;
    const from = seeking ? offset : Math.max(p.log_start_offset, p.end_offset - n);
    const data = await get(`/hub/topics/${enc(topic)}/partitions/${p.partition}/records?offset=${from}&limit=${n}`);
    page = seeking ? data.records : data.records.slice().reverse();
    nextOffset = data.records.length ? data.next_offset : null;
    more.hidden = !seeking || nextOffset == null || nextOffset >= p.end_offset;
    status.textContent = `${data.records.length} record(s) from offset ${data.records[0]?.offset ?? from} of partition ${p.partition}`
      + (seeking ? '' : ' (latest, newest first)');
    renderPage();
  }

  const run = offset => peek(offset).catch(err => { status.textContent = err.message; });
  search.addEventListener('input', renderPage);
  more.addEventListener('click', () => run(nextOffset));
  main.append(h('p', null, h('a', {href: '#/topics'}, '← All topics')),
    h('h1', {tabindex: '-1'}, topic), parts,
    h('section', {'aria-labelledby': 'peek-h'}, h('h2', {id: 'peek-h'}, 'Records'),
      h('form', {class: 'filters', onsubmit: e => {
        e.preventDefault();
        run(fromOffset.value === '' ? null : Math.max(0, Number(fromOffset.value)));
      }},
        h('label', {for: 'peek-partition'}, 'Partition'), partition,
        h('label', {for: 'seek-offset'}, 'From offset'), fromOffset,
        h('label', {for: 'peek-limit'}, 'How many'), limit,
        h('button', {type: 'submit', id: 'peek'}, 'Show')),
      h('div', {class: 'filters'}, h('label', {for: 'page-search'}, 'Search this page'), search, more),
      status, records.wrap));

  function repairButton(p) {
    return h('button', {type: 'button', class: 'repair', onclick: async () => {
      const ranges = (p.damage ?? []).map(d => `${d.from_offset}–${d.to_offset - 1}`).join(', ');
      if (!confirm(`Drop the damaged offsets ${ranges} of partition ${p.partition}? The records before and after stay.`)) return;
      try {
        const r = await post(`/hub/topics/${enc(topic)}/partitions/${p.partition}/repair`, {mode: 'truncate'});
        notice(`Partition ${p.partition} repaired: dropped ${fmtNumber(r.offsets_dropped)} offset(s), ${fmtBytes(r.bytes_dropped)}.`);
      } catch (err) {
        notice(err.message, true);
      }
    }}, 'Repair: drop the damaged range');
  }

  let first = true;
  return async () => {
    const t = await get(`/hub/topics/${enc(topic)}`);
    partitions = t.partitions;
    const cluster = replicated(t);
    const target = cluster ? spread : local;
    if (parts.firstChild !== target.wrap) parts.replaceChildren(target.wrap);
    target.tbody.replaceChildren(...partitions.map(p => h('tr', {'data-partition': String(p.partition)},
      h('th', {scope: 'row'}, String(p.partition)),
      h('td', null, stateBadge(partitionState(p)), ...damageLines(p).map(line => h('p', {class: 'damage'}, line)),
        p.state === 'DAMAGED' && !unavailable(p) ? repairButton(p) : ''),
      cluster ? h('td', {class: 'leader'}, p.leader ?? h('span', {class: 'muted'}, 'none')) : null,
      cluster ? h('td', {class: 'replicas'}, replicasText(p)) : null,
      h('td', {class: 'num'}, fmtNumber(p.log_start_offset)),
      h('td', {class: 'num'}, fmtNumber(p.end_offset)), h('td', {class: 'num'}, sizeText(p)))));
    if (first) {
      first = false;
      partition.replaceChildren(...partitions.map(p => h('option', {value: String(p.partition)}, String(p.partition))));
      await peek(null);
    }
  };
}
