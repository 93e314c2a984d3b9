import { api } from "../api.js";
import { h } from "../dom.js";
import { addDays, formatDate, isoDate } from "../format.js";
import * as outbox from "../outbox.js";
import { helpCard } from "./help.js";

export const title = "Today";

export async function render(root, ctx) {
  const today = isoDate(new Date(), ctx.user.timezone);
  // Everything Today shows is gathered first and drawn at once, so no card pushes the
  // others down as it arrives. The optional cards' modules load only when needed.
  const [data, pending, mornings, imported, due] = await Promise.all([
    api.get("/today", { date: today }),
    outbox.pending(ctx.user.id),
    cardFor(morningRuns(today, ctx), async (runs) => (await import("./morning.js")).morningCards(runs, ctx), []),
    cardFor(awaitingStiffness(), async (runs) => (await import("./imported.js")).importedPrompt(runs, ctx)),
    cardFor(dueItems(ctx.user, today), async (items) => (await import("./duecard.js")).dueCard(items)),
  ]);
  if (!ctx.isCurrent()) return;
  const waitingDone = new Set(
    pending.filter((p) => p.kind === "session" && p.meta && p.meta.local_date === today).map((p) => p.body.routine_id),
  );
  const items = data.items || [];
  const list = items.length
    ? h("ul", { class: "routine-list", "aria-label": "Routines for today" }, items.map((item) => routineCard(item, waitingDone)))
    : h("p", { class: "card" }, "Nothing is planned for today. Rest is part of training too — or pick any routine below.");
  root.append(
    h(
      "section",
      {},
      h("div", { class: "view-head" }, h("h1", {}, "Today"), h("p", { class: "muted" }, formatDate(today, { weekday: "long", day: "numeric", month: "long" }))),
      h("div", { class: "mornings" }, mornings),
      h(
        "div",
        { class: "card quick" },
        h("p", {}, "Just back from a run? Log it while you remember how your back feels."),
        h("a", { href: "/log", class: "btn btn-primary" }, "Log a run"),
      ),
      imported,
      due,
      h("h2", {}, "Your routines"),
      list,
      allRoutines(),
      helpCard(),
    ),
  );
  // Keep each routine for use with no signal (the worker keeps it; before it controls
  // the page, app.js's warm-up reads them all once it does).
  if (navigator.serviceWorker?.controller) {
    for (const item of items) api.get(`/routines/${item.routine.id}`).catch(() => {});
  }
}

/** An optional card: built by `make` (whose module loads only then) when `found` lists
 *  something, else `none`; a failure costs the card, not the view. */
async function cardFor(found, make, none = null) {
  try {
    const list = await found;
    return list.length ? await make(list) : none;
  } catch {
    return none;
  }
}

function routineCard(item, waitingDone) {
  const r = item.routine;
  const waiting = !item.done && waitingDone.has(r.id);
  const done = item.done || waiting;
  return h(
    "li",
    { class: `routine-card card${done ? " is-done" : ""}` },
    h(
      "div",
      { class: "routine-main" },
      h("h3", {}, r.name),
      r.description ? h("p", { class: "muted" }, r.description) : null,
      h(
        "p",
        { class: "meta" },
        r.estimated_minutes ? `About ${r.estimated_minutes} min` : null,
        done
          ? h("span", { class: "badge badge-done" }, waiting ? "Done · waiting to send" : "Done")
          : h("span", { class: "badge" }, "To do"),
      ),
    ),
    h(
      "a",
      { href: `/routines/${r.id}`, class: `btn ${done ? "btn-secondary" : "btn-primary"}`, "aria-label": `${done ? "Do again" : "Start"}: ${r.name}` },
      done ? "Do again" : "Start",
      // The link's text names the routine too, not only its label ("Start" alone says little).
      h("span", { class: "visually-hidden" }, `: ${r.name}`),
    ),
  );
}

/** Every routine, read when the list is first opened. */
function allRoutines() {
  const others = h("details", { class: "card more-routines" }, h("summary", {}, "All routines"));
  others.addEventListener(
    "toggle",
    async () => {
      if (!others.open || others.dataset.loaded) return;
      others.dataset.loaded = "1";
      try {
        const all = await api.get("/routines", { limit: 100 });
        const ul = h("ul", { class: "plain-list" });
        for (const r of all.items || []) {
          ul.appendChild(h("li", {}, h("a", { href: `/routines/${r.id}` }, r.name), r.estimated_minutes ? h("span", { class: "muted" }, ` · ${r.estimated_minutes} min`) : null));
        }
        others.appendChild(ul);
      } catch (err) {
        others.appendChild(h("p", { class: "muted" }, err.offline ? "Not saved on this device yet." : err.message));
      }
    },
  );
  return others;
}

async function kindsWaiting(userId, kind) {
  return (await outbox.pending(userId)).filter((p) => p.kind === kind);
}

/** Questionnaires due and not waiting to send. */
async function dueItems(user, today) {
  let due;
  try {
    due = await api.get("/me/questionnaires/due", { date: today });
  } catch {
    return [];
  }
  const waiting = new Set((await kindsWaiting(user.id, "questionnaire")).map((p) => p.body.questionnaire_id));
  return (due.items || []).filter((i) => !waiting.has(i.questionnaire.id));
}

/** Yesterday's runs with no morning answer sent or waiting. */
async function morningRuns(today, ctx) {
  const yesterday = addDays(today, -1);
  let runs;
  try {
    runs = (await api.get("/runs", { from: yesterday, to: yesterday, limit: 20 })).items || [];
  } catch {
    return [];
  }
  const waiting = new Set((await kindsWaiting(ctx.user.id, "morning")).map((p) => p.meta && p.meta.run_id));
  return runs.filter((r) => r.morning_stiffness === null && !waiting.has(r.id));
}

// Imported runs the runner chose to skip; imported.js adds to the list.
export const SKIPPED_KEY = "limber-skipped-stiffness";

export function skippedImports() {
  try {
    return new Set(JSON.parse(localStorage.getItem(SKIPPED_KEY) || "[]"));
  } catch {
    return new Set();
  }
}

/** Imported runs awaiting a stiffness, less those skipped here. */
async function awaitingStiffness() {
  try {
    const hidden = skippedImports();
    return ((await api.get("/runs/awaiting-stiffness")).items || []).filter((r) => !hidden.has(r.id));
  } catch {
    return [];
  }
}
