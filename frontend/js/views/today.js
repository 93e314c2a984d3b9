import { api } from "../api.js";
import { h } from "../dom.js";
import { formatDate, formatDistance, isoDate, plural } from "../format.js";
import * as outbox from "../outbox.js";
import { helpCard } from "./help.js";
import { dueCard } from "./duecard.js";
import { morningCards } from "./morning.js";

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
  dueCard(ctx.user, today).then((card) => card && ctx.isCurrent() && dueSlot.replaceWith(card));
  importedPrompt(ctx).then((card) => {
    if (card && ctx.isCurrent()) section.querySelector(".quick").after(card);
  });

  const [data, pending, cards] = await Promise.all([
    api.get("/today", { date: today }),
    outbox.pending(ctx.user.id),
    morningCards(today, ctx),
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
    const r = item.routine;
    const waiting = !item.done && waitingDone.has(r.id);
    const done = item.done || waiting;
    list.appendChild(
      h(
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
        ),
      ),
    );
    // Keep each routine on the device so it can be followed with no signal.
    api.get(`/routines/${r.id}`).catch(() => {});
  }

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
  section.append(others, helpCard());
}

const SKIPPED_KEY = "limber-skipped-stiffness";
const TERRAIN_WORD = { flat: "flat", rolling: "rolling", hilly: "hilly" };

function skipped() {
  try {
    return new Set(JSON.parse(localStorage.getItem(SKIPPED_KEY) || "[]"));
  } catch {
    return new Set();
  }
}

function skip(id) {
  const ids = skipped();
  ids.add(id);
  localStorage.setItem(SKIPPED_KEY, JSON.stringify([...ids].slice(-500)));
}

/** Imported runs wait for the runner's stiffness: one quick 0–10 each, or skip. */
async function importedPrompt(ctx) {
  let runs;
  try {
    runs = (await api.get("/runs/awaiting-stiffness")).items || [];
  } catch {
    return null;
  }
  const hidden = skipped();
  runs = runs.filter((r) => !hidden.has(r.id));
  if (!runs.length) return null;
  const heading = h("h2", { id: "imported-title" }, `${plural(runs.length, "imported run")}: how did your back feel?`);
  const list = h("ul", { class: "plain-list imported-runs" });
  const card = h(
    "section",
    { class: "card imported", "aria-labelledby": "imported-title" },
    heading,
    h("p", { class: "muted" }, "0 is no stiffness at all, 10 the worst you can imagine. Skip any you cannot remember."),
    list,
  );
  const left = () => {
    const n = list.children.length;
    if (!n) card.remove();
    else heading.textContent = `${plural(n, "imported run")}: how did your back feel?`;
  };
  for (const run of runs) {
    const label = [
      formatDate(run.started_at),
      formatDistance(run.distance_km, ctx.user),
      run.terrain ? TERRAIN_WORD[run.terrain] : null,
      run.title,
    ].filter(Boolean).join(" · ");
    const selectId = `stiff-${run.id}`;
    const select = h(
      "select",
      { id: selectId, name: "stiffness" },
      h("option", { value: "" }, "Choose…"),
      Array.from({ length: 11 }, (_, i) => h("option", { value: String(i) }, String(i))),
    );
    const save = h("button", { type: "button", class: "btn btn-primary" }, "Save");
    const later = h("button", { type: "button", class: "btn btn-secondary" }, "Skip");
    const message = h("span", { class: "muted", "aria-live": "polite" });
    const item = h(
      "li",
      { class: "imported-run" },
      h("label", { for: selectId }, `Stiffness after ${label}`),
      h("div", { class: "imported-actions" }, select, save, later, message),
    );
    save.addEventListener("click", async () => {
      if (select.value === "") {
        message.textContent = "Choose a number from 0 to 10 first.";
        return;
      }
      save.disabled = true;
      try {
        await api.patch(`/runs/${run.id}`, { stiffness: Number(select.value) });
        item.remove();
        left();
      } catch (err) {
        save.disabled = false;
        message.textContent = err.offline ? "No connection; try again when you are back online." : err.message;
      }
    });
    later.addEventListener("click", () => {
      skip(run.id);
      item.remove();
      left();
    });
    list.appendChild(item);
  }
  return card;
}
