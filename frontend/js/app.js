// Boot and the signed-in user. The router (router.js), the shared chrome (chrome.js) and
// the service worker's registration (serviceworker.js) each live in their own module.

import { del as idbDel, get as idbGet, set as idbSet } from "../vendor/idb-keyval.js";
import { api, events as apiEvents, prefetchCsrf, useCsrf } from "./api.js";
import {
  badges,
  clearApiCache,
  markCurrentNav,
  refreshStatus,
  renderNav,
  signOut,
  startChrome,
} from "./chrome.js";
import * as outbox from "./outbox.js";
import { match, navigate, render, startRouter } from "./router.js";
import { controlled, registerServiceWorker } from "./serviceworker.js";

const state = { user: null };

async function setUser(user) {
  state.user = user;
  if (user) await idbSet("user", user);
  else await idbDel("user");
  if (user) badges.start();
  else badges.stop();
  await outbox.setCurrentUser(user ? user.id : null);
  renderNav(user);
}

async function loadUser() {
  try {
    // 200 signed in or not, so a signed-out start logs no failed request.
    const session = await api.get("/auth/session");
    useCsrf(session.csrf_token);
    await setUser(session.signed_in ? session.user : null);
  } catch (err) {
    if (err.offline || err.status >= 500) {
      // No network: trust the last known user so the app still opens offline.
      state.user = (await idbGet("user")) || null;
      await outbox.setCurrentUser(state.user ? state.user.id : null);
      if (state.user) badges.start();
      renderNav(state.user);
    } else {
      await setUser(null);
    }
  }
}

/**
 * Once the service worker controls the page, ask it to read what a runner needs
 * offline (Today, every routine with its steps, Progress, the runs), and hold a CSRF
 * token so a write made later without signal can be sent as soon as it returns.
 */
async function warmUp() {
  if (!state.user || !navigator.onLine) return;
  prefetchCsrf();
  if (state.user.role !== "runner" || !("serviceWorker" in navigator)) return;
  await controlled();
  try {
    (await import("./warm.js")).warmRunner(state.user);
  } catch {
    // Best effort: the next start tries again.
  }
}

function afterSignIn() {
  warmUp();
  outbox.flush();
}

apiEvents.addEventListener("unauthorized", async () => {
  if (!state.user || !navigator.onLine) return;
  await clearApiCache();
  await setUser(null);
  const route = match(location.pathname);
  if (!route || route.who !== "anon") navigate("/signin", { replace: true });
});

async function start() {
  const user = () => state.user;
  startChrome({ user, setUser });
  const context = { setUser, afterSignIn, signOut, clearApiCache, refreshStatus };
  startRouter({ user, context, onRender: markCurrentNav });
  await loadUser();
  render();
  refreshStatus();
  registerServiceWorker();
  if (state.user) afterSignIn();
}

start();
