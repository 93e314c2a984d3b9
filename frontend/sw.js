// Limber service worker (an ES module).
// - What the first screens need (PRECACHE) is cached at install, revalidated against the
//   copies the page has just loaded, so a first visit does not download them twice. The
//   other views and pictures (LATER) are kept once the page is idle (js/serviceworker.js asks);
//   the chart library is cached the first time Progress needs it.
// - API reads are network-first, with the last good answer as the offline fallback. The
//   kept answer's ETag goes out as If-None-Match; on 304 the kept body is the answer.
// - Sign-in, sessions and data exports are never cached.
// - A new version waits until the user accepts the update (or every tab closes),
//   so nobody is left half on the old shell and half on the new one.

import { SYNC_TAG, currentUser, flush, submit } from "./js/outbox.js";

// BEGIN GENERATED (npm run precache)
const VERSION = "83e539162d47";
const PRECACHE = [
  "/",
  "/css/app.css",
  "/img/icons/icon.svg",
  "/js/api.js",
  "/js/app.js",
  "/js/chrome.js",
  "/js/dom.js",
  "/js/format.js",
  "/js/formerrors.js",
  "/js/outbox.js",
  "/js/passkeys.js",
  "/js/router.js",
  "/js/serviceworker.js",
  "/js/views/help.js",
  "/js/views/roster.js",
  "/js/views/signin.js",
  "/js/views/today.js",
  "/js/views/twostep.js",
  "/js/vocab.js",
  "/manifest.webmanifest",
  "/vendor/idb-keyval.js"
];
const LATER = [
  "/img/exercises/ball-glute-release.svg",
  "/img/exercises/ball-low-back-release.svg",
  "/img/exercises/bird-dog.svg",
  "/img/exercises/coregous-prone-breathing.svg",
  "/img/exercises/coregous-supine-breathing.svg",
  "/img/exercises/dead-bug.svg",
  "/img/exercises/generic.svg",
  "/img/exercises/glute-bridge.svg",
  "/img/exercises/hill-lean-drill.svg",
  "/img/exercises/knee-rocks.svg",
  "/img/exercises/quadruped-hip-circles.svg",
  "/img/exercises/side-plank-knees.svg",
  "/img/exercises/single-leg-balance.svg",
  "/img/exercises/standing-hip-circles.svg",
  "/img/exercises/uphill-short-strides.svg",
  "/img/icons/icon-192.png",
  "/img/icons/icon-512.png",
  "/img/icons/maskable-192.png",
  "/img/icons/maskable-512.png",
  "/img/ui/clients.svg",
  "/img/ui/invite.svg",
  "/img/ui/library.svg",
  "/img/ui/log.svg",
  "/img/ui/messages.svg",
  "/img/ui/progress.svg",
  "/img/ui/runs.svg",
  "/img/ui/settings.svg",
  "/img/ui/today.svg",
  "/js/chart.js",
  "/js/views/calendarfeed.js",
  "/js/views/client.js",
  "/js/views/clientdata.js",
  "/js/views/clientmessages.js",
  "/js/views/duecard.js",
  "/js/views/import.js",
  "/js/views/imported.js",
  "/js/views/invite.js",
  "/js/views/library.js",
  "/js/views/logrun.js",
  "/js/views/messages.js",
  "/js/views/morning.js",
  "/js/views/notifications-settings.js",
  "/js/views/outcomes.js",
  "/js/views/parts.js",
  "/js/views/player.js",
  "/js/views/progress.js",
  "/js/views/questionnaire.js",
  "/js/views/report.js",
  "/js/views/run.js",
  "/js/views/runform.js",
  "/js/views/runparts.js",
  "/js/views/runs.js",
  "/js/views/settings.js",
  "/js/views/signup.js",
  "/js/views/thread.js",
  "/js/warm.js"
];
// END GENERATED

const SHELL_CACHE = `limber-shell-${VERSION}`;
const API_CACHE = "limber-api-v1";
const NEVER_CACHE = [/^\/api\/v1\/auth\//, /^\/api\/v1\/me\/export/, /\/export\.csv$/, /^\/api\/v1\/imports/];
// Files shared to Limber from another app wait here until the import page sends them.
const SHARE_CACHE = "limber-shared-files";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // "no-cache": checked with the server, which answers 304 for what the page already has.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "no-cache" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith("limber-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "SKIP_WAITING") self.skipWaiting();
  if (msg.type === "CLEAR_API_CACHE") event.waitUntil(caches.delete(API_CACHE));
  if (msg.type === "FLUSH_OUTBOX") event.waitUntil(flush());
  if (msg.type === "CACHE_REST") event.waitUntil(keepTheRest());
  if (msg.type === "WARM" && Array.isArray(msg.urls)) event.waitUntil(warm(msg.urls, msg.routines));
});

