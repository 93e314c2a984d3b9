// Registers sw.js, offers an update when a new worker waits, and follows the worker's
// requests to open a view (a tapped notification).

import { banner } from "./chrome.js";
import { navigate } from "./router.js";

let updateAccepted = false;

function showUpdate(worker) {
  banner("update", "A new version of Limber is ready.", "Update now", () => {
    updateAccepted = true;
    worker.postMessage({ type: "SKIP_WAITING" });
  });
}

function followControllerChanges() {
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
}

// A tapped notification asks the open tab to show its view (sw.js, notificationclick).
function onMessage(event) {
  const msg = event.data || {};
  const url = msg.url;
  // The sign-in warm-up is done (sw.js "WARM"): the first screens now open offline.
  if (msg.type === "WARMED") document.documentElement.dataset.warmed = "1";
  if (msg.type === "NAVIGATE" && typeof url === "string" && url.startsWith("/")) {
    if (!url.startsWith("//")) navigate(url);
  }
}

function watchForUpdates(reg) {
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
}

function whenIdle(fn) {
  if ("requestIdleCallback" in self) requestIdleCallback(fn, { timeout: 10_000 });
  else setTimeout(fn, 2_000);
}

// The worker installs only what the first screens need. Once the page is loaded and the
// browser has nothing else to do, it is asked to keep the rest (other views, exercise
// pictures) so that every screen opens offline.
function keepTheRestWhenIdle() {
  navigator.serviceWorker.ready.then((reg) => {
    const ask = () => whenIdle(() => reg.active && reg.active.postMessage({ type: "CACHE_REST" }));
    if (document.readyState === "complete") ask();
    else addEventListener("load", ask, { once: true });
  });
}

export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  followControllerChanges();
  navigator.serviceWorker.addEventListener("message", onMessage);
  try {
    const reg = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" });
    watchForUpdates(reg);
    keepTheRestWhenIdle();
  } catch {
    // Without a service worker the app still works online.
  }
}

/** Resolves once a service worker controls the page. */
export async function controlled() {
  await navigator.serviceWorker.ready;
  if (navigator.serviceWorker.controller) return;
  await new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }),
  );
}
