// The public REST API, and whether it can be reached. Every call goes through api().

/** The API answered with an error body {error_code, message, errors?}. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.errors = body?.errors ?? [];
  }
}

/** The API could not be reached at all. */
export class Unreachable extends Error {}

const listeners = new Set();
let reachable = true;

/** fn(reachable: boolean, detail: string) on every change. */
export function onReachability(fn) {
  listeners.add(fn);
}

function setReachable(value, detail = '') {
  if (value === reachable) return;
  reachable = value;
  for (const fn of listeners) fn(value, detail);
}

export async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      cache: 'no-store',
      headers: body === undefined ? {Accept: 'application/json'} : {Accept: 'application/json', 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    setReachable(false, e.message);
    throw new Unreachable(`Cannot reach the API: ${e.message}`);
  }
  // A proxy in front of a dead worker answers 502/503/504: that is unreachable too.
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    setReachable(false, `HTTP ${res.status}`);
    throw new Unreachable(`The API answered HTTP ${res.status}`);
  }
  setReachable(true);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = {message: text};
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = path => api('GET', path);
export const put = (path, body) => api('PUT', path, body);
export const post = (path, body) => api('POST', path, body);
export const del = path => api('DELETE', path);
export const enc = encodeURIComponent;
