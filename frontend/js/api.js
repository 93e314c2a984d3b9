// The one place that talks to the API: fetch, CSRF token, error envelope.
// It uses no DOM so the service worker can import it for background replay.

const BASE = "/api/v1";

export const events = new EventTarget();

export class ApiError extends Error {
  constructor(status, body, { offline = false } = {}) {
    const message =
      (body && (body.message || (typeof body.errors === "string" ? body.errors : null))) ||
      (offline ? "No connection." : `Request failed (${status}).`);
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body || null;
    this.offline = offline;
    this.fields = flattenFieldErrors(body && body.errors);
  }

  /** True for errors worth trying again later: no network, 5xx, 429, 401, stale CSRF. */
  get retryable() {
    return this.offline || this.status >= 500 || this.status === 429 || this.status === 401 || this.csrf;
  }

  get csrf() {
    return this.status === 400 && /csrf/i.test(this.message || "");
  }
}

// Every message under one field, however deep its schema nests them (quiet_hours.end).
function leaves(value) {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [String(value)];
}

function flattenFieldErrors(errors) {
  const out = {};
  if (!errors || typeof errors !== "object") return out;
  for (const location of Object.values(errors)) {
    if (location && typeof location === "object" && !Array.isArray(location)) {
      for (const [name, msgs] of Object.entries(location)) out[name] = leaves(msgs);
    }
  }
  return out;
}

let csrfToken = null;
let csrfPromise = null;

/** Forgets the token, and every kept answer with it (sign-in, sign-out, a new session). */
export function forgetCsrf() {
  csrfToken = null;
  forgetKept();
}

/** Keeps a token that came with another answer (the session's), sparing a request. */
export function useCsrf(token) {
  if (token) csrfToken = token;
}

/** Fetches a token ahead of time; failures are fine, the next write asks again. */
export function prefetchCsrf() {
  return getCsrf().catch(() => null);
}

async function getCsrf(force = false) {
  if (csrfToken && !force) return csrfToken;
  if (!csrfPromise) {
    csrfPromise = (async () => {
      const res = await fetch(`${BASE}/auth/csrf`, { credentials: "same-origin", cache: "no-store" });
      if (!res.ok) throw new ApiError(res.status, await readBody(res));
      const data = await res.json();
      csrfToken = data.csrf_token;
      return csrfToken;
    })().finally(() => {
      csrfPromise = null;
    });
  }
  return csrfPromise;
}

async function readBody(res) {
  const type = res.headers.get("content-type") || "";
  if (res.status === 204) return null;
  if (type.includes("json")) {
    try {
      return await res.json();
    } catch {
      return null;
    }
  }
  return null;
}

// Conditional reads: the last answer to each GET that carried an ETag, kept in this
// page's memory. The next GET of the same URL sends If-None-Match; a 304 means the kept
// body is still the answer. (The service worker keeps its own copy across starts.)
const KEPT_MAX = 40;
const kept = new Map();

function keep(url, etag, data) {
  kept.delete(url);
  kept.set(url, { etag, data });
  if (kept.size > KEPT_MAX) kept.delete(kept.keys().next().value);
}

function forgetKept() {
  kept.clear();
}

function copy(data) {
  return data === null || typeof data !== "object" ? data : structuredClone(data);
}

/** The URL a read asks for: the service worker keys its copies by it (warm.js). */
export function buildUrl(path, query) {
  const url = new URL(BASE + path, self.location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
    }
  }
  return url.pathname + url.search;
}

/**
 * Sends one request. Unsafe methods carry the CSRF token; when the server says the
 * token is missing or stale, a fresh one is fetched and the request tried once more.
 * Resolves to {data, status, fromCache}; rejects with ApiError.
 */
export async function send(method, path, { body, query, retryCsrf = true, signal } = {}) {
  const unsafe = method !== "GET" && method !== "HEAD";
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const url = buildUrl(path, query);
  const keepable = method === "GET" && !url.startsWith(`${BASE}/auth/`);
  const conditional = keepable ? kept.get(url) : null;
  if (conditional) headers["If-None-Match"] = conditional.etag;
  // Whoever signs in or out, nothing kept for the previous session may be shown.
  if (unsafe && url.startsWith(`${BASE}/auth/`)) forgetKept();
  let res;
  try {
    if (unsafe) headers["X-CSRFToken"] = await getCsrf();
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, null, { offline: true });
  }
  if (res.status === 304 && conditional) {
    events.dispatchEvent(new Event("fresh"));
    return { data: copy(conditional.data), status: 304, fromCache: false };
  }
  const data = await readBody(res);
  if (!res.ok) {
    if (res.status === 401) forgetKept();
    const error = new ApiError(res.status, data);
    if (unsafe && retryCsrf && error.csrf) {
      csrfToken = null;
      await getCsrf(true);
      return send(method, path, { body, query, retryCsrf: false, signal });
    }
    if (res.status === 401) events.dispatchEvent(new Event("unauthorized"));
    throw error;
  }
  const fromCache = res.headers.get("X-Limber-Cache") === "hit";
  const etag = keepable ? res.headers.get("ETag") : null;
  if (etag && !fromCache) keep(url, etag, copy(data));
  else if (keepable) kept.delete(url);
  if (fromCache) events.dispatchEvent(new Event("stale"));
  else if (method === "GET") events.dispatchEvent(new Event("fresh"));
  return { data, status: res.status, fromCache };
}

/** Sends files as multipart/form-data (the browser sets the boundary). Resolves to data. */
export async function upload(path, formData, { retryCsrf = true } = {}) {
  let res;
  try {
    res = await fetch(buildUrl(path), {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": await getCsrf() },
      body: formData,
      credentials: "same-origin",
    });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, null, { offline: true });
  }
  const data = await readBody(res);
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    if (retryCsrf && error.csrf) {
      // The session was renewed (e.g. at sign-in) since the token was fetched.
      csrfToken = null;
      await getCsrf(true);
      return upload(path, formData, { retryCsrf: false });
    }
    if (res.status === 401) events.dispatchEvent(new Event("unauthorized"));
    throw error;
  }
  return data;
}

export const api = {
  get: async (path, query) => (await send("GET", path, { query })).data,
  post: async (path, body) => (await send("POST", path, { body })).data,
  patch: async (path, body) => (await send("PATCH", path, { body })).data,
  del: async (path, body) => (await send("DELETE", path, { body })).data,
  /** Fetches every page of a paginated list (bounded, to keep one view cheap). */
  async all(path, query = {}, maxPages = 20) {
    const items = [];
    let cursor;
    for (let i = 0; i < maxPages; i += 1) {
      const page = await api.get(path, { limit: 100, ...query, cursor });
      items.push(...(page.items || []));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return items;
  },
};
