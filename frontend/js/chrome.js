// The chrome every view shares: the tab bar, the offline and outbox status, refused
// items, banners, and signing out.

import { api, events as apiEvents, forgetCsrf } from "./api.js";
import { clear, h } from "./dom.js";
import { plural } from "./format.js";
import * as outbox from "./outbox.js";
import { navigate } from "./router.js";

const RUNNER_NAV = [
  ["/", "Today", "today"],
  ["/log", "Log run", "log"],
  ["/runs", "Runs", "runs"],
  ["/progress", "Progress", "progress"],
  ["/messages", "Messages", "messages", "messages"],
  ["/settings", "Settings", "settings", "notifications"],
];
const PRACTITIONER_NAV = [
  ["/clients", "Clients", "clients", "messages"],
  ["/library", "Library", "library"],
  ["/invite", "Invite", "invite"],
  ["/settings", "Settings", "settings", "notifications"],
];
const KINDS = {
  run: "run",
  "run-edit": "change to a run",
  "run-delete": "run deletion",
  morning: "morning answer",
  message: "message",
};

const state = { offline: !navigator.onLine, stale: false };
// Set by startChrome: the signed-in user and how to change it.
let session = { user: () => null, setUser: async () => {} };

/** The tab bar for this user (none when signed out). */
export function renderNav(user) {
  const nav = document.getElementById("nav");
  clear(nav);
  nav.hidden = !user;
  if (!user) return;
  const items = user.role === "practitioner" ? PRACTITIONER_NAV : RUNNER_NAV;
  const list = h("ul", {});
  for (const [href, label, icon, badge] of items) {
    const glyph = h("span", { class: `navicon icon-${icon}`, "aria-hidden": "true" });
    const data = { icon, badge };
    const link = h("a", { href, class: "navlink", dataset: data }, glyph, h("span", {}, label));
    list.appendChild(h("li", {}, link));
  }
  nav.appendChild(list);
  markCurrentNav();
  badges.paint();
}

export function markCurrentNav() {
  const path = location.pathname;
  for (const a of document.querySelectorAll("#nav a")) {
    const href = a.getAttribute("href");
    const current =
      href === path ||
      (href !== "/" && path.startsWith(`${href}/`)) ||
      (href === "/" && path.startsWith("/routines/"));
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function waitingButton(count) {
  return h(
    "button",
    {
      type: "button",
      class: "pill pill-waiting",
      id: "outbox-count",
      "aria-label": `${plural(count, "entry", "entries")} waiting to send. Send now`,
      onclick: () => outbox.flush(),
    },
    `${count} waiting`,
  );
}

function refusedNotice(item) {
  const what = KINDS[item.kind] || "routine";
  const fields = Object.entries(item.fields || {});
  const details = fields.map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ");
  return h(
    "div",
    { class: "notice notice-error refused", role: "alert" },
    h(
      "p",
      {},
      `A ${what} saved on this device was not accepted: ${item.reason || "it was refused"}.`,
    ),
    fields.length ? h("p", {}, details) : null,
    h(
      "button",
      { type: "button", class: "btn btn-small", onclick: () => outbox.dismissRefused(item.id) },
      "Dismiss",
    ),
  );
}

function announce(count) {
  let live = document.getElementById("outbox-live");
  if (!live) {
    live = h("p", { id: "outbox-live", class: "visually-hidden", role: "status" });
    document.body.appendChild(live);
  }
  live.textContent = count ? `${plural(count, "entry", "entries")} waiting to send` : "";
}

/** Offline pill, outbox count and refused items, from the outbox as it is now. */
export async function refreshStatus() {
  const area = document.getElementById("status");
  const banners = document.getElementById("banners");
  const user = session.user();
  const waiting = user ? await outbox.pending(user.id) : [];
  const refused = user ? await outbox.refusedItems(user.id) : [];
  clear(area);
  if (state.offline || state.stale) {
    area.appendChild(h("span", { class: "pill pill-offline" }, "Offline"));
  }
  if (waiting.length) area.appendChild(waitingButton(waiting.length));
  for (const old of banners.querySelectorAll(".refused")) old.remove();
  for (const item of refused) banners.appendChild(refusedNotice(item));
  announce(waiting.length);
}

/** A dismissable notice with one button, shown once per class. */
export function banner(cls, text, label, onclick) {
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

export async function clearApiCache() {
  if ("caches" in self) await caches.delete("limber-api-v1");
}

export async function signOut() {
  try {
    await api.post("/auth/logout");
  } catch {
    // Signing out locally still matters when the server can't be reached.
  }
  forgetCsrf();
  await clearApiCache();
  await session.setUser(null);
  navigate("/signin", { replace: true });
}

function setStale(stale) {
  if (!stale && !state.stale) return;
  state.stale = stale;
  refreshStatus();
}

function setOffline(offline) {
  state.offline = offline;
  refreshStatus();
  if (!offline) outbox.flush();
}

/** Keeps the status current as the network, the API and the outbox change. */
export function startChrome({ user, setUser }) {
  session = { user, setUser };
  outbox.events.addEventListener("change", () => refreshStatus());
  apiEvents.addEventListener("stale", () => setStale(true));
  apiEvents.addEventListener("fresh", () => setStale(false));
  window.addEventListener("online", () => setOffline(false));
  window.addEventListener("offline", () => setOffline(true));
}

// Unread counts on the tab bar: one cheap request (GET /me/unread) for messages and
// notifications, polled while the app is open and asked again when a push arrives
// (the service worker posts UNREAD) or a view reads something ("limber:unread").
// They are part of the tab bar, so they live here and load with it.

const BADGE_EVERY_MS = 60_000;
let badgeTimer = null;
let counts = { messages: 0, notifications: 0 };

const badgeEvents = new EventTarget();

function currentCounts() {
  return counts;
}

function paintBadges() {
  for (const link of document.querySelectorAll("#nav a[data-badge]")) {
    const n = counts[link.dataset.badge] || 0;
    let badge = link.querySelector(".nav-count");
    if (!n) {
      if (badge) badge.remove();
      link.removeAttribute("aria-description");
      continue;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "nav-count";
      link.appendChild(badge);
    }
    badge.textContent = n > 99 ? "99+" : String(n);
    // Read out with the tab's name: "Messages, 2 unread".
    badge.setAttribute("aria-label", `${n} unread`);
  }
}

async function refreshBadges() {
  try {
    counts = await api.get("/me/unread");
  } catch {
    return; // offline or signed out: keep what is shown
  }
  paintBadges();
  badgeEvents.dispatchEvent(new CustomEvent("change", { detail: counts }));
}

function startBadges() {
  stopBadges();
  refreshBadges();
  badgeTimer = setInterval(() => {
    if (document.visibilityState === "visible") refreshBadges();
  }, BADGE_EVERY_MS);
}

function stopBadges() {
  if (badgeTimer) clearInterval(badgeTimer);
  badgeTimer = null;
  counts = { messages: 0, notifications: 0 };
  paintBadges();
}

document.addEventListener("visibilitychange", () => {
  if (badgeTimer && document.visibilityState === "visible") refreshBadges();
});
window.addEventListener("limber:unread", () => {
  if (badgeTimer) refreshBadges();
});
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (badgeTimer && event.data && event.data.type === "UNREAD") refreshBadges();
  });
}
/** What the app shell drives: start and stop with the signed-in user, paint with the bar. */
export const badges = {
  start: startBadges,
  stop: stopBadges,
  paint: paintBadges,
  refresh: refreshBadges,
  current: currentCounts,
  events: badgeEvents,
};