// Sign-in asks for the reads a runner's first screens make (js/warm.js), so they open
// offline from the first visit; `routines` lists the routines to keep with their steps.
const WARM_PATH = /^\/api\/v1\/[\w/-]*(\?[\w=&%.:-]*)?$/;
const CHART_FILES = ["/vendor/uplot.esm.js", "/vendor/uplot.min.css"];

async function keep(url) {
  if (!WARM_PATH.test(url) || NEVER_CACHE.some((re) => re.test(new URL(url, self.location.origin).pathname))) return null;
  try {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (res.status !== 200) return null;
    await (await caches.open(API_CACHE)).put(url, res.clone());
    return res;
  } catch {
    return null;
  }
}

async function warm(urls, routinesUrl) {
  const shell = await caches.open(SHELL_CACHE);
  await Promise.all(CHART_FILES.map(async (f) => (await shell.match(f)) || shell.add(f).catch(() => null)));
  await Promise.all(urls.map(keep));
  const list = typeof routinesUrl === "string" ? await keep(routinesUrl) : null;
  const items = list ? ((await list.json()).items || []) : [];
  await Promise.all(items.filter((r) => /^[0-9a-f-]{36}$/i.test(r.id)).map((r) => keep(`/api/v1/routines/${r.id}`)));
  // The screens' own files too (the player, Progress, the runs list), not only once idle.
  await keepTheRest();
  const windows = await self.clients.matchAll({ type: "window" });
  for (const w of windows) w.postMessage({ type: "WARMED" });
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) {
    // Rejecting makes the browser retry the sync later, with backoff.
    event.waitUntil(
      flush().then((summary) => {
        if (summary.kept > 0) throw new Error("outbox not empty yet");
      }),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const path = new URL(req.url).pathname;
  if (req.method === "POST" && path === "/share-target") {
    event.respondWith(receiveShare(req));
    return;
  }
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith("/api/")) {
    if (NEVER_CACHE.some((re) => re.test(url.pathname))) return;
    event.respondWith(networkFirst(req));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(shellFor(req));
    return;
  }
  event.respondWith(cacheFirst(req));
});

// The files the first screens do not need, fetched one at a time so they never compete
// with what the user is doing; a file already kept (or a failed fetch) is skipped.
let keeping = null;
function keepTheRest() {
  keeping =
    keeping ||
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      for (const url of LATER) {
        if (await cache.match(url)) continue;
        try {
          const res = await fetch(new Request(url, { cache: "no-cache" }));
          if (res.status === 200) await cache.put(url, res);
        } catch {
          break; // offline again: the next start asks once more
        }
      }
    })().finally(() => {
      keeping = null;
    });
  return keeping;
}

// The manifest's share_target posts the files here; they are kept for the import page,
// which uploads them with the user's session and CSRF token.
async function receiveShare(req) {
  try {
    const form = await req.formData();
    const cache = await caches.open(SHARE_CACHE);
    let n = 0;
    for (const file of form.getAll("files")) {
      if (!(file instanceof File)) continue;
      const headers = { "Content-Type": file.type || "application/octet-stream", "X-File-Name": encodeURIComponent(file.name) };
      await cache.put(`/shared-file/${Date.now()}-${n}`, new Response(file, { headers }));
      n += 1;
    }
  } catch {
    // Nothing usable was shared; the import page says so.
  }
  return Response.redirect("/settings/import?shared=1", 303);
}

async function networkFirst(req) {
  const cache = await caches.open(API_CACHE);
  const kept = await cache.match(req, { ignoreVary: true });
  const keptTag = kept ? kept.headers.get("ETag") : null;
  const pageTag = req.headers.get("If-None-Match");
  // Ask with the ETag of the body kept here, so a 304 can always be answered from it.
  let sent = req;
  if (keptTag !== pageTag && req.mode !== "navigate") {
    const headers = new Headers(req.headers);
    if (keptTag) headers.set("If-None-Match", keptTag);
    else headers.delete("If-None-Match");
    sent = new Request(req, { headers });
  }
  try {
    const res = await fetch(sent);
    if (res.status === 304 && kept) {
      // The page holds this very body itself: let it reuse its copy.
      if (pageTag && pageTag === keptTag) return res;
      return answerFrom(kept, "revalidated");
    }
    if (res.status === 200) await cache.put(req, res.clone());
    // A 401 means the session is gone: drop what this device kept of it.
    if (res.status === 401) await caches.delete(API_CACHE);
    return res;
  } catch (err) {
    if (!kept) throw err;
    return answerFrom(kept, "hit");
  }
}

