import { api } from "../api.js";
import { h } from "../dom.js";
import { formatDate, formatDateTime, plural, trendText } from "../format.js";

export const title = "Clients";

// The roster item is read defensively: a few fields are optional.
export function reasonsOf(item) {
  const raw = item.attention_reasons || item.reasons || (item.attention && item.attention.reasons) || [];
  return raw.map((r) => (typeof r === "string" ? r : r.message || r.label || String(r.code || r.kind || "")).replace(/_/g, " ")).filter(Boolean);
}

function needsAttention(item) {
  if (typeof item.needs_attention === "boolean") return item.needs_attention;
  if (item.attention && typeof item.attention === "object" && "needed" in item.attention) return Boolean(item.attention.needed);
  return reasonsOf(item).length > 0;
}


function trendOf(item) {
  return trendText(item.trend_14d).toLowerCase();
}

function adherenceOf(item) {
  const a = item.adherence_14d || item.adherence;
  if (a === null || a === undefined) return null;
  const rate = typeof a === "number" ? a : a.rate;
  if (rate === null || rate === undefined) return null;
  return `${Math.round(rate * 100)}%`;
}

function lastRunOf(item) {
  const r = item.last_run;
  const at = (r && (r.started_at || r.local_date)) || item.last_run_at || item.last_run_on;
  return at ? formatDate(at) : null;
}

function latestStiffness(item) {
  const v = item.latest_stiffness ?? (item.last_run && item.last_run.stiffness);
  return v === null || v === undefined ? null : `${v}/10`;
}

function alertsOf(item) {
  const a = item.open_alerts;
  if (Array.isArray(a)) return a.length;
  if (a && typeof a === "object") return Number(a.count || 0);
  return Number(a || 0);
}

/** "Waiting for a reply first": the clients who wrote last, longest wait first. */
function sortButton(list, items, threads) {
  const waiting = items.filter((i) => threads.get(i.id) && threads.get(i.id).waiting_since).length;
  const sort = h("button", { type: "button", class: "btn btn-secondary btn-small", "aria-pressed": "false" }, `Waiting for a reply first (${waiting})`);
  sort.addEventListener("click", () => {
    const on = sort.getAttribute("aria-pressed") !== "true";
    sort.setAttribute("aria-pressed", String(on));
    const cards = [...list.children];
    const key = (li) => (on ? li.dataset.waiting || "9999" : li.dataset.order.padStart(6, "0"));
    cards.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    list.replaceChildren(...cards);
  });
  return sort;
}

export async function render(root, ctx) {
  const list = h("ul", { class: "roster", "aria-label": "Clients" });
  root.append(
    h(
      "section",
      {},
      h("div", { class: "view-head" }, h("h1", {}, "Clients"), h("a", { href: "/invite", class: "btn btn-secondary" }, "Invite a client")),
      h("p", { class: "muted" }, "Clients who need your attention come first."),
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
  list.before(h("div", { class: "row" }, sortButton(list, items, threads)));
  for (const [order, item] of items.entries()) {
    const thread = threads.get(item.id);
    const reasons = reasonsOf(item);
    const attention = needsAttention(item);
    const alerts = alertsOf(item);
    const facts = [
      ["Last run", lastRunOf(item) || "none yet"],
      ["Latest stiffness", latestStiffness(item) || "–"],
      ["14-day trend", trendOf(item) || "–"],
      ["Routines (14 days)", adherenceOf(item) || "–"],
    ];
    list.appendChild(
      h(
        "li",
        { class: `card client-card${attention ? " needs-attention" : ""}`, dataset: { order: String(order), waiting: (thread && thread.waiting_since) || "" } },
        h("h2", { class: "h3" }, h("a", { href: `/clients/${item.id}` }, item.display_name || item.email || "Client")),
        attention || reasons.length
          ? h("ul", { class: "reasons", "aria-label": "Needs attention because" }, reasons.map((r) => h("li", {}, h("span", { class: "badge badge-bad" }, r))))
          : h("p", { class: "muted" }, "Nothing needs attention."),
        h("dl", { class: "kv" }, facts.map(([k, v]) => h("div", {}, h("dt", {}, `${k}:`), h("dd", {}, v)))),
        alerts ? h("p", {}, h("span", { class: "badge badge-warn" }, plural(alerts, "open alert"))) : null,
        thread && (thread.unread || thread.waiting_since)
          ? h(
              "p",
              {},
              thread.unread ? h("a", { href: `/clients/${item.id}#messages`, class: "badge badge-bad" }, plural(thread.unread, "unread message")) : null,
              thread.waiting_since ? h("span", { class: "muted" }, ` Waiting for a reply since ${formatDateTime(thread.waiting_since)}`) : null,
            )
          : null,
      ),
    );
  }
}
