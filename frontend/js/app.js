// Boot, routing, the signed-in user, and the bits of chrome every view shares
// (navigation, offline and outbox status, update banner).

import { get as idbGet, set as idbSet, del as idbDel } from "../vendor/idb-keyval.js";
import { api, events as apiEvents, forgetCsrf, prefetchCsrf } from "./api.js";
import { clear, h } from "./dom.js";
import * as outbox from "./outbox.js";
import { plural } from "./format.js";

const RUNNER_NAV = [
  ["/", "Today", "today"],
  ["/log", "Log run", "log"],
  ["/progress", "Progress", "progress"],
  ["/settings", "Settings", "settings"],
];
const PRACTITIONER_NAV = [
  ["/clients", "Clients", "clients"],
  ["/library", "Library", "library"],
  ["/invite", "Invite", "invite"],
  ["/settings", "Settings", "settings"],
];

// [pattern, view module, who may open it]
const ROUTES = [
  [/^\/signin$/, "signin", "anon"],
  [/^\/signup$/, "signup", "anon"],
  [/^\/join(?:\/(?<code>[^/]+))?$/, "signup", "anon"],
  [/^\/$/, "today", "runner"],
  [/^\/routines\/(?<id>[^/]+)$/, "player", "runner"],
  [/^\/log$/, "logrun", "runner"],
  [/^\/progress$/, "progress", "runner"],
  [/^\/questionnaires\/(?<slug>[^/]+)$/, "questionnaire", "runner"],
  [/^\/settings$/, "settings", "any"],
  [/^\/settings\/import$/, "import", "runner"],
  [/^\/clients$/, "roster", "practitioner"],
  [/^\/clients\/(?<id>[^/]+)\/report$/, "report", "practitioner"],
  [/^\/clients\/(?<id>[^/]+)$/, "client", "practitioner"],
  [/^\/library$/, "library", "practitioner"],
  [/^\/invite$/, "invite", "practitioner"],
];

const state = { user: null, cleanup: null, renderId: 0, offline: !navigator.onLine, stale: false };

function homeFor(user) {
  if (!user) return "/signin";
  return user.role === "practitioner" ? "/clients" : "/";
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, "", path);
  else history.pushState({}, "", path);
  render();
}

async function setUser(user) {
  state.user = user;
  if (user) await idbSet("user", user);
  else await idbDel("user");
  await outbox.setCurrentUser(user ? user.id : null);
  renderNav();
}

async function loadUser() {
  try {
    // 200 signed in or not, so a signed-out start logs no failed request.
    const session = await api.get("/auth/session");
    await setUser(session.signed_in ? session.user : null);
  } catch (err) {
    if (err.offline || err.status >= 500) {
      // No network: trust the last known user so the app still opens offline.
      state.user = (await idbGet("user")) || null;
      await outbox.setCurrentUser(state.user ? state.user.id : null);
      renderNav();
    } else {
      await setUser(null);
    }
  }
}

export async function signOut() {
  try {
    await api.post("/auth/logout");
  } catch {
    // Signing out locally still matters when the server can't be reached.
  }
  forgetCsrf();
  await clearApiCache();
  await setUser(null);
  navigate("/signin", { replace: true });
}

export async function clearApiCache() {
  if ("caches" in self) await caches.delete("limber-api-v1");
}

function renderNav() {
  const nav = document.getElementById("nav");
  clear(nav);
  const user = state.user;
  nav.hidden = !user;
  if (!user) return;
  const items = user.role === "practitioner" ? PRACTITIONER_NAV : RUNNER_NAV;
  const list = h("ul", {});
  for (const [href, label, icon] of items) {
    list.appendChild(
      h("li", {}, h("a", { href, class: "navlink", dataset: { icon } }, h("span", { class: `navicon icon-${icon}`, "aria-hidden": "true" }), h("span", {}, label))),
    );
  }
  nav.appendChild(list);
  markCurrentNav();
}

