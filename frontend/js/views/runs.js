// Your runs: newest first, a page at a time (the API's cursor), each opening its
// detail. Writes still waiting in the outbox show here as they will be once sent.
import { api } from "../api.js";
import { h, notice } from "../dom.js";
import {
  RED_FLAGS,
  SURFACES,
  WORKOUTS,
  formatDateTime,
  formatDistance,
  formatDuration,
  labelOf,
} from "../format.js";
import * as outbox from "../outbox.js";

export const title = "Your runs";

const PAGE = 20;
export const FLASH = "limber-run-flash";

/** What the outbox still holds for runs: new ones, changes by run id, deletions. */
export async function waitingForRuns(userId) {
  const waiting = { created: [], changes: new Map(), deleted: new Set() };
  for (const item of await outbox.pending(userId)) {
    const runId = item.meta && item.meta.run_id;
    if (item.kind === "run") waiting.created.push(item.body);
    else if (item.kind === "run-edit")
      waiting.changes.set(runId, { ...(waiting.changes.get(runId) || {}), ...item.body });
    else if (item.kind === "run-delete") waiting.deleted.add(runId);
  }
  return waiting;
}

/** A run as it will be once the outbox has sent what it holds for it. */
export function withChanges(run, waiting) {
  const change = waiting.changes.get(run.id);
  return change ? { ...run, ...change, waiting: "Change waiting to send" } : run;
}

export function takeFlash() {
  const text = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  return text ? notice("success", text) : null;
}

function runItem(run, user) {
  const flags = (run.red_flags || []).length;
  const line = `${formatDistance(run.distance_km, user)} · ${formatDuration(run.duration_s)} · ${labelOf(SURFACES, run.surface)}, ${labelOf(WORKOUTS, run.workout_type).toLowerCase()}`;
  const stiffness =
    run.stiffness === null || run.stiffness === undefined
      ? "Stiffness not rated yet"
      : `Stiffness ${run.stiffness}/10`;
  const body = [
    h("span", { class: "run-when" }, formatDateTime(run.started_at)),
    h("span", { class: "run-line" }, line),
    h(
      "span",
      { class: "run-meta" },
      stiffness,
      flags
        ? ` · ${flags === 1 ? labelOf(RED_FLAGS, run.red_flags[0]) : `${flags} warning signs`}`
        : null,
    ),
    run.waiting ? h("span", { class: "pill pill-waiting" }, run.waiting) : null,
  ];
  return h(
    "li",
    { class: "run-item" },
    run.sent === false
      ? h("div", { class: "run-link" }, body)
      : h("a", { href: `/runs/${run.id}`, class: "run-link" }, body),
  );
}

async function page(cursor) {
  return api.get("/runs", cursor ? { limit: PAGE, cursor } : { limit: PAGE });
}

/** The next page, after the button is pressed; offline, says the page is not kept. */
async function older(more, status, show, getCursor, setCursor) {
  more.disabled = true;
  try {
    const next = await page(getCursor());
    show(next.items || []);
    setCursor(next.next_cursor);
    status.replaceChildren(
      h("p", { class: "visually-hidden" }, `${(next.items || []).length} more runs shown.`),
    );
  } catch (err) {
    const text = err.offline
      ? "Older runs are not saved on this device. Try again with a connection."
      : err.message;
    status.replaceChildren(notice("error", text));
  }
  more.disabled = false;
  more.hidden = !getCursor();
}

export async function render(root, ctx) {
  const user = ctx.user;
  const list = h("ul", { class: "run-list", "aria-label": "Runs, newest first" });
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary btn-block", hidden: true },
    "Show older runs",
  );
  const status = h("div", { "aria-live": "polite" });
  root.append(
    h(
      "section",
      {},
      h(
        "div",
        { class: "view-head" },
        h("h1", {}, "Your runs"),
        h("a", { href: "/log", class: "btn btn-primary" }, "Log a run"),
      ),
      takeFlash(),
      list,
      status,
      more,
    ),
  );
  const waiting = await waitingForRuns(user.id);
  const first = await page(null);
  if (!ctx.isCurrent()) return;
  const known = new Set((first.items || []).map((r) => r.id));
  const unsent = waiting.created
    .filter((b) => !known.has(b.id))
    .map((b) => ({ ...b, sent: false, waiting: "Waiting to send" }));
  let cursor = first.next_cursor;
  const show = (runs) => {
    for (const run of runs)
      if (!waiting.deleted.has(run.id)) list.appendChild(runItem(withChanges(run, waiting), user));
  };
  show([...unsent.sort((a, b) => (a.started_at < b.started_at ? 1 : -1)), ...(first.items || [])]);
  if (!list.children.length)
    list.replaceWith(
      h("p", { class: "card" }, "No runs yet. Log your first one after your next run."),
    );
  more.hidden = !cursor;
  more.addEventListener("click", () =>
    older(
      more,
      status,
      show,
      () => cursor,
      (c) => (cursor = c),
    ),
  );
}
