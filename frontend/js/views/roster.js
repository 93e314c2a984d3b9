import { api } from "../api.js";
import { h } from "../dom.js";
import { formatDate, formatDateTime, plural, trendText } from "../format.js";

export const title = "Clients";

// A roster item as the API sends it (RosterItem in backend/practice/schemas.py).
const trendOf = (item) => trendText(item.trend_14d).toLowerCase();

function adherenceOf(item) {
  const { rate } = item.adherence_14d;
  return rate === null ? null : `${Math.round(rate * 100)}%`;
}

const lastRunOf = (item) => (item.last_run_at ? formatDate(item.last_run_at) : null);
const latestStiffness = (item) => (item.latest_stiffness === null ? null : `${item.latest_stiffness}/10`);

/** Unread messages and how long the client has waited for an answer, when either is so. */
function threadLine(item, thread) {
  if (!thread || !(thread.unread || thread.waiting_since)) return null;
  return h(
    "p",
    {},
    thread.unread
      ? h("a", { href: `/clients/${item.id}#messages`, class: "badge badge-bad" }, plural(thread.unread, "unread message"))
      : null,
    thread.waiting_since
      ? h("span", { class: "muted" }, ` Waiting for a reply since ${formatDateTime(thread.waiting_since)}`)
      : null,
  );
}

function clientCard(item, thread) {
  const { reasons, needs_attention: attention } = item;
  const alerts = item.open_alerts.count;
  const facts = [
    ["Last run", lastRunOf(item) || "none yet"],
    ["Latest stiffness", latestStiffness(item) || "–"],
    ["14-day trend", trendOf(item) || "–"],
    ["Routines (14 days)", adherenceOf(item) || "–"],
  ];
  return h(
    "li",
    { class: `card client-card${attention ? " needs-attention" : ""}` },
    h("h2", { class: "h3" }, h("a", { href: `/clients/${item.id}` }, item.display_name || item.email || "Client")),
    attention || reasons.length
      ? h("ul", { class: "reasons", "aria-label": "Needs attention because" }, reasons.map((r) => h("li", {}, h("span", { class: "badge badge-bad" }, r))))
      : h("p", { class: "muted" }, "Nothing needs attention."),
    h("dl", { class: "kv" }, facts.map(([k, v]) => h("div", {}, h("dt", {}, `${k}:`), h("dd", {}, v)))),
    alerts ? h("p", {}, h("span", { class: "badge badge-warn" }, plural(alerts, "open alert"))) : null,
    threadLine(item, thread),
  );
}

/** "Waiting for a reply first": the clients who wrote last, longest wait first. */
function waitingFirst(items, threads) {
  const since = (it) => (threads.get(it.id) && threads.get(it.id).waiting_since) || "9999";
  return [...items].sort((a, b) => (since(a) < since(b) ? -1 : since(a) > since(b) ? 1 : 0));
}

function sortButton(count, onChange) {
  const sort = h("button", { type: "button", class: "btn btn-secondary btn-small", "aria-pressed": "false" }, `Waiting for a reply first (${count})`);
  sort.addEventListener("click", () => {
    const on = sort.getAttribute("aria-pressed") !== "true";
    sort.setAttribute("aria-pressed", String(on));
    onChange(on);
  });
  return sort;
}

/** Name or email contains every word typed, in any case. */
export function matches(item, query) {
  const text = `${item.display_name || ""} ${item.email || ""}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w));
}

/** Search and the "needs attention" filter; calls `apply` with the visible items. */
function filters(items, apply) {
  const search = h("input", { type: "search", id: "roster-search", name: "q", autocomplete: "off", placeholder: "Name or email" });
  const flagged = items.filter((it) => it.needs_attention).length;
  const all = h("button", { type: "button", "aria-pressed": "true" }, `All (${items.length})`);
  const attention = h("button", { type: "button", "aria-pressed": "false" }, `Needs attention (${flagged})`);
  const count = h("p", { class: "muted", role: "status" });
  let onlyAttention = false;
  const update = () => {
    const shown = items.filter((it) => (!onlyAttention || it.needs_attention) && matches(it, search.value));
    count.textContent = shown.length === items.length ? plural(items.length, "client") : `Showing ${shown.length} of ${plural(items.length, "client")}`;
    apply(shown);
  };
  const choose = (only) => {
    onlyAttention = only;
    all.setAttribute("aria-pressed", String(!only));
    attention.setAttribute("aria-pressed", String(only));
    update();
  };
  all.addEventListener("click", () => choose(false));
  attention.addEventListener("click", () => choose(true));
  search.addEventListener("input", update);
  const bar = h(
    "div",
    { class: "roster-filters" },
    h("div", { class: "field" }, h("label", { for: "roster-search" }, "Search clients"), search),
    h("div", { class: "segmented", role: "group", "aria-label": "Show" }, all, attention),
    count,
  );
  return { bar, update };
}

export async function render(root, ctx) {
  const list = h("ul", { class: "roster", "aria-label": "Clients" });
  const head = h("p", { class: "muted" }, "Clients who need your attention come first.");
  root.append(
    h(
      "section",
      {},
      h("div", { class: "view-head" }, h("h1", {}, "Clients"), h("a", { href: "/invite", class: "btn btn-secondary" }, "Invite a client")),
      head,
      list,
    ),
  );
  const [data, talk] = await Promise.all([api.get("/clients"), api.get("/practice/conversations").catch(() => ({ items: [] }))]);
  if (!ctx.isCurrent()) return;
  const items = data.items || [];
  const threads = new Map((talk.items || []).map((t) => [t.client_id, t]));
  if (!items.length) {
    list.replaceWith(h("div", { class: "card" }, h("p", {}, "No clients yet. Share your invite code and they'll appear here once they join."), h("a", { href: "/invite", class: "btn btn-primary" }, "Get your invite code")));
    return;
  }
  const empty = h("p", { class: "card muted", hidden: true }, "No client matches. Clear the search or show all clients.");
  let sorted = false;
  const { bar, update } = filters(items, (shown) => {
    const ordered = sorted ? waitingFirst(shown, threads) : shown;
    list.replaceChildren(...ordered.map((it) => clientCard(it, threads.get(it.id))));
    empty.hidden = shown.length > 0;
  });
  const waiting = items.filter((it) => threads.get(it.id) && threads.get(it.id).waiting_since).length;
  const sort = sortButton(waiting, (on) => {
    sorted = on;
    update();
  });
  head.after(bar, h("div", { class: "row" }, sort));
  list.after(empty);
  update();
}