function markCurrentNav() {
  const path = location.pathname;
  for (const a of document.querySelectorAll("#nav a")) {
    const href = a.getAttribute("href");
    const current = href === path || (href !== "/" && path.startsWith(`${href}/`)) || (href === "/" && path.startsWith("/routines/"));
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function match(path) {
  for (const [re, view, who] of ROUTES) {
    const m = re.exec(path);
    if (m) return { view, who, params: { ...(m.groups || {}) } };
  }
  return null;
}

async function render() {
  const renderId = ++state.renderId;
  if (state.cleanup) {
    try {
      state.cleanup();
    } catch {
      /* a view's cleanup must never block navigation */
    }
    state.cleanup = null;
  }
  const path = location.pathname;
  const user = state.user;
  const route = match(path);
  if (!route) return navigate(homeFor(user), { replace: true });
  if (route.who === "anon" && user) return navigate(homeFor(user), { replace: true });
  if (route.who !== "anon" && !user) {
    sessionStorage.setItem("limber-after-signin", path + location.search);
    return navigate("/signin", { replace: true });
  }
  if ((route.who === "runner" || route.who === "practitioner") && user.role !== route.who) {
    return navigate(homeFor(user), { replace: true });
  }
  markCurrentNav();
  const root = document.getElementById("view");
  const ctx = {
    user,
    params: route.params,
    query: new URLSearchParams(location.search),
    navigate,
    setUser,
    afterSignIn,
    signOut,
    clearApiCache,
    refreshStatus,
    isCurrent: () => renderId === state.renderId,
  };
  let mod;
  try {
    mod = await import(`./views/${route.view}.js`);
  } catch (err) {
    if (renderId !== state.renderId) return;
    clear(root).appendChild(h("div", { class: "notice notice-error", role: "alert" }, "This screen could not be loaded. Check your connection and try again."));
    return;
  }
  if (renderId !== state.renderId) return;
  clear(root);
  document.title = `${mod.title || "Limber"} · Limber`;
  try {
    state.cleanup = (await mod.render(root, ctx)) || null;
  } catch (err) {
    if (renderId !== state.renderId) return;
    clear(root).appendChild(
      h(
        "div",
        { class: "notice notice-error", role: "alert" },
        err && err.offline ? "You're offline and this screen has not been saved on this device yet." : `Something went wrong: ${err && err.message ? err.message : err}`,
      ),
    );
  }
  if (renderId !== state.renderId) return;
  const heading = root.querySelector("h1");
  if (heading && state.focusOnRender) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
  state.focusOnRender = true;
}

// Links inside the app change the view without a page load.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest("a[href]");
  if (!a || a.target || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  const same = url.pathname + url.search === location.pathname + location.search;
  navigate(url.pathname + url.search, { replace: same });
});

window.addEventListener("popstate", () => render());

/* ---------- status: offline, outbox, refused items, updates ---------- */

async function refreshStatus() {
  const area = document.getElementById("status");
  const banners = document.getElementById("banners");
  const userId = state.user ? state.user.id : null;
  const waiting = userId ? await outbox.pending(userId) : [];
  const refused = userId ? await outbox.refusedItems(userId) : [];
  clear(area);
  if (state.offline || state.stale) {
    area.appendChild(h("span", { class: "pill pill-offline" }, "Offline"));
  }
  if (waiting.length) {
    area.appendChild(
      h(
        "button",
        {
          type: "button",
          class: "pill pill-waiting",
          id: "outbox-count",
          "aria-label": `${plural(waiting.length, "entry", "entries")} waiting to send. Send now`,
          onclick: () => outbox.flush(),
        },
        `${waiting.length} waiting`,
      ),
    );
  }
  for (const old of banners.querySelectorAll(".refused")) old.remove();
  for (const item of refused) {
    banners.appendChild(
      h(
        "div",
        { class: "notice notice-error refused", role: "alert" },
        h("p", {}, `A ${{ run: "run", morning: "morning answer" }[item.kind] || "routine"} saved on this device was not accepted: ${item.reason || "it was refused"}.`),
        item.fields && Object.keys(item.fields).length
          ? h("p", {}, Object.entries(item.fields).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; "))
          : null,
        h("button", { type: "button", class: "btn btn-small", onclick: () => outbox.dismissRefused(item.id) }, "Dismiss"),
      ),
    );
  }
  let live = document.getElementById("outbox-live");
  if (!live) {
    live = h("p", { id: "outbox-live", class: "visually-hidden", role: "status" });
    document.body.appendChild(live);
  }
  live.textContent = waiting.length ? `${plural(waiting.length, "entry", "entries")} waiting to send` : "";
}

outbox.events.addEventListener("change", () => refreshStatus());
apiEvents.addEventListener("stale", () => {
  state.stale = true;
  refreshStatus();
});
apiEvents.addEventListener("fresh", () => {
  if (state.stale) {
    state.stale = false;
    refreshStatus();
  }
});
apiEvents.addEventListener("unauthorized", async () => {
  if (!state.user || !navigator.onLine) return;
  await clearApiCache();
  await setUser(null);
  const path = location.pathname;
  if (!match(path) || match(path).who !== "anon") navigate("/signin", { replace: true });
});

window.addEventListener("online", () => {
  state.offline = false;
  refreshStatus();
  outbox.flush();
});
window.addEventListener("offline", () => {
  state.offline = true;
  refreshStatus();
});

let updateAccepted = false;

function banner(cls, text, label, onclick) {
  const banners = document.getElementById("banners");
  if (banners.querySelector(`.${cls}`)) return;
  banners.appendChild(
    h(
      "div",
      { class: `notice notice-info ${cls}`, role: "status" },
      h("p", {}, text),
      h("button", { type: "button", class: "btn btn-small", onclick }, label),
    ),
  );
}

function showUpdate(worker) {
  banner("update", "A new version of Limber is ready.", "Update now", () => {
    updateAccepted = true;
    worker.postMessage({ type: "SKIP_WAITING" });
  });
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  let controller = navigator.serviceWorker.controller;
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    const previous = controller;
    controller = navigator.serviceWorker.controller;
    // The first install takes control quietly.
    if (!previous || reloading) return;
    if (updateAccepted) {
      reloading = true;
      location.reload();
      return;
    }
    // Accepted in another tab: this page still runs the old code, so offer a reload
    // rather than losing what the user may be typing.
    banner("updated", "Limber was updated in another tab.", "Reload", () => location.reload());
  });
  // A tapped notification asks the open tab to show its view (sw.js, notificationclick).
  navigator.serviceWorker.addEventListener("message", (event) => {
    const msg = event.data || {};
    if (msg.type === "NAVIGATE" && typeof msg.url === "string" && msg.url.startsWith("/") && !msg.url.startsWith("//")) {
      navigate(msg.url);
    }
  });
  try {
    const reg = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" });
    if (reg.waiting && navigator.serviceWorker.controller) showUpdate(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const worker = reg.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate(worker);
      });
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") reg.update().catch(() => {});
    });
  } catch {
    // Without a service worker the app still works online.
  }
}

/**
 * Once the service worker controls the page, read what a runner needs offline
 * (every routine with its steps) so the worker keeps a copy, and hold a CSRF
 * token so a write made later without signal can be sent as soon as it returns.
 */
async function warmUp() {
  if (!state.user || !navigator.onLine) return;
  prefetchCsrf();
  if (state.user.role !== "runner" || !("serviceWorker" in navigator)) return;
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  try {
    const routines = await api.all("/routines");
    await Promise.all(routines.map((r) => api.get(`/routines/${r.id}`).catch(() => null)));
  } catch {
    // Best effort: the next start tries again.
  }
}

export function afterSignIn() {
  warmUp();
  outbox.flush();
}

async function start() {
  await loadUser();
  render();
  refreshStatus();
  registerServiceWorker();
  if (state.user) afterSignIn();
}

start();
