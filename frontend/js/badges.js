// Unread counts on the tab bar: one cheap request (GET /me/unread) for messages and
// notifications, polled while the app is open and asked again when a push arrives
// (the service worker posts UNREAD) or a view reads something ("limber:unread").

import { api } from "./api.js";

const EVERY_MS = 60_000;
let timer = null;
let counts = { messages: 0, notifications: 0 };

export const events = new EventTarget();

export function current() {
  return counts;
}

function paint() {
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

export async function refresh() {
  try {
    counts = await api.get("/me/unread");
  } catch {
    return; // offline or signed out: keep what is shown
  }
  paint();
  events.dispatchEvent(new CustomEvent("change", { detail: counts }));
}

export function start() {
  stop();
  refresh();
  timer = setInterval(() => {
    if (document.visibilityState === "visible") refresh();
  }, EVERY_MS);
}

export function stop() {
  if (timer) clearInterval(timer);
  timer = null;
  counts = { messages: 0, notifications: 0 };
  paint();
}

document.addEventListener("visibilitychange", () => {
  if (timer && document.visibilityState === "visible") refresh();
});
window.addEventListener("limber:unread", () => {
  if (timer) refresh();
});
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (timer && event.data && event.data.type === "UNREAD") refresh();
  });
}
// Paint again whenever the tab bar is drawn anew.
export { paint };
