import { api } from "../api.js";
import { h } from "../dom.js";
import { addDays, formatDate, isoDate } from "../format.js";
import * as outbox from "../outbox.js";
import { helpCard } from "./help.js";

export const title = "Today";

export async function render(root, ctx) {
  const today = isoDate(new Date(), ctx.user.timezone);
  const heading = h("h1", {}, "Today");
  const list = h("ul", { class: "routine-list", "aria-label": "Routines for today" });
  const mornings = h("div", { class: "mornings" });
  const section = h(
    "section",
    {},
    h("div", { class: "view-head" }, heading, h("p", { class: "muted" }, formatDate(today, { weekday: "long", day: "numeric", month: "long" }))),
    mornings,
    h(
      "div",
      { class: "card quick" },
      h("p", {}, "Just back from a run? Log it while you remember how your back feels."),
      h("a", { href: "/log", class: "btn btn-primary" }, "Log a run"),
    ),
    h("h2", {}, "Your routines"),
    list,
  );
  root.append(section);
  // Due questionnaires get their own card above the routines once known.
  const dueSlot = h("div", {});
  section.querySelector(".quick").after(dueSlot);
  // Optional cards: their module loads only when the API has something to show.
  dueItems(ctx.user, today).then(async (items) => {
    if (!items.length) return;
    const { dueCard } = await import("./duecard.js");
    if (ctx.isCurrent()) dueSlot.replaceWith(dueCard(items));
  });
  awaitingStiffness().then(async (runs) => {
    if (!runs.length) return;
    const { importedPrompt } = await import("./imported.js");
    if (ctx.isCurrent()) section.querySelector(".quick").after(importedPrompt(runs, ctx));
  });

  const [data, pending, cards] = await Promise.all([
    api.get("/today", { date: today }),
    outbox.pending(ctx.user.id),
    morningRuns(today, ctx).then(async (runs) => {
      if (!runs.length) return [];
      const { morningCards } = await import("./morning.js");
      return morningCards(runs, ctx);
    }).catch(() => []),
  ]);
  if (!ctx.isCurrent()) return;
  mornings.replaceChildren(...cards);
  const waitingDone = new Set(
    pending.filter((p) => p.kind === "session" && p.meta && p.meta.local_date === today).map((p) => p.body.routine_id),
  );

  const items = data.items || [];
  if (!items.length) {
    list.replaceWith(
      h("p", { class: "card" }, "Nothing is planned for today. Rest is part of training too — or pick any routine below."),
    );
  }
  for (const item of items) {
    list.appendChild(routineCard(item, waitingDone));
    // Keep each routine for use with no signal (the worker keeps it; before it controls
    // the page, app.js's warm-up reads them all once it does).
    const id = item.routine.id;
    if (navigator.serviceWorker?.controller) api.get(`/routines/${id}`).catch(() => {});
  }
  section.append(allRoutines(), helpCard());
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