// A kept answer as a fresh 200 (X-Limber-Cache: "hit" offline, "revalidated" after a 304).
function answerFrom(kept, how) {
  const headers = new Headers(kept.headers);
  headers.set("X-Limber-Cache", how);
  return new Response(kept.body, { status: 200, statusText: "OK", headers });
}

// Every app route gets the same shell; the router inside picks the view.
async function shellFor(req) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match("/");
  if (hit) return hit.redirected ? new Response(hit.body, { headers: hit.headers }) : hit;
  return fetch(req);
}

async function cacheFirst(req) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  try {
    // Files left out of the precache (the chart library) are kept once used.
    const res = await fetch(req);
    if (res.status === 200) await cache.put(req, res.clone());
    return res;
  } catch (err) {
    const fallback = await caches.match(req);
    if (fallback) return fallback;
    throw err;
  }
}

// --- notifications ---------------------------------------------------------------------
// A push carries JSON: {title, body, url, tag, kind, data?}. The tag makes a newer
// notification of the same kind replace the older one. See docs/notifications.md.

const MORNING_ACTION = /^morning:(\d{1,2})$/;

function safePath(url) {
  // Only paths inside the app: never send the user to another site from a push.
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

// The check-in's run rides in its URL ("/?checkin=<run id>").
function checkInRun(path) {
  const id = new URL(path, self.location.origin).searchParams.get("checkin");
  return id && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

function checkInActions(offered) {
  const max = (self.Notification && Notification.maxActions) || 0;
  // Where the browser shows enough buttons, every answer 0-10 is one tap.
  if (max >= 11) return Array.from({ length: 11 }, (_, n) => ({ action: `morning:${n}`, title: String(n) }));
  return offered.slice(0, max);
}

function notificationFor(payload) {
  const url = safePath(payload.url);
  const kind = payload.kind || "info";
  const data = { kind, url, id: payload.id || null, run_id: kind === "morning_checkin" ? checkInRun(url) : null };
  const offered = Array.isArray(payload.actions) ? payload.actions.filter((a) => a && a.action && a.title) : [];
  const options = {
    body: payload.body || "",
    tag: payload.tag || kind,
    renotify: true,
    icon: "/img/icons/icon-192.png",
    badge: "/img/icons/icon-192.png",
    data,
    actions: data.run_id ? checkInActions(offered) : offered.slice(0, (self.Notification && Notification.maxActions) || 0),
  };
  return [payload.title || "Limber", options];
}

self.addEventListener("push", (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = { body: event.data ? event.data.text() : "" };
  }
  const shown = self.registration.showNotification(...notificationFor(payload));
  event.waitUntil(Promise.all([shown, tellPagesToRecount()]));
});

// Open pages ask GET /me/unread again (chrome.js) and a shown thread polls (thread.js).
async function tellPagesToRecount() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const w of windows) w.postMessage({ type: "UNREAD" });
}

async function openView(path) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
  if (open) {
    await open.focus();
    // The page's router moves to the view without a reload (app.js listens for this).
    open.postMessage({ type: "NAVIGATE", url: path });
    return open;
  }
  return self.clients.openWindow(path);
}

async function answerFromNotification(notification, value) {
  const { run_id: runId } = notification.data;
  const userId = await currentUser();
  if (!userId) return openView(notification.data.url);
  const body = { morning_stiffness: value, morning_at: new Date().toISOString() };
  const result = await submit("morning", `/runs/${runId}/morning`, body, userId, { run_id: runId }, { method: "PUT", id: `morning:${runId}` });
  if (result.outcome === "refused") return openView("/");
  if (result.outcome === "kept" && self.registration.sync) {
    // No network: ask for a Background Sync so the answer goes out once it is back.
    await self.registration.sync.register(SYNC_TAG).catch(() => {});
  }
  const text =
    result.outcome === "kept"
      ? `${value}/10 saved on this phone; it will be sent when you are back online.`
      : `Saved: ${value}/10 this morning. Thank you.`;
  // Same tag: the confirmation takes the question's place.
  return self.registration.showNotification("Morning check-in", { body: text, tag: notification.tag, data: { kind: "info", url: "/" } });
}

function handleNotificationClick(notification, action) {
  const data = notification.data || {};
  const morning = MORNING_ACTION.exec(action || "");
  notification.close();
  if (morning && data.run_id && Number(morning[1]) <= 10) {
    return answerFromNotification(notification, Number(morning[1]));
  }
  return openView(safePath(data.url));
}

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(handleNotificationClick(event.notification, event.action));
});
