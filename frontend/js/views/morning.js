// The next-morning check-in on Today: "How is your back this morning?" for each of
// yesterday's runs without an answer. The answer goes through the outbox (PUT, keyed by
// the run), so it is kept with no signal and sent once the network is back.

import { chips, checkedValue, h, notice } from "../dom.js";
import { formatDistance } from "../format.js";
import * as outbox from "../outbox.js";
import { RUN_NOUNS } from "../vocab.js";

const COURSE_TEXT = {
  passing:
    "Easing off overnight. Stiffness that settles by the next morning is usually the body's short-term guarding after a run.",
  lingering:
    "Still there this morning. If this keeps happening after the same kind of run, it is worth showing your practitioner; the routines for today are a good place to start.",
};

export function morningPath(runId) {
  return `/runs/${runId}/morning`;
}

function afterText(run, user) {
  const what = RUN_NOUNS[run.workout_type] || "run";
  const after = `After yesterday's ${formatDistance(run.distance_km, user)} ${what}`;
  // An imported run may not be rated yet: there is no after-run score to remind of.
  return run.stiffness === null ? `${after}.` : `${after} you noted ${run.stiffness}/10.`;
}

function thanks(run, result) {
  if (result.outcome === "kept") {
    return notice("info", "Saved on this device. It will be sent when you are back online.");
  }
  const saved = result.data || {};
  const course = saved.morning_course;
  return notice(
    "success",
    h("strong", {}, `Saved: ${saved.morning_stiffness ?? "?"}/10 this morning.`),
    course ? h("p", {}, COURSE_TEXT[course]) : null,
  );
}

function card(run, ctx) {
  const headingId = `morning-${run.id}`;
  // Named by the heading and the run it asks about, so each card's form is its own landmark.
  const aboutId = `morning-about-${run.id}`;
  const scale = chips(
    "Stiffness this morning",
    `morning-${run.id}`,
    Array.from({ length: 11 }, (_, i) => [String(i), String(i)]),
    { columns: 11 },
  );
  scale.classList.add("scale");
  scale.appendChild(h("p", { class: "hint scale-ends" }, h("span", {}, "0 = loose"), h("span", {}, "10 = can't bend")));
  const about = h("p", { id: aboutId, class: "muted" }, afterText(run, ctx.user));
  const status = h("div", { class: "morning-status" });
  const button = h("button", { type: "submit", class: "btn btn-primary" }, "Save");
  const form = h(
    "form",
    { class: "card morning-card", "aria-labelledby": `${headingId} ${aboutId}`, dataset: { runId: run.id }, novalidate: true },
    h("h2", { id: headingId, class: "h3" }, "How is your back this morning?"),
    about,
    scale,
    button,
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = checkedValue(form, `morning-${run.id}`);
    if (value === null) {
      status.replaceChildren(notice("error", "Pick how stiff your back is this morning, 0 to 10."));
      return;
    }
    button.disabled = true;
    const body = { morning_stiffness: Number(value), morning_at: new Date().toISOString() };
    try {
      const result = await outbox.submit("morning", morningPath(run.id), body, ctx.user.id, { run_id: run.id }, { method: "PUT", id: `morning:${run.id}` });
      if (result.outcome === "refused") {
        button.disabled = false;
        status.replaceChildren(notice("error", result.error.message || "That answer was not accepted."));
        return;
      }
      form.replaceChildren(h("h2", { id: headingId, class: "h3" }, "This morning"), about, thanks(run, result));
      form.querySelector(".notice")?.setAttribute("tabindex", "-1");
      form.querySelector(".notice")?.focus();
    } catch (err) {
      button.disabled = false;
      status.replaceChildren(notice("error", err.message || "Could not save."));
    }
  });
  return form;
}

/** Cards for yesterday's unanswered runs; today.js finds them (morningRuns) and imports
 * this module only when there are some. */
export function morningCards(runs, ctx) {
  return runs.map((r) => card(r, ctx));
}
