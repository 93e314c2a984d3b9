// The router: which view a path opens, who may open it, and in-app links (History API).
// Views are loaded by dynamic import() when first opened.

import { clear, h } from "./dom.js";

// [pattern, view module, who may open it]
const ROUTES = [
  [/^\/signin$/, "signin", "anon"],
  [/^\/signup$/, "signup", "anon"],
  [/^\/join(?:\/(?<code>[^/]+))?$/, "signup", "anon"],
  [/^\/$/, "today", "runner"],
  [/^\/routines\/(?<id>[^/]+)$/, "player", "runner"],
  [/^\/log$/, "logrun", "runner"],
  [/^\/runs$/, "runs", "runner"],
  [/^\/runs\/(?<id>[^/]+)\/(?<edit>edit)$/, "run", "runner"],
  [/^\/runs\/(?<id>[^/]+)$/, "run", "runner"],
  [/^\/progress$/, "progress", "runner"],
  [/^\/messages$/, "messages", "runner"],
  [/^\/questionnaires\/(?<slug>[^/]+)$/, "questionnaire", "runner"],
  [/^\/settings$/, "settings", "any"],
  [/^\/settings\/import$/, "import", "runner"],
  [/^\/clients$/, "roster", "practitioner"],
  [/^\/clients\/(?<id>[^/]+)\/report$/, "report", "practitioner"],
  [/^\/clients\/(?<id>[^/]+)$/, "client", "practitioner"],
  [/^\/library$/, "library", "practitioner"],
  [/^\/invite$/, "invite", "practitioner"],
];

const LOAD_FAILED = "This screen could not be loaded. Check your connection and try again.";
const OFFLINE = "You're offline and this screen has not been saved on this device yet.";

const state = { cleanup: null, renderId: 0, focusOnRender: false };
// Set by startRouter: the signed-in user, what every view's ctx carries, a hook per render.
let session = { user: () => null, context: {}, onRender: () => {} };

export function homeFor(user) {
  if (!user) return "/signin";
  return user.role === "practitioner" ? "/clients" : "/";
}

export function match(path) {
  for (const [re, view, who] of ROUTES) {
    const m = re.exec(path);
    if (m) return { view, who, params: { ...(m.groups || {}) } };
  }
  return null;
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, "", path);
  else history.pushState({}, "", path);
  render();
}

function runCleanup() {
  if (!state.cleanup) return;
  try {
    state.cleanup();
  } catch {
    /* a view's cleanup must never block navigation */
  }
  state.cleanup = null;
}

/** Where the user must go instead of this route, or null when they may open it. */
function redirectFor(route, user, path) {
  if (!route) return homeFor(user);
  if (route.who === "anon") return user ? homeFor(user) : null;
  if (!user) {
    sessionStorage.setItem("limber-after-signin", path + location.search);
    return "/signin";
  }
  if ((route.who === "runner" || route.who === "practitioner") && user.role !== route.who) {
    return homeFor(user);
  }
  return null;
}

function showError(root, text) {
  clear(root).appendChild(h("div", { class: "notice notice-error", role: "alert" }, text));
}

function focusHeading(root) {
  const heading = root.querySelector("h1");
  if (heading && state.focusOnRender) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
  state.focusOnRender = true;
}

export async function render() {
  const renderId = ++state.renderId;
  const isCurrent = () => renderId === state.renderId;
  runCleanup();
  const path = location.pathname;
  const user = session.user();
  const route = match(path);
  const redirect = redirectFor(route, user, path);
  if (redirect) return navigate(redirect, { replace: true });
  session.onRender();
  const root = document.getElementById("view");
  const query = new URLSearchParams(location.search);
  const ctx = { ...session.context, user, params: route.params, query, navigate, isCurrent };
  let mod;
  try {
    mod = await import(`./views/${route.view}.js`);
  } catch {
    if (isCurrent()) showError(root, LOAD_FAILED);
    return;
  }
  if (!isCurrent()) return;
  clear(root);
  document.title = `${mod.title || "Limber"} · Limber`;
  try {
    state.cleanup = (await mod.render(root, ctx)) || null;
  } catch (err) {
    if (!isCurrent()) return;
    showError(root, err && err.offline ? OFFLINE : `Something went wrong: ${err?.message || err}`);
  }
  if (isCurrent()) focusHeading(root);
}

// Links inside the app change the view without a page load.
function onClick(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest("a[href]");
  if (!a || a.target || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  const same = url.pathname + url.search === location.pathname + location.search;
  navigate(url.pathname + url.search, { replace: same });
}

/** Wires links and the back button; `user` returns the signed-in user (or null). */
export function startRouter({ user, context, onRender }) {
  session = { user, context, onRender };
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", () => render());
}
