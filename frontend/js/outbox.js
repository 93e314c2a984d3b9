// Offline writes. Every run, change to a run and routine session is written here first, with a
// client-made UUID, then sent. An item leaves only when the server accepted it
// (2xx) or definitively refused it (a 4xx other than 401, 429 or a stale CSRF
// token); anything else keeps it for the next try. The server treats the same
// id and body as the same write, so sending twice never creates two rows.
// No DOM here: the service worker imports this module for Background Sync.

import { createStore, del, entries, get, set } from "../vendor/idb-keyval.js";
import { ApiError, send } from "./api.js";

const items = createStore("limber-outbox", "items");
const refused = createStore("limber-outbox-refused", "items");
const metaStore = createStore("limber-meta", "kv");

export const SYNC_TAG = "limber-outbox";
export const events = new EventTarget();
const channel = "BroadcastChannel" in self ? new BroadcastChannel("limber-outbox") : null;
if (channel) channel.onmessage = () => events.dispatchEvent(new Event("change"));

function changed() {
  events.dispatchEvent(new Event("change"));
  if (channel) channel.postMessage("change");
}

export function newId() {
  if (self.crypto && typeof self.crypto.randomUUID === "function") return self.crypto.randomUUID();
  // Fallback for older browsers: RFC 4122 version 4 from getRandomValues.
  const b = self.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Remembers whose writes may be sent from this device (the signed-in user). */
export async function setCurrentUser(userId) {
  await set("user_id", userId || null, metaStore);
  changed();
}

export async function currentUser() {
  return get("user_id", metaStore);
}

async function listOf(store, userId) {
  const all = (await entries(store)).map(([, v]) => v);
  return all
    .filter((it) => !userId || it.user_id === userId)
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}

export async function pending(userId) {
  return listOf(items, userId === undefined ? await currentUser() : userId);
}

export async function refusedItems(userId) {
  return listOf(refused, userId === undefined ? await currentUser() : userId);
}

export async function dismissRefused(id) {
  await del(id, refused);
  changed();
}

/** Drops everything queued for a user (used when the account is erased). */
export async function forgetUser(userId) {
  for (const it of await listOf(items, userId)) await del(it.id, items);
  for (const it of await listOf(refused, userId)) await del(it.id, refused);
  changed();
}

// `options.method` (default POST) and `options.id` (default the body's id) serve writes
// that are not creates: an answer stored on an existing record, say, keyed by that record.
export async function enqueue(kind, path, body, userId, meta = {}, { method = "POST", id = body.id } = {}) {
  const item = {
    id,
    kind,
    method,
    path,
    body,
    meta,
    user_id: userId,
    created_at: new Date().toISOString(),
    attempts: 0,
    last_error: null,
  };
  await set(item.id, item, items);
  changed();
  return item;
}

async function sendOne(item) {
  try {
    const res = await send(item.method, item.path, { body: item.body });
    await del(item.id, items);
    return { outcome: "sent", item, data: res.data };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (item.method === "DELETE" && err.status === 404) {
      // Already gone (a replay, or deleted on another device): what was asked for holds.
      await del(item.id, items);
      return { outcome: "sent", item, data: null };
    }
    if (err.retryable) {
      const current = await get(item.id, items);
      if (current) {
        await set(item.id, { ...current, attempts: current.attempts + 1, last_error: err.message }, items);
      }
      return { outcome: "kept", item, error: err };
    }
    await set(item.id, { ...item, refused_at: new Date().toISOString(), reason: err.message, fields: err.fields, status: err.status }, refused);
    await del(item.id, items);
    return { outcome: "refused", item, error: err };
  }
}

// Writes about one run (its edits, deletion, morning answer) wait for the writes about
// it queued before them, the run itself first.
async function sentBefore(item) {
  const runId = item.meta && item.meta.run_id;
  if (!runId) return null;
  const earlier = (await pending(item.user_id)).filter(
    (p) => p.id !== item.id && p.created_at <= item.created_at && (p.id === runId || (p.meta && p.meta.run_id === runId)),
  );
  for (const before of earlier) {
    const result = await sendOne(before);
    if (result.outcome === "kept") return { outcome: "kept", item, error: result.error };
  }
  return null;
}

function withLock(fn) {
  const locks = self.navigator && self.navigator.locks;
  return locks ? locks.request("limber-outbox", fn) : fn();
}

/**
 * Saves a write in the outbox, then tries to send it straight away.
 * Resolves to {outcome: "sent" | "kept" | "refused", data?, error?}.
 */
export async function submit(kind, path, body, userId, meta = {}, options = {}) {
  const item = await enqueue(kind, path, body, userId, meta, options);
  const result = await withLock(async () => {
    const still = await get(item.id, items);
    if (!still) return { outcome: "sent", item, data: null };
    return (await sentBefore(still)) || sendOne(still);
  });
  changed();
  if (result.outcome === "kept") requestBackgroundSync();
  return result;
}

let flushing = null;

/** Sends everything waiting for the current user, oldest first. */
export function flush() {
  if (flushing) return flushing;
  flushing = withLock(async () => {
    const userId = await currentUser();
    const summary = { sent: 0, kept: 0, refused: 0 };
    if (!userId) return summary;
    for (const item of await pending(userId)) {
      const result = await sendOne(item);
      summary[result.outcome] += 1;
      // No network or not signed in: the rest would fail the same way.
      if (result.outcome === "kept" && (result.error.offline || result.error.status === 401)) {
        summary.kept += (await pending(userId)).length - 1;
        break;
      }
    }
    return summary;
  }).finally(() => {
    flushing = null;
    changed();
  });
  return flushing;
}

export async function requestBackgroundSync() {
  try {
    if (typeof window === "undefined" || !("serviceWorker" in navigator)) return;
    const reg = await navigator.serviceWorker.ready;
    if (reg.sync) await reg.sync.register(SYNC_TAG);
  } catch {
    // Background Sync is optional: the app also retries on "online" and on start.
  }
}
