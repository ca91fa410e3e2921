// Keeps the current view fresh: each state event on /hub/events refreshes it at once, and a timer
// refreshes it every second while the event stream is down (every 2 s while it is up, for rates).

let refresh = null;
let running = false;
let pending = false;
let streamUp = false;
let timer = null;

/** The current view's refresh function (async, idempotent); null for none. */
export function setRefresh(fn) {
  refresh = fn;
  if (fn) now();
}

/** Refreshes the current view now; calls that arrive meanwhile coalesce into one more run. */
export async function now() {
  if (!refresh) return;
  if (running) {
    pending = true;
    return;
  }
  running = true;
  try {
    await refresh();
  } catch {
    // errors are shown by the view or by the unreachable banner
  } finally {
    running = false;
    if (pending) {
      pending = false;
      now();
    }
  }
}

function tick() {
  now().finally(() => {
    timer = setTimeout(tick, streamUp ? 2000 : 1000);
  });
}

export function start(onStream) {
  const events = new EventSource('/hub/events');
  events.addEventListener('ready', () => { streamUp = true; onStream(true); });
  events.addEventListener('state', () => now());
  events.onerror = () => { streamUp = false; onStream(false); }; // EventSource reconnects by itself
  clearTimeout(timer);
  timer = setTimeout(tick, 1000);
}
